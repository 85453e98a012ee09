use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use super::use_store;
use crate::bridge::Bridge;
use crate::codemirror;
use crate::i18n::{tr, Tr};
use crate::state::{Action, Notice, NoticeKind, Store};
use crate::wire::{DiagView, EditView};

/// A diagnostic as the editor takes it (`setDiagnostics` in web/editor/main.js).
#[derive(Serialize)]
struct EditorDiag<'a> {
    from: usize,
    to: usize,
    severity: &'a str,
    code: &'a str,
    message: String,
    fixes: Vec<EditView>,
    index: usize,
}

/// The diagnostics for the editor; the quick fixes' labels in the page's language now
/// (it may have changed since the analysis).
fn diagnostics_json(diags: &[DiagView], t: &Tr) -> String {
    let list: Vec<EditorDiag> = diags
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(" — ");
                message.push_str(h);
            }
            EditorDiag {
                from: d.start,
                to: d.end,
                severity: &d.severity,
                code: &d.code,
                message,
                fixes: d
                    .fixes
                    .iter()
                    .map(|f| EditView {
                        label: crate::i18n::fix_label(t, &f.insert, f.selects.as_ref()),
                        ..f.clone()
                    })
                    .collect(),
                index,
            }
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

/// The editable element's attributes (it is the `#editor` the page and tests use).
fn attrs(t: &Tr) -> [(&'static str, &'static str); 4] {
    [
        ("id", "editor"),
        ("aria-label", t.editor),
        ("aria-describedby", "editor-hint"),
        ("spellcheck", "false"),
    ]
}

/// Moves the focus to the Problems list's entry for diagnostic `i`.
fn focus_problem(i: u32) {
    let doc = web_sys::window().and_then(|w| w.document());
    let sel = format!("#diagnostics button.diag[data-index=\"{i}\"]");
    if let Some(el) = doc.and_then(|d| d.query_selector(&sel).ok().flatten()) {
        el.scroll_into_view();
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The editor's callbacks: they read the latest state through `latest`.
fn callbacks(latest: Rc<RefCell<Store>>, bridge: Bridge) -> codemirror::Callbacks {
    let d = latest.borrow().dispatcher();
    let d2 = d.clone();
    let d3 = d.clone();
    let d4 = d.clone();
    let lang = latest.clone();
    let hover_state = latest.clone();
    codemirror::Callbacks {
        dirty: Box::new(move || d.dispatch(Action::Edited)),
        idle: Box::new(move || d2.dispatch(Action::Analyze)),
        hover: Box::new(move |pos| {
            let s = hover_state.borrow();
            // The worker's analysis must be of the text on screen.
            if s.analyzed == Some(s.revision) {
                bridge.hover(s.revision, pos, s.lang)
            } else {
                js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL)
            }
        }),
        complete: Box::new(move |ask| {
            let s = latest.borrow();
            crate::completion::complete(&ask, &s.base.vocab, tr(s.lang).ed)
        }),
        problem: Box::new(focus_problem),
        cursor: Box::new(move |pos| d3.dispatch(Action::Cursor(pos))),
        file_error: Box::new(move |_name| {
            let l = lang.borrow().lang;
            d4.dispatch(Action::Notice(Some(Notice {
                kind: NoticeKind::Error,
                text: tr(l).file_bad.into(),
            })))
        }),
    }
}

/// Offers the editor's text as `manifests.yaml` (what the worker analyses, as typed:
/// every file after its `# Source:` marker).
fn download_text() {
    if let Some(blob) = codemirror::text()
        .and_then(|t| t.as_string())
        .and_then(|t| crate::download::text_blob(&t, "application/yaml"))
    {
        crate::download::offer(&blob, "manifests.yaml");
    }
}

/// Offers the workspace as `manifests.zip`, one entry per file.
fn download_zip() {
    if let Some(blob) =
        codemirror::zip().and_then(|z| crate::download::bytes_blob(&z, "application/zip"))
    {
        crate::download::offer(&blob, "manifests.zip");
    }
}

/// The manifest editor (CodeMirror, `codemirror.rs`): YAML highlighting, folding, search,
/// multiple cursors, undo; diagnostics inline with quick fixes; hovers answered by the
/// worker; completion. Tab inserts two spaces (Esc then Tab leaves); drop or open a file.
#[component]
pub fn Editor() -> Html {
    let store = use_store();
    #[allow(
        clippy::expect_used,
        reason = "`App` provides the bridge to every component, always"
    )]
    let bridge = use_context::<Bridge>().expect("the app provides the bridge");
    let t = tr(store.lang);
    let host = use_node_ref();
    let editor: Rc<RefCell<Option<codemirror::Editor>>> = use_mut_ref(|| None);
    let latest = use_mut_ref(|| store.clone());
    *latest.borrow_mut() = store.clone();
    let applied = use_mut_ref(|| store.external);
    let appended = use_mut_ref(|| None::<u32>);
    // Create the editor once. Dropped files and folders become files of the workspace
    // (the editor catches them before CodeMirror would insert them as text).
    {
        let host = host.clone();
        let editor = editor.clone();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let s = latest.borrow().clone();
            let el = host.cast::<web_sys::Element>();
            if let Some(el) = el {
                let t = tr(s.lang);
                let opts = codemirror::Options {
                    text: &s.text,
                    dark: s.dark,
                    debounce_ms: super::app::DEBOUNCE_MS,
                    phrases: t.ed.phrases,
                    attrs: &attrs(t),
                    words: t.ed.files,
                };
                match codemirror::Editor::create(&el, &opts, callbacks(latest.clone(), bridge)) {
                    Ok(e) => *editor.borrow_mut() = Some(e),
                    Err(e) => web_sys::console::error_1(&format!("netpol editor: {e}").into()),
                }
            }
            move || {
                editor.borrow_mut().take();
            }
        });
    }

    // The text was replaced from outside (an example, a file, a link).
    {
        let editor = editor.clone();
        let text = store.text.clone();
        use_effect_with(store.external, move |n| {
            if *applied.borrow() != *n {
                if let Some(e) = editor.borrow().as_ref() {
                    e.set_text(&text);
                    *applied.borrow_mut() = *n;
                }
            }
        });
    }
    // "Add to the manifests": one undoable edit at the end of the text as it is.
    {
        let editor = editor.clone();
        let append = store.append.clone();
        use_effect_with(store.append.as_ref().map(|(n, _)| *n), move |n| {
            if let (Some((_, yaml)), Some(e)) = (append, editor.borrow().as_ref()) {
                if *appended.borrow() != *n {
                    *appended.borrow_mut() = *n;
                    e.append(&yaml);
                }
            }
        });
    }
    // A rule edit ("Apply this edit"): one undoable change, then analysed at once.
    {
        let editor = editor.clone();
        let edit = store.edit.clone();
        let done = use_mut_ref(|| None::<u32>);
        use_effect_with(store.edit.as_ref().map(|e| e.0), move |n| {
            if let (Some((_, from, to, text)), Some(e)) = (edit, editor.borrow().as_ref()) {
                if *done.borrow() != *n {
                    *done.borrow_mut() = *n;
                    e.replace(from, to, &text);
                }
            }
        });
    }
    // Select a diagnostic's or a policy's range (a Problems entry or a view's link).
    {
        let editor = editor.clone();
        use_effect_with(store.selection, move |sel| {
            if let (Some(sel), Some(e)) = (sel, editor.borrow().as_ref()) {
                e.select(sel.start as u32, sel.end.max(sel.start) as u32);
            }
        });
    }
    // The steps panel's current step: its YAML marked and scrolled into view (the focus
    // stays in the panel); the marks go when the panel closes.
    {
        let editor = editor.clone();
        let marked = use_mut_ref(|| false);
        let open = store.steps.is_some();
        let range = super::steps::current_range(&store);
        use_effect_with(
            (open, range, Rc::as_ptr(&store.data) as usize),
            move |(open, range, _)| {
                if let Some(e) = editor.borrow().as_ref() {
                    if *open {
                        e.highlight(range.as_slice(), true);
                        *marked.borrow_mut() = true;
                    } else if std::mem::take(&mut *marked.borrow_mut()) {
                        e.highlight(&[], false);
                    }
                }
            },
        );
    }
    // Diagnostics of the text on screen, inline.
    {
        let editor = editor.clone();
        let base = store.base.clone();
        use_effect_with(
            (Rc::as_ptr(&store.base) as usize, store.lang),
            move |(_, l)| {
                if let Some(e) = editor.borrow().as_ref() {
                    let t = tr(*l);
                    e.set_diagnostics(
                        &diagnostics_json(&base.diagnostics, t),
                        t.ed.show_in_problems,
                    );
                }
            },
        );
    }
    {
        let editor = editor.clone();
        use_effect_with(store.lang, move |l| {
            if let Some(e) = editor.borrow().as_ref() {
                let t = tr(*l);
                e.set_language(t.ed.phrases, &attrs(t), t.ed.files);
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(store.dark, move |d| {
            if let Some(e) = editor.borrow().as_ref() {
                e.set_dark(*d);
            }
        });
    }

    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let onfile = {
        let editor = editor.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let (Some(files), Some(ed)) = (input.files(), editor.borrow().as_ref()) {
                ed.open_files(&files);
            }
            input.set_value("");
        })
    };

    let millis = store.base.millis;
    let fresh = store.fresh();
    let lines = store.base.lines;
    let status = if store.analyzed.is_none() {
        t.analysing.to_string()
    } else {
        format!(
            "{} {} · {} {:.1} ms",
            lines,
            t.lines,
            t.evaluated_in,
            netpol::words::Decimal(millis)
        )
    };

    html! {
        <div class="editor-wrap">
            <div class="editor-head">
                <span id="editor-label" class="pane-title">{ t.editor }</span>
                <span class="editor-actions">
                <button type="button" class="btn small" id="download" title={t.download_title} onclick={Callback::from(|_| download_text())}>{ t.download }</button>
                <button type="button" class="btn small" id="download-zip" title={t.download_zip_title} onclick={Callback::from(|_| download_zip())}>{ t.download_zip }</button>
                <label class="btn small file-btn">
                    { t.open_file }
                    <input type="file" id="file" multiple=true accept=".yaml,.yml,.json,application/json,text/yaml" onchange={onfile} />
                </label>
                </span>
            </div>
            <div class="editor" ref={host} {ondragover}></div>
            <p class="hint" id="editor-hint">{ t.editor_hint }</p>
            <p class="status" id="eval-status" aria-live="off" data-ms={format!("{:.2}", netpol::words::Decimal(millis))} data-fresh={fresh.to_string()}
                data-revision={store.revision.to_string()} data-analyzed={store.analyzed.map(|r| r.to_string()).unwrap_or_default()}>{ status }</p>
        </div>
    }
}
