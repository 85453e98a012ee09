use yew::prelude::*;

use super::use_store;
use crate::i18n::changes_tr;
use crate::state::Action;

/// "Pin as baseline" beside the tabs; once pinned: unpin, pin again, restore the
/// baseline's text. It reads the editor's text when pressed (the live store, not the
/// results' snapshot).
#[component]
pub fn PinBar() -> Html {
    let store = use_store();
    let ct = changes_tr(store.lang);
    let pin = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Pin(store.current_text())))
    };
    let unpin = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::Unpin))
    };
    let revert = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::RevertToBaseline))
    };
    if store.embed {
        return html! {};
    }
    html! {
        <div class="pin-bar">
            if store.baseline.is_some() {
                <span class="pinned" id="pinned" title={ct.pinned}>{ ct.pinned_short }</span>
                <button type="button" id="repin" class="btn small" onclick={pin}>{ ct.repin }</button>
                <button type="button" id="revert" class="btn small" onclick={revert}>{ ct.revert }</button>
                <button type="button" id="unpin" class="btn small" onclick={unpin}>{ ct.unpin }</button>
            } else {
                <button type="button" id="pin" class="btn small" onclick={pin}>{ ct.pin }</button>
            }
        </div>
    }
}
