//! The login rate limit, as a pure rule over recent failed attempts (times in seconds).
//!
//! Three limits, none of which lets a stranger lock a person out for long:
//! * **account from one address**: after [`PAIR_LIMIT`] failures for the same username from
//!   the same IP address within [`PAIR_WINDOW`] seconds, that address waits until the oldest
//!   of them leaves the window. Someone guessing from elsewhere does not block the owner's own
//!   address.
//! * **address**: after [`IP_LIMIT`] failures from one address (any usernames) within
//!   [`IP_WINDOW`], it waits likewise — this stops one machine trying many accounts.
//! * **account from everywhere**: after [`ACCOUNT_LIMIT`] failures for one username from any
//!   addresses within [`ACCOUNT_WINDOW`] (one minute), sign-in for that username pauses until
//!   the minute has passed — this slows a distributed guess while a victim waits a minute at
//!   most.

/// Failures of one username from one address.
pub const PAIR_LIMIT: usize = 5;
/// Seconds counted for [`PAIR_LIMIT`].
pub const PAIR_WINDOW: i64 = 15 * 60;
/// Failures from one address.
pub const IP_LIMIT: usize = 30;
/// Seconds counted for [`IP_LIMIT`].
pub const IP_WINDOW: i64 = 15 * 60;
/// Failures of one username from anywhere.
pub const ACCOUNT_LIMIT: usize = 20;
/// Seconds counted for [`ACCOUNT_LIMIT`].
pub const ACCOUNT_WINDOW: i64 = 60;

/// Recent failed attempts, as Unix seconds (any order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failures {
    /// This username from this address, since its last success.
    pub pair: Vec<i64>,
    /// This address, any username.
    pub ip: Vec<i64>,
    /// This username, any address.
    pub account: Vec<i64>,
}

/// `None` when an attempt may go ahead at `now`; otherwise the seconds to wait.
///
/// For each limit: keep the failures inside the window; when there are at least `limit`, the
/// wait is until the `limit`-th most recent of them leaves the window.
pub fn retry_after(failures: &Failures, now: i64) -> Option<i64> {
    [
        (&failures.pair, PAIR_LIMIT, PAIR_WINDOW),
        (&failures.ip, IP_LIMIT, IP_WINDOW),
        (&failures.account, ACCOUNT_LIMIT, ACCOUNT_WINDOW),
    ]
    .into_iter()
    .filter_map(|(times, limit, window)| wait(times, limit, window, now))
    .max()
}

fn wait(times: &[i64], limit: usize, window: i64, now: i64) -> Option<i64> {
    let mut recent: Vec<i64> = times.iter().copied().filter(|t| now - t < window).collect();
    if recent.len() < limit {
        return None;
    }
    recent.sort_unstable_by(|a, b| b.cmp(a));
    // The limit-th most recent failure: once it is out of the window, fewer than `limit` remain.
    let pivot = recent[limit - 1];
    Some((pivot + window - now).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_failures_from_one_address_still_allow_a_fifth_try() {
        let failures = Failures {
            pair: vec![100, 110, 120, 130],
            ..Failures::default()
        };
        assert_eq!(retry_after(&failures, 140), None);
    }

    #[test]
    fn five_failures_block_that_address_until_the_oldest_leaves_the_window() {
        let failures = Failures {
            pair: vec![100, 110, 120, 130, 140],
            ..Failures::default()
        };
        // 100 + 900 − 150 = 850 s.
        assert_eq!(retry_after(&failures, 150), Some(850));
        assert_eq!(retry_after(&failures, 100 + PAIR_WINDOW), None);
    }

    #[test]
    fn many_addresses_guessing_one_account_pause_it_for_a_minute_at_most() {
        let failures = Failures {
            account: (0..25).map(|i| 1_000 + i).collect(),
            ..Failures::default()
        };
        // The 20th most recent is 1 005: wait until 1 065.
        assert_eq!(retry_after(&failures, 1_030), Some(35));
        assert!(retry_after(&failures, 1_030).unwrap_or(0) <= ACCOUNT_WINDOW);
        assert_eq!(retry_after(&failures, 1_065), None);
    }

    #[test]
    fn one_address_trying_many_accounts_is_stopped() {
        let failures = Failures {
            ip: (0..30).map(|i| 5_000 + i * 10).collect(),
            ..Failures::default()
        };
        assert_eq!(
            retry_after(&failures, 5_300),
            Some(5_000 + IP_WINDOW - 5_300)
        );
    }

    #[test]
    fn the_longest_wait_wins_and_old_failures_do_not_count() {
        let failures = Failures {
            pair: vec![0, 1, 2, 3, 4, 2_000, 2_001, 2_002, 2_003, 2_004],
            account: (0..20).map(|i| 2_000 + i).collect(),
            ..Failures::default()
        };
        assert_eq!(
            retry_after(&failures, 2_030),
            Some(2_000 + PAIR_WINDOW - 2_030)
        );
    }
}
