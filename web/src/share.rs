//! Share links: the editor text and the query, as JSON, deflated and base64url-encoded in
//! the URL fragment (`#s=...`). The fragment never leaves the browser.

use crate::json;
use crate::state::Query;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// Links over this many compressed bytes are refused.
pub const MAX_COMPRESSED: usize = 256 * 1024;
/// A decompressed link may not exceed this (a guard against deflate bombs).
const MAX_TEXT: usize = 16 * 1024 * 1024;
pub const PREFIX: &str = "s=";

#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub v: u32,
    pub text: String,
    pub query: Query,
}

#[derive(Debug, PartialEq)]
pub enum ShareError {
    TooBig,
    Malformed,
}

/// The fragment (without `#`) for a text and a query.
pub fn encode(text: &str, query: &Query) -> Result<String, ShareError> {
    // {"v":1,"text":...,"query":{...}}, as serde_json wrote it before.
    let mut json = String::from("{\"v\":1,\"text\":");
    json::write_str(&mut json, text);
    json.push_str(",\"query\":");
    json.push_str(&query.to_json());
    json.push('}');
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
    if deflated.len() > MAX_COMPRESSED {
        return Err(ShareError::TooBig);
    }
    Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated)))
}

/// Decodes a fragment (with or without `#`). `Ok(None)` when it is not a share link.
pub fn decode(fragment: &str) -> Result<Option<Shared>, ShareError> {
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
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_TEXT)
        .map_err(|_| ShareError::Malformed)?;
    let value = std::str::from_utf8(&json)
        .ok()
        .and_then(json::parse)
        .ok_or(ShareError::Malformed)?;
    let shared = (|| {
        let v = value.num("v")?;
        Some(Shared {
            v: (v >= 0.0 && v <= f64::from(u32::MAX) && v.fract() == 0.0).then_some(v as u32)?,
            text: value.str("text")?,
            query: Query::from_value(value.get("query")?)?,
        })
    })()
    .ok_or(ShareError::Malformed)?;
    Ok(Some(shared))
}
