//! The trace banner of the Graph and Matrix tabs (issue 13): the NetworkPolicy, rule or
//! peer at the editor's cursor, whether it is needed, redundant or matches nothing (and
//! why), and the connections it allows by workload; the tab marks them.

use yew::prelude::*;

use super::use_results;
use crate::i18n::trace_tr;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// How many edges or cells the tab marks.
    pub marked: usize,
    /// The Graph tab (else the Matrix): which words say that nothing is marked.
    pub graph: bool,
}

#[component]
pub fn TraceBanner(props: &Props) -> Html {
    let store = use_results();
    let tt = trace_tr(store.lang);
    let Some(tv) = store.data.trace.clone() else {
        return html! { <p class="hint trace-hint" id="trace-hint">{ tt.hint }</p> };
    };
    let clear = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ClearTrace))
    };
    let show = {
        let store = store.clone();
        let (s, e) = (tv.start as usize, tv.end as usize);
        Callback::from(move |_| store.dispatch(Action::Select(s, e)))
    };
    let (badge, badge_word) = match tv.finding.as_str() {
        "redundant" => ("redundant", tt.redundant),
        "nothing" => ("nothing", tt.nothing),
        _ => ("needed", tt.needed),
    };
    let part = if tv.path.is_empty() {
        tt.whole_policy.to_string()
    } else {
        tv.path.clone()
    };
    let empty_note = match (props.marked, tv.flows.is_empty(), props.graph) {
        (0, false, true) => Some(tt.not_drawn),
        (0, false, false) => Some(tt.not_shown),
        _ => None,
    };
    html! {
        <section class={classes!("trace", format!("trace-{badge}"))} id="trace" data-finding={tv.finding.clone()}
            data-marked={props.marked.to_string()} aria-live="polite">
            <div class="trace-head">
                <span class="trace-icon" aria-hidden="true">{ "◉" }</span>
                <strong>{ tt.tracing }</strong>
                <code id="trace-policy">{ tv.policy.clone() }</code>
                <span class="trace-path" id="trace-path">{ part }</span>
                <span class={classes!("trace-badge", badge)} id="trace-badge">{ badge_word }</span>
                <span class="trace-actions">
                    <button type="button" class="btn small" id="trace-show" onclick={show}>{ tt.show }</button>
                    <button type="button" class="btn small" id="trace-clear" onclick={clear}>{ tt.clear }</button>
                </span>
            </div>
            <p class="trace-finding" id="trace-finding">
                <span class="trace-count" id="trace-count">{ tt.marked(props.marked) }</span>
                if !tv.message.is_empty() { { " · " }<span class="trace-message">{ tv.message.clone() }</span> }
            </p>
            if let Some(note) = empty_note { <p class="hint" id="trace-empty">{ note }</p> }
            if !tv.flows.is_empty() {
                <details class="trace-flows" id="trace-flows">
                    <summary>{ format!("{} ({})", tt.connections, tv.flows.len() + tv.more) }</summary>
                    <ul>
                        { for tv.flows.iter().map(|f| html! {
                            <li data-from={f.from.clone()} data-to={f.to.clone()}>
                                <code>{ f.from.clone() }</code>{ " → " }<code>{ f.to.clone() }</code>
                                if !f.allowed.is_empty() { { ": " }<span class="trace-allowed">{ f.allowed.clone() }</span> }
                                if !f.blocked.is_empty() { <span class="trace-blocked">{ format!(" · {}: {}", tt.blocked, f.blocked) }</span> }
                            </li>
                        }) }
                        if tv.more > 0 { <li class="muted">{ tt.more(tv.more) }</li> }
                    </ul>
                </details>
            }
        </section>
    }
}
