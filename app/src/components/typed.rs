//! What was typed in a form posted without JavaScript that the server refused. Leptos sends
//! such a post back to its page with the refusal in the address (`__path`, `__err`); the
//! server adds the posted fields ([`PARAM`], see `server/src/typed_back.rs`). The form of that
//! server function — and of that record, when the page has one per record — fills its fields
//! from them, so nothing typed is lost. A trial (an assignment tried first) comes back the
//! same way ([`KEEP_HEADER`]), to be sent again for real.
//!
//! With JavaScript a form is not redrawn after a refusal, so what was typed stays in it —
//! except when someone else changed the record: the page is then read again to show their
//! change, and the redrawn form takes what was sent from [`Resent`] instead.

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
    /// The fields posted to server function `S`, when the page's address carries its refusal,
    /// or, with JavaScript, when its form was sent to a record someone else had changed.
    pub fn of<S: ServerFn>() -> Self {
        let query = leptos_router::hooks::use_query_map();
        let posted = query
            .with_untracked(|q| Self::from_query(q.get_str("__path"), q.get_str(PARAM), S::PATH));
        match (&posted.0, use_context::<Resent>()) {
            (None, Some(Resent(sent))) => sent.with_untracked(|sent| match sent {
                Some((path, body)) => Self::from_query(Some(path), Some(body), S::PATH),
                None => Typed(None),
            }),
            _ => posted,
        }
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

    /// Whether checkbox `name` was ticked, if this form came back; else `shown`. A plain post
    /// leaves an unticked box out; the browser's server-function call sends it as `false`.
    pub fn checked(&self, name: &str, shown: bool) -> bool {
        match self.0 {
            Some(_) => self.get(name).is_some_and(|v| v != "false"),
            None => shown,
        }
    }

    /// What was typed in field `name`, else `shown` (what the page would show).
    pub fn or(&self, name: &str, shown: impl Into<String>) -> String {
        self.get(name).unwrap_or_else(|| shown.into())
    }
}

/// With JavaScript: the server function and the fields of the last save refused because
/// someone else had changed the record, while the page is read again to show that change.
/// Cleared by the next save that goes through and when another page is opened.
#[derive(Clone, Copy)]
pub struct Resent(RwSignal<Option<(String, String)>>);

impl Resent {
    /// Makes it available to the pages (once, around them).
    pub fn provide() {
        let resent = Resent(RwSignal::new(None));
        provide_context(resent);
        let path = leptos_router::hooks::use_location().pathname;
        Effect::new(move |_| {
            path.track();
            resent.0.set(None);
        });
    }

    /// Keeps what was sent to `S` (`args`, as the browser sends it) or forgets it (`None`).
    pub fn keep<S: ServerFn + serde::Serialize>(args: Option<&S>) {
        if let Some(Resent(sent)) = use_context::<Resent>() {
            sent.set(
                args.and_then(|args| Some((S::PATH.to_owned(), serde_qs::to_string(args).ok()?))),
            );
        }
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

    #[test]
    fn what_the_browser_sends_reads_like_a_plain_post() {
        use std::collections::BTreeMap;
        #[derive(serde::Serialize)]
        struct Sent {
            assessment_id: i64,
            objective_id: Option<i64>,
            dry_run: bool,
            points: BTreeMap<String, f64>,
            comments: BTreeMap<String, String>,
        }
        let sent = Sent {
            assessment_id: 4,
            objective_id: None,
            dry_run: false,
            points: BTreeMap::from([("c1".to_owned(), 7.5)]),
            comments: BTreeMap::from([("c1".to_owned(), "lý do & thêm".to_owned())]),
        };
        let body = serde_qs::to_string(&sent).expect("serialized");
        let typed = Typed::from_query(Some("/api/x"), Some(&body), "/api/x")
            .for_edit("objective_id", None)
            .for_record("assessment_id", 4);
        assert_eq!(typed.get("points[c1]").as_deref(), Some("7.5"));
        assert_eq!(typed.get("comments[c1]").as_deref(), Some("lý do & thêm"));
        assert!(!typed.checked("dry_run", true));
    }
}
