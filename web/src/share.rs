//! Share links: the editor text and the query, as JSON, deflated and base64url-encoded in
//! the URL fragment (`#s=...`). The fragment never leaves the browser.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::state::Query;

/// Links over this many compressed bytes are refused.
pub const MAX_COMPRESSED: usize = 256 * 1024;
/// A decompressed link may not exceed this (a guard against deflate bombs).
const MAX_TEXT: usize = 16 * 1024 * 1024;
pub const PREFIX: &str = "s=";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
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
    let json = serde_json::to_vec(&Shared {
        v: 1,
        text: text.to_string(),
        query: query.clone(),
    })
    .map_err(|_| ShareError::Malformed)?;
    let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
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
    let shared: Shared = serde_json::from_slice(&json).map_err(|_| ShareError::Malformed)?;
    Ok(Some(shared))
}
