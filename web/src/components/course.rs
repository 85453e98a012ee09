//! The course outline (the Examples menu: the tutorial's steps, the exercises and
//! homework, the recipes, with progress from localStorage), Previous/Next between
//! lessons, and the embed mode's bar.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{use_results, use_store};
use crate::examples;
use crate::i18n::tr;
use crate::state::Action;
use crate::storage;

/// `#examples`: one group per part of the course, each option marked when visited (`·`)
/// or, for an exercise, solved (`✓`).
#[component]
pub fn CourseMenu() -> Html {
    let store = use_store();
    let t = tr(store.lang);
    let lang = store.lang;
    let on_example = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = sel.value().parse::<usize>() {
                store.dispatch(Action::LoadExample(i));
            }
        })
    };
    let all = examples::all();
    let group = |g: &str, label: &str| {
        let members: Vec<(usize, &_)> = all
            .iter()
            .enumerate()
            .filter(|(_, l)| l.group == g)
            .collect();
        let exercise = g == "exercises";
        let done = members
            .iter()
            .filter(
                |(_, l)| match store.progress.get(&l.id).map(String::as_str) {
                    Some("solved") => true,
                    Some(_) => !exercise,
                    None => false,
                },
            )
            .count();
        let options: Html = members
            .iter()
            .map(|&(i, l)| {
                let progress = store.progress.get(&l.id).cloned().unwrap_or_default();
                let mark = match progress.as_str() {
                    "solved" => "✓ ",
                    "visited" if !exercise => "✓ ",
                    "visited" => "· ",
                    _ => "",
                };
                let n = l.number();
                let label = if n.is_empty() {
                    format!("{mark}{}", l.title.get(lang))
                } else {
                    format!("{mark}{n}. {}", l.title.get(lang))
                };
                html! {
                    <option value={i.to_string()} selected={store.example == Some(i)} data-id={l.id.clone()} data-progress={progress}>{ label }</option>
                }
            })
            .collect();
        let label = format!("{label} ({})", t.progress(done, members.len(), exercise));
        html! { <optgroup label={label} data-group={g.to_string()}>{ options }</optgroup> }
    };
    html! {
        <label class="control">
            <span>{ t.examples }</span>
            <select id="examples" onchange={on_example}>
                <option value="" selected={store.example.is_none()} disabled=true>{ t.choose_example }</option>
                { group("seed", t.seed_group) }
                { group("exercises", t.exercises_group) }
                { group("recipes", t.recipes_group) }
            </select>
        </label>
    }
}

/// Previous / Next between the built-in lessons, in the outline's order.
#[component]
pub fn StepNav() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let Some(i) = store.example else {
        return html! {};
    };
    let n = examples::count();
    let go = |j: usize| {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::LoadExample(j)))
    };
    html! {
        <nav class="step-nav" aria-label={t.examples}>
            <button type="button" class="btn small" id="prev-step" disabled={i == 0} onclick={go(i.saturating_sub(1))}>{ t.prev_step }</button>
            <span class="step-pos">{ format!("{} / {n}", i + 1) }</span>
            <button type="button" class="btn small" id="next-step" disabled={i + 1 >= n} onclick={go(i + 1)}>{ t.next_step }</button>
        </nav>
    }
}

/// The embed mode's only header: the lesson's title and a link that opens it in the full
/// playground (a new tab; the embedding page stays).
#[component]
pub fn EmbedBar() -> Html {
    let store = use_store();
    let t = tr(store.lang);
    let title = store
        .lesson
        .as_ref()
        .map(|l| l.title.get(store.lang).to_string())
        .unwrap_or_else(|| t.app_title.to_string());
    let base = storage::base_url();
    let page = base.split('?').next().unwrap_or_default().to_string();
    let href = match &store.lesson {
        Some(l) => format!("{page}{}", crate::links::fragment(l, false)),
        None => page,
    };
    html! {
        <header class="embed-bar" id="embed-bar">
            <span class="embed-title">{ title }</span>
            <a id="open-playground" class="btn small" href={href} target="_blank" rel="noopener">{ t.open_in_playground }</a>
        </header>
    }
}
