//! Data feeds from other systems: `metric` (the catalogue of unit metrics a feed may send: its
//! key, names in Vietnamese and English, unit of measure, whether higher or lower is better, how
//! often a value is expected, the range a value must lie in, the unit that owns the definition
//! and the system it comes from), shipped with the one-stop rates and the service index of
//! Decision 766/QĐ-TTg and its five groups; `api_client` (an integration an administrator
//! created: its name, the SHA-256 of its secret, who created it, when it was last used and when
//! it was revoked) and `api_client_unit` (the units whose subtrees it may write for).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The catalogue shipped: key, Vietnamese name, English name, unit, direction, frequency,
/// lowest and highest value, source system.
/// A catalogue row: the texts, then the range, then the source.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    &'static str,
);

const CATALOGUE: &[Row] = &[
    (
        "procedures_on_time_rate",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "Procedure files settled on time",
        "%",
        "higher",
        "monthly",
        0.0,
        100.0,
        "one_stop",
    ),
    (
        "online_rate",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        "Procedure files submitted online",
        "%",
        "higher",
        "monthly",
        0.0,
        100.0,
        "one_stop",
    ),
    (
        "overdue_files",
        "Số hồ sơ quá hạn",
        "Procedure files overdue",
        "hồ sơ",
        "lower",
        "monthly",
        0.0,
        1_000_000.0,
        "one_stop",
    ),
    (
        "service_index",
        "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)",
        "Service index for people and businesses (Decision 766)",
        "điểm",
        "higher",
        "monthly",
        0.0,
        100.0,
        "public_service_portal",
    ),
    (
        "service_index_transparency",
        "Công khai, minh bạch (QĐ 766)",
        "Transparency (Decision 766)",
        "điểm",
        "higher",
        "monthly",
        0.0,
        18.0,
        "public_service_portal",
    ),
    (
        "service_index_progress",
        "Tiến độ giải quyết (QĐ 766)",
        "Progress of settlement (Decision 766)",
        "điểm",
        "higher",
        "monthly",
        0.0,
        20.0,
        "public_service_portal",
    ),
    (
        "service_index_online",
        "Dịch vụ công trực tuyến (QĐ 766)",
        "Online public services (Decision 766)",
        "điểm",
        "higher",
        "monthly",
        0.0,
        22.0,
        "public_service_portal",
    ),
    (
        "service_index_satisfaction",
        "Mức độ hài lòng (QĐ 766)",
        "Satisfaction (Decision 766)",
        "điểm",
        "higher",
        "monthly",
        0.0,
        18.0,
        "public_service_portal",
    ),
    (
        "service_index_digitisation",
        "Số hóa hồ sơ (QĐ 766)",
        "Digitised records (Decision 766)",
        "điểm",
        "higher",
        "monthly",
        0.0,
        22.0,
        "public_service_portal",
    ),
    (
        "satisfaction_rate",
        "Tỷ lệ người dân hài lòng",
        "Citizens satisfied",
        "%",
        "higher",
        "quarterly",
        0.0,
        100.0,
        "satisfaction_survey",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table("metric")
                    .col(string_len("key", 64).primary_key())
                    .col(string_len("name_vi", 255))
                    .col(string_len("name_en", 255))
                    .col(string_len("unit_of_measure", 32))
                    .col(string_len("direction", 16))
                    .col(string_len("frequency", 16))
                    .col(double("min_value"))
                    .col(double("max_value"))
                    .col(big_integer_null("owner_unit_id"))
                    .col(string_len("source_system", 64))
                    .foreign_key(&mut fk("metric", "owner_unit_id", "org_unit", SetNull))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table("metric").columns([
            "key",
            "name_vi",
            "name_en",
            "unit_of_measure",
            "direction",
            "frequency",
            "min_value",
            "max_value",
            "source_system",
        ]);
        for (key, vi, en, unit, direction, frequency, min, max, source) in CATALOGUE {
            insert.values_panic([
                (*key).into(),
                (*vi).into(),
                (*en).into(),
                (*unit).into(),
                (*direction).into(),
                (*frequency).into(),
                (*min).into(),
                (*max).into(),
                (*source).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        manager
            .create_table(
                Table::create()
                    .table("api_client")
                    .col(big_pk_auto("id"))
                    .col(string_len("name", 120))
                    .col(string_len("secret_hash", 64))
                    .col(string_len("created_by", 255))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(integer("version").default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_client_unit")
                    .col(big_integer("client_id"))
                    .col(big_integer("unit_id"))
                    .primary_key(Index::create().col("client_id").col("unit_id"))
                    .foreign_key(&mut fk(
                        "api_client_unit",
                        "client_id",
                        "api_client",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("api_client_unit", "unit_id", "org_unit", Cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("metric_series", &["unit_id", "metric_key"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_metric_series_unit_id_metric_key")
                    .table("metric_series")
                    .to_owned(),
            )
            .await?;
        for table in ["api_client_unit", "api_client", "metric"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
