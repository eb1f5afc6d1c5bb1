//! Accounts and security: sign-in accounts linked to officials, role grants scoped to a unit
//! and its subtree, database-backed sessions (shared by every app process), login attempts
//! for rate limiting, and the audit log's scope column and append-only guard (triggers that
//! refuse every UPDATE and DELETE, on SQLite and PostgreSQL).

use sea_orm_migration::{prelude::*, schema::*};

use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order (dropped in reverse).
const TABLES: [&str; 4] = ["account", "role_grant", "session", "login_attempt"];

/// Triggers that make `audit_log` append-only, per backend (created in order, dropped in
/// reverse by [`DROP_GUARD`]).
const SQLITE_GUARD: [&str; 2] = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
     BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
];
const POSTGRES_GUARD: [&str; 3] = [
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
     FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
];
const DROP_GUARD_SQLITE: [&str; 2] = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
];
const DROP_GUARD_POSTGRES: [&str; 3] = [
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
    "DROP FUNCTION IF EXISTS audit_log_append_only()",
];

async fn run_all(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let tables = [
            Table::create()
                .table("account")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("username", 64))
                .col(string_len("display_name", 255))
                .col(string_len("password_hash", 255))
                .col(big_integer_null("official_id"))
                .col(boolean("is_active").default(true))
                .col(boolean("is_demo").default(false))
                .col(integer("version").default(1))
                .col(timestamp_with_time_zone("password_changed_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("account", "official_id", "official", SetNull))
                .to_owned(),
            Table::create()
                .table("role_grant")
                .col(big_pk_auto("id"))
                .col(big_integer("account_id"))
                .col(string_len("role", 32))
                .col(big_integer("unit_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("role_grant", "account_id", "account", Cascade))
                .foreign_key(&mut fk("role_grant", "unit_id", "org_unit", Restrict))
                .to_owned(),
            Table::create()
                .table("session")
                .col(string_len("id", 64).primary_key())
                .col(big_integer("account_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(string_len_null("ip", 64))
                .col(string_len_null("user_agent", 255))
                .foreign_key(&mut fk("session", "account_id", "account", Cascade))
                .to_owned(),
            Table::create()
                .table("login_attempt")
                .col(big_pk_auto("id"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len("username", 64))
                .col(string_len("ip", 64))
                .col(boolean("succeeded"))
                .to_owned(),
        ];
        for statement in tables {
            manager.create_table(statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("audit_log")
                    .add_column(big_integer_null("unit_id"))
                    .to_owned(),
            )
            .await?;
        let indexes = [
            index("role_grant", &["account_id", "role", "unit_id"], true),
            index("role_grant", &["unit_id"], false),
            index("account", &["official_id"], false),
            index("session", &["account_id"], false),
            index("login_attempt", &["username", "ip", "at"], false),
            index("login_attempt", &["ip", "at"], false),
            index("audit_log", &["unit_id", "at"], false),
        ];
        for statement in indexes {
            manager.create_index(statement).await?;
        }
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => run_all(manager, &POSTGRES_GUARD).await,
            _ => run_all(manager, &SQLITE_GUARD).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => run_all(manager, &DROP_GUARD_POSTGRES).await?,
            _ => run_all(manager, &DROP_GUARD_SQLITE).await?,
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_audit_log_unit_id_at")
                    .table("audit_log")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("audit_log")
                    .drop_column("unit_id")
                    .to_owned(),
            )
            .await?;
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).to_owned())
                .await?;
        }
        Ok(())
    }
}
