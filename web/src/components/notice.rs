use yew::prelude::*;

use super::use_store;
use crate::i18n::tr;
use crate::state::{Action, NoticeKind};

/// A dismissible message: restored links, broken links, storage problems.
#[component]
pub fn NoticeBar() -> Html {
    let store = use_store();
    let Some(n) = store.notice.clone() else {
        return html! {};
    };
    let class = match n.kind {
        NoticeKind::Info => "notice info",
        NoticeKind::Error => "notice error",
    };
    let role = if n.kind == NoticeKind::Error {
        "alert"
    } else {
        "status"
    };
    let dismiss = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Notice(None)))
    };
    html! {
        <div class={class} role={role} id="notice">
            <span>{ n.text }</span>
            <button type="button" class="btn small" onclick={dismiss}>{ tr(store.lang).dismiss }</button>
        </div>
    }
}
