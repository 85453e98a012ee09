//! The netpol playground: a Yew page over the `netpol` evaluator. Everything runs in the
//! browser; after the page loads no request leaves it.

// A panic in WebAssembly kills the page (or its worker): as in the evaluator, no
// unwrap/expect/panic!, no indexing or slicing that can go out of bounds, outside tests.
// The few programmer invariants (a Yew context the app always provides; the worker's
// deliberate crash for the restart test) allow it where they are, saying why. And no
// function over 120 lines (`too_many_lines`, the threshold in clippy.toml), as in the core.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::too_many_lines
    )
)]

pub mod analyzer;
#[cfg(feature = "bench")]
#[allow(
    clippy::indexing_slicing,
    reason = "the benchmark's own generated data, never user input"
)]
pub mod bench;
pub mod bridge;
pub mod changes;
pub mod codemirror;
pub mod completion;
pub mod components;
pub mod download;
pub mod examples;
pub mod i18n;
pub mod json;
pub mod lessons;
pub mod links;
pub mod persist;
pub mod query;
pub mod share;
pub mod state;
pub mod storage;
pub mod teach;
pub mod wire;
pub mod worker;

use std::cell::RefCell;

pub use components::app::App;

thread_local! {
    static PANIC_MESSAGE: RefCell<&'static str> = const { RefCell::new(i18n::EN.panic) };
}

/// The panic banner's text follows the chosen language.
pub fn set_panic_message(msg: &'static str) {
    PANIC_MESSAGE.with(|m| *m.borrow_mut() = msg);
}

/// A panic stops the Yew app (wasm32 aborts), but must not leave a dead page: show the
/// static banner of index.html. The text is already in localStorage (saved on every edit).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("netpol playground panicked: {info}").into());
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(el) = doc.and_then(|d| d.get_element_by_id("panic-banner")) {
            let msg = PANIC_MESSAGE.with(|m| *m.borrow());
            el.set_text_content(Some(msg));
            let _ = el.remove_attribute("hidden");
        }
    }));
}

/// The one entry point of the one binary: in a window it mounts the app, in the analysis
/// worker (`web/worker.js` imports the same module) it answers the page's requests.
pub fn main_entry() {
    if web_sys::window().is_some() {
        start();
    } else {
        worker::run();
    }
}

/// Mounts the app into `#app`.
pub fn start() {
    install_panic_hook();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
