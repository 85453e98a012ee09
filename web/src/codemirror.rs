//! The binding to the manifest editor (CodeMirror 6, `web/editor/main.js`, which
//! `web/loader.js` loads as `globalThis.netpolEditor` before the WebAssembly): the only
//! interface between Rust and the editor.
//!
//! The text lives in the editor. Rust is told `dirty` on the first change after it last
//! read the text and `idle` once typing paused for the debounce; it reads the text
//! ([`Editor::text`], a JS string that goes to the worker as it is) only then, never per
//! keystroke. Positions are the editor's: UTF-16 code units of the text (the worker turns
//! the core's byte ranges into them, `analyzer/`).

use std::cell::RefCell;

use js_sys::{Function, JsString, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// One editor (`create` in main.js).
    #[derive(Clone)]
    pub type Handle;

    #[wasm_bindgen(catch, js_namespace = netpolEditor, js_name = create)]
    fn js_create(
        parent: &web_sys::Element,
        opts: &JsValue,
        cb: &JsValue,
    ) -> Result<Handle, JsValue>;

    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &Handle, text: &str);
    #[wasm_bindgen(method)]
    fn text(this: &Handle) -> JsString;
    #[wasm_bindgen(method)]
    fn lines(this: &Handle) -> u32;
    #[wasm_bindgen(method)]
    fn flush(this: &Handle);
    #[wasm_bindgen(method)]
    fn append(this: &Handle, text: &str);
    #[wasm_bindgen(method)]
    fn replace(this: &Handle, from: u32, to: u32, text: &str);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &Handle, list: &JsValue, words: &JsValue);
    #[wasm_bindgen(method)]
    fn select(this: &Handle, from: u32, to: u32);
    #[wasm_bindgen(method)]
    fn highlight(this: &Handle, ranges: &JsValue, scroll: bool);
    #[wasm_bindgen(method, js_name = setLanguage)]
    fn set_language(this: &Handle, phrases: &JsValue);
    #[wasm_bindgen(method, js_name = setDark)]
    fn set_dark(this: &Handle, dark: bool);
    #[wasm_bindgen(method, js_name = setAttributes)]
    fn set_attributes(this: &Handle, attrs: &JsValue);
    #[wasm_bindgen(method, js_name = setWords)]
    fn set_words(this: &Handle, words: &JsValue);
    #[wasm_bindgen(method)]
    fn locate(this: &Handle, pos: u32) -> String;
    #[wasm_bindgen(method)]
    fn zip(this: &Handle) -> JsValue;
    #[wasm_bindgen(method, js_name = openFiles)]
    fn open_files(this: &Handle, files: &web_sys::FileList);
    #[wasm_bindgen(method)]
    fn destroy(this: &Handle);
}

thread_local! {
    /// The page's editor, for the bridge and the share link, which read its text.
    static CURRENT: RefCell<Option<Handle>> = const { RefCell::new(None) };
}

/// What the editor calls back.
pub struct Callbacks {
    /// The text changed (first change after the last read).
    pub dirty: Box<dyn FnMut()>,
    /// Typing paused for the debounce.
    pub idle: Box<dyn FnMut()>,
    /// Hover at a position: a promise of `{from, to, title, lines}` or null.
    pub hover: Box<dyn FnMut(u32) -> Promise>,
    /// Completion: JSON `{kind, namespace, path, key, item}` in, a JSON array of
    /// `{label, detail, type, shape, boost}` out.
    pub complete: Box<dyn FnMut(JsValue) -> String>,
    /// "Show in Problems" on the diagnostic with this index.
    pub problem: Box<dyn FnMut(u32)>,
    /// The cursor rested at this position (a user's move or a selection from the page,
    /// not a text set from outside).
    pub cursor: Box<dyn FnMut(u32)>,
    /// A dropped or opened file could not be read (its name).
    pub file_error: Box<dyn FnMut(String)>,
}

/// A created editor; dropping it destroys the editor.
pub struct Editor {
    handle: Handle,
    _closures: Vec<Box<dyn std::any::Any>>,
}

/// What the editor shows first.
pub struct Options<'a> {
    pub text: &'a str,
    pub dark: bool,
    pub debounce_ms: u32,
    /// CodeMirror's phrases in the page's language (None: English, its own).
    pub phrases: Option<&'a [(&'a str, &'a str)]>,
    /// Attributes of the editable element (id, aria-label, ...).
    pub attrs: &'a [(&'a str, &'a str)],
    /// The file tabs' words (`setWords` in main.js).
    pub words: &'a [(&'a str, &'a str)],
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn pairs(p: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in p {
        set(&o, k, &JsValue::from_str(v));
    }
    o.into()
}

impl Editor {
    /// Creates the editor inside `parent`. Fails when the editor bundle did not load.
    pub fn create(parent: &web_sys::Element, o: &Options, cb: Callbacks) -> Result<Editor, String> {
        let opts: JsValue = js_sys::Object::new().into();
        set(&opts, "text", &JsValue::from_str(o.text));
        set(&opts, "dark", &JsValue::from_bool(o.dark));
        set(&opts, "debounce", &JsValue::from(o.debounce_ms));
        set(&opts, "attrs", &pairs(o.attrs));
        set(&opts, "words", &pairs(o.words));
        if let Some(p) = o.phrases {
            set(&opts, "phrases", &pairs(p));
        }
        let Callbacks {
            dirty,
            idle,
            hover,
            complete,
            problem,
            cursor,
            file_error,
        } = cb;
        let dirty = Closure::<dyn FnMut()>::new(dirty);
        let idle = Closure::<dyn FnMut()>::new(idle);
        let hover = Closure::<dyn FnMut(u32) -> Promise>::new(hover);
        let complete = Closure::<dyn FnMut(JsValue) -> String>::new(complete);
        let problem = Closure::<dyn FnMut(u32)>::new(problem);
        let cursor = Closure::<dyn FnMut(u32)>::new(cursor);
        let file_error = Closure::<dyn FnMut(String)>::new(file_error);
        let cbs: JsValue = js_sys::Object::new().into();
        set(&cbs, "dirty", dirty.as_ref());
        set(&cbs, "idle", idle.as_ref());
        set(&cbs, "hover", hover.as_ref());
        set(&cbs, "complete", complete.as_ref());
        set(&cbs, "problem", problem.as_ref());
        set(&cbs, "cursor", cursor.as_ref());
        set(&cbs, "fileError", file_error.as_ref());
        let handle = js_create(parent, &opts, &cbs).map_err(|e| format!("{e:?}"))?;
        CURRENT.with(|c| *c.borrow_mut() = Some(handle.clone()));
        Ok(Editor {
            handle,
            _closures: vec![
                Box::new(dirty),
                Box::new(idle),
                Box::new(hover),
                Box::new(complete),
                Box::new(problem),
                Box::new(cursor),
                Box::new(file_error),
            ],
        })
    }

    /// Replaces the text (an example, a file, a link): not reported as an edit.
    pub fn set_text(&self, text: &str) {
        self.handle.set_text(text);
    }

    pub fn lines(&self) -> u32 {
        self.handle.lines()
    }

    /// Appends a document as one undoable edit and analyses it at once.
    /// Replaces `from..to` (editor positions) by `text`, as one undoable edit that is
    /// analysed at once (like `append`), and selects the new text.
    pub fn replace(&self, from: u32, to: u32, text: &str) {
        self.handle.replace(from, to, text);
        self.handle.flush();
    }

    pub fn append(&self, text: &str) {
        self.handle.append(text);
        self.handle.flush();
    }

    /// Diagnostics (JSON array of `{from, to, severity, code, message, fixes, index}`),
    /// with the word of the "Show in Problems" action.
    pub fn set_diagnostics(&self, json: &str, problems_word: &str) {
        let list = js_sys::JSON::parse(json).unwrap_or_else(|_| js_sys::Array::new().into());
        let words: JsValue = js_sys::Object::new().into();
        set(&words, "problems", &JsValue::from_str(problems_word));
        self.handle.set_diagnostics(&list, &words);
    }

    /// Selects a range, scrolls to it, focuses the editor and marks the range.
    pub fn select(&self, from: u32, to: u32) {
        self.handle.select(from, to);
    }

    /// Marks ranges without moving the selection or the focus (`scroll`: brings the
    /// first into view). No ranges: clears the marks.
    pub fn highlight(&self, ranges: &[(u32, u32)], scroll: bool) {
        let a = js_sys::Array::new();
        for &(f, t) in ranges {
            let r = js_sys::Array::new();
            r.push(&JsValue::from(f));
            r.push(&JsValue::from(t));
            a.push(&r);
        }
        self.handle.highlight(&a, scroll);
    }

    pub fn set_language(
        &self,
        phrases: Option<&[(&str, &str)]>,
        attrs: &[(&str, &str)],
        words: &[(&str, &str)],
    ) {
        let p = phrases.map_or(JsValue::NULL, pairs);
        self.handle.set_language(&p);
        self.handle.set_attributes(&pairs(attrs));
        self.handle.set_words(&pairs(words));
    }

    /// Adds the files of a file input (read in the editor; markers split them further).
    pub fn open_files(&self, files: &web_sys::FileList) {
        self.handle.open_files(files);
    }

    pub fn set_dark(&self, dark: bool) {
        self.handle.set_dark(dark);
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        CURRENT.with(|c| {
            let mut c = c.borrow_mut();
            if c.as_ref()
                .is_some_and(|h| JsValue::from(h.clone()) == JsValue::from(self.handle.clone()))
            {
                *c = None;
            }
        });
        self.handle.destroy();
    }
}

/// The editor's text now, as a JS string (None before the editor exists). Reading it
/// makes the editor report its next change (`dirty`).
pub fn text() -> Option<JsString> {
    CURRENT.with(|c| c.borrow().as_ref().map(|h| h.text()))
}

/// Where a position of the text is in the workspace: the file's name and the text's
/// line number of the file's first line. None before the editor exists, or while the
/// workspace is one unnamed file (`locate` in main.js answers `LINE<tab>NAME` or "").
pub fn locate(pos: u32) -> Option<(String, u32)> {
    let at = CURRENT.with(|c| c.borrow().as_ref().map(|h| h.locate(pos)))?;
    let (line, name) = at.split_once('\t')?;
    Some((name.to_string(), line.parse().ok()?))
}

/// The workspace as a zip archive (a `Uint8Array`).
pub fn zip() -> Option<JsValue> {
    CURRENT.with(|c| c.borrow().as_ref().map(|h| h.zip()))
}

/// Whether the editor bundle loaded (`globalThis.netpolEditor.create`).
pub fn available() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("netpolEditor"))
        .ok()
        .and_then(|e| Reflect::get(&e, &JsValue::from_str("create")).ok())
        .is_some_and(|f| f.is_instance_of::<Function>())
}
