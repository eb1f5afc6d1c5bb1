//! `unit_headcount`: how many active officials each unit has (a unit without any has no row).
//! Derived from `official`, so that the total of a scope is a sum over its units rather than a
//! count over its officials (a national leader's list counts a million rows otherwise), and so
//! that staffing can be compared with approved posts. The application keeps it: the writes that
//! change an official's unit or status refresh the units they touch, in the same transaction;
//! this migration counts the officials already stored, and bulk loads recount every unit
//! (`repo::headcount`).
//!
//! `data_version`: a counter per kind of data (`people`: officials and units as lists show
//! them), raised in the transaction of every write of that data. A server process keeps pages
//! of lists it has read under the counter's value, and serves them again while the counter has
//! not moved — one read of one row, correct across several processes (`ssr::cache`).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("unit_headcount")
                    .col(big_integer("unit_id").primary_key())
                    .col(big_integer("active"))
                    .foreign_key(&mut fk(
                        "unit_headcount",
                        "unit_id",
                        "org_unit",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("data_version")
                    .col(string_len("topic", 32).primary_key())
                    .col(big_integer("version"))
                    .to_owned(),
            )
            .await?;
        // The officials already stored are counted once, here.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO unit_headcount (unit_id, active) \
                 SELECT unit_id, COUNT(*) FROM official WHERE status = 'active' GROUP BY unit_id",
            )
            .await
            .map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("data_version").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("unit_headcount").to_owned())
            .await
    }
}
