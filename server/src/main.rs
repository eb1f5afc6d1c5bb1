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
}

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
            server::serve(listener, state, server::shutdown_signal()).await
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
        Command::Seed {
            what: SeedWhat::Demo,
        } => {
            let db = app::ssr::db::connect(&config.database_url, 1).await?;
            Migrator::up(&db, None).await?;
            let created = server::seed::demo_if_empty(&db).await?;
            println!("{created} units created");
            Ok(())
        }
    }
}
