//! The analysis worker: a dedicated Web Worker (Trunk `data-type="worker"`, see
//! index.html) that keeps the `netpol::Analysis` of the current text and answers the
//! page's requests (`netpol_web::wire`, JSON strings) with view-ready data.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(r: &netpol_web::wire::Response) {
    if let Ok(s) = serde_json::to_string(r) {
        let _ = scope().post_message(&JsValue::from_str(&s));
    }
}

fn main() {
    // A panic aborts this worker's WebAssembly: tell the page, which starts a new one.
    std::panic::set_hook(Box::new(|info| {
        post(&netpol_web::wire::Response::Panic(info.to_string()));
    }));
    // `[json, text]`: the text (only when it changed) comes as a JS string beside the JSON.
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data: js_sys::Array = e.data().unchecked_into();
        if let Some(msg) = data.get(0).as_string() {
            let reply = netpol_web::analyzer::handle_message(&msg, data.get(1).as_string());
            let _ = scope().post_message(&JsValue::from_str(&reply));
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&netpol_web::wire::Response::Ready);
}
