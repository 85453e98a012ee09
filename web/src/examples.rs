//! The built-in lessons: the tutorial's steps in order, the exercises, the recipes. They
//! are not in the .wasm: `web/build.rs` writes them to the site's `lessons.bin`, which
//! `web/loader.js` (main thread) and `web/worker.js` (the worker) fetch before starting
//! the WebAssembly and leave in `globalThis.netpolLessons`; this module reads it once.
//! The main thread shows `lessons` (view-ready, no parser); the worker evaluates and
//! grades `sources`. Both compose editor texts from `files`.

use std::cell::OnceCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;

use crate::lessons::{self, Bundle, LessonInfo};

/// The name of the global that holds the bytes of `lessons.bin` (a `Uint8Array`).
pub const GLOBAL: &str = "netpolLessons";

struct Loaded {
    infos: Vec<Rc<LessonInfo>>,
    sources: Vec<(String, &'static str)>,
    files: Vec<(String, &'static str)>,
}

thread_local! {
    static LOADED: OnceCell<Rc<Loaded>> = const { OnceCell::new() };
}

/// Reads the bundle once. Missing or unreadable (the site was opened without its
/// `lessons.bin`): no built-in lessons, and the rest of the page works.
fn loaded() -> Rc<Loaded> {
    if let Some(l) = LOADED.with(|c| c.get().cloned()) {
        return l;
    }
    let bytes = js_sys::Reflect::get(&js_sys::global(), &GLOBAL.into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|a| a.to_vec())
        .unwrap_or_default();
    let b: Bundle = postcard::from_bytes(&bytes).unwrap_or_default();
    // The texts live as long as the page: leak them once, so callers get `&'static str`
    // as from constants.
    let leak = |v: Vec<(String, String)>| -> Vec<(String, &'static str)> {
        v.into_iter()
            .map(|(k, t)| (k, &*Box::leak(t.into_boxed_str())))
            .collect()
    };
    let l = Rc::new(Loaded {
        infos: b.lessons.into_iter().map(Rc::new).collect(),
        sources: leak(b.sources),
        files: leak(b.files),
    });
    // Kept once read; not while the bundle is still missing (nothing to keep).
    if !l.infos.is_empty() {
        LOADED.with(|c| {
            let _ = c.set(l.clone());
        });
    }
    l
}

/// Every built-in lesson, in menu order (read once).
pub fn all() -> Vec<Rc<LessonInfo>> {
    loaded().infos.clone()
}

pub fn count() -> usize {
    loaded().infos.len()
}

pub fn info(i: usize) -> Option<Rc<LessonInfo>> {
    all().get(i).cloned()
}

pub fn index_of(id: &str) -> Option<usize> {
    all().iter().position(|l| l.id == id)
}

/// A built-in file by its `group/name` path.
pub fn file(path: &str) -> Option<&'static str> {
    loaded()
        .files
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, t)| *t)
}

/// The editor text a built-in lesson starts with.
pub fn start_text(info: &LessonInfo) -> String {
    lessons::compose(&info.manifests, &|p| file(p).map(str::to_string))
}

/// A lesson named in a link: its id (`seed/04-from-podselector-app-utils`), its group and
/// number (`seed/04`), or within `group` its number or name (`#exercise=01`,
/// `#exercise=egress-default-deny`).
pub fn find(query: &str, group: Option<&str>) -> Option<usize> {
    let q = query.trim().trim_matches('/');
    if q.is_empty() {
        return None;
    }
    let all = all();
    let exact = all.iter().position(|l| l.id == q);
    let stem_of = |l: &LessonInfo| l.id.rsplit('/').next().unwrap_or_default().to_string();
    exact
        .or_else(|| {
            all.iter().position(|l| {
                let id = l.id.as_str();
                id.strip_prefix(q)
                    .is_some_and(|rest| rest.starts_with('-') && q.contains('/'))
            })
        })
        .or_else(|| {
            let g = group?;
            all.iter().position(|l| {
                let stem = stem_of(l);
                l.group == g
                    && (stem == q
                        || stem
                            .strip_prefix(q)
                            .is_some_and(|rest| rest.starts_with('-'))
                        || stem.split_once('-').is_some_and(|(_, name)| name == q))
            })
        })
}

/// The scenario text of a built-in lesson (the worker parses it).
pub fn source(id: &str) -> Option<&'static str> {
    loaded()
        .sources
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, s)| *s)
}
