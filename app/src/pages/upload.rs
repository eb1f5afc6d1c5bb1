//! `/import` — assigning work from a file, for administrators: a list of products or of key
//! results (CSV or XLSX, the columns shown on the page, headers in Vietnamese or English) is
//! uploaded and checked first (a dry run: nothing is written; every bad cell is listed by row
//! and column, in the reader's language); a file without error is then written with one
//! button, all or nothing. Rows may only name officials and units the administrator
//! administers. The file is posted as a plain multipart form (`POST /import/upload`), with or
//! without JavaScript, which comes back to `/import?run=ID` showing its report.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::dto::{ImportKind, UploadKind, UploadRun};
use crate::api::uploads::{WriteUpload, upload_page};
use crate::components::error_view::ErrorView;
use crate::components::message::invalid_field;
use crate::components::saves::saves;
use crate::i18n::{t, t_string, use_i18n};

/// The upload page.
#[component]
pub fn UploadPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let write = ServerAction::<WriteUpload>::new();
    let written = saves(write);
    let run = move || query.with(|q| q.get_str("run").and_then(|r| r.parse::<i64>().ok()));
    // The report's messages come in the page's language, read again when it is switched.
    let lang = move || match i18n.get_locale() {
        crate::i18n::Locale::en => "en",
        _ => "vi",
    };
    let data = Resource::new(
        move || (run(), written.get(), lang()),
        |(run, _, lang)| upload_page(run, lang.to_owned()),
    );
    // A refused upload comes back to this page with the field and the message's key.
    let refusal = move || {
        query.with(|q| {
            let field = q.get_str("field").unwrap_or_default().to_owned();
            q.get_str("error").map(|key| {
                view! { <div class="alert alert-error" role="alert" data-testid="upload-refused">{invalid_field(&field, key)}</div> }
            })
        })
    };
    let write_refused = move || match write.value().get() {
        Some(Err(error)) => Some(view! { <ErrorView error /> }),
        _ => None,
    };
    view! {
        <section class="page upload">
            <h1>{t!(i18n, upload_title)}</h1>
            <p class="intro">{t!(i18n, upload_intro)}</p>
            {refusal}
            {write_refused}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! {
                            {page.run.map(|run| report(run, write))}
                            {upload_form(page.max_megabytes)}
                            {columns(page.kinds)}
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The file field and the button that checks the file.
fn upload_form(max_megabytes: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="card form upload-form" method="post" action="/import/upload" enctype="multipart/form-data" data-testid="upload-form">
            <label for="upload-file">{t!(i18n, upload_file)}</label>
            <input id="upload-file" type="file" name="file" accept=".csv,.xlsx" required />
            <p class="hint">{t!(i18n, upload_file_hint, max = max_megabytes)}</p>
            <button type="submit">{t!(i18n, upload_check)}</button>
        </form>
    }
}

/// What an uploaded file came to: the check or the write, the counts, the errors, and the
/// button writing a file checked without error.
fn report(run: UploadRun, write: ServerAction<WriteUpload>) -> impl IntoView {
    let i18n = use_i18n();
    let count = run.error_count;
    let status = if run.committed {
        view! { <p class="alert alert-ok" role="status" data-testid="upload-written">{t!(i18n, upload_written)}</p> }.into_any()
    } else if count > 0 {
        view! { <p class="alert alert-error" role="alert" data-testid="upload-has-errors">{t!(i18n, upload_has_errors, count)}</p> }.into_any()
    } else {
        view! { <p class="alert alert-ok" role="status" data-testid="upload-checked">{t!(i18n, upload_checked)}</p> }.into_any()
    };
    let (rows, kind) = (run.rows, run.kind.clone().unwrap_or_default());
    let shown = run.errors.len();
    let counts = (!run.counts.is_empty()).then(|| counts_table(run.counts, run.committed));
    let errors = (!run.errors.is_empty()).then(|| errors_table(run.errors));
    let more = (count as usize > shown)
        .then(|| view! { <p class="hint">{t!(i18n, upload_more_errors, shown, count)}</p> });
    let button = run.writable.then(|| {
        view! {
            <ActionForm action=write attr:class="inline-form" attr:data-testid="upload-write">
                <input type="hidden" name="run" value=run.id />
                <input type="hidden" name="version" value=run.version />
                <button type="submit">{t!(i18n, upload_write)}</button>
            </ActionForm>
        }
    });
    view! {
        <section class="card upload-report" data-testid="upload-report">
            <h2>{t!(i18n, upload_report_title)}" "<span class="file-name">{run.file_name}</span></h2>
            {(!kind.is_empty()).then(|| view! { <p>{t!(i18n, upload_read, rows, kind)}</p> })}
            {status}
            {counts}
            {errors}
            {more}
            {button}
        </section>
    }
}

/// Per entity, how many records are (or would be) created, changed, left as they were.
fn counts_table(
    counts: Vec<(String, crate::api::dto::ImportCounts)>,
    written: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption = move || match written {
        true => t!(i18n, upload_counts_written).into_any(),
        false => t!(i18n, upload_counts_checked).into_any(),
    };
    let rows = counts
        .into_iter()
        .map(|(entity, c)| {
            view! {
                <tr>
                    <td data-label=move || t_string!(i18n, upload_col_records)>{entity}</td>
                    <td data-label=move || t_string!(i18n, upload_col_created)>{c.created}</td>
                    <td data-label=move || t_string!(i18n, upload_col_updated)>{c.updated}</td>
                    <td data-label=move || t_string!(i18n, upload_col_unchanged)>{c.unchanged}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table cards" data-testid="upload-counts">
                <caption>{caption}</caption>
                <thead><tr>
                    <th>{t!(i18n, upload_col_records)}</th>
                    <th>{t!(i18n, upload_col_created)}</th>
                    <th>{t!(i18n, upload_col_updated)}</th>
                    <th>{t!(i18n, upload_col_unchanged)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Every error kept, by row and column as the spreadsheet shows them.
fn errors_table(errors: Vec<(u32, String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = errors
        .into_iter()
        .map(|(row, column, message)| {
            let row = match row {
                0 => view! { {t!(i18n, upload_whole_file)} }.into_any(),
                n => n.to_string().into_any(),
            };
            view! { <tr><td>{row}</td><td>{column}</td><td>{message}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="upload-errors">
                <thead><tr>
                    <th>{t!(i18n, upload_col_row)}</th>
                    <th>{t!(i18n, upload_col_column)}</th>
                    <th>{t!(i18n, upload_col_error)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The columns of each kind of file the page takes; required ones are marked.
fn columns(kinds: Vec<UploadKind>) -> impl IntoView {
    let i18n = use_i18n();
    let kinds = kinds
        .into_iter()
        .map(|kind| {
            let columns = kind
                .columns
                .into_iter()
                .map(|(header, required)| {
                    view! { <li class:required=required>{header}{required.then_some(" *")}</li> }
                })
                .collect_view();
            let measured = (kind.kind == ImportKind::KeyResults)
                .then(|| view! { <p class="hint">{t!(i18n, upload_kr_kinds)}</p> });
            view! {
                <h3>{t!(i18n, upload_kind_heading, kind = kind.name)}</h3>
                <ul class="upload-columns">{columns}</ul>
                {measured}
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="upload-columns">
            <h2>{t!(i18n, upload_columns_title)}</h2>
            <p class="hint">{t!(i18n, upload_columns_hint)}</p>
            {kinds}
        </section>
    }
}
