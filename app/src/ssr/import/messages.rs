//! Import and export messages rendered outside Leptos (the command line, file headers) from the
//! same `app/locales/*.json` files the UI uses, substituting `{{ name }}` placeholders.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::domain::import::{ImportReport, RowError};

/// A language of the translation files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// `vi` or `en`; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

const VI_JSON: &str = include_str!("../../../locales/vi.json");
const EN_JSON: &str = include_str!("../../../locales/en.json");

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static VI: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    let (cell, json) = match lang {
        Lang::Vi => (&VI, VI_JSON),
        Lang::En => (&EN, EN_JSON),
    };
    // The files are checked at compile time by leptos_i18n; only plain strings are templates.
    cell.get_or_init(|| {
        serde_json::from_str::<HashMap<String, serde_json::Value>>(json)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect()
    })
}

/// The template of `key`, with each `{{ name }}` replaced by `args[name]`; the key itself when
/// the files lack it.
pub fn translate(lang: Lang, key: &str, args: &BTreeMap<String, String>) -> String {
    let Some(template) = table(lang).get(key) else {
        return key.to_owned();
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template.as_str();
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        let name = after[..end].trim();
        out.push_str(args.get(name).map_or(name, String::as_str));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// [`translate`] with arguments given as pairs.
pub fn tr(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let args = args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    translate(lang, key, &args)
}

/// One error as a sentence: `dòng 7, cột "unit_code": đơn vị "HUE-X99" không tồn tại`.
pub fn row_error(lang: Lang, error: &RowError) -> String {
    let message = translate(lang, &error.key, &error.args);
    if error.row == 0 {
        tr(lang, "import_report_file_error", &[("message", message)])
    } else {
        tr(
            lang,
            "import_report_row_error",
            &[
                ("row", error.row.to_string()),
                ("column", error.column.clone()),
                ("message", message),
            ],
        )
    }
}

/// The whole report as lines of text: what was read, the counts or every error, the outcome.
pub fn report(lang: Lang, report: &ImportReport) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(kind) = report.kind {
        let kind = tr(lang, &format!("import_kind_{}", kind.code()), &[]);
        lines.push(tr(
            lang,
            "import_report_rows",
            &[("count", report.rows.to_string()), ("kind", kind)],
        ));
    }
    for (entity, counts) in &report.counts {
        lines.push(tr(
            lang,
            "import_report_counts",
            &[
                ("entity", tr(lang, &format!("import_entity_{entity}"), &[])),
                ("created", counts.created.to_string()),
                ("updated", counts.updated.to_string()),
                ("unchanged", counts.unchanged.to_string()),
            ],
        ));
    }
    lines.extend(report.errors.iter().map(|e| row_error(lang, e)));
    let outcome = if !report.errors.is_empty() {
        tr(
            lang,
            "import_report_failed",
            &[("count", report.errors.len().to_string())],
        )
    } else if report.dry_run {
        tr(lang, "import_report_dry_run", &[])
    } else {
        tr(lang, "import_report_committed", &[])
    };
    lines.push(outcome);
    lines
}

/// Every key the import and export code uses (checked against both locale files by a test).
pub const KEYS: &[&str] = &[
    "import_err_unsupported_format",
    "import_err_unreadable",
    "import_err_empty",
    "import_err_kind_unknown",
    "import_err_too_wide",
    "import_err_kind_not_allowed",
    "import_err_columns_unknown",
    "import_err_out_of_scope",
    "import_err_unknown_column",
    "import_err_duplicate_column",
    "import_err_missing_column",
    "import_err_required",
    "import_err_too_long",
    "import_err_not_number",
    "import_err_not_integer",
    "import_err_not_boolean",
    "import_err_not_date",
    "import_err_not_one_of",
    "import_err_negative",
    "import_err_not_positive",
    "import_err_out_of_range",
    "import_err_exceeds",
    "import_err_target_equals_start",
    "import_err_target_not_above_start",
    "import_err_target_not_below_start",
    "import_err_invalid",
    "import_err_duplicate_in_file",
    "import_err_unit_not_found",
    "import_err_unit_closed",
    "import_err_parent_cycle",
    "import_err_official_not_found",
    "import_err_reviewer_not_found",
    "import_err_reviewer_self",
    "import_err_reviewer_cycle",
    "import_err_cycle_not_found",
    "import_err_owner_exactly_one",
    "import_err_objective_weight_mismatch",
    "import_err_metric_key_required",
    "import_err_kr_not_found",
    "import_err_kr_ambiguous",
    "import_err_date_outside_cycle",
    // The check-in rules of domain::check_in, shared with the form.
    "not_a_number",
    "value_range",
    "confidence_range",
    "too_long",
    "url_scheme",
    "cycle_closed",
    "cycle_not_started",
    "import_report_rows",
    "import_report_counts",
    "import_report_row_error",
    "import_report_file_error",
    "import_report_failed",
    "import_report_dry_run",
    "import_report_committed",
    "import_kind_units",
    "import_kind_officials",
    "import_kind_key_results",
    "import_kind_products",
    "import_kind_check_ins",
    "import_entity_org_unit",
    "import_entity_official",
    "import_entity_objective",
    "import_entity_key_result",
    "import_entity_product",
    "import_entity_check_in",
    "export_title",
    "export_period_month",
    "export_period_quarter",
    "export_period_year",
    "export_col_no",
    "export_col_full_name",
    "export_col_position",
    "export_col_unit",
    "export_col_score",
    "export_col_proposed",
    "export_col_approved",
    "export_col_notes",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn placeholders(template: &str) -> BTreeSet<String> {
        template
            .split("{{")
            .skip(1)
            .filter_map(|s| s.split_once("}}").map(|(p, _)| p.trim().to_owned()))
            .collect()
    }

    #[test]
    fn both_locale_files_have_the_same_keys_and_placeholders() {
        let (vi, en) = (table(Lang::Vi), table(Lang::En));
        assert!(!vi.is_empty());
        let vi_keys: BTreeSet<&String> = vi.keys().collect();
        let en_keys: BTreeSet<&String> = en.keys().collect();
        assert_eq!(vi_keys, en_keys);
        for (key, template) in vi {
            assert_eq!(placeholders(template), placeholders(&en[key]), "{key}");
        }
    }

    #[test]
    fn every_import_key_is_translated() {
        for key in KEYS {
            for lang in [Lang::Vi, Lang::En] {
                assert!(table(lang).contains_key(*key), "{key} missing");
            }
        }
    }

    #[test]
    fn a_row_error_reads_as_a_sentence_in_both_languages() {
        let error = RowError {
            row: 7,
            column: "unit_code".into(),
            key: "import_err_unit_not_found".into(),
            args: [("code".to_owned(), "HUE-X99".to_owned())].into(),
        };
        assert_eq!(
            row_error(Lang::Vi, &error),
            "dòng 7, cột \"unit_code\": đơn vị \"HUE-X99\" không tồn tại"
        );
        assert_eq!(
            row_error(Lang::En, &error),
            "row 7, column \"unit_code\": unit \"HUE-X99\" does not exist"
        );
    }

    #[test]
    fn unknown_keys_and_missing_arguments_stay_visible() {
        assert_eq!(tr(Lang::En, "no_such_key", &[]), "no_such_key");
        assert_eq!(
            tr(Lang::En, "import_err_unit_not_found", &[]),
            "unit \"code\" does not exist"
        );
    }
}
