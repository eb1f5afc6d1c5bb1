//! The demo accounts, one per role, for trying the application (demo data only — never for a
//! real deployment; they are marked `is_demo`). All share the password [`DEMO_PASSWORD`].
//!
//! | username | role | scope | who |
//! |---|---|---|---|
//! | `canbo` | official | Sở Nội vụ | a civil servant of the department |
//! | `chuyenvien` | official | Sở Nội vụ | another of its civil servants |
//! | `danhgia` | reviewer (+ official) | Sở Nội vụ | its director, who reviews the staff |
//! | `truongdonvi` | unit leader (+ official) | Phường An Cựu | the ward's chairman |
//! | `bantochuc` | organiser (+ official) | Thành phố Huế | staff of the Party organising committee |
//! | `lanhdao` | leadership (+ official) | Thành phố Huế | the city's leader |
//! | `quantri` | admin | Thành phố Huế | the system administrator (no official) |

use app::domain::access::{Grant, Role};
use app::ssr::auth::{self, AuthConfig, NewAccount, password::Cost};
use app::ssr::entity::{official, org_unit};
use app::ssr::repo::audit::Actor;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-thuocdo-2026";

async fn unit(db: &impl ConnectionTrait, name: &str) -> anyhow::Result<org_unit::Model> {
    org_unit::Entity::find()
        .filter(org_unit::Column::Name.eq(name))
        .filter(org_unit::Column::ValidTo.is_null())
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo unit {name} is missing"))
}

/// The `nth` official (by id) of a unit.
async fn member(db: &impl ConnectionTrait, unit_id: i64, nth: u64) -> anyhow::Result<i64> {
    let ids: Vec<i64> = official::Entity::find()
        .filter(official::Column::UnitId.eq(unit_id))
        .order_by_asc(official::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    ids.get(usize::try_from(nth)?)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("demo unit {unit_id} has fewer than {nth} officials"))
}

/// Creates the seven demo accounts.
pub async fn create(db: &impl ConnectionTrait, hashing: Cost) -> anyhow::Result<()> {
    let city = unit(db, "Thành phố Huế").await?;
    let home_affairs = unit(db, "Sở Nội vụ").await?;
    let ward = unit(db, "Phường An Cựu").await?;
    let committee = unit(db, "Ban Tổ chức Thành ủy").await?;
    let staff = member(db, home_affairs.id, 1).await?;
    let colleague = member(db, home_affairs.id, 2).await?;
    let director = member(db, home_affairs.id, 0).await?;
    let chairman = member(db, ward.id, 0).await?;
    let organiser = member(db, committee.id, 1).await?;
    let leader = member(db, city.id, 0).await?;
    let grant = |role, unit: &org_unit::Model| Grant {
        role,
        unit_id: unit.id,
    };
    let accounts: [(&str, &str, Option<i64>, Vec<Grant>); 7] = [
        (
            "canbo",
            "Cán bộ (demo)",
            Some(staff),
            vec![grant(Role::Official, &home_affairs)],
        ),
        (
            "chuyenvien",
            "Chuyên viên (demo)",
            Some(colleague),
            vec![grant(Role::Official, &home_affairs)],
        ),
        (
            "danhgia",
            "Người đánh giá (demo)",
            Some(director),
            vec![
                grant(Role::Reviewer, &home_affairs),
                grant(Role::Official, &home_affairs),
            ],
        ),
        (
            "truongdonvi",
            "Trưởng đơn vị (demo)",
            Some(chairman),
            vec![grant(Role::UnitLeader, &ward), grant(Role::Official, &ward)],
        ),
        (
            "bantochuc",
            "Ban Tổ chức (demo)",
            Some(organiser),
            vec![
                grant(Role::Organiser, &city),
                grant(Role::Official, &committee),
            ],
        ),
        (
            "lanhdao",
            "Lãnh đạo thành phố (demo)",
            Some(leader),
            vec![grant(Role::Leadership, &city), grant(Role::Official, &city)],
        ),
        (
            "quantri",
            "Quản trị hệ thống (demo)",
            None,
            vec![grant(Role::Admin, &city)],
        ),
    ];
    let config = AuthConfig {
        cookie_secure: false,
        hashing,
    };
    for (username, display_name, official_id, grants) in &accounts {
        auth::create_account(
            db,
            NewAccount {
                username,
                display_name,
                password: Some(DEMO_PASSWORD),
                official_id: *official_id,
                is_demo: true,
                grants,
            },
            config,
            &Actor::system("seed:demo"),
            Utc::now(),
        )
        .await?;
    }
    Ok(())
}
