//! Files the page offers for download (the Graph's SVG and PNG, the manifests): made in
//! the browser from what is on screen; nothing is sent anywhere.

use wasm_bindgen::{JsCast, JsValue};

/// A blob of `text` with the media type `mime`.
pub fn text_blob(text: &str, mime: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()
}

/// A blob of bytes (a JS `Uint8Array`) with the media type `mime`.
pub fn bytes_blob(bytes: &JsValue, mime: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::new();
    parts.push(bytes);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &opts).ok()
}

/// Offers a blob as a download named `name`.
pub fn offer(blob: &web_sys::Blob, name: &str) -> Option<()> {
    let doc = web_sys::window()?.document()?;
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoked once the click has been handled.
    gloo::timers::callback::Timeout::new(1_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Some(())
}
