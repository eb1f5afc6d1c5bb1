//! Demo data: the organisation of a Huế-like city after the 2025 reorganisation — the city,
//! its 14 specialised agencies and 40 communes/wards. Names follow the press reports quoted in
//! `shared/domain/context.md` where given; the rest are believable demo names.

use app::api::dto::UnitKind;
use app::error::AppError;
use app::ssr::repo::org_units::{self, NewUnit};
use sea_orm::{DatabaseConnection, TransactionTrait};

/// The city's 14 specialised agencies.
const AGENCIES: [&str; 14] = [
    "Văn phòng Ủy ban nhân dân thành phố",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Tư pháp",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra thành phố",
];

/// The 40 communes and wards.
const COMMUNES: [&str; 40] = [
    "Phường Thuận Hóa",
    "Phường Phú Xuân",
    "Phường An Cựu",
    "Phường Vỹ Dạ",
    "Phường Thủy Xuân",
    "Phường Kim Long",
    "Phường Hương An",
    "Phường Phú Bài",
    "Phường Hương Thủy",
    "Phường Thanh Thủy",
    "Phường Hương Trà",
    "Phường Kim Trà",
    "Phường Hóa Châu",
    "Phường Thuận An",
    "Phường Dương Nỗ",
    "Phường Mỹ Thượng",
    "Phường Phong Điền",
    "Phường Phong Thái",
    "Phường Phong Dinh",
    "Phường Phong Phú",
    "Phường Phong Quảng",
    "Xã Phú Lộc",
    "Xã Lộc An",
    "Xã Hưng Lộc",
    "Xã Vinh Lộc",
    "Xã Chân Mây – Lăng Cô",
    "Xã Phú Vinh",
    "Xã Phú Hồ",
    "Xã Phú Vang",
    "Xã Quảng Điền",
    "Xã Đan Điền",
    "Xã Bình Điền",
    "Xã Khe Tre",
    "Xã Long Quảng",
    "Xã Nam Đông",
    "Xã A Lưới 1",
    "Xã A Lưới 2",
    "Xã A Lưới 3",
    "Xã A Lưới 4",
    "Xã A Lưới 5",
];

/// Loads the demo city if the database has no units yet; returns how many units it created.
pub async fn demo_if_empty(db: &DatabaseConnection) -> Result<usize, AppError> {
    if org_units::count(db).await? > 0 {
        return Ok(0);
    }
    demo(db).await
}

/// Loads the demo city in one transaction; returns how many units it created.
pub async fn demo(db: &DatabaseConnection) -> Result<usize, AppError> {
    let now = chrono::Utc::now();
    let reorganised = chrono::NaiveDate::from_ymd_opt(2025, 7, 1)
        .ok_or_else(|| AppError::internal("invalid reorganisation date"))?;
    let txn = db.begin().await?;
    let city = org_units::insert(
        &txn,
        NewUnit {
            code: "HUE".into(),
            name: "Thành phố Huế".into(),
            kind: UnitKind::Province,
            parent_id: None,
            approved_headcount: 60,
            valid_from: reorganised,
        },
        now,
    )
    .await?;
    let mut created = 1;
    for (kind, prefix, names) in [
        (UnitKind::Agency, "HUE-S", &AGENCIES[..]),
        (UnitKind::Commune, "HUE-X", &COMMUNES[..]),
    ] {
        for (index, name) in names.iter().enumerate() {
            let number = i32::try_from(index).map_err(AppError::internal)?;
            org_units::insert(
                &txn,
                NewUnit {
                    code: format!("{prefix}{:02}", index + 1),
                    name: (*name).to_owned(),
                    kind,
                    parent_id: Some(city),
                    // A believable spread: agencies 25–50 posts, communes 30–45.
                    approved_headcount: match kind {
                        UnitKind::Agency => 25 + (number * 7) % 26,
                        _ => 30 + (number * 5) % 16,
                    },
                    valid_from: reorganised,
                },
                now,
            )
            .await?;
            created += 1;
        }
    }
    txn.commit().await?;
    tracing::info!(created, "demo units loaded");
    Ok(created)
}
