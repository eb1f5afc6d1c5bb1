//! A page's data is read again after a save that succeeded, never after a refused one: a
//! refusal changed nothing, and reading again would redraw the forms and lose what was typed.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Changes after each save of `action` that succeeded and stays put after a refusal; a
/// resource that reads it is fetched again only when something was saved.
pub fn saves<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Memo::new(move |previous: Option<&usize>| {
        let version = action.version().get();
        let succeeded = action.value().with(|value| matches!(value, Some(Ok(_))));
        match previous {
            Some(&kept) if !succeeded => kept,
            _ => version,
        }
    })
}
