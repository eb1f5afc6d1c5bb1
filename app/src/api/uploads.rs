//! Server functions of the page that assigns work from a file (`/import`): the page's data and
//! writing a checked file. The file itself is posted to `POST /import/upload` (a multipart
//! form, with or without JavaScript), which answers with this page showing its report.

use leptos::prelude::*;

use super::dto::UploadPage;
use crate::error::AppError;

/// The columns each kind of file takes and, when `run` is given, that upload's report, in the
/// page's language `lang` (`vi`, `en`); administrators only, each seeing only their own
/// uploads.
#[server(name = UploadPageData, prefix = "/api", endpoint = "import/page")]
pub async fn upload_page(run: Option<i64>, lang: String) -> Result<UploadPage, AppError> {
    use crate::ssr::service::uploads;
    let caller = crate::ssr::auth::guard::caller()?;
    let (db, actor, now) = (&caller.state.db, caller.service_actor(), chrono::Utc::now());
    uploads::administrator(db, &actor, now).await?;
    let run = match run {
        Some(id) => Some(uploads::run(db, &actor, id, now).await?),
        None => None,
    };
    let lang = crate::ssr::import::messages::Lang::from_code(&lang);
    Ok(ssr::page(
        lang.unwrap_or(crate::ssr::import::messages::Lang::Vi),
        run,
    ))
}

/// Writes an upload checked without error (read at `version`), all or nothing.
#[server(name = WriteUpload, prefix = "/api", endpoint = "import/write")]
pub async fn write_upload(run: i64, version: i32) -> Result<i64, AppError> {
    let caller = crate::ssr::auth::guard::caller()?;
    let (db, actor) = (&caller.state.db, caller.service_actor());
    crate::ssr::service::uploads::write(db, &actor, run, version, chrono::Utc::now()).await?;
    super::show_plain_form_at(&format!("/import?run={run}"));
    Ok(run)
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::dto::{ImportKind, UploadKind, UploadPage, UploadRun};
    use crate::domain::text::capitalised;
    use crate::ssr::import::{self, messages, messages::Lang};
    use crate::ssr::repo::import_runs::StoredRun;
    use crate::ssr::service::uploads::{KINDS, MAX_BYTES};

    pub fn page(lang: Lang, run: Option<StoredRun>) -> UploadPage {
        let kinds = KINDS
            .iter()
            .map(|kind| UploadKind {
                kind: *kind,
                name: kind_name(lang, *kind),
                columns: import::columns(*kind)
                    .iter()
                    .map(|c| {
                        let header = if lang == Lang::Vi { c.vi } else { c.key };
                        (header.to_owned(), c.required)
                    })
                    .collect(),
            })
            .collect();
        UploadPage {
            kinds,
            run: run.map(|run| upload_run(lang, run)),
            max_megabytes: (MAX_BYTES / (1024 * 1024)) as u32,
        }
    }

    fn kind_name(lang: Lang, kind: ImportKind) -> String {
        messages::tr(lang, &format!("import_kind_{}", kind.code()), &[])
    }

    fn upload_run(lang: Lang, run: StoredRun) -> UploadRun {
        let report = run.report;
        let errors = report
            .errors
            .iter()
            .map(|e| {
                let message = capitalised(&messages::translate(lang, &e.key, &e.args));
                (e.row, e.column.clone(), message)
            })
            .collect();
        UploadRun {
            id: run.id,
            version: run.version,
            file_name: run.file_name,
            kind: report.kind.map(|k| kind_name(lang, k)),
            rows: report.rows,
            committed: run.committed,
            writable: !run.committed && run.has_content && run.error_count == 0,
            counts: report
                .counts
                .into_iter()
                .map(|(entity, counts)| {
                    (
                        messages::tr(lang, &format!("import_entity_{entity}"), &[]),
                        counts,
                    )
                })
                .collect(),
            errors,
            error_count: run.error_count,
        }
    }
}
