//! The Lesson tab: the step's explanation, its queries with the API's verdict as soon as
//! the worker answers (no button needed), each with its simulated console; an exercise's
//! task and checklist; "predict the verdict"; Previous/Next.

use netpol::QueryProtocol;
use yew::prelude::*;

use super::console::ConsoleBlock;
use super::course::StepNav;
use super::exercise::Checklist;
use super::query::outcome_view;
use super::steps::StepsPanel;
use super::use_results;
use crate::i18n::tr;
use crate::state::{row_query, Action};

/// Plain text with `code` in backticks, rendered as text nodes (never as HTML).
pub fn inline(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                html! { { part.to_string() } }
            }
        })
        .collect()
}

/// `✓ ALLOWED`, `✗ DENIED`, `◐ PARTIAL` for an outcome key.
fn verdict(key: &str, lang: netpol::Lang) -> Html {
    let (class, sym) = match key {
        "allowed" => ("mini allow", "✓ "),
        "denied" => ("mini deny", "✗ "),
        _ => ("mini other", "◐ "),
    };
    let word = netpol::services::Outcome::parse(key)
        .map(|o| netpol::words::services::outcome_word(o, lang))
        .unwrap_or_else(|| key.to_string());
    html! { <span class={class}>{ sym }{ word }</span> }
}

/// The lesson of the example or `#src=` file shown.
#[component]
pub fn Lesson() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let lang = store.lang;
    let Some(lesson) = store.lesson.clone() else {
        return html! { <p class="hint">{ t.no_example }</p> };
    };
    let text = lesson.lesson.as_ref().map(|l| l.get(lang).to_string());
    // The worker's verdicts are for this lesson's rows once its answer came.
    let current = store
        .data_for
        .as_ref()
        .is_some_and(|v| v.lesson.as_deref() == Some(lesson.id.as_str()));
    let exercise = lesson.exercise.is_some();
    // The row the steps panel walks (its button is marked).
    let steps_row = store
        .steps
        .as_ref()
        .and_then(|s| lesson.rows.iter().position(|r| row_query(r) == s.query));
    let rows: Html = lesson
        .rows
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let ran = store.ran_rows.contains(&ri);
            let view = store.data.lesson.get(ri).filter(|_| current);
            let api = view.map_or("unknown".to_string(), |v| v.key.clone());
            let expected = r.expected.as_str();
            let guess = store.predictions.get(&ri).copied();
            // In "predict" mode the verdict and the console wait for the guess.
            let revealed = !store.predict || guess.is_some();
            let onclick = {
                let store = store.clone();
                Callback::from(move |_| store.dispatch(Action::RunRow(ri)))
            };
            let predict = |allowed: bool| {
                let store = store.clone();
                Callback::from(move |_| store.dispatch(Action::Predict(ri, allowed)))
            };
            let conn = match (r.port.as_str(), QueryProtocol::parse(&r.protocol)) {
                (_, Some(QueryProtocol::ICMP)) => "ICMP (ping)".to_string(),
                ("", _) => r.protocol.clone(),
                (p, _) => format!("{} {p}", r.protocol),
            };
            let guess_right = guess.map(|g| (api == "allowed") == g);
            let on_steps = {
                let store = store.clone();
                let q = row_query(r);
                Callback::from(move |_| store.dispatch(Action::StepThrough(q.clone())))
            };
            let stepping = steps_row == Some(ri);
            html! {
                <tbody class="row-group">
                <tr class="row" data-row={ri.to_string()} data-expected={expected.to_string()} data-api={if revealed { api.clone() } else { String::new() }}>
                    <td>if let Some(c) = r.command.clone() { <code class="cmd">{ c }</code> }</td>
                    <td><code>{ r.from.clone() }</code>{ " → " }<code>{ r.to.clone() }</code>{ " · " }{ conn }</td>
                    <td>{ verdict(expected, lang) }</td>
                    <td class="api">
                        if !revealed {
                            <span class="predict">
                                <span class="predict-q">{ t.predict_q }</span>
                                <button type="button" class="btn small predict-allow" onclick={predict(true)}>{ t.predict_allowed }</button>
                                <button type="button" class="btn small predict-deny" onclick={predict(false)}>{ t.predict_denied }</button>
                            </span>
                        } else if view.is_some() {
                            { verdict(&api, lang) }
                            if api == expected { <span class="match yes">{ " = " }{ t.matches }</span> } else { <span class="match no">{ " ≠ " }{ t.differs }</span> }
                            if let Some(right) = guess_right {
                                <span class={classes!("guess", if right { "right" } else { "wrong" })}>{ " " }{ if right { t.predict_right } else { t.predict_wrong } }</span>
                            }
                        } else {
                            <span class="hint">{ t.analysing }</span>
                        }
                    </td>
                    <td class="row-actions"><button type="button" class={classes!("btn", "small", "run", ran.then_some("active"))} {onclick}>{ t.run }</button>
                        if revealed {
                            <button type="button" class={classes!("btn", "small", "step-row", stepping.then_some("active"))} onclick={on_steps}>{ t.step_through }</button>
                        }
                    </td>
                </tr>
                if revealed {
                    if let Some(c) = view.and_then(|v| v.console.clone()) {
                        <tr class="console-row"><td colspan="5"><ConsoleBlock console={c} lang={lang} /></td></tr>
                    }
                }
                </tbody>
            }
        })
        .collect();
    let matrices: Vec<Html> = lesson
        .matrices
        .iter()
        .enumerate()
        .map(|(mi, m)| {
            let label = match QueryProtocol::parse(&m.protocol) {
                Some(QueryProtocol::ICMP) => "ICMP (ping)".to_string(),
                _ => format!("{} {}", m.protocol, m.port),
            };
            let onclick = {
                let store = store.clone();
                let (port, protocol) = (m.port.clone(), m.protocol.clone());
                Callback::from(move |_| store.dispatch(Action::OpenMatrix(port.clone(), protocol.clone())))
            };
            html! {
                <details class="expect-matrix" data-matrix={mi.to_string()} data-port={m.port.clone()} data-protocol={m.protocol.clone()}>
                    <summary>{ label }{ format!(" · {} × {}", m.rows, m.columns) }</summary>
                    if !store.embed {
                        <button type="button" class="btn small open-matrix" {onclick}>{ t.open_in_matrix }</button>
                    }
                    <pre class="matrix-text">{ m.text.clone() }</pre>
                </details>
            }
        })
        .collect();
    let on_predict = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::TogglePredict))
    };
    let kind = match lesson.group.as_str() {
        "exercises" => "exercise",
        "recipes" => "recipe",
        "seed" => "step",
        _ if exercise => "exercise",
        _ => "step",
    };
    html! {
        <article class="lesson" id="lesson" data-example={lesson.id.clone()} data-kind={kind}>
            if !store.embed { <StepNav /> }
            // At the top, beside the editor it marks (the rows may be far down).
            if store.steps.is_some() { <StepsPanel /> }
            <h2>{ lesson.title.get(lang).to_string() }</h2>
            if exercise { <h3 class="task">{ t.task }</h3> }
            if let Some(l) = text {
                { for l.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| html! { <p>{ inline(p.trim()) }</p> }) }
            }
            if exercise {
                <Checklist />
            } else if !lesson.rows.is_empty() {
                <div class="queries-head">
                    <h3>{ t.queries }</h3>
                    <label class="predict-toggle">
                        <input type="checkbox" id="predict" checked={store.predict} onchange={on_predict} />
                        { t.predict_mode }
                    </label>
                </div>
                <div class="table-scroll">
                <table class="rows" id="rows">
                    <thead><tr><th>{ t.command }</th><th>{ t.connection }</th><th>{ t.expected }</th><th>{ t.api_verdict }</th><th></th></tr></thead>
                    { rows }
                </table>
                </div>
            }

            if !matrices.is_empty() {
                <h3>{ t.matrix_expectations }</h3>
                { for matrices }
            }
            if !store.ran_rows.is_empty() {
                { outcome_view(store.data.query.as_ref(), t) }
            }
        </article>
    }
}
