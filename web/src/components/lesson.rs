use netpol::{Lang, QueryProtocol, Verdict};
use yew::prelude::*;

use super::decision::DecisionView;
use super::query::{evaluate, Outcome};
use super::use_store;
use crate::examples;
use crate::i18n::tr;
use crate::state::{row_query, Action};

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

/// The example's lesson and its queries, each one click away.
#[component]
pub fn Lesson() -> Html {
    let store = use_store();
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
            let api = match evaluate(&store.analysis, &row_query(r)) {
                Outcome::Decision(d) => Some(d.verdict == Verdict::Allowed),
                Outcome::Error(_) => None,
            };
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
            let verdict = |ok: bool| if ok { html! { <span class="mini allow">{ "✓ " }{ netpol::explain::verdict_word(Verdict::Allowed, store.lang) }</span> } } else { html! { <span class="mini deny">{ "✗ " }{ netpol::explain::verdict_word(Verdict::Denied, store.lang) }</span> } };
            html! {
                <tr class="row" data-row={ri.to_string()} data-expected={r.allowed.to_string()}>
                    <td><code>{ r.command.clone().unwrap_or_default() }</code></td>
                    <td><code>{ r.from.clone() }</code>{ " → " }<code>{ r.to.clone() }</code>{ " · " }{ conn }</td>
                    <td>{ verdict(r.allowed) }</td>
                    <td class="api">
                        if ran {
                            if let Some(a) = api {
                                { verdict(a) }
                                if a == r.allowed { <span class="match yes">{ " = " }{ t.matches }</span> } else { <span class="match no">{ " ≠ " }{ t.differs }</span> }
                            } else { { "?" } }
                        }
                    </td>
                    <td><button type="button" class="btn small run" {onclick}>{ t.run }</button></td>
                </tr>
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
            if !store.ran_rows.is_empty() {
                if let Outcome::Decision(d) = evaluate(&store.analysis, &store.query) {
                    <DecisionView decision={d} />
                }
            }
        </article>
    }
}
