use netpol::QueryProtocol;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::use_results;
use crate::i18n::tr;
use crate::state::Action;

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
    let m = store.data.matrix.clone().unwrap_or_default();
    let names = &m.names;
    let table = if m.endpoints == 0 {
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
                        let (from_n, to_n) = (names[fi].clone(), names[ti].clone());
                        let label = match cell {
                            None => format!("{from_n} → {to_n}: ? {}", t.could_not_evaluate),
                            Some(_) => format!("{from_n} → {to_n}: {sym}"),
                        };
                        let onclick = {
                            let store = store.clone();
                            Callback::from(move |_| store.dispatch(Action::OpenCell(from_n.clone(), to_n.clone())))
                        };
                        html! {
                            <td class={class}>
                                <button type="button" title={label.clone()} aria-label={label} {onclick}>{ sym }</button>
                            </td>
                        }
                    })
                    .collect();
                html! { <tr><th scope="row">{ names[fi].clone() }</th>{ cells }</tr> }
            })
            .collect();
        html! {
            <div class="matrix-scroll">
                <table class="matrix" id="matrix">
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
                            <option value={*p} selected={protocol == QueryProtocol::parse(p).unwrap()}>{ *p }</option>
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
            </form>
            <p class="hint">{ t.matrix_help }</p>
            if m.matching > m.names.len() { <p class="hint" id="matrix-too-big">{ t.matrix_too_big }</p> }
            { table }
        </div>
    }
}
