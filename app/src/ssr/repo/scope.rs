//! Scope in SQL: the unit closure (every ancestor–descendant pair of the tree) and the
//! conditions that turn a [`domain::access::Scope`](crate::domain::access::Scope) into a
//! filter, so that lists filter, sort, count and page in the database.

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, Statement,
};

use crate::domain::access::Scope;
use crate::domain::text::search_key;
use crate::error::AppError;
use crate::ssr::entity::{account, official, org_unit, org_unit_closure, role_grant};

/// Every (ancestor, descendant, depth) pair of the unit tree, from `org_unit.parent_id`;
/// the depth bound protects against a cycle in bad data.
const FILL_CLOSURE: &str = "INSERT INTO org_unit_closure (ancestor_id, descendant_id, depth) \
     WITH RECURSIVE up(ancestor_id, descendant_id, depth) AS ( \
       SELECT id, id, 0 FROM org_unit \
       UNION ALL \
       SELECT u.parent_id, up.descendant_id, up.depth + 1 FROM up \
       JOIN org_unit u ON u.id = up.ancestor_id \
       WHERE u.parent_id IS NOT NULL AND up.depth < 32) \
     SELECT ancestor_id, descendant_id, MIN(depth) FROM up GROUP BY ancestor_id, descendant_id";

/// Rebuilds what is derived from the unit tree — the closure and the units' search keys —
/// after any write to units (imports, seeders, mergers). Units number in the thousands at
/// most, so a full rebuild inside the writing transaction takes milliseconds.
pub async fn rebuild_units(db: &impl ConnectionTrait) -> Result<(), AppError> {
    // Lists read before (names, scopes) are stale.
    super::versions::bump(db, super::versions::PEOPLE).await?;
    org_unit_closure::Entity::delete_many().exec(db).await?;
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(backend, FILL_CLOSURE))
        .await?;
    for unit in org_unit::Entity::find()
        .order_by_asc(org_unit::Column::Id)
        .all(db)
        .await?
    {
        let key = search_key(&[&unit.name, &unit.code]);
        if unit.search_key.as_deref() != Some(key.as_str()) {
            org_unit::Entity::update_many()
                .set(org_unit::ActiveModel {
                    search_key: Set(Some(key)),
                    ..Default::default()
                })
                .filter(org_unit::Column::Id.eq(unit.id))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Fills the search keys of officials and accounts written before the keys existed (at
/// start; a no-op once done), in batches. Returns how many were filled.
pub async fn backfill_search_keys(db: &impl ConnectionTrait) -> Result<usize, AppError> {
    let mut filled = 0;
    loop {
        let batch = official::Entity::find()
            .filter(official::Column::SearchKey.is_null())
            .order_by_asc(official::Column::Id)
            .limit(1_000)
            .all(db)
            .await?;
        if batch.is_empty() {
            break;
        }
        for o in batch {
            official::Entity::update_many()
                .set(official::ActiveModel {
                    search_key: Set(Some(search_key(&[&o.full_name, &o.personnel_code]))),
                    ..Default::default()
                })
                .filter(official::Column::Id.eq(o.id))
                .exec(db)
                .await?;
            filled += 1;
        }
    }
    for a in account::Entity::find()
        .filter(account::Column::SearchKey.is_null())
        .all(db)
        .await?
    {
        account::Entity::update_many()
            .set(account::ActiveModel {
                search_key: Set(Some(search_key(&[&a.username, &a.display_name]))),
                ..Default::default()
            })
            .filter(account::Column::Id.eq(a.id))
            .exec(db)
            .await?;
        filled += 1;
    }
    if filled > 0 {
        super::versions::bump(db, super::versions::PEOPLE).await?;
    }
    Ok(filled)
}

/// The units under any of `roots` (each root included), as a sub-select.
pub fn units_under(roots: &[i64]) -> SelectStatement {
    Query::select()
        .column(org_unit_closure::Column::DescendantId)
        .from(org_unit_closure::Entity)
        .and_where(
            Expr::col((
                org_unit_closure::Entity,
                org_unit_closure::Column::AncestorId,
            ))
            .is_in(roots.iter().copied()),
        )
        .to_owned()
}

/// The officials' records in `scope`, as a condition on the `official` table.
pub fn officials_in(scope: &Scope) -> Condition {
    let mut any = Condition::any();
    if !scope.subtrees.is_empty() {
        any = any.add(official::Column::UnitId.in_subquery(units_under(&scope.subtrees)));
    }
    if let Some(me) = scope.me {
        if !scope.reviewed_in.is_empty() {
            any = any.add(
                Condition::all()
                    .add(official::Column::ReviewerId.eq(me))
                    .add(official::Column::UnitId.in_subquery(units_under(&scope.reviewed_in))),
            );
        }
        if !scope.own_in.is_empty() {
            any = any.add(
                Condition::all()
                    .add(official::Column::Id.eq(me))
                    .add(official::Column::UnitId.in_subquery(units_under(&scope.own_in))),
            );
        }
    }
    let mut all = Condition::all().add(any);
    if let (true, Some(me)) = (scope.exclude_me, scope.me) {
        all = all.add(official::Column::Id.ne(me));
    }
    all
}

/// Officials whose name or personnel code, or whose unit's name or code, contains the
/// folded `pattern` (from [`crate::domain::text::contains_pattern`]).
pub fn officials_matching(pattern: &str) -> Condition {
    Condition::any()
        .add(Expr::col((official::Entity, official::Column::SearchKey)).like(like(pattern)))
        .add(official::Column::UnitId.in_subquery(units_matching(pattern)))
}

/// A `LIKE` with `\` as the escape character (the patterns escape `%`, `_` and `\`).
fn like(pattern: &str) -> sea_orm::sea_query::LikeExpr {
    sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')
}

/// The units whose name or code contains the folded `pattern`, as a sub-select.
fn units_matching(pattern: &str) -> SelectStatement {
    Query::select()
        .column(org_unit::Column::Id)
        .from(org_unit::Entity)
        .and_where(Expr::col((org_unit::Entity, org_unit::Column::SearchKey)).like(like(pattern)))
        .to_owned()
}

/// Accounts administered within the subtrees of `roots`: an official's account when the
/// official's unit is there, an account without an official when every unit it holds a
/// grant over is there (and it holds one).
pub fn accounts_in(roots: &[i64]) -> Condition {
    let officials_there = Query::select()
        .column(official::Column::Id)
        .from(official::Entity)
        .and_where(
            Expr::col((official::Entity, official::Column::UnitId)).in_subquery(units_under(roots)),
        )
        .to_owned();
    let with_grants = Query::select()
        .column(role_grant::Column::AccountId)
        .from(role_grant::Entity)
        .to_owned();
    let with_grants_elsewhere = Query::select()
        .column(role_grant::Column::AccountId)
        .from(role_grant::Entity)
        .and_where(
            Expr::col((role_grant::Entity, role_grant::Column::UnitId))
                .not_in_subquery(units_under(roots)),
        )
        .to_owned();
    Condition::any()
        .add(account::Column::OfficialId.in_subquery(officials_there))
        .add(
            Condition::all()
                .add(account::Column::OfficialId.is_null())
                .add(account::Column::Id.in_subquery(with_grants))
                .add(account::Column::Id.not_in_subquery(with_grants_elsewhere)),
        )
}

/// Accounts whose username or display name, official (name, code, unit) or, for an account
/// without an official, a granted unit contains the folded `pattern`.
pub fn accounts_matching(pattern: &str) -> Condition {
    let officials = Query::select()
        .column(official::Column::Id)
        .from(official::Entity)
        .cond_where(
            Condition::any()
                .add(Expr::col((official::Entity, official::Column::SearchKey)).like(like(pattern)))
                .add(
                    Expr::col((official::Entity, official::Column::UnitId))
                        .in_subquery(units_matching(pattern)),
                ),
        )
        .to_owned();
    let granted = Query::select()
        .column(role_grant::Column::AccountId)
        .from(role_grant::Entity)
        .and_where(
            Expr::col((role_grant::Entity, role_grant::Column::UnitId))
                .in_subquery(units_matching(pattern)),
        )
        .to_owned();
    Condition::any()
        .add(Expr::col((account::Entity, account::Column::SearchKey)).like(like(pattern)))
        .add(account::Column::OfficialId.in_subquery(officials))
        .add(
            Condition::all()
                .add(account::Column::OfficialId.is_null())
                .add(account::Column::Id.in_subquery(granted)),
        )
}
