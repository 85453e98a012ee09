use yew::prelude::*;

use crate::i18n::changes_tr;
use crate::state::{Action, Store};

/// "Pin as baseline" beside the tabs; once pinned: unpin, pin again, restore the
/// baseline's text. What is pinned is the editor's text when pressed (what was typed
/// since the results' snapshot too). A function of the Tabs component, not a component
/// of its own: each Yew component type is ~6 KB of the .wasm.
pub fn pin_bar(store: &Store) -> Html {
    let ct = changes_tr(store.lang);
    let pin = {
        let store = store.clone();
        Callback::from(move |_| {
            let text = crate::codemirror::text()
                .map(String::from)
                .unwrap_or_else(|| store.current_text());
            store.dispatch(Action::Pin(text))
        })
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
