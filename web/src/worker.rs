//! The analysis worker: a dedicated module Web Worker (`web/worker.js`) that runs the
//! page's own WebAssembly (one binary for both threads: the code they share, std, serde,
//! the wire types, is downloaded once) and keeps the `netpol::Analysis` of the current
//! text, answering the page's requests (`crate::wire`, postcard bytes) with view-ready data.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(r: &crate::wire::Response) {
    let _ = scope().post_message(&js_sys::Uint8Array::from(&crate::wire::encode(r)[..]));
}

#[inline(never)]
fn answer(msg: &[u8], text: Option<String>) {
    let reply = crate::analyzer::handle_message(msg, text);
    let _ = scope().post_message(&js_sys::Uint8Array::from(&reply[..]));
}

/// Starts answering messages: what `main` does when it runs in a worker.
pub fn run() {
    // A panic aborts this worker's WebAssembly: tell the page, which starts a new one.
    std::panic::set_hook(Box::new(|info| {
        post(&crate::wire::Response::Panic(info.to_string()));
    }));
    // `[bytes, text]`: the text (only when it changed) comes as a JS string beside the message.
    // The first request for the Graph tab waits for its layout script (`web/worker.js`
    // imports it); the page sends nothing else until it is answered.
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data: js_sys::Array = e.data().unchecked_into();
        let Some(msg) = data
            .get(0)
            .dyn_ref::<js_sys::Uint8Array>()
            .map(|b| b.to_vec())
        else {
            return;
        };
        let text = data.get(1).as_string();
        let loading = crate::analyzer::graph_layout::load_for(&msg);
        match loading {
            Some(loading) => wasm_bindgen_futures::spawn_local(async move {
                // Failed to load: the plain grid stands in (`graph_layout::run_layout`).
                let _ = wasm_bindgen_futures::JsFuture::from(loading).await;
                answer(&msg, text);
            }),
            None => answer(&msg, text),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&crate::wire::Response::Ready);
}
