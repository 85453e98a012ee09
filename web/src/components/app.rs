use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::{
    diagnostics::Diagnostics, editor::Editor, notice::NoticeBar, tabs::Tabs, toolbar::Toolbar,
    ResultsStore,
};
use crate::bridge::Bridge;
use crate::i18n::tr;
use crate::state::{Action, Notice, NoticeKind, State, Store};
use crate::storage;

/// Debounce between the last keystroke and re-evaluation.
pub const DEBOUNCE_MS: u32 = 150;

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::init);

    // The analysis worker: answers arrive as actions; the reducer drops stale ones.
    let bridge = {
        let d = state.dispatcher();
        use_memo((), move |_| {
            let on_results = {
                let d = d.clone();
                Callback::from(move |r| d.dispatch(Action::Results(r)))
            };
            let on_crash = Callback::from(move |why| d.dispatch(Action::WorkerCrashed(why)));
            Bridge::new(on_results, on_crash)
        })
    };
    // Ask for the current text and view whenever the view changes or the debounce after
    // typing released a revision; the worker gets only the latest (`bridge.rs`).
    {
        let store = state.clone();
        use_effect_with((state.requested, state.view_request()), move |_| {
            bridge.submit(store.revision, store.text.clone(), store.view_request());
        });
    }

    // A share link in the URL: inflate it (asynchronously, in the browser) once.
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

    // Re-evaluate once typing pauses.
    {
        let store = state.clone();
        use_effect_with(state.revision, move |_| {
            let timer = (store.revision > store.requested).then(|| {
                let store = store.clone();
                Timeout::new(DEBOUNCE_MS, move || store.dispatch(Action::Analyze))
            });
            move || drop(timer)
        });
    }
    // Save the text when it is analysed (after the debounce, or at once when replaced)
    // and when the page is hidden or closed: writing megabytes to localStorage on every
    // keystroke cost more than the keystroke itself.
    {
        let store = state.clone();
        use_effect_with(state.requested, move |_| {
            if !storage::set(storage::KEY_TEXT, &store.text) {
                store.dispatch(Action::Notice(Some(Notice {
                    kind: NoticeKind::Error,
                    text: tr(store.lang).storage_full.into(),
                })));
            }
        });
    }
    let latest = use_mut_ref(|| state.text.clone());
    *latest.borrow_mut() = state.text.clone();
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            gloo::events::EventListener::new(&w, "pagehide", move |_| {
                storage::set(storage::KEY_TEXT, &latest.borrow());
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
        match ex.and_then(|i| crate::examples::EXAMPLES.get(i)) {
            Some(e) => {
                storage::set(storage::KEY_EXAMPLE, e.id);
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

    let key = (
        std::rc::Rc::as_ptr(&state.base) as usize,
        std::rc::Rc::as_ptr(&state.data) as usize,
        std::rc::Rc::as_ptr(&state.groups) as usize,
        state.query.clone(),
        state.tab,
        state.lang,
        state.example,
        state.ran_rows.clone(),
        state.matrix_port.clone(),
        state.matrix_filter.clone(),
        state.matrix_protocol.clone(),
        (
            state.matrix_pods,
            state.graph.clone(),
            state.graph_ask.clone(),
        ),
    );
    let results = {
        let s = state.clone();
        use_memo(key, move |_| ResultsStore(s))
    };
    let t = tr(state.lang);
    let store: Store = state.clone();
    html! {
        <ContextProvider<Store> context={store}>
            <a class="skip" href="#results">{ "Skip to results" }</a>
            <Toolbar />
            <NoticeBar />
            <ContextProvider<ResultsStore> context={(*results).clone()}>
            <main class="layout">
                <section class="pane editor-pane" aria-label={t.editor}>
                    <Editor />
                    <Diagnostics />
                </section>
                <section class="pane results-pane" id="results" tabindex="-1" aria-label={t.tab_query}>
                    <Tabs />
                </section>
            </main>
            </ContextProvider<ResultsStore>>
        </ContextProvider<Store>>
    }
}
