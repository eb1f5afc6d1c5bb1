//! A role's translated name.

use leptos::prelude::*;

use crate::domain::access::Role;
use crate::i18n::{t, use_i18n};

/// The translated name of a role code (the code itself when unknown).
#[component]
pub fn RoleLabel(code: String) -> impl IntoView {
    let i18n = use_i18n();
    match Role::from_code(&code) {
        Some(Role::Official) => t!(i18n, role_official).into_any(),
        Some(Role::Reviewer) => t!(i18n, role_reviewer).into_any(),
        Some(Role::UnitLeader) => t!(i18n, role_unit_leader).into_any(),
        Some(Role::Organiser) => t!(i18n, role_organiser).into_any(),
        Some(Role::Leadership) => t!(i18n, role_leadership).into_any(),
        Some(Role::Admin) => t!(i18n, role_admin).into_any(),
        None => code.into_any(),
    }
}
