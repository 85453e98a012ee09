//! The page's side effects for teaching: the current lesson in the URL (pushed to the
//! history, so Back returns to the previous step; Back and edited links open their
//! lesson), progress and exercise work in localStorage, and `#src=` lessons fetched from
//! the same site. The reducer (`state/reduce.rs`) stays pure; these hooks watch it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::examples;
use crate::lessons::{self, ManifestRef};
use crate::links;
use crate::state::{Action, SrcStage, Store};
use crate::storage;

/// Installs every teaching effect for the app's store.
#[hook]
pub fn use_teaching(state: &Store) {
    // A lesson opened on the page: its link becomes a new history entry.
    {
        let store = state.clone();
        use_effect_with(state.nav, move |nav| {
            if *nav > 0 {
                if let Some(l) = &store.lesson {
                    storage::push_hash(&links::fragment(l, store.embed));
                }
            }
        });
    }
    // Back, Forward, or a link edited in the address bar: open the lesson it names.
    {
        let store = state.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "popstate", move |_| {
                    let link = links::parse(&storage::hash(), &storage::search());
                    if let Some((group, q)) = link.lesson {
                        let group = group.or((!q.contains('/')).then_some("seed"));
                        if let Some(i) = examples::find(&q, group) {
                            if store.example != Some(i) {
                                store.dispatch(Action::OpenLesson(i));
                            }
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }
    {
        let progress = state.progress.clone();
        use_effect_with(Rc::as_ptr(&state.progress) as usize, move |_| {
            let fields: Vec<(&str, &str)> = progress
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            storage::set(storage::KEY_PROGRESS, &crate::json::object(&fields));
        });
    }
    // An exercise's work is kept per exercise whenever the text is analysed.
    {
        let store = state.clone();
        use_effect_with(state.requested, move |_| {
            if let Some(l) = store.lesson.as_ref().filter(|l| l.exercise.is_some()) {
                if store.src_lesson.is_none() {
                    storage::set(&storage::work_key(&l.id), &store.current_text());
                }
            }
        });
    }
    // `#src=`: fetch the file, then (once the worker read it) its manifests.
    {
        let store = state.clone();
        use_effect_with(state.src.clone(), move |src| match src.clone() {
            Some(SrcStage::Fetch(path)) => {
                wasm_bindgen_futures::spawn_local(async move {
                    let r = fetch_text(&path, store.lang).await;
                    store.dispatch(Action::SrcFetched(path, r));
                });
            }
            Some(SrcStage::Manifests { info, .. }) => {
                wasm_bindgen_futures::spawn_local(async move {
                    let r = fetch_manifests(&info.manifests, store.lang).await;
                    store.dispatch(Action::SrcReady(r));
                });
            }
            _ => {}
        });
    }
}

/// The manifests of a `#src=` lesson, fetched and joined like a built-in lesson's.
async fn fetch_manifests(manifests: &[ManifestRef], lang: netpol::Lang) -> Result<String, String> {
    let mut fetched: Vec<(String, String)> = Vec::new();
    for m in manifests {
        if let ManifestRef::File(p) = m {
            let text = fetch_text(p, lang)
                .await
                .map_err(|e| format!("`{p}`: {e}"))?;
            fetched.push((p.clone(), text));
        }
    }
    // Each file under its own name in the workspace, as a built-in lesson's.
    let read = |p: &str| fetched.iter().find(|(q, _)| q == p).map(|(_, t)| t.clone());
    Ok(lessons::compose(manifests, &read))
}

/// The page's directory URL (`https://host/course/playground/`).
fn page_dir() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    let no_frag = href.split('#').next().unwrap_or_default();
    let no_query = no_frag.split('?').next().unwrap_or_default();
    Some(match no_query.rfind('/') {
        Some(i) => no_query.get(..=i).unwrap_or(no_query).to_string(),
        None => no_query.to_string(),
    })
}

/// Fetches a site path as text: only a plain relative path (`links::safe_path`) that
/// resolves under the page's own directory on its own origin.
pub async fn fetch_text(path: &str, lang: netpol::Lang) -> Result<String, String> {
    let t = crate::i18n::tr(lang);
    let path = links::safe_path(path).map_err(|why| t.src_refused(why).to_string())?;
    let dir = page_dir().ok_or_else(|| t.fetch_failed.to_string())?;
    let url = web_sys::Url::new_with_base(&path, &dir).map_err(|_| t.fetch_failed.to_string())?;
    let href = url.href();
    if !href.starts_with(&dir) {
        return Err(t.src_refused(links::Refused::Escapes).to_string());
    }
    let window = web_sys::window().ok_or_else(|| t.fetch_failed.to_string())?;
    let resp = JsFuture::from(window.fetch_with_str(&href))
        .await
        .map_err(|_| t.fetch_failed.to_string())?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| t.fetch_failed.to_string())?;
    if !resp.ok() {
        return Err(format!("{} (HTTP {})", t.fetch_failed, resp.status()));
    }
    let text = resp.text().map_err(|_| t.fetch_failed.to_string())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| t.fetch_failed.to_string())
}
