use netpol::QueryProtocol;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::use_results;
use crate::i18n::{changes_tr, graph_tr, tr, Tr};
use crate::state::{Action, Store};
use crate::wire::WorkloadMatrixData;

/// The cells that differ from the pinned baseline: (row, column, the baseline's value),
/// in row-major order (as the worker lists them).
type Since = [(u32, u32, String)];

/// A changed cell's class, `data-since` and the end of its tooltip.
fn since_parts(
    store: &Store,
    since: &Since,
    fi: usize,
    ti: usize,
) -> (Option<&'static str>, Option<String>, String) {
    let at = (fi as u32, ti as u32);
    match since
        .binary_search_by(|(i, j, _)| (*i, *j).cmp(&at))
        .ok()
        .and_then(|k| since.get(k))
    {
        Some((_, _, b)) => {
            let ct = changes_tr(store.lang);
            (
                Some("since"),
                Some(b.clone()),
                format!(" ({} {})", ct.was, ct.cell(b)),
            )
        }
        None => (None, None, String::new()),
    }
}

/// Whether the traced part allows cell (row, column) (the worker lists the cells in
/// row-major order), and the end of its tooltip then.
fn traced(store: &Store, fi: usize, ti: usize) -> (bool, &'static str) {
    let at = (fi as u32, ti as u32);
    let yes = store
        .data
        .trace
        .as_ref()
        .is_some_and(|t| t.cells.binary_search(&at).is_ok());
    (
        yes,
        if yes {
            crate::i18n::trace_tr(store.lang).legend
        } else {
            ""
        },
    )
}

/// The workload matrix: short names under their namespace (rows and columns), `~` where
/// only some pods may connect.
fn workload_table(store: &Store, t: &Tr, w: &WorkloadMatrixData, since: &Since) -> Html {
    let gt = graph_tr(store.lang);
    if w.workloads == 0 {
        return html! { <p class="hint">{ t.matrix_empty }</p> };
    }
    if w.matching == 0 {
        return html! { <p class="hint">{ t.matrix_no_match }</p> };
    }
    // Runs of one namespace: (namespace, first index, length).
    let mut runs: Vec<(String, usize, usize)> = Vec::new();
    for (i, r) in w.rows.iter().enumerate() {
        match runs.last_mut() {
            Some((ns, _, n)) if *ns == r.namespace => *n += 1,
            _ => runs.push((r.namespace.clone(), i, 1)),
        }
    }
    let ns_heads: Html = runs
        .iter()
        .map(|(ns, _, n)| html! { <th scope="colgroup" class="ns-col" colspan={n.to_string()}>{ ns.clone() }</th> })
        .collect();
    let col_heads: Html = w
        .rows
        .iter()
        .map(|r| html! {
            <th scope="col" class="col" title={r.label.clone()}><span>{ r.name.clone() }<small>{ format!(" {}", r.kind) }</small></span></th>
        })
        .collect();
    let body: Html = w
        .cells
        .iter()
        .enumerate()
        .zip(&w.rows)
        .map(|((fi, row), from)| {
            let ns_cell = runs
                .iter()
                .find(|(_, start, _)| *start == fi)
                .map(|(ns, _, n)| html! { <th scope="rowgroup" class="ns-row" rowspan={n.to_string()}><span>{ ns.clone() }</span></th> });
            let cells: Html = row
                .iter()
                .enumerate()
                .zip(&w.rows)
                .map(|((ti, cell), to)| {
                    let (class, sym, word) = match cell.as_str() {
                        "allowed" => ("cell allow", "✓", "✓"),
                        "denied" => ("cell deny", "✗", "✗"),
                        "partial" => ("cell partial", "~", gt.partial),
                        _ => ("cell unknown", "?", t.could_not_evaluate),
                    };
                    let (mark, was, note) = since_parts(store, since, fi, ti);
                    let (tr_on, tr_note) = traced(store, fi, ti);
                    let tr_note = if tr_on { format!(" · {tr_note}") } else { String::new() };
                    let label = format!("{} → {}: {word}{note}{tr_note}", from.label, to.label);
                    let onclick = {
                        let store = store.clone();
                        let (f, t) = (from.query.clone(), to.query.clone());
                        Callback::from(move |_| store.dispatch(Action::OpenCell(f.clone(), t.clone())))
                    };
                    html! {
                        <td class={classes!(class, mark, tr_on.then_some("traced"))} data-from={from.label.clone()} data-to={to.label.clone()} data-cell={cell.clone()} data-since={was} data-traced={tr_on.to_string()}>
                            <button type="button" title={label.clone()} aria-label={label} {onclick}>{ sym }</button>
                        </td>
                    }
                })
                .collect();
            html! {
                <tr>{ for ns_cell }<th scope="row" title={from.label.clone()}>{ from.name.clone() }<small>{ format!(" {}", from.kind) }</small></th>{ cells }</tr>
            }
        })
        .collect();
    html! {
        <div class="matrix-scroll">
            <table class="matrix workloads" id="matrix" data-by="workload">
                <thead>
                    <tr><th scope="col" class="corner" colspan="2" rowspan="2">{ t.from_to }</th>{ ns_heads }</tr>
                    <tr>{ col_heads }</tr>
                </thead>
                <tbody>{ body }</tbody>
            </table>
        </div>
    }
}

/// The truth table for one port and protocol; a cell opens its explanation.
#[component]
pub fn MatrixView() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let protocol = QueryProtocol::parse(&store.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let on_port = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            store.dispatch(Action::MatrixPort(
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_proto = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            store.dispatch(Action::MatrixProtocol(
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    let on_filter = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            store.dispatch(Action::MatrixFilter(
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_pods = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            store.dispatch(Action::MatrixPods(
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            ))
        })
    };
    let gt = graph_tr(store.lang);
    let m = store.data.matrix.clone().unwrap_or_default();
    let names = &m.names;
    let since: &Since = &m.since;
    let table = if let Some(w) = &m.workloads {
        workload_table(&store, t, w, since)
    } else if m.endpoints == 0 {
        html! { <p class="hint">{ t.matrix_empty }</p> }
    } else if m.matching == 0 {
        html! { <p class="hint">{ t.matrix_no_match }</p> }
    } else {
        let rows: Html = m
            .cells
            .iter()
            .enumerate()
            .map(|(fi, row)| {
                let cells: Html = row
                    .iter()
                    .enumerate()
                    .map(|(ti, &cell)| {
                        // Unknown (the port does not resolve at the destination) is its
                        // own cell, never "denied"; the diagonal too, as in `query`.
                        let (class, sym) = match cell {
                            Some(true) => ("cell allow", "✓"),
                            Some(false) => ("cell deny", "✗"),
                            None => ("cell unknown", "?"),
                        };
                        let name = |i: usize| names.get(i).cloned().unwrap_or_default();
                        let (from_n, to_n) = (name(fi), name(ti));
                        let (mark, was, note) = since_parts(&store, since, fi, ti);
                        let (tr_on, tr_note) = traced(&store, fi, ti);
                        let note = if tr_on { format!("{note} · {tr_note}") } else { note };
                        let label = match cell {
                            None => format!("{from_n} → {to_n}: ? {}{note}", t.could_not_evaluate),
                            Some(_) => format!("{from_n} → {to_n}: {sym}{note}"),
                        };
                        let onclick = {
                            let store = store.clone();
                            Callback::from(move |_| store.dispatch(Action::OpenCell(from_n.clone(), to_n.clone())))
                        };
                        html! {
                            <td class={classes!(class, mark, tr_on.then_some("traced"))} data-since={was} data-cell={crate::wire::pod_cell_word(cell)} data-traced={tr_on.to_string()}>
                                <button type="button" title={label.clone()} aria-label={label} {onclick}>{ sym }</button>
                            </td>
                        }
                    })
                    .collect();
                html! { <tr><th scope="row">{ names.get(fi).cloned().unwrap_or_default() }</th>{ cells }</tr> }
            })
            .collect();
        html! {
            <div class="matrix-scroll">
                <table class="matrix" id="matrix" data-by="pod">
                    <thead><tr><th scope="col" class="corner">{ t.from_to }</th>
                        { for names.iter().map(|n| html! { <th scope="col" class="col"><span>{ n.clone() }</span></th> }) }
                    </tr></thead>
                    <tbody>{ rows }</tbody>
                </table>
            </div>
        }
    };
    html! {
        <div class="matrix-view">
            <form class="query-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset class="picker small">
                    <legend>{ t.protocol }</legend>
                    <select id="matrix-protocol" aria-label={t.protocol} onchange={on_proto}>
                        { for ["TCP", "UDP", "SCTP", "ICMP"].iter().map(|p| html! {
                            <option value={*p} selected={Some(protocol) == QueryProtocol::parse(p)}>{ *p }</option>
                        }) }
                    </select>
                </fieldset>
                <fieldset class="picker small">
                    <legend>{ t.port }</legend>
                    <input id="matrix-port" type="text" aria-label={t.port} value={store.matrix_port.clone()} disabled={protocol == QueryProtocol::ICMP} oninput={on_port} />
                </fieldset>
                <fieldset class="picker">
                    <legend>{ t.matrix_filter }</legend>
                    <input id="matrix-filter" type="search" aria-label={t.matrix_filter} placeholder={t.matrix_filter_hint} value={store.matrix_filter.clone()} oninput={on_filter} />
                </fieldset>
                <label class="check">
                    <input id="matrix-pods" type="checkbox" checked={store.matrix_pods} onchange={on_pods} />
                    { gt.show_pods }
                </label>
            </form>
            if let Some(w) = &m.workloads {
                <p class="hint">{ gt.matrix_workloads_help }</p>
                if w.matching > w.rows.len() { <p class="hint" id="matrix-too-big">{ gt.matrix_workloads_too_big }</p> }
            } else {
                <p class="hint">{ t.matrix_help }</p>
                if m.matching > m.names.len() { <p class="hint" id="matrix-too-big">{ t.matrix_too_big }</p> }
            }
            if store.baseline.is_some() {
                <p class="hint since-legend" id="matrix-since">
                    <span class="since-key" aria-hidden="true"></span>
                    { format!("{}: {}", changes_tr(store.lang).since, since.len()) }
                </p>
            }
            <super::trace::TraceBanner marked={store.data.trace.as_ref().map_or(0, |t| t.cells.len())} graph=false />
            { table }
        </div>
    }
}
