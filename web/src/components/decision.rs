use std::rc::Rc;

use yew::prelude::*;

use super::use_results;
use crate::i18n::{tr, Tr};
use crate::state::{Action, Store};
use crate::wire::{
    DecisionData, EditData, FixData, Link, ServiceData, SideData, StepData, StepPolicy,
};

#[derive(Properties, PartialEq)]
pub struct DecisionProps {
    pub decision: Rc<DecisionData>,
}

/// A button that selects its range of the text in the editor.
pub fn select_button(store: &Store, l: &Link, class: &'static str) -> Html {
    let onclick = {
        let store = store.clone();
        let (start, end) = (l.start, l.end);
        Callback::from(move |_| store.dispatch(Action::Select(start, end)))
    };
    html! { <button type="button" class={classes!("link", class)} {onclick}>{ l.label.clone() }</button> }
}

/// One step of the chain: the tier, the policy (a button selecting its rule or the policy
/// in the editor) and what it did.
fn step_view(store: &Store, side: &SideData, i: usize, step: &StepData) -> Html {
    let effect = step.effect.as_str();
    let symbol = match effect {
        "allow" => "✓",
        "deny" => "✗",
        _ => "→",
    };
    let policy: Html = match &step.policy {
        StepPolicy::Link(l) => select_button(store, l, "step-link"),
        StepPolicy::Isolating => html! {
            <>{ for side.isolated_by.iter().map(|p| select_button(store, p, "policy-link")) }</>
        },
        StepPolicy::Code(p) => html! { <code>{ p.clone() }</code> },
        StepPolicy::None => html! {},
    };
    html! {
        <li class={classes!("step", effect.to_string())} data-tier={step.tier.clone()} data-effect={effect.to_string()} data-step={i.to_string()}>
            <span class="step-sym" aria-hidden="true">{ symbol }</span>
            <span class="tier-badge">{ step.tier_label.clone() }</span>
            { policy }
            <span class="step-what">{ super::lesson::inline(&step.what) }</span>
        </li>
    }
}

fn side_view(store: &Store, t: &Tr, side: &SideData) -> Html {
    let title = if side.egress {
        t.egress_side
    } else {
        t.ingress_side
    };
    let ok = side.ok;
    html! {
        <section class={classes!("side", if ok { "ok" } else { "bad" })} id={side.id.clone()} data-allows={ok.to_string()}>
            <h3><span aria-hidden="true">{ if ok { "✓ " } else { "✗ " } }</span>{ title }{ ": " }<code>{ &side.endpoint }</code></h3>
            <p class="side-summary">{ &side.summary }</p>
            if !side.steps.is_empty() {
                <div class="chain-wrap"><span class="chips-label">{ t.tier_chain }{ ":" }</span>
                    <ol class="chain">
                        { for side.steps.iter().enumerate().map(|(i, s)| step_view(store, side, i, s)) }
                        <li class={classes!("step", "final", if ok { "allow" } else { "deny" })}>
                            <span class="step-sym" aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
                            <strong>{ &side.final_word }</strong>
                        </li>
                    </ol>
                </div>
            }
            if !side.isolated_by.is_empty() {
                <div class="chips"><span class="chips-label">{ t.isolated_by }{ ":" }</span>
                    { for side.isolated_by.iter().map(|p| select_button(store, p, "policy-link")) }</div>
            }
            if !side.allowed_by.is_empty() {
                <div class="chips"><span class="chips-label">{ t.allowed_by }{ ":" }</span>
                    { for side.allowed_by.iter().map(|r| select_button(store, r, "rule-link")) }</div>
            }
            if !side.near.is_empty() {
                <div class="near"><span class="chips-label">{ t.near_misses }{ ":" }</span>
                    <ul>{ for side.near.iter().map(|(rule, why)| {
                        html! { <li>{ select_button(store, rule, "rule-link") }{ " — " }{ why.clone() }</li> }
                    }) }</ul>
                </div>
            }
        </section>
    }
}

fn sides_view(store: &Store, t: &Tr, sides: &[SideData]) -> Html {
    html! { <div class="sides">{ for sides.iter().map(|s| side_view(store, t, s)) }</div> }
}

/// "How to allow it": the smallest edits of existing rules, each shown as a diff of the
/// lines it changes, then each suggested new policy; each one click from the editor.
fn fixes_view(store: &Store, t: &Tr, fixes: &[FixData], edits: &[EditData]) -> Html {
    if fixes.is_empty() && edits.is_empty() {
        return Html::default();
    }
    let edit_view = |e: &EditData| {
        let onclick = {
            let store = store.clone();
            let (from, to, insert) = (e.from, e.to, e.insert.clone());
            // Refused by the reducer when the text changed since this answer.
            Callback::from(move |_| store.dispatch(Action::ApplyEdit(from, to, insert.clone())))
        };
        let line = |class: &'static str, sign: &'static str, l: &String| {
            html! { <span class={class}>{ sign }{ l.clone() }</span> }
        };
        html! {
            <div class="fix rule-edit">
                <p>{ e.title.clone() }</p>
                <pre class="diff" aria-label={format!("line {}", e.line)}>
                    { for e.removed.iter().map(|l| line("del", "- ", l)) }
                    { for e.added.iter().map(|l| line("ins", "+ ", l)) }
                </pre>
                if let Some(n) = &e.note { <p class="hint">{ n.clone() }</p> }
                <button type="button" class="btn small apply-edit" {onclick}>{ t.apply_edit }</button>
            </div>
        }
    };
    let fix_view = |f: &FixData| {
        let onclick = {
            let store = store.clone();
            let yaml = f.yaml.clone();
            // Appended by the reducer to the text as it is then, never to the text this
            // view was rendered from (an edit may have come in between).
            Callback::from(move |_| store.dispatch(Action::AppendDocument(yaml.clone())))
        };
        html! {
            <div class="fix">
                <p>{ f.title.clone() }</p>
                <pre>{ f.yaml.clone() }</pre>
                <button type="button" class="btn small add-fix" {onclick}>{ t.add_fix }</button>
            </div>
        }
    };
    html! {
        <section class="fixes"><h3>{ t.how_to_allow }</h3>
            { for edits.iter().map(edit_view) }
            if !edits.is_empty() && !fixes.is_empty() { <p class="fix-or">{ t.edit_or_new }</p> }
            { for fixes.iter().map(fix_view) }
        </section>
    }
}

/// "Step through": the steps panel on the query shown (`steps.rs`).
fn step_button(store: &Store, t: &Tr) -> Html {
    let onclick = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::StepThrough(store.query.clone())))
    };
    html! { <button type="button" class="btn small step-through" id="step-through" {onclick}>{ t.step_through }</button> }
}

/// The verdict badge and the explanation: both sides, caveats, and the evaluator's words.
#[component]
pub fn DecisionView(p: &DecisionProps) -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let d = &p.decision;
    let symbol = match d.verdict.as_str() {
        "allowed" => "✓",
        "denied" => "✗",
        _ => "?",
    };
    html! {
        <div class={classes!("verdict", d.verdict.clone())} id="verdict" data-verdict={d.verdict.clone()} data-revision={store.data_rev.to_string()} aria-live="polite">
            <div class="verdict-head">
                <span class="verdict-badge"><span aria-hidden="true">{ symbol }</span>{ " " }{ &d.verdict_word }</span>
                <span class="verdict-conn"><code>{ &d.from }</code>{ " → " }<code>{ &d.to }</code>{ " · " }{ &d.connection }</span>
                if d.error.is_none() { { step_button(&store, t) } }
            </div>
            if let Some(e) = &d.error { <p class="verdict-error">{ e }</p> }
            if d.self_traffic { <p>{ t.self_traffic }</p> }
            if d.error.is_none() && !d.self_traffic {
                { sides_view(&store, t, &d.sides) }
                <p class="hint">{ t.policy_click_hint }</p>
            }
            { fixes_view(&store, t, &d.fixes, &d.edits) }
            if !d.caveats.is_empty() {
                <section class="caveats"><h3>{ t.notes }</h3>
                    <ul>{ for d.caveats.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                </section>
            }
            <details class="words" open=true>
                <summary>{ t.in_words }</summary>
                <pre id="explanation">{ d.words.join("\n") }</pre>
            </details>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ServiceProps {
    pub decision: Rc<ServiceData>,
}

/// A connection through a Service, an Ingress, a NodePort or DNS: the outcome, the facts
/// (notes) and every backend pod with its own decision.
#[component]
pub fn ServiceView(p: &ServiceProps) -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let d = &p.decision;
    let (class, symbol) = match d.outcome.as_str() {
        "allowed" => ("allowed", "✓"),
        "denied" => ("denied", "✗"),
        "partial" => ("partial", "◐"),
        "no-backends" => ("denied", "∅"),
        _ => ("unknown", "?"),
    };
    html! {
        <div class={classes!("verdict", class)} id="verdict" data-verdict={d.outcome.clone()} data-revision={store.data_rev.to_string()} aria-live="polite">
            <div class="verdict-head">
                <span class="verdict-badge"><span aria-hidden="true">{ symbol }</span>{ " " }{ &d.outcome_word }</span>
                <span class="verdict-conn">{ &d.headline }</span>
                if d.error.is_none() && d.backends.len() == 1 { { step_button(&store, t) } }
            </div>
            if let Some(e) = &d.error { <p class="verdict-error">{ e }</p> }
            if !d.notes.is_empty() {
                <ul class="notes">{ for d.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            }
            if d.direct {
                if let Some(sides) = &d.direct_sides {
                    { sides_view(&store, t, sides) }
                }
            } else {
                <ul class="backends">{ for d.backends.iter().map(|b| {
                    html! {
                        <li class={if b.ok { "ok" } else { "bad" }}>
                            <span aria-hidden="true">{ if b.ok { "✓ " } else { "✗ " } }</span>
                            <code>{ b.pod.clone() }</code>{ " " }{ b.verdict_word.clone() }
                            if let Some(sides) = &b.sides { { sides_view(&store, t, sides) } }
                        </li>
                    }
                }) }</ul>
            }
            { fixes_view(&store, t, &d.fixes, &[]) }
            <details class="words" open=true>
                <summary>{ t.in_words }</summary>
                <pre id="explanation">{ d.words.join("\n") }</pre>
            </details>
        </div>
    }
}
