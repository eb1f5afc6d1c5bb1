//! The check-in form of a key result (value, confidence, note, evidence link), the same on the
//! official's page and on their sheet: a server-function form, hydrated or a plain post.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::typed::Typed;
use crate::api::people::AddCheckIn;
use crate::i18n::{t, use_i18n};

/// The form recording progress on key result `key_result_id` (as typed, when it was just
/// refused).
pub fn check_in_form(key_result_id: i64, action: ServerAction<AddCheckIn>) -> impl IntoView {
    let i18n = use_i18n();
    let typed = Typed::of::<AddCheckIn>().for_record("key_result_id", key_result_id);
    view! {
        <ActionForm action=action attr:class="inline-form" attr:data-testid="check-in-form">
            <input type="hidden" name="key_result_id" value=key_result_id />
            <label>{t!(i18n, checkin_value)}<input name="value" type="number" step="any" required value=typed.or("value", "") /></label>
            <label>{t!(i18n, checkin_confidence)}<input name="confidence" type="number" min="0" max="10" value=typed.or("confidence", "7") required /></label>
            <label>{t!(i18n, checkin_note)}<input name="note" maxlength="2000" value=typed.or("note", "") /></label>
            <label>{t!(i18n, checkin_evidence)}<input name="evidence_url" type="url" maxlength="1000" value=typed.or("evidence_url", "") /></label>
            <button type="submit">{t!(i18n, checkin_submit)}</button>
        </ActionForm>
    }
}
