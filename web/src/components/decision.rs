use std::rc::Rc;

use netpol::eval::{PolicyRef, RuleRef, Side, SideVerdict};
use netpol::tiers::{StepOutcome, StepTier, TierStep};
use netpol::{explain, Decision, Direction, Verdict};
use yew::prelude::*;

use super::use_results;
use crate::i18n::{tr, Tr};
use crate::state::{Action, Store};

#[derive(Properties, PartialEq)]
pub struct DecisionProps {
    pub decision: Rc<Decision>,
}

fn select_button(
    store: &Store,
    label: String,
    range: std::ops::Range<usize>,
    class: &'static str,
) -> Html {
    let onclick = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Select(range.start, range.end)))
    };
    html! { <button type="button" class={classes!("link", class)} {onclick}>{ label }</button> }
}

fn policy_button(store: &Store, p: &PolicyRef) -> Html {
    select_button(
        store,
        format!("{}/{}", p.namespace, p.name),
        p.location.range.clone(),
        "policy-link",
    )
}

fn rule_button(store: &Store, r: &RuleRef) -> Html {
    select_button(
        store,
        explain::rule_label(r),
        r.location.range.clone(),
        "rule-link",
    )
}

/// Which way a step of the tier chain went: `allow`, `deny` or `pass` (evaluation goes on).
fn step_effect(o: StepOutcome) -> &'static str {
    use netpol::tiers::calico::CalicoAction;
    let allow = |b: Option<bool>| match b {
        Some(true) => "allow",
        Some(false) => "deny",
        None => "pass",
    };
    match o {
        StepOutcome::Matched(a) => allow(a.decision()),
        StepOutcome::NpAllowed | StepOutcome::DefaultAllow => "allow",
        StepOutcome::NpDenied => "deny",
        StepOutcome::NoRuleMatched | StepOutcome::NpNotIsolated => "pass",
        StepOutcome::CalicoMatched(a) | StepOutcome::TierDefault(a) => match a {
            CalicoAction::Allow => "allow",
            CalicoAction::Deny => "deny",
            CalicoAction::Pass | CalicoAction::Log => "pass",
        },
    }
}

fn tier_name(t: &Tr, tier: StepTier) -> &'static str {
    match tier {
        StepTier::Admin => t.tier_admin,
        StepTier::NetworkPolicy => t.tier_np,
        StepTier::Baseline => t.tier_baseline,
        StepTier::Default => t.tier_default,
        StepTier::Calico => t.tier_calico,
    }
}

/// One step of the chain: the tier, the policy (a button selecting its rule or the policy
/// in the editor) and what it did.
fn step_view(store: &Store, t: &Tr, side: &Side, i: usize, step: &TierStep) -> Html {
    let effect = step_effect(step.outcome);
    let symbol = match effect {
        "allow" => "✓",
        "deny" => "✗",
        _ => "→",
    };
    // `[policy] what it did`: the policy becomes a button, the rest stays text.
    let words = explain::tier_step(step, side.direction, store.lang)
        .unwrap_or_else(|| t.step_default_allow.to_string());
    let what = match words.strip_prefix('[').and_then(|w| w.split_once("] ")) {
        Some((_, rest)) => rest.to_string(),
        None => words.clone(),
    };
    let policy: Html = match (&step.location, &step.policy) {
        (Some(loc), Some(p)) => select_button(store, p.clone(), loc.range.clone(), "step-link"),
        // NetworkPolicy steps name the isolating policies: the side lists them.
        (None, Some(_)) if step.tier == StepTier::NetworkPolicy => html! {
            <>{ for side.isolated_by.iter().map(|p| policy_button(store, p)) }</>
        },
        (None, Some(p)) => html! { <code>{ p.clone() }</code> },
        _ => html! {},
    };
    html! {
        <li class={classes!("step", effect)} data-tier={format!("{:?}", step.tier)} data-effect={effect} data-step={i.to_string()}>
            <span class="step-sym" aria-hidden="true">{ symbol }</span>
            <span class="tier-badge">{ tier_name(t, step.tier) }</span>
            { policy }
            <span class="step-what">{ for what.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
                html! { <code>{ part.to_string() }</code> }
            } else {
                html! { { part.to_string() } }
            }) }</span>
        </li>
    }
}

fn side_view(store: &Store, t: &Tr, side: &Side) -> Html {
    let (title, id) = match side.direction {
        Direction::Egress => (t.egress_side, "side-egress"),
        Direction::Ingress => (t.ingress_side, "side-ingress"),
    };
    // The whole chain decides (an AdminNetworkPolicy can deny a pod no NetworkPolicy
    // isolates); `side.verdict` is only the NetworkPolicy tier's result.
    let ok = side.allows();
    let summary = match side.tiers.last() {
        Some(last) => match last.tier {
            StepTier::Admin => t.decided_admin,
            StepTier::NetworkPolicy => t.decided_np,
            StepTier::Baseline => t.decided_baseline,
            StepTier::Default => t.decided_default,
            StepTier::Calico => t.decided_calico,
        },
        None => match side.verdict {
            SideVerdict::NotIsolated => t.not_isolated,
            SideVerdict::AllowedByRule => t.rule_allows,
            SideVerdict::NoRuleMatched => t.no_rule,
            SideVerdict::NotApplicable => t.not_applicable,
        },
    };
    // The evaluator's own words for each near miss: `- RULE: why`, in order (indented
    // under the chain when tiers apply).
    let reasons: Vec<String> = explain::explain_side(side, store.lang)
        .into_iter()
        .filter_map(|l| {
            l.trim_start().strip_prefix("- ").map(|r| {
                r.split_once(": ")
                    .map_or(r.to_string(), |(_, w)| w.to_string())
            })
        })
        .collect();
    html! {
        <section class={classes!("side", if ok { "ok" } else { "bad" })} id={id} data-allows={ok.to_string()}>
            <h3><span aria-hidden="true">{ if ok { "✓ " } else { "✗ " } }</span>{ title }{ ": " }<code>{ &side.endpoint }</code></h3>
            <p class="side-summary">{ summary }</p>
            if !side.tiers.is_empty() {
                <div class="chain-wrap"><span class="chips-label">{ t.tier_chain }{ ":" }</span>
                    <ol class="chain">
                        { for side.tiers.iter().enumerate().map(|(i, s)| step_view(store, t, side, i, s)) }
                        <li class={classes!("step", "final", if ok { "allow" } else { "deny" })}>
                            <span class="step-sym" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                            <strong>{ explain::verdict_word(if ok { Verdict::Allowed } else { Verdict::Denied }, store.lang) }</strong>
                        </li>
                    </ol>
                </div>
            }
            if !side.isolated_by.is_empty() {
                <div class="chips"><span class="chips-label">{ t.isolated_by }{ ":" }</span>
                    { for side.isolated_by.iter().map(|p| policy_button(store, p)) }</div>
            }
            if !side.allowed_by.is_empty() {
                <div class="chips"><span class="chips-label">{ t.allowed_by }{ ":" }</span>
                    { for side.allowed_by.iter().map(|r| rule_button(store, r)) }</div>
            }
            if !side.near_misses.is_empty() {
                <div class="near"><span class="chips-label">{ t.near_misses }{ ":" }</span>
                    <ul>{ for side.near_misses.iter().zip(reasons.iter()).map(|(m, why)| {
                        html! { <li>{ rule_button(store, &m.rule) }{ " — " }{ why.clone() }</li> }
                    }) }</ul>
                </div>
            }
        </section>
    }
}

/// Denied by NetworkPolicy: the policies that would allow it (see `netpol::fix`).
fn suggested_fixes(store: &Store, d: &Decision) -> Vec<netpol::fix::Fix> {
    store.analysis.core.fixes_for([d])
}

/// "How to allow it": each suggested policy, one click from the editor.
fn fixes_view(store: &Store, t: &Tr, fixes: &[netpol::fix::Fix]) -> Html {
    if fixes.is_empty() {
        return Html::default();
    }
    let fix_view = |f: &netpol::fix::Fix| {
        let onclick = {
            let store = store.clone();
            let yaml = f.yaml.clone();
            // Appended by the reducer to the text as it is then, never to the text this
            // view was rendered from (an edit may have come in between).
            Callback::from(move |_| store.dispatch(Action::AppendDocument(yaml.clone())))
        };
        html! {
            <div class="fix">
                <p>{ explain::fix_title(f, store.lang) }</p>
                <pre>{ f.yaml.clone() }</pre>
                <button type="button" class="btn small add-fix" {onclick}>{ t.add_fix }</button>
            </div>
        }
    };
    html! {
        <section class="fixes"><h3>{ t.how_to_allow }</h3>
            { for fixes.iter().map(fix_view) }
        </section>
    }
}

/// The verdict badge and the explanation: both sides, caveats, and the evaluator's words.
#[component]
pub fn DecisionView(p: &DecisionProps) -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let d = &p.decision;
    let (class, symbol, key) = match d.verdict {
        Verdict::Allowed => ("allowed", "✓", "allowed"),
        Verdict::Denied => ("denied", "✗", "denied"),
        Verdict::Unknown => ("unknown", "?", "unknown"),
    };
    let words = explain::explain(d, store.lang);
    let fixes = suggested_fixes(&store, d);
    html! {
        <div class={classes!("verdict", class)} id="verdict" data-verdict={key} aria-live="polite">
            <div class="verdict-head">
                <span class="verdict-badge"><span aria-hidden="true">{ symbol }</span>{ " " }{ explain::verdict_word(d.verdict, store.lang) }</span>
                <span class="verdict-conn"><code>{ &d.from }</code>{ " → " }<code>{ &d.to }</code>{ " · " }{ explain::connection_label(d) }</span>
            </div>
            if let Some(e) = &d.error { <p class="verdict-error">{ e }</p> }
            if d.self_traffic { <p>{ t.self_traffic }</p> }
            if d.error.is_none() && !d.self_traffic {
                <div class="sides">
                    { side_view(&store, t, &d.egress) }
                    { side_view(&store, t, &d.ingress) }
                </div>
                <p class="hint">{ t.policy_click_hint }</p>
            }
            { fixes_view(&store, t, &fixes) }
            if !d.caveats.is_empty() {
                <section class="caveats"><h3>{ t.notes }</h3>
                    <ul>{ for d.caveats.iter().map(|c| html! { <li>{ explain::caveat(c, store.lang) }</li> }) }</ul>
                </section>
            }
            <details class="words" open=true>
                <summary>{ t.in_words }</summary>
                <pre id="explanation">{ words.join("\n") }</pre>
            </details>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ServiceProps {
    pub decision: Rc<netpol::services::ServiceDecision>,
}

/// A connection through a Service, an Ingress, a NodePort or DNS: the outcome, the facts
/// (notes) and every backend pod with its own decision.
#[component]
pub fn ServiceView(p: &ServiceProps) -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let d = &p.decision;
    use netpol::services::{self, Outcome, Via};
    let (class, symbol) = match d.outcome {
        Outcome::Allowed => ("allowed", "✓"),
        Outcome::Denied => ("denied", "✗"),
        Outcome::Partial => ("partial", "◐"),
        Outcome::NoBackends => ("denied", "∅"),
        Outcome::Unknown => ("unknown", "?"),
    };
    let words = services::explain(d, store.lang);
    // Over every denied backend; replicas of one workload need the same policy once.
    let fixes = store.analysis.core.fixes_for(d.decisions());
    let direct = (d.via == Via::Direct)
        .then(|| d.backends.first().and_then(|b| b.decision.clone()))
        .flatten();
    html! {
        <div class={classes!("verdict", class)} id="verdict" data-verdict={d.outcome.as_str()} aria-live="polite">
            <div class="verdict-head">
                <span class="verdict-badge"><span aria-hidden="true">{ symbol }</span>{ " " }{ services::outcome_word(d.outcome, store.lang) }</span>
                <span class="verdict-conn">{ services::headline(d, store.lang) }</span>
            </div>
            if let Some(e) = &d.error { <p class="verdict-error">{ e }</p> }
            if !d.notes.is_empty() {
                <ul class="notes">{ for d.notes.iter().map(|n| html! { <li>{ services::note(n, store.lang) }</li> }) }</ul>
            }
            if let Some(dec) = direct {
                if !dec.self_traffic {
                    <div class="sides">
                        { side_view(&store, t, &dec.egress) }
                        { side_view(&store, t, &dec.ingress) }
                    </div>
                }
            } else {
                <ul class="backends">{ for d.backends.iter().map(|b| {
                    let ok = b.verdict == Verdict::Allowed;
                    html! {
                        <li class={if ok { "ok" } else { "bad" }}>
                            <span aria-hidden="true">{ if ok { "✓ " } else { "✗ " } }</span>
                            <code>{ b.pod.clone() }</code>{ " " }{ explain::verdict_word(b.verdict, store.lang) }
                            if let Some(dec) = &b.decision {
                                // A hairpin leg (back to the source through the Service) is
                                // decided by the cluster-scoped tiers: show its sides.
                                if (!dec.self_traffic || dec.hairpin) && dec.error.is_none() {
                                    <div class="sides">
                                        { side_view(&store, t, &dec.egress) }
                                        { side_view(&store, t, &dec.ingress) }
                                    </div>
                                }
                            }
                        </li>
                    }
                }) }</ul>
            }
            { fixes_view(&store, t, &fixes) }
            <details class="words" open=true>
                <summary>{ t.in_words }</summary>
                <pre id="explanation">{ words.join("\n") }</pre>
            </details>
        </div>
    }
}
