use yew::prelude::*;

use super::lesson::inline;
use super::use_results;
use crate::analyzer::{MAX_ENDPOINTS, MAX_EXPOSED};
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
                                if ing { <span class="badge in">{ shield() }{ t.ingress_isolated }</span> }
                                if eg { <span class="badge eg">{ shield() }{ t.egress_isolated }</span> }
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
    let exposure: Html = c
        .exposure
        .iter()
        .map(|w| {
            let item = |e: &crate::wire::ExposureItem| {
                let class = classes!(
                    "exposure-item",
                    if e.certain { "certain" } else { "may" },
                    e.wide.then_some("wide"),
                );
                html! {
                    <li class={class} data-direction={e.direction.clone()}>
                        <span class="dir">{ e.direction.clone() }</span>
                        if !e.certain { <span class="badge may">{ t.exposure_may }</span> }
                        <span class="what">{ inline(&e.text) }</span>
                        if let Some(r) = &e.rule { { " " }{ policy_link(r) } }
                    </li>
                }
            };
            // Each direction's exposures, one line each with its rule; a direction
            // without any says so in its summary sentence.
            let directions: Html = ["ingress", "egress"]
                .iter()
                .zip(&w.summaries)
                .map(|(dir, summary)| {
                    let items: Vec<_> = w.items.iter().filter(|e| e.direction == *dir).collect();
                    if items.is_empty() {
                        html! { <p class="summary" data-direction={dir.to_string()}>{ inline(summary) }</p> }
                    } else {
                        html! { <ul>{ for items.into_iter().map(item) }</ul> }
                    }
                })
                .collect();
            html! {
                <li class="exposure" data-workload={w.workload.clone()}>
                    <strong>{ w.workload.clone() }</strong>
                    { directions }
                </li>
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
            <h2 class="pane-title" id="exposure-title">{ t.exposure }</h2>
            <p class="hint">{ inline(t.exposure_hint) }</p>
            if c.workloads > MAX_EXPOSED {
                <p class="hint">{ format!("{} {MAX_EXPOSED} / {}", t.showing_first, c.workloads) }</p>
            }
            <ul class="exposures" id="exposures">{ exposure }</ul>
        </div>
    }
}

/// The isolation badge's shield, drawn (the `⛨` character is missing from common fonts
/// and showed as a box).
fn shield() -> Html {
    html! {
        <svg class="badge-icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
            <path d="M8 1 2 3.5v4C2 11 4.6 14 8 15c3.4-1 6-4 6-7.5v-4z" fill="currentColor" />
        </svg>
    }
}
