use netpol::scenario::{Expectation, MatrixExpect};
use netpol::{Lang, QueryProtocol};
use yew::prelude::*;

use super::query::outcome_view;
use super::use_results;
use crate::examples;
use crate::i18n::tr;
use crate::state::Action;

/// Plain text with `code` in backticks, rendered as text nodes (never as HTML).
fn inline(text: &str) -> Html {
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

/// An expected matrix as the scenario writes it: `.` allowed, `X` denied, `-` not checked.
fn matrix_text(m: &MatrixExpect) -> String {
    let head = "from\\to";
    let w0 = m
        .rows
        .iter()
        .map(|(s, _)| s.chars().count())
        .chain([head.len()])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = m.columns.iter().map(|c| c.chars().count()).collect();
    let mut out = format!("{head:<w0$}");
    for c in &m.columns {
        out.push_str("  ");
        out.push_str(c);
    }
    for (src, cells) in &m.rows {
        out.push('\n');
        out.push_str(&format!("{src:<w0$}"));
        for (cell, w) in cells.iter().zip(&widths) {
            let sym = match cell {
                Some(true) => ".",
                Some(false) => "X",
                None => "-",
            };
            out.push_str(&format!("  {sym:<w$}"));
        }
    }
    out
}

/// The example's lesson and its queries, each one click away.
#[component]
pub fn Lesson() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let Some(i) = store.example else {
        return html! { <p class="hint">{ t.no_example }</p> };
    };
    let Some(ex) = examples::load(i) else {
        return html! {};
    };
    let lesson = ex.scenario.lesson.as_ref().map(|l| match store.lang {
        Lang::En => l.en.clone(),
        Lang::Es => l.es.clone(),
    });
    let rows: Html = store
        .example_rows
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let ran = store.ran_rows.contains(&ri);
            // The worker's verdicts are for this example's rows once its answer came.
            let current = store.data_for.as_ref().is_some_and(|v| v.example == store.example);
            let api = match store.data.lesson.get(ri) {
                Some(k) if current => k.clone(),
                _ => "unknown".to_string(),
            };
            let expected = r.expected_outcome().as_str();
            let onclick = {
                let store = store.clone();
                Callback::from(move |_| {
                    store.dispatch(Action::RunRow(ri));
                })
            };
            let conn = match (&r.port, r.protocol) {
                (_, QueryProtocol::ICMP) => "ICMP (ping)".to_string(),
                (Some(p), proto) => format!("{proto} {p}"),
                (None, proto) => proto.to_string(),
            };
            let verdict = |key: &str| {
                let (class, sym) = match key {
                    "allowed" => ("mini allow", "✓ "),
                    "denied" => ("mini deny", "✗ "),
                    _ => ("mini other", "◐ "),
                };
                let word = netpol::services::Outcome::parse(key).map(|o| netpol::services::outcome_word(o, store.lang)).unwrap_or_else(|| key.to_string());
                html! { <span class={class}>{ sym }{ word }</span> }
            };
            html! {
                <tr class="row" data-row={ri.to_string()} data-expected={expected} data-api={api.clone()}>
                    <td>if let Some(c) = r.command.clone() { <code class="cmd">{ c }</code> }</td>
                    <td><code>{ r.from.clone() }</code>{ " → " }<code>{ r.to.clone() }</code>{ " · " }{ conn }</td>
                    <td>{ verdict(expected) }</td>
                    <td class="api">
                        if ran {
                            { verdict(&api) }
                            if api == expected { <span class="match yes">{ " = " }{ t.matches }</span> } else { <span class="match no">{ " ≠ " }{ t.differs }</span> }
                        }
                    </td>
                    <td><button type="button" class="btn small run" {onclick}>{ t.run }</button></td>
                </tr>
            }
        })
        .collect();
    let matrices: Vec<Html> = ex
        .scenario
        .expect
        .iter()
        .filter_map(|e| match e {
            Expectation::Matrix(m) => Some(m),
            Expectation::Connection(_) => None,
        })
        .enumerate()
        .map(|(mi, m)| {
            let port = m.port.to_string();
            let protocol = m.protocol.as_str().to_string();
            let label = match m.protocol {
                QueryProtocol::ICMP => "ICMP (ping)".to_string(),
                p => format!("{p} {port}"),
            };
            let onclick = {
                let store = store.clone();
                let (port, protocol) = (port.clone(), protocol.clone());
                Callback::from(move |_| store.dispatch(Action::OpenMatrix(port.clone(), protocol.clone())))
            };
            html! {
                <details class="expect-matrix" data-matrix={mi.to_string()} data-port={port} data-protocol={protocol}>
                    <summary>{ label }{ format!(" · {} × {}", m.rows.len(), m.columns.len()) }</summary>
                    <button type="button" class="btn small open-matrix" {onclick}>{ t.open_in_matrix }</button>
                    <pre class="matrix-text">{ matrix_text(m) }</pre>
                </details>
            }
        })
        .collect();
    html! {
        <article class="lesson" id="lesson" data-example={examples::EXAMPLES[i].id}>
            <h2>{ examples::title(i, store.lang) }</h2>
            if let Some(l) = lesson {
                { for l.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| html! { <p>{ inline(p.trim()) }</p> }) }
            }
            if !store.example_rows.is_empty() {
                <h3>{ t.queries }</h3>
                <div class="table-scroll">
                <table class="rows" id="rows">
                    <thead><tr><th>{ t.command }</th><th>{ t.connection }</th><th>{ t.expected }</th><th>{ t.api_verdict }</th><th></th></tr></thead>
                    <tbody>{ rows }</tbody>
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
