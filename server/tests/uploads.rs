//! Assigning work from a file in the browser (`POST /import/upload`, `/api/import/page`,
//! `/api/import/write`), on SQLite and PostgreSQL: a file is checked by a dry run that writes
//! nothing but its report; a file with errors lists them by row and column and cannot be
//! written; a checked file is written once, all or nothing, each row audited under the
//! administrator's name; a row naming an official outside the administrator's units is an
//! error on that row; only administrators upload, and each sees only their own uploads.

mod common;

use app::domain::access::{Grant, Role};
use app::ssr::entity::{import_run, key_result, product};
use common::{Engine, TestServer, create_account, month_cycle, official, unit};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::Value;

struct World {
    server: TestServer,
    db: DatabaseConnection,
    /// Administrator of the province P; of ward V only; an official of ward W.
    admin: String,
    admin_v: String,
    official: String,
}

/// Province P with wards W (officials W01, W02) and V (official V01), a cycle 2026-12 in
/// planning.
async fn world(engine: Engine) -> Option<World> {
    let server = TestServer::start(engine, false).await?;
    let db = server.db.connect().await;
    let p = unit(&db, "P", "province", None).await;
    let w = unit(&db, "P-W", "commune", Some(p)).await;
    let v = unit(&db, "P-V", "commune", Some(p)).await;
    month_cycle(&db, "2026-12", "planning").await;
    let w01 = official(&db, "W01", "Lê Văn An", w, None).await;
    official(&db, "W02", "Trần Thị Bình", w, None).await;
    official(&db, "V01", "Đỗ Thị Em", v, None).await;
    let grant = |role, unit_id| Grant { role, unit_id };
    create_account(&db, "adm", None, &[grant(Role::Admin, p)]).await;
    create_account(&db, "adm-v", None, &[grant(Role::Admin, v)]).await;
    create_account(&db, "cb", Some(w01), &[grant(Role::Official, w)]).await;
    Some(World {
        admin: server.session("adm").await,
        admin_v: server.session("adm-v").await,
        official: server.session("cb").await,
        server,
        db,
    })
}

const PRODUCTS: &str = "Mã kỳ đánh giá,Mã cán bộ,Mã sản phẩm,Tên sản phẩm,Số lượng được giao,Số lượng hoàn thành,Hạn hoàn thành\n\
    2026-12,W01,MC-01,Hồ sơ một cửa đúng hạn,20,0,31/12/2026\n\
    2026-12,W02,MC-01,Hồ sơ một cửa đúng hạn,15,0,31/12/2026\n";

const KEY_RESULTS: &str = "cycle_code,personnel_code,objective,objective_weight,kr_code,title,kind,start,target,weight\n\
    2026-12,W01,Phục vụ người dân,1,KR1,Tỷ lệ hồ sơ đúng hạn,increase_to,80,98,0.6\n\
    2026-12,W01,Phục vụ người dân,1,KR2,Số hồ sơ trực tuyến,Tăng đến,0,120,0.4\n";

impl World {
    /// Uploads `content` as file `name` (a multipart form, as a browser sends it); returns the
    /// status and the redirect's `Location`.
    async fn upload(&self, who: &str, name: &str, content: &[u8]) -> (u16, String) {
        let boundary = "----thuocdo-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .server
            .client
            .post(self.server.url("/import/upload"))
            .header("cookie", who)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("upload");
        (response.status().as_u16(), common::location(&response))
    }

    /// Uploads and returns the new upload's id (from `/import?run=ID`).
    async fn uploaded(&self, who: &str, name: &str, content: &[u8]) -> i64 {
        let (status, location) = self.upload(who, name, content).await;
        assert_eq!(status, 303, "{location}");
        location
            .strip_prefix("/import?run=")
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no run in {location}"))
    }

    async fn page(&self, who: &str, run: Option<i64>) -> (u16, Value) {
        let mut form = vec![("lang", "vi".to_owned())];
        form.extend(run.map(|r| ("run", r.to_string())));
        let (status, body) = self.server.call("/api/import/page", &form, Some(who)).await;
        let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
        (status.as_u16(), json)
    }

    async fn write(&self, who: &str, run: i64, version: i64) -> (u16, String) {
        let form = [("run", run.to_string()), ("version", version.to_string())];
        let (status, body) = self
            .server
            .call("/api/import/write", &form, Some(who))
            .await;
        (status.as_u16(), body)
    }

    async fn products(&self) -> u64 {
        product::Entity::find()
            .count(&self.db)
            .await
            .expect("count")
    }

    async fn audited(&self, action: &str) -> u64 {
        common::audited(&self.db, action).await
    }
}

on_both_databases!(a_checked_file_is_written_once, |engine| async move {
    let Some(w) = world(engine).await else {
        return;
    };
    let run = w
        .uploaded(&w.admin, "giao-viec.csv", PRODUCTS.as_bytes())
        .await;
    // The check wrote nothing but its report.
    assert_eq!(w.products().await, 0);
    let (status, page) = w.page(&w.admin, Some(run)).await;
    assert_eq!(status, 200, "{page}");
    let report = &page["run"];
    assert_eq!(report["file_name"], "giao-viec.csv");
    assert_eq!(report["rows"], 2);
    assert_eq!(report["kind"], "sản phẩm, công việc");
    assert_eq!(report["writable"], true);
    assert_eq!(report["committed"], false);
    assert_eq!(report["counts"][0][0], "Sản phẩm");
    assert_eq!(report["counts"][0][1]["created"], 2);
    // The page lists the columns of both kinds in the reader's language.
    assert_eq!(page["kinds"][0]["columns"][0][0], "Mã kỳ đánh giá");

    // Written from an old version: changed by someone else.
    let version = report["version"].as_i64().expect("version");
    assert_eq!(w.write(&w.admin, run, version + 1).await.0, 409);
    let (status, body) = w.write(&w.admin, run, version).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(w.products().await, 2);
    assert_eq!(w.audited("import_create").await, 2);
    assert_eq!(w.audited("import_write").await, 1);
    let (_, page) = w.page(&w.admin, Some(run)).await;
    assert_eq!(page["run"]["committed"], true);
    assert_eq!(page["run"]["writable"], false);
    // The file's bytes are dropped once written, and it cannot be written twice.
    let stored = import_run::Entity::find_by_id(run)
        .one(&w.db)
        .await
        .expect("read")
        .expect("run");
    assert!(stored.content.is_none());
    let version = page["run"]["version"].as_i64().expect("version");
    let (status, body) = w.write(&w.admin, run, version).await;
    assert_eq!(
        (status, body.contains("import_already_written")),
        (400, true),
        "{body}"
    );
    assert_eq!(w.products().await, 2);

    // Key results in English headers: objectives and key results created under W01.
    let run = w
        .uploaded(&w.admin, "okr.csv", KEY_RESULTS.as_bytes())
        .await;
    let (_, page) = w.page(&w.admin, Some(run)).await;
    let version = page["run"]["version"].as_i64().expect("version");
    assert_eq!(w.write(&w.admin, run, version).await.0, 200);
    let krs = key_result::Entity::find()
        .count(&w.db)
        .await
        .expect("count");
    assert_eq!(krs, 2);
    w.server.stop().await;
});

on_both_databases!(
    errors_are_listed_and_nothing_is_written,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        // W01 is in ward W: outside the ward V administrator's units, which reads as an unknown
        // official does (X99); a completed count above the assigned one is an error of its row.
        let file = "cycle_code,personnel_code,code,title,assigned,completed\n\
        2026-12,V01,MC-01,Hồ sơ,20,0\n\
        2026-12,W01,MC-01,Hồ sơ,20,0\n\
        2026-12,X99,MC-01,Hồ sơ,20,0\n\
        2026-12,V01,MC-02,Báo cáo,2,5\n";
        let run = w.uploaded(&w.admin_v, "loi.csv", file.as_bytes()).await;
        let (status, page) = w.page(&w.admin_v, Some(run)).await;
        assert_eq!(status, 200, "{page}");
        let report = &page["run"];
        assert_eq!(report["writable"], false);
        assert_eq!(report["error_count"], 3, "{report}");
        let errors = report["errors"].as_array().expect("errors");
        let row = |n: usize| (errors[n][0].as_u64(), errors[n][1].as_str());
        assert_eq!(row(0), (Some(3), Some("personnel_code")));
        assert_eq!(
            errors[0][2], "Không tìm thấy \"W01\" trong các đơn vị bạn quản trị",
            "translated into Vietnamese"
        );
        assert_eq!(row(1), (Some(4), Some("personnel_code")));
        assert_eq!(row(2), (Some(5), Some("completed")));
        assert_eq!(w.write(&w.admin_v, run, 1).await.0, 400);
        assert_eq!(w.products().await, 0);

        // The province administrator may assign to W01; the file of the other kinds is refused.
        let officials = "personnel_code,full_name,category,job_position,task_group,unit_code\n\
        W09,Mai Văn Hùng,civil_servant,Chuyên viên,Chuyên môn,P-W\n";
        let run = w
            .uploaded(&w.admin, "canbo.csv", officials.as_bytes())
            .await;
        let (_, page) = w.page(&w.admin, Some(run)).await;
        let errors = &page["run"]["errors"];
        assert_eq!(errors[0][0], 0, "{errors}");
        assert!(
            errors[0][2]
                .as_str()
                .is_some_and(|m| m.contains("trang này chỉ nhận")),
            "{errors}"
        );
        // A format not taken, and an empty form, come back to the page naming the file field.
        let run = w.uploaded(&w.admin, "giao-viec.pdf", b"%PDF-1.7").await;
        let (_, page) = w.page(&w.admin, Some(run)).await;
        assert_eq!(page["run"]["error_count"], 1);
        let (status, location) = w.upload(&w.admin, "", b"").await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/import?error=file_missing&field=file")
        );
        w.server.stop().await;
    }
);

on_both_databases!(
    only_administrators_see_their_own_uploads,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let run = w
            .uploaded(&w.admin, "giao-viec.csv", PRODUCTS.as_bytes())
            .await;
        // Another administrator does not see it, nor write it.
        assert_eq!(w.page(&w.admin_v, Some(run)).await.0, 404);
        assert_eq!(w.write(&w.admin_v, run, 1).await.0, 404);
        // An official may neither open the page nor upload; both refusals are audited.
        let denied = w.audited("access_denied").await;
        assert_eq!(w.page(&w.official, None).await.0, 403);
        assert_eq!(
            w.upload(&w.official, "x.csv", PRODUCTS.as_bytes()).await.0,
            403
        );
        assert_eq!(w.write(&w.official, run, 1).await.0, 403);
        assert_eq!(w.audited("access_denied").await, denied + 3);
        // Signed out: to the sign-in page.
        let (status, location) = w.upload("", "x.csv", PRODUCTS.as_bytes()).await;
        assert_eq!((status, location.as_str()), (303, "/login?next=/import"));
        assert_eq!(w.products().await, 0);
        let runs = import_run::Entity::find()
            .count(&w.db)
            .await
            .expect("count");
        assert_eq!(runs, 1);
        w.server.stop().await;
    }
);

/// The products of [`PRODUCTS`] as an Excel workbook, as a spreadsheet program saves it.
fn products_xlsx() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, line) in PRODUCTS.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (row, column) = (
                u32::try_from(r).expect("row"),
                u16::try_from(c).expect("col"),
            );
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(row, column, number),
                Err(_) => sheet.write_string(row, column, cell),
            }
            .expect("cell");
        }
    }
    workbook.save_to_buffer().expect("xlsx")
}

on_both_databases!(
    a_workbook_is_taken_and_a_file_too_large_is_refused,
    |engine| async move {
        let Some(w) = world(engine).await else {
            return;
        };
        let run = w
            .uploaded(&w.admin, "giao-viec.xlsx", &products_xlsx())
            .await;
        let (_, page) = w.page(&w.admin, Some(run)).await;
        assert_eq!(page["run"]["error_count"], 0, "{page}");
        assert_eq!(page["run"]["counts"][0][1]["created"], 2);
        let version = page["run"]["version"].as_i64().expect("version");
        assert_eq!(w.write(&w.admin, run, version).await.0, 200);
        assert_eq!(w.products().await, 2);
        // Over 5 MB: back to the page, naming the file field; nothing kept.
        let big = vec![b'x'; 6 * 1024 * 1024];
        let (status, location) = w.upload(&w.admin, "lon.csv", &big).await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/import?error=file_too_large&field=file")
        );
        let runs = import_run::Entity::find()
            .count(&w.db)
            .await
            .expect("count");
        assert_eq!(runs, 1);
        w.server.stop().await;
    }
);
