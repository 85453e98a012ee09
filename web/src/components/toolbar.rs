use netpol::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::use_store;
use crate::examples::{self, EXAMPLES};
use crate::i18n::tr;
use crate::share::{self, ShareError};
use crate::state::{Action, Notice, NoticeKind};
use crate::storage;

/// Title, Examples menu, language, theme and the share button.
#[component]
pub fn Toolbar() -> Html {
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
    let on_lang = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(l) = Lang::parse(&sel.value()) {
                store.dispatch(Action::SetLang(l));
            }
        })
    };
    let on_theme = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ToggleTheme))
    };
    let on_share = {
        let store = store.clone();
        Callback::from(move |_| {
            let store = store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let t = tr(store.lang);
                match share::encode(&store.current_text(), &store.query).await {
                    Ok(fragment) => {
                        let link = format!("{}#{}", storage::base_url(), fragment);
                        if let Some(w) = web_sys::window() {
                            let _ = w.navigator().clipboard().write_text(&link);
                        }
                        store.dispatch(Action::ShareLink(Some(link)));
                        store.dispatch(Action::Notice(Some(Notice {
                            kind: NoticeKind::Info,
                            text: t.link_copied.into(),
                        })));
                    }
                    Err(ShareError::TooBig) | Err(ShareError::Malformed) => {
                        store.dispatch(Action::ShareLink(None));
                        store.dispatch(Action::Notice(Some(Notice {
                            kind: NoticeKind::Error,
                            text: t.link_too_big.into(),
                        })));
                    }
                }
            });
        })
    };

    // Titles come from parsing the scenarios: once per language, not on every keystroke.
    let titles = use_memo(lang, |l| {
        (0..EXAMPLES.len())
            .map(|i| examples::title(i, *l))
            .collect::<Vec<_>>()
    });
    let option = |i: usize| {
        let selected = store.example == Some(i);
        let n = EXAMPLES[i]
            .id
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .get(..2)
            .unwrap_or_default()
            .to_string();
        html! { <option value={i.to_string()} {selected} data-id={EXAMPLES[i].id}>{ format!("{n}. {}", titles[i]) }</option> }
    };
    let seed: Html = (0..EXAMPLES.len())
        .filter(|&i| EXAMPLES[i].seed)
        .map(option)
        .collect();
    let recipes: Html = (0..EXAMPLES.len())
        .filter(|&i| !EXAMPLES[i].seed)
        .map(option)
        .collect();

    html! {
        <header class="toolbar">
            <div class="brand">
                <h1>{ t.app_title }</h1>
                <p class="tagline">{ t.tagline }</p>
            </div>
            <div class="controls">
                <label class="control">
                    <span>{ t.examples }</span>
                    <select id="examples" onchange={on_example}>
                        <option value="" selected={store.example.is_none()} disabled=true>{ t.choose_example }</option>
                        <optgroup label={t.seed_group}>{ seed }</optgroup>
                        <optgroup label={t.recipes_group}>{ recipes }</optgroup>
                    </select>
                </label>
                <label class="control">
                    <span>{ t.language }</span>
                    <select id="lang" onchange={on_lang}>
                        <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                        <option value="es" selected={lang == Lang::Es}>{ "Español" }</option>
                    </select>
                </label>
                <button type="button" id="theme" class="btn" aria-pressed={store.dark.to_string()} onclick={on_theme}>
                    { if store.dark { t.theme_to_light } else { t.theme_to_dark } }
                </button>
                <button type="button" id="share" class="btn primary" onclick={on_share}>{ t.copy_link }</button>
            </div>
            if let Some(link) = store.share_link.clone() {
                <label class="share-link">
                    <span>{ t.link_ready }</span>
                    <input id="share-link" type="text" readonly=true value={link} />
                </label>
            }
        </header>
    }
}
