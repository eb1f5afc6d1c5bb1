//! `server`: the Thước đo binary. Without a subcommand it serves the web application; other
//! subcommands migrate the database and load data.

use anyhow::Context;
use clap::{Parser, Subcommand};
use migration::{Migrator, MigratorTrait};
use server::Config;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Thước đo — assessment of officials by results"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Manage the database schema.
    Migrate {
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Score a batch of officials (JSON, format in docs/scoring.md) under a built-in scheme and
    /// print the results with their explanations as JSON. Needs no database.
    Score {
        /// Scheme id: decree-335-2025 (default), party-366-2025, khanh-hoa-2025, okr-basic.
        #[arg(long, default_value = app::domain::DEFAULT_SCHEME_ID)]
        scheme: String,
        /// The input file.
        input: std::path::PathBuf,
    },
    /// Load data.
    Seed {
        #[command(subcommand)]
        what: SeedWhat,
    },
    /// Import units, officials, key results, products or check-ins from a CSV or XLSX file
    /// (layouts in docs/import.md). Nothing is written if any row is bad (exit code 1).
    Import {
        /// The file (.csv or .xlsx; the first sheet is read).
        file: std::path::PathBuf,
        /// units, officials, key_results, products or check_ins (default: from the headers).
        #[arg(long, value_parser = server::io::parse_kind)]
        kind: Option<app::api::dto::ImportKind>,
        /// Validate and report what would change, then write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Language of the report: vi or en.
        #[arg(long, default_value = "vi", value_parser = server::io::parse_lang)]
        lang: server::io::Lang,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Export data for other agencies.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Recompute every assessment of a cycle from its stored inputs (after a correction made
    /// outside the application); refused for a closed cycle. Audited.
    Recompute {
        /// The cycle's code, e.g. 2026-11.
        #[arg(long)]
        cycle: String,
    },
    /// The dashboards' per-(unit, cycle) rollups.
    Rollup {
        #[command(subcommand)]
        action: RollupAction,
    },
    /// Integrations that feed metric values over the API (docs/api.md).
    ApiClient {
        #[command(subcommand)]
        action: ApiClientAction,
    },
    /// Early warning.
    Warnings {
        #[command(subcommand)]
        action: WarningsAction,
    },
    /// Write a backup of the whole database to a new file (SQLite: VACUUM INTO, while the
    /// server runs; PostgreSQL: pg_dump). Audited.
    Backup {
        /// The backup file to write (must not exist).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the whole database with a backup (SQLite: stop the server first; PostgreSQL:
    /// pg_restore in one transaction), then print each table's rows. Audited.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ApiClientAction {
    /// Create an integration writing for the units with these codes (and the units under
    /// them); prints its token, which is shown this once. Audited.
    Create {
        /// Its name, e.g. "Hệ thống một cửa điện tử".
        #[arg(long)]
        name: String,
        /// A unit's code; repeat for several.
        #[arg(long = "unit", required = true)]
        units: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
enum WarningsAction {
    /// Work the early-warning list out again now with the stored rules (the server does so
    /// every 15 minutes), keeping acknowledgements.
    Refresh,
}

#[derive(Debug, Subcommand)]
enum RollupAction {
    /// Rebuild the rollups from the stored assessments and key results, of one cycle or of
    /// every started cycle. Audited.
    Rebuild {
        /// The cycle's code, e.g. 2026-11 (default: every started cycle).
        #[arg(long)]
        cycle: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Create an account. The password comes from THUOCDO_NEW_PASSWORD or the first line of
    /// standard input (at least 12 characters).
    Create {
        /// Sign-in name (letters, digits, '.', '_', '-').
        #[arg(long)]
        username: String,
        /// Name shown in the application.
        #[arg(long)]
        name: String,
        /// Grant the admin role (users, schemes, cycles).
        #[arg(long)]
        admin: bool,
        /// Grant another role: official, reviewer, unit_leader, organiser, leadership, admin.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Scope of the roles (unit code); default: every top-level unit.
        #[arg(long)]
        unit: Option<String>,
        /// The official the account belongs to (personnel code).
        #[arg(long)]
        official: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ExportWhat {
    /// The classification list of a unit in a cycle, for the Department of Home Affairs.
    Classification {
        /// Unit code.
        #[arg(long)]
        unit: String,
        /// Cycle code.
        #[arg(long)]
        cycle: String,
        /// One official's personnel code: their line only (in PDF, their form).
        #[arg(long)]
        official: Option<String>,
        #[arg(long, value_enum, default_value = "xlsx")]
        format: server::io::ExportFormat,
        /// The file to write.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Language of the headers and level names: vi or en.
        #[arg(long, default_value = "vi", value_parser = server::io::parse_lang)]
        lang: server::io::Lang,
    },
}

#[derive(Debug, Subcommand)]
enum MigrateAction {
    /// Apply all pending migrations.
    Up,
    /// Revert the last `steps` applied migrations.
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List migrations and whether each is applied.
    Status,
}

#[derive(Debug, Subcommand)]
enum SeedWhat {
    /// The demo city (only into an empty database).
    Demo,
    /// National-scale synthetic units and officials, for performance work.
    Scale {
        #[arg(long, default_value_t = 100_000)]
        officials: u64,
        #[arg(long, default_value_t = 34)]
        provinces: u32,
        #[arg(long, default_value_t = 3321)]
        communes: u32,
        /// Prefix of the generated codes (lets several runs coexist).
        #[arg(long, default_value = "N")]
        tag: String,
    },
    /// A month of inputs (assessments, criteria points, products, an objective with two
    /// checked-in key results) for the first officials of a `seed scale` run, in an open cycle
    /// `TAG-2026-11` (for `server recompute`), and the on-time and online rates of its
    /// communes since January with a key result fed by each (for the dashboards).
    Month {
        /// The `seed scale` run whose officials are assessed.
        #[arg(long, default_value = "N")]
        tag: String,
        /// How many officials.
        #[arg(long, default_value_t = 50_000)]
        officials: u64,
    },
}

/// mimalloc instead of the system allocator: under load glibc's malloc spent about a sixth of
/// the server's time in its locks and free lists (`perf`, docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_new(&config.log).with_context(|| {
            format!(
                "invalid configuration variable THUOCDO_LOG={:?}",
                config.log
            )
        })?)
        .init();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let state = server::prepare(&config).await?;
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .with_context(|| format!("binding {}", config.addr))?;
            tracing::info!(
                addr = %listener.local_addr()?,
                database = %server::redact(&config.database_url),
                "Thước đo listening on http://{}",
                listener.local_addr()?
            );
            tokio::spawn(server::every_quarter_hour(state.db.clone()));
            server::serve(
                listener,
                state,
                server::Http {
                    trust_proxy: config.trust_proxy,
                    public_per_second: config.public_per_second,
                },
                server::shutdown_signal(),
            )
            .await
        }
        Command::Migrate { action } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            match action {
                MigrateAction::Up => Migrator::up(&db, None).await?,
                MigrateAction::Down { steps } => Migrator::down(&db, Some(steps)).await?,
                MigrateAction::Status => {}
            }
            for migration in Migrator::get_migration_with_status(&db).await? {
                println!("{}\t{}", migration.name(), migration.status());
            }
            Ok(())
        }
        Command::Score { scheme, input } => {
            let text = std::fs::read_to_string(&input)
                .with_context(|| format!("reading {}", input.display()))?;
            let output = server::score::run(&scheme, &text)
                .with_context(|| format!("scoring {}", input.display()))?;
            println!("{output}");
            Ok(())
        }
        Command::Import {
            file,
            kind,
            dry_run,
            lang,
        } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let (report, lines) = server::io::import(&db, &file, kind, dry_run, lang).await?;
            for line in lines {
                println!("{line}");
            }
            if !report.errors.is_empty() {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Export {
            what:
                ExportWhat::Classification {
                    unit,
                    cycle,
                    official,
                    format,
                    out,
                    lang,
                },
        } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            let selection = (unit.as_str(), cycle.as_str(), official.as_deref());
            let rows =
                server::io::export_classification(&db, selection, format, &out, lang).await?;
            println!("{rows} officials written to {}", out.display());
            Ok(())
        }
        Command::User {
            action:
                UserAction::Create {
                    username,
                    name,
                    admin,
                    roles,
                    unit,
                    official,
                },
        } => {
            let password = match std::env::var("THUOCDO_NEW_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    eprintln!("Password for {username} (one line on standard input):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let user = server::user::NewUser {
                username,
                display_name: name,
                admin,
                roles,
                unit,
                official,
            };
            let id = server::user::create(&db, &user, &password).await?;
            println!("account {} created (id {id})", user.username);
            Ok(())
        }
        Command::Recompute { cycle } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let started = std::time::Instant::now();
            let count = server::io::recompute(&db, &cycle).await?;
            println!(
                "{count} assessments of {cycle} recomputed in {:.1} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
            Ok(())
        }
        Command::Backup { to } => {
            let started = std::time::Instant::now();
            server::backup::backup(&config.database_url, &to).await?;
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            server::io::audit_operation(&db, "backup", &to).await?;
            println!(
                "backup written to {} in {:.1} s",
                to.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { from } => {
            let started = std::time::Instant::now();
            server::backup::restore(&config.database_url, &from).await?;
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            for (table, (rows, _)) in server::backup::fingerprint(&db).await? {
                println!("{table}: {rows} rows");
            }
            server::io::audit_operation(&db, "restore", &from).await?;
            println!(
                "restored from {} in {:.1} s",
                from.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::ApiClient {
            action: ApiClientAction::Create { name, units },
        } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let mut ids = Vec::with_capacity(units.len());
            for code in &units {
                let id = app::ssr::repo::org_units::id_by_code(&db, code)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no unit has the code {code}"))?;
                ids.push(id);
            }
            let actor = app::ssr::service::Actor::system("cli:api-client");
            let created = app::ssr::service::feeds::create_client(
                &db,
                &actor,
                &name,
                &ids,
                chrono::Utc::now(),
            )
            .await?;
            println!(
                "integration {} created; its token (shown once):",
                created.id
            );
            println!("{}", created.token);
            Ok(())
        }
        Command::Warnings {
            action: WarningsAction::Refresh,
        } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let started = std::time::Instant::now();
            let n = app::ssr::service::warnings::refresh(&db, chrono::Utc::now()).await?;
            println!(
                "{n} warning(s) worked out in {:.1} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
            Ok(())
        }
        Command::Rollup {
            action: RollupAction::Rebuild { cycle },
        } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let started = std::time::Instant::now();
            let cycles = server::io::rebuild_rollups(&db, cycle.as_deref()).await?;
            println!(
                "rollups of {cycles} cycle(s) rebuilt in {:.1} ms",
                started.elapsed().as_secs_f64() * 1e3
            );
            Ok(())
        }
        Command::Seed { what } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            match what {
                SeedWhat::Demo => {
                    let officials = server::seed::demo_if_empty(&db, config.hashing).await?;
                    if officials == 0 {
                        println!("the database already has units: nothing loaded");
                    } else {
                        println!("demo city loaded: {officials} officials");
                    }
                }
                SeedWhat::Month { tag, officials } => {
                    let (code, count) = server::seed::month::month(&db, &tag, officials).await?;
                    println!("cycle {code}: {count} officials assessed");
                }
                SeedWhat::Scale {
                    officials,
                    provinces,
                    communes,
                    tag,
                } => {
                    let spec = server::seed::scale::ScaleSpec {
                        officials,
                        provinces,
                        communes,
                        tag,
                    };
                    let report = server::seed::scale::scale(&db, &spec, true).await?;
                    println!(
                        "{} units and {} officials in {:.2} s ({:.2} s generating): {:.0} rows/s",
                        report.units,
                        report.officials,
                        report.elapsed.as_secs_f64(),
                        report.generating.as_secs_f64(),
                        report.rows_per_second()
                    );
                }
            }
            Ok(())
        }
    }
}
