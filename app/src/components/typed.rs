//! What was typed in a form posted without JavaScript that the server refused. Leptos sends
//! such a post back to its page with the refusal in the address (`__path`, `__err`); the
//! server adds the posted fields ([`PARAM`], see `server/src/typed_back.rs`). The form of that
//! server function — and of that record, when the page has one per record — fills its fields
//! from them, so nothing typed is lost. A trial (an assignment tried first) comes back the
//! same way ([`KEEP_HEADER`]), to be sent again for real. With JavaScript the form is never
//! redrawn after a refusal or a trial, and nothing here is needed.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The query parameter carrying the posted fields (the form's own urlencoded body).
pub const PARAM: &str = "__typed";

/// The response header by which a server function asks for its plain post's fields to come
/// back although it succeeded: a trial, whose form is then sent for real.
pub const KEEP_HEADER: &str = "x-thuocdo-keep-typed";

/// The fields a refused plain post sent, when the page shows the refusal of this form.
#[derive(Clone, Default)]
pub struct Typed(Option<Arc<Vec<(String, String)>>>);

impl Typed {
    /// The fields posted to server function `S`, when the page's address carries its refusal.
    pub fn of<S: ServerFn>() -> Self {
        let query = leptos_router::hooks::use_query_map();
        query.with_untracked(|q| Self::from_query(q.get_str("__path"), q.get_str(PARAM), S::PATH))
    }

    /// The fields of `body`, when `path` (the refused server function) is `expected`.
    pub fn from_query(path: Option<&str>, body: Option<&str>, expected: &str) -> Self {
        let fields = body.filter(|_| path == Some(expected)).map(|body| {
            Arc::new(
                form_urlencoded::parse(body.as_bytes())
                    .into_owned()
                    .collect::<Vec<_>>(),
            )
        });
        Typed(fields)
    }

    /// Only when the posted field `key` was `value`: the form of one record among several
    /// forms of the same server function on a page.
    pub fn for_record(self, key: &str, value: impl ToString) -> Self {
        self.for_edit(key, Some(value.to_string()))
    }

    /// Only when the posted field `key` was `edited`, or absent when `edited` is `None`: the
    /// form editing one record, or the form of a new one, among forms of one server function.
    pub fn for_edit(self, key: &str, edited: Option<String>) -> Self {
        if self.get(key) == edited {
            self
        } else {
            Typed(None)
        }
    }

    /// What was typed in field `name`, if this form was the one refused.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .as_ref()?
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    /// Whether checkbox `name` was ticked, if this form came back; else `shown`.
    pub fn checked(&self, name: &str, shown: bool) -> bool {
        match self.0 {
            Some(_) => self.get(name).is_some(),
            None => shown,
        }
    }

    /// What was typed in field `name`, else `shown` (what the page would show).
    pub fn or(&self, name: &str, shown: impl Into<String>) -> String {
        self.get(name).unwrap_or_else(|| shown.into())
    }
}

#[cfg(test)]
mod tests {
    use super::Typed;

    #[test]
    fn fields_come_back_only_to_the_refused_form_and_record() {
        let body = "id=7&version=3&level=HTTNV&reason=l%C3%BD+do+d%C3%A0i";
        let typed = Typed::from_query(Some("/api/a/score"), Some(body), "/api/a/score");
        assert_eq!(typed.get("reason").as_deref(), Some("lý do dài"));
        assert_eq!(typed.or("level", "HTXSNV"), "HTTNV");
        assert_eq!(typed.or("note", "giữ"), "giữ");
        assert!(!typed.checked("dry_run", true) && typed.checked("reason", false));
        assert!(Typed::default().checked("dry_run", true));
        assert_eq!(
            typed.clone().for_record("id", 7).get("level").as_deref(),
            Some("HTTNV")
        );
        assert_eq!(typed.for_record("id", 8).get("level"), None);
        let other = Typed::from_query(Some("/api/b"), Some(body), "/api/a/score");
        assert_eq!(other.get("reason"), None);
        assert_eq!(
            Typed::from_query(None, None, "/api/a/score").or("reason", ""),
            ""
        );
        let new = Typed::from_query(Some("/api/o"), Some("assessment_id=1&title=x"), "/api/o");
        assert_eq!(
            new.clone()
                .for_edit("objective_id", None)
                .get("title")
                .as_deref(),
            Some("x")
        );
        assert_eq!(
            new.for_edit("objective_id", Some("4".into())).get("title"),
            None
        );
    }
}
