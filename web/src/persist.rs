//! The page's storage and URL, as hooks: the only code that reads localStorage and the
//! URL when the page starts (`use_app_state`, through [`Startup`]) and that writes the
//! state back as it changes (`use_persistence`). `State::init` and the reducer stay plain
//! functions of their inputs (one exception: an exercise's saved work is read when its
//! lesson opens, `State::load_example`).

use yew::prelude::*;

use crate::i18n::tr;
use crate::state::{Action, Notice, NoticeKind, Startup, State, Store};
use crate::storage;

impl Startup {
    /// What the browser holds now.
    pub fn read() -> Startup {
        Startup {
            lang: storage::get(storage::KEY_LANG),
            navigator_lang: storage::navigator_language(),
            theme: storage::get(storage::KEY_THEME),
            prefers_dark: storage::prefers_dark(),
            hash: storage::hash(),
            search: storage::search(),
            text: storage::get(storage::KEY_TEXT),
            query: storage::get(storage::KEY_QUERY),
            example: storage::get(storage::KEY_EXAMPLE),
            progress: storage::get(storage::KEY_PROGRESS),
        }
    }
}

/// The page's state, started from the browser's storage and URL. A share link is taken
/// out of the URL at once (it is read asynchronously, then restored by
/// `Action::Restored`), so a reload does not apply it again.
#[hook]
pub fn use_app_state() -> Store {
    let state = use_reducer(|| {
        let start = Startup::read();
        if crate::share::is_link(&start.hash) {
            storage::clear_hash();
        }
        State::init(&start)
    });
    {
        let store = state.clone();
        use_effect_with((), move |_| {
            if let Some(link) = store.pending_link.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let r = crate::share::decode(&link).await;
                    store.dispatch(Action::Restored(r));
                });
            }
        });
    }
    state
}

/// Writes what the page keeps (text, query, lesson, language, theme) as it changes.
#[hook]
pub fn use_persistence(state: &Store) {
    // Save the text when it is analysed (after the debounce, or at once when replaced)
    // and when the page is hidden or closed: writing megabytes to localStorage on every
    // keystroke cost more than the keystroke itself. The editor's text is stored as the
    // JS string it is.
    {
        let store = state.clone();
        use_effect_with(state.requested, move |_| {
            if !save_text(&store) {
                store.dispatch(Action::Notice(Some(Notice {
                    kind: NoticeKind::Error,
                    text: tr(store.lang).storage_full.into(),
                })));
            }
        });
    }
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            gloo::events::EventListener::new(&w, "pagehide", move |_| {
                save_text(&latest.borrow());
            })
        });
        move || drop(listener)
    });
    {
        let query = state.query.clone();
        use_effect_with(query, |q| {
            storage::set(storage::KEY_QUERY, &q.to_json());
        });
    }
    use_effect_with(state.example, |ex| {
        match ex.and_then(crate::examples::info) {
            Some(e) => {
                storage::set(storage::KEY_EXAMPLE, &e.id);
            }
            None => storage::remove(storage::KEY_EXAMPLE),
        }
    });
    use_effect_with(state.lang, |l| {
        let code = match l {
            netpol::Lang::En => "en",
            netpol::Lang::Es => "es",
        };
        storage::set(storage::KEY_LANG, code);
        storage::set_root_attr("lang", code);
        crate::set_panic_message(tr(*l).panic);
    });
    use_effect_with(state.dark, |d| {
        let theme = if *d { "dark" } else { "light" };
        storage::set(storage::KEY_THEME, theme);
        storage::set_root_attr("data-theme", theme);
    });
}

/// Writes the current text to localStorage (false: the browser refused).
fn save_text(s: &State) -> bool {
    match s.external_text() {
        Some(t) => storage::set(storage::KEY_TEXT, &t),
        None => match crate::codemirror::text() {
            Some(t) => storage::set_js(storage::KEY_TEXT, &t.into()),
            None => storage::set(storage::KEY_TEXT, &s.text),
        },
    }
}
