//! The Thước đo HTTP server: router, start-up (connect, migrate, seed), graceful shutdown.
//!
//! `main.rs` parses the command line and configuration; everything testable lives here so
//! that integration tests start the real server on `127.0.0.1:0`.

pub mod account;
pub mod api;
pub mod api_docs;
pub mod backup;
pub mod config;
pub mod html;
pub mod io;
pub mod public;
pub mod routes;
pub mod score;
pub mod security;
pub mod seed;
pub mod typed_back;
pub mod user;

use std::future::Future;

use anyhow::Context;
use app::ssr::state::AppState;
use leptos::prelude::LeptosOptions;
use migration::{Migrator, MigratorTrait};
use tokio::net::TcpListener;

pub use config::Config;
pub use routes::Http;

/// The name cargo-leptos gives the wasm, js and css bundles (`[workspace.metadata.leptos]`).
pub const OUTPUT_NAME: &str = "thuocdo";

/// Connects to the database, applies pending migrations and, when configured and the database
/// is empty, loads the demo city.
pub async fn prepare(config: &Config) -> anyhow::Result<AppState> {
    if let Some(path) = sqlite_parent_dir(&config.database_url) {
        std::fs::create_dir_all(&path)
            .with_context(|| format!("creating the database directory {path}"))?;
    }
    let db = app::ssr::db::connect(&config.database_url, config.db_max_connections)
        .await
        .with_context(|| format!("connecting to {}", redact(&config.database_url)))?;
    Migrator::up(&db, None)
        .await
        .context("applying migrations")?;
    // What derives from stored rows and may predate its migration: the unit closure and the
    // search keys (a no-op when current).
    app::ssr::repo::scope::rebuild_units(&db)
        .await
        .context("rebuilding the unit closure")?;
    app::ssr::repo::scope::backfill_search_keys(&db)
        .await
        .context("filling search keys")?;
    if config.seed_demo {
        seed::demo_if_empty(&db, config.hashing)
            .await
            .context("loading the demo data")?;
    }
    app::ssr::db::refresh_statistics(&db)
        .await
        .context("refreshing the query planner's statistics")?;
    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(leptos::prelude::Env::PROD)
        .build();
    Ok(AppState {
        db,
        leptos_options,
        auth: app::ssr::auth::AuthConfig {
            cookie_secure: config.cookie_secure,
            hashing: config.hashing,
        },
        caches: Default::default(),
    })
}

/// Serves the application on `listener` until `shutdown` completes, then finishes the requests
/// in flight and closes the database pool.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    http: Http,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = state.db.clone();
    let router = routes::router(state, http);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .context("serving HTTP")?;
    db.close().await.context("closing the database pool")?;
    tracing::info!("stopped");
    Ok(())
}

/// At start and every [`app::ssr::service::warnings::REFRESH_EVERY_MINUTES`] minutes after:
/// applies the personnel decisions whose effective date has come, then works the
/// early-warning list out again (both read the clock: a key result falls behind, a transfer
/// takes effect, with no write at all).
pub async fn every_quarter_hour(db: sea_orm::DatabaseConnection) {
    use app::ssr::service::warnings::{REFRESH_EVERY_MINUTES, refresh};
    let mut every =
        tokio::time::interval(std::time::Duration::from_secs(REFRESH_EVERY_MINUTES * 60));
    loop {
        every.tick().await;
        let started = std::time::Instant::now();
        match app::ssr::service::personnel::apply_due(&db, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(decisions = n, "personnel decisions applied"),
            Err(error) => tracing::error!(%error, "personnel decisions not applied"),
        }
        match refresh(&db, chrono::Utc::now()).await {
            Ok(n) => tracing::info!(
                warnings = n,
                ms = started.elapsed().as_millis(),
                "early warnings worked out"
            ),
            Err(error) => tracing::error!(%error, "early warnings not worked out"),
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested, finishing requests in flight");
}

/// The directory a `sqlite:` URL's file lives in, if it has one.
fn sqlite_parent_dir(url: &str) -> Option<String> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?;
    let parent = parent.to_str()?;
    (!parent.is_empty()).then(|| parent.to_owned())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}://{user}:***{}", &url[..scheme_end], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_parent_dir_handles_relative_files_and_memory() {
        assert_eq!(
            sqlite_parent_dir("sqlite://data/thuocdo.db?mode=rwc").as_deref(),
            Some("data")
        );
        assert_eq!(sqlite_parent_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_parent_dir("sqlite://file.db"), None);
        assert_eq!(sqlite_parent_dir("postgres://h/db"), None);
    }

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
