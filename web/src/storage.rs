//! localStorage, page URL and document helpers. Every access tolerates a missing or
//! refusing storage (private mode, quota): the page keeps working.

use web_sys::Storage;

pub const KEY_TEXT: &str = "netpol.text";
pub const KEY_QUERY: &str = "netpol.query";
pub const KEY_LANG: &str = "netpol.lang";
pub const KEY_THEME: &str = "netpol.theme";
pub const KEY_EXAMPLE: &str = "netpol.example";
/// Lessons visited and exercises solved: JSON `{id: "visited" | "solved"}`.
pub const KEY_PROGRESS: &str = "netpol.progress";

/// Where a student's work on an exercise is kept.
pub fn work_key(id: &str) -> String {
    format!("netpol.work.{id}")
}

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Returns false when the browser refused to store the value.
pub fn set(key: &str, value: &str) -> bool {
    match storage() {
        Some(s) => s.set_item(key, value).is_ok(),
        None => false,
    }
}

/// `set` for a JS string as it is (the editor's text: not copied into Rust).
pub fn set_js(key: &str, value: &wasm_bindgen::JsValue) -> bool {
    use wasm_bindgen::JsCast;
    let Some(s) = storage() else { return false };
    let set_item = js_sys::Reflect::get(&s, &"setItem".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    set_item.is_some_and(|f| f.call2(&s, &key.into(), value).is_ok())
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page URL's query (`?embed`).
pub fn search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Puts `fragment` in the address bar as a new history entry (Back returns to the
/// previous one), without reloading; nothing when it is already there.
pub fn push_hash(fragment: &str) {
    if hash() == fragment {
        return;
    }
    if let Some(w) = web_sys::window() {
        let loc = w.location();
        let url = format!(
            "{}{}{fragment}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// Removes the fragment from the address bar without reloading.
pub fn clear_hash() {
    if let Some(w) = web_sys::window() {
        let loc = w.location();
        let url = format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The page URL without fragment.
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

pub fn navigator_language() -> Option<String> {
    web_sys::window()?.navigator().language()
}

pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

pub fn set_root_attr(name: &str, value: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute(name, value);
    }
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}
