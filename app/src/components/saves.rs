//! A page's data is read again after a save that succeeded, never after a plain refusal: a
//! refusal changed nothing, and reading again would redraw the forms and lose what was typed.
//! A refusal because someone else changed the record is the exception: the page is read again
//! to show their change, and the redrawn form keeps what was sent ([`Resent`]).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::typed::Resent;
use crate::error::AppError;

/// Changes after each save of `action` that succeeded or met someone else's change, and stays
/// put after any other refusal; a resource that reads it is fetched again only then.
pub fn saves<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn<Error = AppError> + serde::Serialize + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    // What the browser sends, kept past the answer (the action forgets it then).
    let sent = StoredValue::new(None::<S>);
    Effect::new(move |_| {
        if let Some(args) = action.input().get() {
            sent.set_value(Some(args));
        }
    });
    Effect::new(move |_| {
        action.value().with(|answer| match answer {
            Some(Ok(_)) => Resent::keep::<S>(None),
            Some(Err(AppError::Conflict)) => sent.with_value(|args| Resent::keep(args.as_ref())),
            _ => {}
        });
    });
    Memo::new(move |previous: Option<&usize>| {
        let version = action.version().get();
        let read_again = action
            .value()
            .with(|value| matches!(value, Some(Ok(_)) | Some(Err(AppError::Conflict))));
        match previous {
            Some(&kept) if !read_again => kept,
            _ => version,
        }
    })
}

/// What the last save of a page's forms came to: the confirmation of which form (`K`, the
/// page's own list), or its refusal. Only the last one shows — a confirmation of an earlier save would stand beside
/// the next and read as if both were just done.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<K> {
    Saved(K),
    Refused(crate::error::AppError),
}

/// Records each answer of `action` (form `which` of the page) in `outcome` as it arrives.
pub fn track<S, T, K>(outcome: RwSignal<Option<Outcome<K>>>, action: ServerAction<S>, which: K)
where
    S: ServerFn<Output = T, Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
    K: Copy + Send + Sync + 'static,
{
    let record = move |answer: Result<T, crate::error::AppError>| {
        outcome.set(Some(match answer {
            Ok(_) => Outcome::Saved(which),
            Err(error) => Outcome::Refused(error),
        }));
    };
    // Already answered when the page is drawn: a form posted without JavaScript, whose
    // refusal comes back with the page (effects do not run on the server).
    if let Some(answer) = action.value().get_untracked() {
        record(answer);
    }
    Effect::new(move |_| {
        if let Some(answer) = action.value().get() {
            record(answer);
        }
    });
}

/// A save confirmed by the page's address (`?saved=which`, where a form posted without
/// JavaScript is sent back after saving), when `which` names one of the page's forms.
pub fn confirm_from_address<K>(
    outcome: RwSignal<Option<Outcome<K>>>,
    which: impl Fn(&str) -> Option<K>,
) where
    K: Clone + Send + Sync + 'static,
{
    let query = leptos_router::hooks::use_query_map();
    let saved = query
        .with_untracked(|q| q.get("saved"))
        .and_then(|w| which(&w));
    if let Some(saved) = saved
        && outcome.with_untracked(Option::is_none)
    {
        outcome.set(Some(Outcome::Saved(saved)));
    }
}

/// The answer of the last save as a page shows it: the refusal in words, or the confirmation
/// `saved` words for the form that was saved — held at the foot of the window, so that it is
/// seen beside a form far down a long page, with a button to put it away.
pub fn answer<K>(
    outcome: RwSignal<Option<Outcome<K>>>,
    saved: impl Fn(K) -> AnyView + Send + Sync + 'static,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static
where
    K: Clone + Send + Sync + 'static,
{
    move || {
        let i18n = crate::i18n::use_i18n();
        outcome.get().map(|o| {
            let text = match o {
                Outcome::Refused(error) => {
                    view! { <super::error_view::ErrorView error /> }.into_any()
                }
                Outcome::Saved(which) => {
                    view! { <p class="alert alert-ok" role="status">{saved(which)}</p> }.into_any()
                }
            };
            view! {
                <div class="answer" data-testid="answer">
                    {text}
                    <button type="button" class="answer-close" on:click=move |_| outcome.set(None)
                        aria-label=move || crate::i18n::t_string!(i18n, answer_close)>"×"</button>
                </div>
            }
            .into_any()
        })
    }
}
