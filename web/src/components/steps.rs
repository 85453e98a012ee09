//! The step-through view of a verdict (issue 16), in the style of a debugger: the source's
//! egress, then the destination's ingress, one step at a time (is the endpoint isolated,
//! does each rule's peer and port match, the cluster-scoped tiers), up to the verdict.
//! The worker computes the steps (`netpol::trace`, `analyzer::steps`); the editor marks
//! the YAML the current step reads (`editor.rs`). Next/Previous, or the keys ← → (j k),
//! Home, End when the panel has the focus; Esc closes it.

use web_sys::HtmlElement;
use yew::prelude::*;

use super::lesson::inline;
use super::use_results;
use crate::i18n::tr;
use crate::state::{Action, State};
use crate::wire::StepsView;

/// The steps of the connection the panel walks, once the worker answered for it.
pub fn current(s: &State) -> Option<&StepsView> {
    let st = s.steps.as_ref()?;
    let asked = s.data_for.as_ref()?.steps.as_ref()?;
    (*asked == st.query)
        .then_some(s.data.steps.as_ref())
        .flatten()
}

/// The editor range of the step shown, if it reads one.
pub fn current_range(s: &State) -> Option<(u32, u32)> {
    let at = s.steps.as_ref()?.at;
    let v = current(s)?;
    v.steps.get(at.min(v.steps.len().saturating_sub(1)))?.range
}

#[component]
pub fn StepsPanel() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let node = use_node_ref();
    // The panel takes the focus when a "Step through" opens it, so the keys work at once.
    {
        let node = node.clone();
        use_effect_with(store.steps.as_ref().map(|s| s.nonce), move |_| {
            if let Some(el) = node.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let Some(st) = store.steps.clone() else {
        return Html::default();
    };
    let view = current(&store);
    let n = view.map_or(0, |v| v.steps.len());
    let at = st.at.min(n.saturating_sub(1));
    let go = |to: usize| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::StepTo(to)))
    };
    let close = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::CloseSteps))
    };
    let onkeydown = {
        let store = store.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let to = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" | "j" => at + 1,
                "ArrowLeft" | "ArrowUp" | "k" => at.saturating_sub(1),
                "Home" => 0,
                "End" => usize::MAX,
                "Escape" => {
                    e.prevent_default();
                    store.dispatch(Action::CloseSteps);
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            store.dispatch(Action::StepTo(to));
        })
    };
    let body = match view {
        None => html! { <p class="hint">{ t.analysing }</p> },
        Some(v) if v.error.is_some() || v.steps.get(at).is_none() => html! {
            <p class="verdict-error" id="steps-error">{ inline(v.error.as_deref().unwrap_or(t.cannot_evaluate)) }</p>
        },
        Some(v) => {
            let Some(step) = v.steps.get(at) else {
                return html! {};
            };
            let side = |s: u8| v.sides.get(usize::from(s)).cloned().unwrap_or_default();
            let mark = |ok: bool| if ok { "✓" } else { "✗" };
            let (from, to) = step.range.map_or((String::new(), String::new()), |(f, t)| {
                (f.to_string(), t.to_string())
            });
            // The steps so far, as a trail: each one a button back to it.
            let mut trail = Vec::new();
            for (i, s) in v.steps.iter().enumerate().take(at + 1) {
                let previous = i.checked_sub(1).and_then(|p| v.steps.get(p));
                if previous.is_none_or(|p| p.side != s.side) && s.side < 2 {
                    trail.push(html! { <li class="steps-side">{ inline(&side(s.side)) }</li> });
                }
                trail.push(html! {
                    <li class={classes!("steps-item", if s.ok { "ok" } else { "bad" }, (i == at).then_some("current"), format!("depth-{}", s.depth))}
                        data-step={i.to_string()} aria-current={(i == at).then_some("step")}>
                        <button type="button" class="link" tabindex="-1" onclick={go(i)}>
                            <span class="step-sym" aria-hidden="true">{ mark(s.ok) }</span>
                            { inline(&s.text) }
                        </button>
                    </li>
                });
            }
            html! {
                <>
                <div class="steps-nav">
                    <button type="button" class="btn small" id="steps-prev" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{ t.prev_step }</button>
                    <span class="steps-counter" id="steps-counter" aria-live="polite"
                        aria-label={format!("{} {} {}", at + 1, t.steps_of, n)}>{ format!("{} / {}", at + 1, n) }</span>
                    <button type="button" class="btn small" id="steps-next" disabled={at + 1 >= n} onclick={go(at + 1)}>{ t.next_step }</button>
                </div>
                <div class={classes!("step-current", if step.ok { "ok" } else { "bad" })} id="step-current"
                    data-step={at.to_string()} data-ok={step.ok.to_string()} data-side={step.side.to_string()}
                    data-from={from} data-to={to}>
                    if step.side < 2 { <p class="step-current-side">{ inline(&side(step.side)) }</p> }
                    <p class="step-current-text"><span class="step-sym" aria-hidden="true">{ mark(step.ok) }{ " " }</span>{ inline(&step.text) }</p>
                </div>
                <ol class="steps-trail">{ for trail }</ol>
                </>
            }
        }
    };
    html! {
        <section class="steps" id="steps" tabindex="0" ref={node} aria-label={t.steps_heading} {onkeydown}
            data-total={n.to_string()} data-at={at.to_string()} data-verdict={view.map(|v| v.verdict.clone()).unwrap_or_default()}>
            <div class="steps-head">
                <h3>{ t.steps_heading }</h3>
                <span class="steps-title">{ inline(view.map_or("", |v| v.title.as_str())) }</span>
                <button type="button" class="btn small" id="steps-close" onclick={close}>{ t.steps_close }</button>
            </div>
            { body }
            <p class="hint steps-keys">{ t.steps_keys }</p>
        </section>
    }
}
