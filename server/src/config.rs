//! Configuration from the environment. Every variable has the `THUOCDO_` prefix, except the
//! conventional `DATABASE_URL`; an invalid value stops the start with the variable's name.

use std::net::SocketAddr;

/// The server's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where to listen (`THUOCDO_ADDR`, default `127.0.0.1:3000`).
    pub addr: SocketAddr,
    /// Database URL (`DATABASE_URL` or `THUOCDO_DATABASE_URL`; default the SQLite file
    /// `data/thuocdo.db`).
    pub database_url: String,
    /// Pool size (`THUOCDO_DB_MAX_CONNECTIONS`, default 8).
    pub db_max_connections: u32,
    /// Directory with the compiled site: `pkg/` (wasm, js, css) and public assets
    /// (`THUOCDO_SITE_ROOT`, default `target/site`).
    pub site_root: String,
    /// Log filter in `tracing` syntax (`THUOCDO_LOG`, default `info`).
    pub log: String,
    /// Load the demo city when the database has no units (`THUOCDO_SEED_DEMO`, default false).
    pub seed_demo: bool,
    /// Mark the session cookie Secure (`THUOCDO_COOKIE_SECURE`, default false; set it when
    /// the site is served over HTTPS).
    pub cookie_secure: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (`THUOCDO_TRUST_PROXY`,
    /// default false; set it only behind a load balancer that writes that header).
    pub trust_proxy: bool,
    /// Requests a second each client address may make to the public pages of results
    /// (`THUOCDO_PUBLIC_RPS`, default 20, bursts of twice that).
    pub public_per_second: std::num::NonZeroU32,
    /// Password hashing cost: OWASP's in every configuration; tests lower it in code.
    pub hashing: app::ssr::auth::password::Cost,
}

/// A configuration variable that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration variable {var}={value:?}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub reason: String,
}

/// The public pages' default rate per client address (a person reading never comes near it).
pub const PUBLIC_PER_SECOND: std::num::NonZeroU32 = match std::num::NonZeroU32::new(20) {
    Some(n) => n,
    None => std::num::NonZeroU32::MIN,
};

/// The default database: a SQLite file under `data/`, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/thuocdo.db?mode=rwc";

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr = parse(&lookup, "THUOCDO_ADDR", "127.0.0.1:3000", |v| {
            v.parse::<SocketAddr>().map_err(|e| e.to_string())
        })?;
        let database_url = lookup("DATABASE_URL")
            .or_else(|| lookup("THUOCDO_DATABASE_URL"))
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if app::ssr::db::Engine::of_url(&database_url).is_none() {
            let var = if lookup("DATABASE_URL").is_some() {
                "DATABASE_URL"
            } else {
                "THUOCDO_DATABASE_URL"
            };
            return Err(ConfigError {
                var,
                value: database_url,
                reason: "must start with sqlite: or postgres://".into(),
            });
        }
        let db_max_connections = parse(&lookup, "THUOCDO_DB_MAX_CONNECTIONS", "8", |v| match v
            .parse::<u32>()
        {
            Ok(n) if (1..=1000).contains(&n) => Ok(n),
            Ok(_) => Err("must be between 1 and 1000".into()),
            Err(e) => Err(e.to_string()),
        })?;
        let site_root = lookup("THUOCDO_SITE_ROOT").unwrap_or_else(|| "target/site".into());
        let log = lookup("THUOCDO_LOG").unwrap_or_else(|| "info".into());
        let seed_demo = parse(&lookup, "THUOCDO_SEED_DEMO", "false", boolean)?;
        let cookie_secure = parse(&lookup, "THUOCDO_COOKIE_SECURE", "false", boolean)?;
        let trust_proxy = parse(&lookup, "THUOCDO_TRUST_PROXY", "false", boolean)?;
        let public_per_second = parse(&lookup, "THUOCDO_PUBLIC_RPS", "20", |v| {
            v.parse::<std::num::NonZeroU32>()
                .map_err(|_| "must be a whole number of requests a second, at least 1".into())
        })?;
        Ok(Config {
            addr,
            database_url,
            db_max_connections,
            site_root,
            log,
            seed_demo,
            cookie_secure,
            trust_proxy,
            public_per_second,
            hashing: app::ssr::auth::password::Cost::Owasp,
        })
    }
}

fn boolean(value: &str) -> Result<bool, String> {
    match value {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}

fn parse<T>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    convert: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let value = lookup(var).unwrap_or_else(|| default.to_owned());
    convert(value.trim()).map_err(|reason| ConfigError { var, value, reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_use_sqlite_under_data_and_port_3000() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.db_max_connections, 8);
        assert!(!c.seed_demo);
        assert_eq!(c.public_per_second, PUBLIC_PER_SECOND);
    }

    #[test]
    fn database_url_wins_over_prefixed_variable() {
        let c = config(&[
            ("DATABASE_URL", "postgres://localhost/a"),
            ("THUOCDO_DATABASE_URL", "postgres://localhost/b"),
        ])
        .expect("valid");
        assert_eq!(c.database_url, "postgres://localhost/a");
    }

    #[test]
    fn invalid_values_name_their_variable() {
        assert_eq!(
            config(&[("THUOCDO_ADDR", "nope")]).unwrap_err().var,
            "THUOCDO_ADDR"
        );
        assert_eq!(
            config(&[("THUOCDO_DB_MAX_CONNECTIONS", "0")])
                .unwrap_err()
                .var,
            "THUOCDO_DB_MAX_CONNECTIONS"
        );
        assert_eq!(
            config(&[("THUOCDO_PUBLIC_RPS", "0")]).unwrap_err().var,
            "THUOCDO_PUBLIC_RPS"
        );
        assert_eq!(
            config(&[("THUOCDO_SEED_DEMO", "maybe")]).unwrap_err().var,
            "THUOCDO_SEED_DEMO"
        );
        let err = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
        assert!(err.to_string().contains("DATABASE_URL"));
    }
}
