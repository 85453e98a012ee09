use netpol::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::course::CourseMenu;
use super::use_store;
use crate::i18n::tr;
use crate::share::{self, ShareError};
use crate::state::{Action, Notice, NoticeKind};
use crate::storage;

/// Title, the course outline (Examples menu), language, theme and the share button.
#[component]
pub fn Toolbar() -> Html {
    let store = use_store();
    let t = tr(store.lang);
    let lang = store.lang;

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
                let baseline = store.baseline.as_ref().map(|b| b.text.as_str());
                match share::encode(&store.current_text(), &store.query, baseline).await {
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

    html! {
        <header class="toolbar">
            <div class="brand">
                <h1>{ t.app_title }</h1>
                <p class="tagline">{ t.tagline }</p>
            </div>
            <div class="controls">
                <CourseMenu />
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
