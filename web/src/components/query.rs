use std::rc::Rc;

use netpol::QueryProtocol;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::decision::{DecisionView, ServiceView};
use super::steps::StepsPanel;
use super::use_results;
use crate::i18n::tr;
use crate::state::{Action, Query};
use crate::wire::OutcomeView;

/// The verdict under the form, as the worker computed it (or nothing yet).
pub fn outcome_view(o: Option<&OutcomeView>, t: &crate::i18n::Tr) -> Html {
    match o {
        Some(OutcomeView::Decision(d)) => {
            html! { <DecisionView decision={Rc::new((**d).clone())} /> }
        }
        Some(OutcomeView::Service(d)) => {
            html! { <ServiceView decision={Rc::new((**d).clone())} /> }
        }
        Some(OutcomeView::Error(e)) => html! {
            <div class="verdict unknown" id="verdict" data-verdict="unknown">
                <span class="verdict-badge">{ format!("? {}", t.cannot_evaluate) }</span>
                <p class="verdict-error">{ e }</p>
            </div>
        },
        None => html! { <p class="hint" id="verdict-pending">{ t.analysing }</p> },
    }
}

#[derive(Properties, PartialEq)]
struct EndpointPickerProps {
    id: AttrValue,
    label: AttrValue,
    value: String,
    groups: Rc<Vec<(String, Vec<String>)>>,
    lang: netpol::Lang,
    onchange: Callback<String>,
}

/// A select grouped by namespace, plus a free-text IP address. Its props change only with
/// the names (`State::groups`), the query or the language (its callback is made once per
/// query), so it is not rendered again for each answer of the worker (issue 17: two of
/// them hold 10,000 options at 5,000 pods).
#[component]
fn EndpointPicker(p: &EndpointPickerProps) -> Html {
    let t = tr(p.lang);
    let known = p.groups.iter().any(|(_, v)| v.contains(&p.value));
    let on_select = {
        let cb = p.onchange.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(sel.value());
        })
    };
    let on_ip = {
        let cb = p.onchange.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    let groups = Html::from_html_unchecked(options_html(&p.groups, &p.value).into());
    html! {
        <fieldset class="picker">
            <legend>{ p.label.clone() }</legend>
            <select id={p.id.clone()} onchange={on_select} aria-label={p.label.clone()}>
                <option value="" selected={!known}>{ t.ip_option }</option>
                { groups }
            </select>
            <input id={format!("{}-ip", p.id)} type="text" inputmode="decimal" placeholder={t.ip_address} aria-label={format!("{} {}", p.label, t.ip_address)}
                value={if known { String::new() } else { p.value.clone() }} oninput={on_ip} />
        </fieldset>
    }
}

/// The `<optgroup>`s and `<option>`s of the endpoints, one string for the browser's HTML
/// parser (issue 17: as 10,000 virtual nodes at 5,000 pods they took about 100 ms of
/// Yew's rendering after a paste). Every name is escaped (`escape_html`); the choice is
/// `selected`. The string changes, and the options are made again, only when the names
/// or the choice do.
pub fn options_html(groups: &[(String, Vec<String>)], value: &str) -> String {
    let mut out = String::new();
    for (ns, names) in groups {
        out.push_str("<optgroup label=\"");
        escape_html(ns, &mut out);
        out.push_str("\">");
        for n in names {
            out.push_str("<option value=\"");
            escape_html(n, &mut out);
            out.push_str(if *n == value { "\" selected>" } else { "\">" });
            escape_html(n, &mut out);
            out.push_str("</option>");
        }
        out.push_str("</optgroup>");
    }
    out
}

/// `text` as HTML text or a quoted attribute value.
fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Source, destination, port and protocol; the verdict and its explanation.
#[component]
pub fn QueryPanel() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let groups = store.groups.clone();
    let q = store.query.clone();
    let set = |f: fn(&mut Query, String)| {
        let store = store.clone();
        Callback::from(move |v: String| {
            let mut q = store.query.clone();
            f(&mut q, v);
            store.dispatch(Action::SetQuery(q));
        })
    };
    // Made again only when the query changes: they start from the query they were made at.
    let pick = use_memo(q.clone(), |_| {
        (set(|q, v| q.from = v), set(|q, v| q.to = v))
    });
    let on_port = {
        let cb = set(|q, v| q.port = v);
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_proto = {
        let cb = set(|q, v| q.protocol = v);
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let icmp = q.protocol() == QueryProtocol::ICMP;
    let outcome = outcome_view(store.data.query.as_ref(), t);
    html! {
        <div class="query">
            <form class="query-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <EndpointPicker id="from" label={t.source} value={q.from.clone()} groups={groups.clone()} lang={store.lang} onchange={pick.0.clone()} />
                <span class="arrow" aria-hidden="true">{ "→" }</span>
                <EndpointPicker id="to" label={t.destination} value={q.to.clone()} groups={groups} lang={store.lang} onchange={pick.1.clone()} />
                <fieldset class="picker small">
                    <legend>{ t.protocol }</legend>
                    <select id="protocol" aria-label={t.protocol} onchange={on_proto}>
                        { for ["TCP", "UDP", "SCTP", "ICMP"].iter().map(|p| html! {
                            <option value={*p} selected={Some(q.protocol()) == QueryProtocol::parse(p)}>{ if *p == "ICMP" { "ICMP (ping)" } else { p } }</option>
                        }) }
                    </select>
                </fieldset>
                <fieldset class="picker small">
                    <legend>{ t.port }</legend>
                    <input id="port" type="text" aria-label={t.port} placeholder={t.port_hint} value={q.port.clone()} disabled={icmp} oninput={on_port} />
                </fieldset>
            </form>
            if store.steps.is_some() { <StepsPanel /> }
            { outcome }
        </div>
    }
}
