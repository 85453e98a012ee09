use netpol::Direction;
use yew::prelude::*;

use super::use_results;
use crate::i18n::tr;
use crate::state::Action;

fn labels(l: &netpol::model::Labels, none: &str) -> Html {
    if l.is_empty() {
        return html! { <span class="muted">{ none.to_string() }</span> };
    }
    html! { <>{ for l.iter().map(|(k, v)| html! { <span class="label-chip">{ format!("{k}={v}") }</span> }) }</> }
}

/// Rendering thousands of endpoint cards would make the page sluggish.
const MAX_ENDPOINTS: usize = 150;

/// Namespaces, endpoints with labels, ports and isolation badges, and the policies.
#[component]
pub fn ClusterView() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let c = store.analysis.cluster();
    let engine = store.analysis.engine();
    let policy_link = |pi: usize| {
        let p = &c.policies[pi];
        let range = p.location.range.clone();
        let onclick = {
            let store = store.clone();
            Callback::from(move |_| store.dispatch(Action::Select(range.start, range.end)))
        };
        html! { <button type="button" class="link policy-link" {onclick}>{ p.full_name() }</button> }
    };
    let namespaces: Html = c
        .namespaces
        .iter()
        .map(|ns| {
            let eps: Html = c
                .endpoints
                .iter()
                .enumerate()
                .filter(|(i, e)| *i < MAX_ENDPOINTS && e.namespace == ns.name)
                .map(|(i, e)| {
                    let ing = engine.selecting(i, Direction::Ingress);
                    let eg = engine.selecting(i, Direction::Egress);
                    let mut sel: Vec<usize> = ing.iter().chain(eg.iter()).copied().collect();
                    sel.sort();
                    sel.dedup();
                    let ips = e.ips.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(", ");
                    let ports = e
                        .ports
                        .iter()
                        .map(|p| match &p.name {
                            Some(n) => format!("{}/{} ({n})", p.port, p.protocol.as_str()),
                            None => format!("{}/{}", p.port, p.protocol.as_str()),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    html! {
                        <li class="endpoint">
                            <div class="endpoint-head">
                                <strong>{ e.name.clone() }</strong>
                                <span class="kind">{ e.kind.as_str() }</span>
                                if !ing.is_empty() { <span class="badge in">{ "⛨ " }{ t.ingress_isolated }</span> }
                                if !eg.is_empty() { <span class="badge eg">{ "⛨ " }{ t.egress_isolated }</span> }
                                if ing.is_empty() && eg.is_empty() { <span class="badge open">{ t.not_isolated_badge }</span> }
                            </div>
                            <dl>
                                <dt>{ t.ip }</dt><dd>{ if ips.is_empty() { t.none.to_string() } else { ips } }</dd>
                                <dt>{ t.labels }</dt><dd>{ labels(&e.labels, t.none) }</dd>
                                <dt>{ t.ports }</dt><dd>{ if ports.is_empty() { t.none.to_string() } else { ports } }</dd>
                                if !sel.is_empty() { <dt>{ t.selected_by }</dt><dd class="chips">{ for sel.iter().map(|&pi| policy_link(pi)) }</dd> }
                            </dl>
                        </li>
                    }
                })
                .collect();
            html! {
                <section class="namespace">
                    <h3>{ ns.name.clone() }</h3>
                    <div class="ns-labels">{ labels(&ns.labels, t.none) }</div>
                    <ul class="endpoints">{ eps }</ul>
                </section>
            }
        })
        .collect();
    html! {
        <div class="cluster" id="cluster">
            <h2 class="pane-title">{ t.namespaces }</h2>
            if c.endpoints.len() > MAX_ENDPOINTS {
                <p class="hint">{ format!("{} {MAX_ENDPOINTS} / {}", t.showing_first, c.endpoints.len()) }</p>
            }
            { namespaces }
            <h2 class="pane-title">{ t.policies }</h2>
            <ul class="policies">{ for (0..c.policies.len()).map(|i| html! { <li>{ policy_link(i) }</li> }) }</ul>
        </div>
    }
}
