use yew::prelude::*;

use super::{
    course::EmbedBar, diagnostics::Diagnostics, editor::Editor, lesson::Lesson, notice::NoticeBar,
    tabs::Tabs, toolbar::Toolbar, ResultsStore,
};
use crate::bridge::{Bridge, Extra};
use crate::i18n::tr;
use crate::state::{Action, SrcStage, Store};

/// Debounce between the last keystroke and re-evaluation (kept by the editor) for texts
/// past 256 KiB (up to that, each change is analysed at once; past 4 MiB, after 1 s).
pub const DEBOUNCE_MS: u32 = 150;

#[component]
pub fn App() -> Html {
    let state = crate::persist::use_app_state();

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
    // typing released a revision; the worker gets only the latest (`bridge.rs`), and the
    // editor's text is read only if the worker lacks this revision.
    {
        let store = state.clone();
        let parse = match &state.src {
            Some(SrcStage::Parse(p)) => Some(p.clone()),
            _ => None,
        };
        let src_id = state.src_lesson.as_ref().map(|s| s.id.clone());
        let bridge = bridge.clone();
        use_effect_with(
            (state.requested, state.view_request(), parse, src_id),
            move |(_, _, parse, _)| {
                let extra = Extra {
                    lesson_source: store.src_lesson.clone(),
                    parse: parse.clone(),
                    baseline: store.baseline.clone(),
                };
                bridge.submit(
                    store.revision,
                    store.external_text(),
                    store.view_request(),
                    extra,
                );
            },
        );
    }
    // An edit overtook a request not sent yet: drop it (the debounce asks again).
    {
        let bridge = bridge.clone();
        use_effect_with(state.revision, move |r| bridge.supersede(*r));
    }
    crate::teach::use_teaching(&state);

    crate::persist::use_persistence(&state);

    let key = (
        std::rc::Rc::as_ptr(&state.base) as usize,
        std::rc::Rc::as_ptr(&state.data) as usize,
        std::rc::Rc::as_ptr(&state.groups) as usize,
        state.query.clone(),
        state.tab,
        state.lang,
        state.example,
        state.ran_rows.clone(),
        (
            state
                .lesson
                .as_ref()
                .map(|l| std::rc::Rc::as_ptr(l) as usize),
            state.predict,
            state.predictions.clone(),
            state.checked,
            state.hints,
            std::rc::Rc::as_ptr(&state.progress) as usize,
            state.restored_work,
        ),
        (
            state.matrix_port.clone(),
            state.matrix_filter.clone(),
            state.matrix_protocol.clone(),
            state.matrix_pods,
            state.graph.clone(),
            state.graph_ask.clone(),
        ),
        (state.steps.clone(), state.baseline.as_ref().map(|b| b.id)),
    );
    let results = {
        let s = state.clone();
        use_memo(key, move |_| ResultsStore(s, Default::default()))
    };
    let t = tr(state.lang);
    let store: Store = state.clone();
    // Embedded in course notes (`#embed`, `?embed`): one file and one view, no header.
    let embed = state.embed;
    html! {
        <ContextProvider<Bridge> context={(*bridge).clone()}>
        <ContextProvider<Store> context={store}>
            <a class="skip" href="#results">{ "Skip to results" }</a>
            if embed { <EmbedBar /> } else { <Toolbar /> }
            <NoticeBar />
            <ContextProvider<ResultsStore> context={(*results).clone()}>
            <main class={classes!("layout", embed.then_some("embed"))}>
                <section class="pane editor-pane" aria-label={t.editor}>
                    <Editor />
                    <Diagnostics />
                </section>
                <section class="pane results-pane" id="results" tabindex="-1" aria-label={t.tab_query}>
                    if embed { <Lesson /> } else { <Tabs /> }
                </section>
            </main>
            </ContextProvider<ResultsStore>>
        </ContextProvider<Store>>
        </ContextProvider<Bridge>>
    }
}
