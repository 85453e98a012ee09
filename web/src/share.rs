//! Share links: the editor text and the query, as JSON, deflated and base64url-encoded in
//! the URL fragment (`#s=...`). The fragment never leaves the browser.
//!
//! Deflate is the browser's own (`CompressionStream("deflate-raw")`), not a Rust inflater
//! compiled into the page: that kept ~15 KB (gzipped) out of the .wasm (issue 5's size
//! budget). The format is unchanged: raw deflate, so links made before still open.

use crate::json;
use crate::query::Query;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Links over this many compressed bytes are refused.
pub const MAX_COMPRESSED: usize = 256 * 1024;
/// A decompressed link may not exceed this (a guard against deflate bombs: reading stops
/// as soon as the output passes it).
const MAX_TEXT: usize = 16 * 1024 * 1024;
pub const PREFIX: &str = "s=";
const FORMAT: &str = "deflate-raw";

#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub v: u32,
    pub text: String,
    pub query: Query,
    /// The pinned baseline's text (links made while one was pinned).
    pub baseline: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    TooBig,
    Malformed,
}

#[wasm_bindgen]
extern "C" {
    /// `{readable, writable}`: what `pipeThrough` takes.
    type Transform;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn compression(format: &str) -> Result<Transform, JsValue>;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn decompression(format: &str) -> Result<Transform, JsValue>;

    type Stream;
    #[wasm_bindgen(method, js_name = pipeThrough, catch)]
    fn pipe_through(this: &Stream, t: &Transform) -> Result<Stream, JsValue>;
    #[wasm_bindgen(method, js_name = getReader)]
    fn get_reader(this: &Stream) -> Reader;

    type Reader;
    #[wasm_bindgen(method)]
    fn read(this: &Reader) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &Reader) -> js_sys::Promise;

    type Blob;
    #[wasm_bindgen(constructor, js_class = "Blob", catch)]
    fn new(parts: &Array) -> Result<Blob, JsValue>;
    #[wasm_bindgen(method)]
    fn stream(this: &Blob) -> Stream;
}

/// Whether a fragment (with or without `#`) is a share link at all.
pub fn is_link(fragment: &str) -> bool {
    fragment
        .strip_prefix('#')
        .unwrap_or(fragment)
        .starts_with(PREFIX)
}

/// Runs `bytes` through a (de)compression stream: `TooBig` as soon as the output passes
/// `limit` bytes, `Malformed` when the browser refuses the input (corrupt deflate).
async fn pipe(
    bytes: &[u8],
    t: Result<Transform, JsValue>,
    limit: usize,
) -> Result<Vec<u8>, ShareError> {
    let bad = |_| ShareError::Malformed;
    let parts = Array::of1(&Uint8Array::from(bytes));
    let reader = Blob::new(&parts)
        .map_err(bad)?
        .stream()
        .pipe_through(&t.map_err(bad)?)
        .map_err(bad)?
        .get_reader();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(bad)?;
        if Reflect::get(&chunk, &"done".into())
            .map_err(bad)?
            .is_truthy()
        {
            return Ok(out);
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(bad)?
            .dyn_into()
            .map_err(bad)?;
        if out.len() + value.length() as usize > limit {
            let _ = JsFuture::from(reader.cancel()).await;
            return Err(ShareError::TooBig);
        }
        let start = out.len();
        out.resize(start + value.length() as usize, 0);
        if let Some(tail) = out.get_mut(start..) {
            value.copy_to(tail);
        }
    }
}

/// The fragment (without `#`) for a text, a query and the pinned baseline.
pub async fn encode(
    text: &str,
    query: &Query,
    baseline: Option<&str>,
) -> Result<String, ShareError> {
    let json = to_json(text, query, baseline);
    let deflated = pipe(
        json.as_bytes(),
        Transform::compression(FORMAT),
        MAX_COMPRESSED,
    )
    .await?;
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated)))
}

/// `{"v":1,"text":...,"query":{...}}`, as serde_json wrote it before, and
/// `"baseline":...` when one is pinned (older pages ignore the key).
fn to_json(text: &str, query: &Query, baseline: Option<&str>) -> String {
    let mut json = String::from("{\"v\":1,\"text\":");
    json::write_str(&mut json, text);
    json.push_str(",\"query\":");
    json.push_str(&query.to_json());
    if let Some(b) = baseline {
        json.push_str(",\"baseline\":");
        json::write_str(&mut json, b);
    }
    json.push('}');
    json
}

/// Decodes a fragment (with or without `#`). `Ok(None)` when it is not a share link.
pub async fn decode(fragment: &str) -> Result<Option<Shared>, ShareError> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = f.strip_prefix(PREFIX) else {
        return Ok(None);
    };
    if data.len() > MAX_COMPRESSED / 3 * 4 + 4 {
        return Err(ShareError::TooBig);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| ShareError::Malformed)?;
    // A deflate bomb is a malformed link, not a big one: the user did not make it here.
    let json = pipe(&bytes, Transform::decompression(FORMAT), MAX_TEXT)
        .await
        .map_err(|_| ShareError::Malformed)?;
    parse(&json).map(Some).ok_or(ShareError::Malformed)
}

fn parse(json: &[u8]) -> Option<Shared> {
    let value = json::parse(std::str::from_utf8(json).ok()?)?;
    let v = value.num("v")?;
    Some(Shared {
        v: (v >= 0.0 && v <= f64::from(u32::MAX) && v.fract() == 0.0).then_some(v as u32)?,
        text: value.str("text")?,
        query: Query::from_value(value.get("query")?)?,
        baseline: value.str("baseline"),
    })
}
