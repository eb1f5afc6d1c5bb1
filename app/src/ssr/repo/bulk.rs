//! Bulk writes: multi-row INSERT statements sized to the database's limit on bind
//! parameters, multi-row UPDATEs by id (a cycle's recomputed scores), and moving
//! PostgreSQL's id sequences past explicitly assigned ids.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, EntityName, EntityTrait, IdenStatic,
    Iterable, Statement,
};

use crate::error::AppError;

/// Bind parameters per statement: below SQLite's 32 766 and PostgreSQL's 65 535.
const MAX_PARAMS: usize = 32_000;

/// Inserts `rows` in as few multi-row statements as the parameter limit allows; returns the
/// number of rows inserted. Every row must set the same columns (those set in the first row).
/// The SQL is written once per chunk size, so the database prepares it once and reuses it.
pub async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<u64, AppError>
where
    A: ActiveModelTrait + Send,
{
    let Some(first) = rows.first() else {
        return Ok(0);
    };
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <A::Entity as EntityTrait>::Column::iter()
            .filter(|c| first.get(*c).is_set())
            .collect();
    let backend = db.get_database_backend();
    let table = A::Entity::default().table_name().to_owned();
    let names: Vec<String> = columns
        .iter()
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    let per_statement = (MAX_PARAMS / columns.len().max(1)).max(1);
    let mut inserted = 0;
    for chunk in rows.chunks(per_statement) {
        let mut values = Vec::with_capacity(chunk.len() * columns.len());
        for row in chunk {
            for column in &columns {
                match row.get(*column).into_value() {
                    Some(value) => values.push(value),
                    None => {
                        return Err(AppError::internal(format!(
                            "bulk insert into {table}: a row leaves {} unset",
                            column.as_str()
                        )));
                    }
                }
            }
        }
        let sql = insert_sql(backend, &table, &names, chunk.len());
        inserted += db
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
            .rows_affected();
    }
    Ok(inserted)
}

/// Rows per multi-row UPDATE: big explanations make a statement large already.
const UPDATE_ROWS: usize = 1_000;

/// Updates many rows by id in as few statements as possible: each row is `(id, values)`, the
/// values for `columns`, each column with its SQL type (`UPDATE … FROM (VALUES …)`, which both
/// SQLite and PostgreSQL run; the casts type PostgreSQL's parameters). Returns the rows
/// updated.
pub async fn update_by_id(
    db: &impl ConnectionTrait,
    table: &str,
    columns: &[(&str, &str)],
    rows: Vec<(i64, Vec<sea_orm::Value>)>,
) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let mut updated = 0;
    for chunk in rows.chunks(UPDATE_ROWS) {
        let mut values = Vec::with_capacity(chunk.len() * (columns.len() + 1));
        for (id, row) in chunk {
            if row.len() != columns.len() {
                return Err(AppError::internal(format!(
                    "bulk update of {table}: {} values for {} columns",
                    row.len(),
                    columns.len()
                )));
            }
            values.push((*id).into());
            values.extend(row.iter().cloned());
        }
        let sql = update_sql(backend, table, columns, chunk.len());
        updated += db
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
            .rows_affected();
    }
    Ok(updated)
}

/// `UPDATE "t" SET "a" = v.column2 … FROM (VALUES (CAST(? AS BIGINT), CAST(? AS …)) …) AS v
/// WHERE "t".id = v.column1` (VALUES columns are named `column1`… in both databases).
fn update_sql(
    backend: DatabaseBackend,
    table: &str,
    columns: &[(&str, &str)],
    rows: usize,
) -> String {
    let set: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (name, _))| format!("\"{name}\" = v.column{}", i + 2))
        .collect();
    let types: Vec<&str> = std::iter::once("BIGINT")
        .chain(columns.iter().map(|(_, ty)| *ty))
        .collect();
    let mut n = 0;
    let tuples: Vec<String> = (0..rows)
        .map(|_| {
            let cells: Vec<String> = types
                .iter()
                .map(|ty| {
                    n += 1;
                    match backend {
                        DatabaseBackend::Postgres => format!("CAST(${n} AS {ty})"),
                        _ => format!("CAST(? AS {ty})"),
                    }
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    format!(
        "UPDATE \"{table}\" SET {} FROM (VALUES {}) AS v WHERE \"{table}\".id = v.column1",
        set.join(", "),
        tuples.join(", ")
    )
}

/// `INSERT INTO "table" ("a", "b") VALUES (?, ?), (?, ?)…` with the backend's placeholders.
fn insert_sql(backend: DatabaseBackend, table: &str, columns: &[String], rows: usize) -> String {
    let mut sql = format!("INSERT INTO \"{table}\" ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            n += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                DatabaseBackend::Postgres => sql.push_str(&format!("${n}")),
                _ => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql
}

/// After rows were inserted with explicit ids, moves the table's id sequence past the largest
/// id (PostgreSQL; SQLite needs nothing).
pub async fn sync_id_sequence(db: &impl ConnectionTrait, table: &str) -> Result<(), AppError> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
    );
    db.execute_raw(Statement::from_string(DatabaseBackend::Postgres, sql))
        .await?;
    Ok(())
}

/// The largest id in `table` (0 when empty): seeders number new rows after it.
pub async fn max_id(db: &impl ConnectionTrait, table: &str) -> Result<i64, AppError> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COALESCE(MAX(id), 0) AS m FROM {table}"),
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "m"))
        .transpose()?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_sql_numbers_postgres_placeholders_and_repeats_sqlite_ones() {
        let columns = ["\"a\"".to_owned(), "\"b\"".to_owned()];
        assert_eq!(
            insert_sql(DatabaseBackend::Postgres, "t", &columns, 2),
            r#"INSERT INTO "t" ("a", "b") VALUES ($1, $2), ($3, $4)"#
        );
        assert_eq!(
            insert_sql(DatabaseBackend::Sqlite, "t", &columns, 2),
            r#"INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?)"#
        );
    }

    #[test]
    fn update_sql_casts_every_parameter_and_joins_on_the_first_column() {
        let columns = [("s", "DOUBLE PRECISION")];
        assert_eq!(
            update_sql(DatabaseBackend::Postgres, "t", &columns, 2),
            "UPDATE \"t\" SET \"s\" = v.column2 FROM (VALUES (CAST($1 AS BIGINT), \
             CAST($2 AS DOUBLE PRECISION)), (CAST($3 AS BIGINT), CAST($4 AS DOUBLE PRECISION))) \
             AS v WHERE \"t\".id = v.column1"
        );
        assert!(
            update_sql(DatabaseBackend::Sqlite, "t", &columns, 1)
                .contains("(CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION))")
        );
    }
}
