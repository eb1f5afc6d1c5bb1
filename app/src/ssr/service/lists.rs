//! Reading lists: a page read at the current data version is kept and served again until a
//! write raises the version ([`crate::ssr::cache`]).

use std::sync::Arc;

use sea_orm::ConnectionTrait;

use crate::domain::access::Scope;
use crate::error::AppError;
use crate::ssr::cache::{Caches, OfficialsPage};
use crate::ssr::repo::{people, versions};

/// The first `limit` active officials in `scope` matching the folded `pattern`, and how many
/// match in all ([`people::officials_page`]).
pub async fn officials(
    db: &impl ConnectionTrait,
    caches: &Caches,
    scope: &Scope,
    pattern: Option<&str>,
    limit: u64,
) -> Result<Arc<OfficialsPage>, AppError> {
    // The version first: a write committed after it only makes the page newer than its key.
    let version = versions::current(db, versions::PEOPLE).await?;
    let key = (scope.clone(), pattern.map(str::to_owned), limit);
    if let Some(page) = caches.officials.get(&key, version) {
        return Ok(page);
    }
    let page = Arc::new(people::officials_page(db, scope, pattern, limit).await?);
    caches.officials.put(key, version, Arc::clone(&page));
    Ok(page)
}
