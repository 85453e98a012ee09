use yew::prelude::*;

use super::use_results;
use crate::analyzer::MAX_ENDPOINTS;
use crate::i18n::tr;
use crate::state::Action;
use crate::wire::Link;

fn labels(l: &[String], none: &str) -> Html {
    if l.is_empty() {
        return html! { <span class="muted">{ none.to_string() }</span> };
    }
    html! { <>{ for l.iter().map(|l| html! { <span class="label-chip">{ l.clone() }</span> }) }</> }
}

/// Namespaces, endpoints with labels, ports and isolation badges, and the policies.
#[component]
pub fn ClusterView() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let c = store.data.cluster.clone().unwrap_or_default();
    let policy_link = |p: &Link| {
        let (start, end) = (p.start, p.end);
        let onclick = {
            let store = store.clone();
            Callback::from(move |_| store.dispatch(Action::Select(start, end)))
        };
        html! { <button type="button" class="link policy-link" {onclick}>{ p.label.clone() }</button> }
    };
    let namespaces: Html = c
        .namespaces
        .iter()
        .map(|ns| {
            let eps: Html = ns
                .endpoints
                .iter()
                .map(|e| {
                    let (ing, eg) = (e.ingress_isolated, e.egress_isolated);
                    html! {
                        <li class="endpoint">
                            <div class="endpoint-head">
                                <strong>{ e.name.clone() }</strong>
                                <span class="kind">{ e.kind.clone() }</span>
                                if ing { <span class="badge in">{ "⛨ " }{ t.ingress_isolated }</span> }
                                if eg { <span class="badge eg">{ "⛨ " }{ t.egress_isolated }</span> }
                                if !ing && !eg { <span class="badge open">{ t.not_isolated_badge }</span> }
                            </div>
                            <dl>
                                <dt>{ t.ip }</dt><dd>{ if e.ips.is_empty() { t.none.to_string() } else { e.ips.clone() } }</dd>
                                <dt>{ t.labels }</dt><dd>{ labels(&e.labels, t.none) }</dd>
                                <dt>{ t.ports }</dt><dd>{ if e.ports.is_empty() { t.none.to_string() } else { e.ports.clone() } }</dd>
                                if !e.selected_by.is_empty() { <dt>{ t.selected_by }</dt><dd class="chips">{ for e.selected_by.iter().map(policy_link) }</dd> }
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
            if c.endpoints > MAX_ENDPOINTS {
                <p class="hint">{ format!("{} {MAX_ENDPOINTS} / {}", t.showing_first, c.endpoints) }</p>
            }
            { namespaces }
            <h2 class="pane-title">{ t.policies }</h2>
            <ul class="policies">{ for c.policies.iter().map(|p| html! { <li>{ policy_link(p) }</li> }) }</ul>
        </div>
    }
}
