//! Pages of lists kept in memory under the data version they were read at
//! ([`crate::ssr::repo::versions`]): served again while the version has not moved, read anew
//! once any write has raised it. The version lives in the database, so several server
//! processes stay correct without talking to each other; each keeps its own pages.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use crate::domain::access::Scope;
use crate::ssr::repo::people::Listed;

/// A bounded map from a key to the value read at one data version.
#[derive(Debug)]
pub struct Versioned<K, V> {
    entries: Mutex<HashMap<K, (i64, Arc<V>)>>,
    capacity: usize,
}

impl<K: Eq + Hash, V> Versioned<K, V> {
    pub fn new(capacity: usize) -> Self {
        Versioned {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    /// The value kept for `key` if it was read at `version`.
    pub fn get(&self, key: &K, version: i64) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(at, _)| *at == version)
            .map(|(_, value)| Arc::clone(value))
    }

    /// Keeps `value` for `key`, read at `version`. When full, entries of older versions go
    /// first, then all of them (the cache refills from the next requests).
    pub fn put(&self, key: K, version: i64, value: Arc<V>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if entries.len() >= self.capacity {
            entries.retain(|_, (at, _)| *at == version);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (version, value));
    }
}

/// A page of the officials list: its rows and how many match in all.
pub type OfficialsPage = (Vec<Listed>, u64);

/// What a page of the officials list depends on: the reader's scope, the folded search
/// pattern and the page size.
pub type OfficialsKey = (Scope, Option<String>, u64);

/// What an official's charts depend on besides their data: the official, their unit, the
/// language (English or not) and the day (today's mark and the pace).
pub type OfficialChartsKey = (i64, i64, bool, chrono::NaiveDate);

/// What the reviewers' check of a comparison depends on besides the scores and levels: the
/// cycle, the units whose reviewers are checked (roots, kind, parent), the version of the
/// people's records (who reviews whom) and the whole they are tested against (its counts per
/// level and the bits of its spread: a ward's comparison and its dashboard check the same
/// reviewers against different wholes).
pub type ReviewersKey = (
    i64,
    Vec<i64>,
    Option<crate::domain::vocab::UnitKind>,
    Option<i64>,
    i64,
    ([u32; 4], Option<u64>),
);

/// The caches of one server process.
#[derive(Debug)]
pub struct Caches {
    pub officials: Versioned<OfficialsKey, OfficialsPage>,
    /// An official's charts, kept under the time their unit's rollups last changed (every
    /// write of scores, levels, key results or check-ins refreshes them in its transaction).
    pub official_charts: Versioned<OfficialChartsKey, crate::domain::compare::OfficialCharts>,
    /// The reviewers' check of a comparison, kept under the time the cycle's rollups last
    /// changed (every write of scores or levels refreshes its unit's rollup).
    pub reviewers: Versioned<ReviewersKey, crate::domain::compare::ReviewerCheck>,
}

impl Default for Caches {
    fn default() -> Self {
        // Pages of 300 rows take tens of kilobytes: a few hundred readers' pages at most.
        // An official's charts take 10–20 KB: a few thousand officials' at most.
        Caches {
            officials: Versioned::new(512),
            official_charts: Versioned::new(2_048),
            reviewers: Versioned::new(1_024),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_only_at_the_version_it_was_read_at() {
        let cache: Versioned<&str, u32> = Versioned::new(2);
        cache.put("a", 1, Arc::new(10));
        assert_eq!(cache.get(&"a", 1).as_deref(), Some(&10));
        assert_eq!(cache.get(&"a", 2), None);
        assert_eq!(cache.get(&"b", 1), None);
    }

    #[test]
    fn a_full_cache_drops_older_versions_first() {
        let cache: Versioned<&str, u32> = Versioned::new(2);
        cache.put("a", 1, Arc::new(10));
        cache.put("b", 2, Arc::new(20));
        cache.put("c", 2, Arc::new(30));
        assert_eq!(cache.get(&"a", 1), None);
        assert_eq!(cache.get(&"b", 2).as_deref(), Some(&20));
        assert_eq!(cache.get(&"c", 2).as_deref(), Some(&30));
        cache.put("d", 2, Arc::new(40));
        assert_eq!(cache.get(&"d", 2).as_deref(), Some(&40));
        assert_eq!(cache.get(&"b", 2), None);
    }
}
