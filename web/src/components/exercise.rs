//! An exercise's checklist: goals and rules that turn green as the student edits (graded
//! in the worker on every analysis), hidden goals until "Check", hints one at a time.

use yew::prelude::*;

use super::console::ConsoleBlock;
use super::use_results;
use crate::i18n::tr;
use crate::state::Action;

#[component]
pub fn Checklist() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let Some(lesson) = store.lesson.clone() else {
        return html! {};
    };
    let Some(info) = lesson.exercise.clone() else {
        return html! {};
    };
    let current = store
        .data_for
        .as_ref()
        .is_some_and(|v| v.lesson.as_deref() == Some(lesson.id.as_str()));
    let view = store.data.exercise.clone().filter(|_| current);
    let click = |a: fn() -> Action| {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(a()))
    };
    let goals: Html = match &view {
        None => html! { <li class="goal pending">{ t.analysing }</li> },
        Some(v) => v
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let shown = !g.text.is_empty();
                let class = match (shown, g.passed) {
                    (false, _) => "goal locked",
                    (true, true) => "goal pass",
                    (true, false) => "goal fail",
                };
                let mark = match (shown, g.passed) {
                    (false, _) => "?",
                    (true, true) => "✓",
                    (true, false) => "✗",
                };
                let console = g
                    .row
                    .and_then(|r| store.data.lesson.get(r))
                    .and_then(|r| r.console.clone())
                    .filter(|_| store.tab == crate::state::Tab::Lesson);
                html! {
                    <li class={class} data-goal={i.to_string()} data-passed={(shown && g.passed).to_string()} data-hidden={g.hidden.to_string()}>
                        <span class="mark" aria-hidden="true">{ mark }</span>
                        if shown {
                            <span class="goal-text">{ super::lesson::inline(&g.text) }</span>
                            if !g.passed && !g.got.is_empty() {
                                <span class="goal-got">{ format!(" ({}: {})", t.now_word, g.got) }</span>
                            }
                            if let Some(c) = console {
                                <details class="goal-console">
                                    <summary>{ t.console_details }</summary>
                                    <ConsoleBlock console={c} lang={store.lang} />
                                </details>
                            }
                        } else {
                            <span class="goal-text hint">{ t.hidden_goal }</span>
                        }
                    </li>
                }
            })
            .collect(),
    };
    let rules: Html = view
        .iter()
        .flat_map(|v| v.constraints.iter())
        .map(|c| {
            html! {
                <li class={if c.passed { "rule pass" } else { "rule fail" }} data-passed={c.passed.to_string()}>
                    <span class="mark" aria-hidden="true">{ if c.passed { "✓" } else { "✗" } }</span>
                    <span>{ super::lesson::inline(&c.text) }</span>
                    if let Some(d) = &c.detail { <span class="rule-detail">{ ": " }{ super::lesson::inline(d) }</span> }
                </li>
            }
        })
        .collect();
    let (met, total) = view.as_ref().map_or((0, 0), |v| {
        (
            v.goals
                .iter()
                .filter(|g| g.passed && !g.text.is_empty())
                .count(),
            v.goals.len(),
        )
    });
    let solved = view.as_ref().is_some_and(|v| v.solved);
    let errors = view.as_ref().map(|v| v.errors.clone()).unwrap_or_default();
    let hints = &info.hints;
    html! {
        <section class="exercise" id="exercise" data-solved={solved.to_string()}>
            <p class={classes!("exercise-status", solved.then_some("solved"))} id="exercise-status">
                { if solved { t.solved.to_string() } else { t.goals_met(met, total) } }
            </p>
            if store.restored_work {
                <p class="hint restored">{ t.restored_work }</p>
            }
            if !errors.is_empty() {
                <div class="exercise-errors">
                    <p>{ t.manifest_errors }</p>
                    <ul>{ for errors.iter().map(|e| html! { <li>{ super::lesson::inline(e) }</li> }) }</ul>
                </div>
            }
            <h3>{ t.goals }</h3>
            <ul class="goals" id="goals">{ goals }</ul>
            if view.as_ref().is_some_and(|v| !v.constraints.is_empty()) {
                <h3>{ t.rules }</h3>
                <ul class="rules" id="rules">{ rules }</ul>
            }
            <div class="exercise-actions">
                <button type="button" class="btn primary" id="check" onclick={click(|| Action::Check)}>{ t.check }</button>
                <button type="button" class="btn" id="hint" disabled={store.hints >= hints.len()} onclick={click(|| Action::ShowHint)}>{ t.show_hint }</button>
                <button type="button" class="btn" id="reset" onclick={click(|| Action::ResetExercise)}>{ t.reset_exercise }</button>
            </div>
            if store.hints > 0 {
                <ol class="hints" id="hints">
                    { for hints.iter().take(store.hints).map(|h| html! { <li class="hint-item"><strong>{ t.hint }{ ": " }</strong>{ super::lesson::inline(h.get(store.lang)) }</li> }) }
                </ol>
            }
        </section>
    }
}
