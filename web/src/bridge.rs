//! The main thread's end of the analysis worker (`worker.rs`, in the same binary).
//!
//! At most one request is in flight: while the worker is busy, only the latest wanted
//! state is kept, so a newer edit supersedes every older one that was not sent yet; the
//! reducer drops an answer for an older revision or view (`Action::Results`); a request
//! not sent yet whose revision was overtaken by an edit is dropped too (`supersede`). The
//! text is sent only when the worker does not have that revision, as a JS string beside
//! the JSON (the editor's own string: never copied into Rust on the main thread). Hover
//! questions wait behind the state, the latest one only. If the worker panics (or dies)
//! it is terminated, the page is told (`on_crash`) and a new worker gets the latest state;
//! the editor text lives in the page, so nothing typed is lost.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::Callback;

use crate::wire::{
    HoverRequest, ParseRequest, Request, Response, Results, SrcLesson, ToWorker, ViewRequest,
};

/// The worker script Trunk writes (`data-loader-shim` in index.html).
pub const WORKER_URL: &str = "./worker.js";
/// The window event that makes the worker panic on its next request (end-to-end test).
pub const CRASH_EVENT: &str = "netpol:crash-worker";
/// Restarts in a row without one answer before the bridge waits for a new state (a text
/// that panics the evaluator would otherwise restart it forever).
const MAX_CRASHES: u32 = 2;

/// Answers one request (JSON and the text, when it comes along, in; JSON out).
pub type Handler = fn(&[u8], Option<String>) -> Vec<u8>;

thread_local! {
    static IN_THREAD: Cell<Option<Handler>> = const { Cell::new(None) };
}

/// Answer requests with `handler` on the main thread instead of a worker (the component
/// tests, whose runner serves no worker script: `analyzer::handle_message`).
pub fn run_in_thread(handler: Handler) {
    IN_THREAD.with(|h| h.set(Some(handler)));
}

struct Wanted {
    revision: u64,
    /// The text of `revision` when it came from outside the editor; else the editor's.
    text: Option<Rc<String>>,
    view: ViewRequest,
    extra: Extra,
}

/// What a request carries besides the text and the view: a `#src=` lesson's source, a
/// `#src=` file to read.
#[derive(Clone, Default)]
pub struct Extra {
    pub lesson_source: Option<Rc<SrcLesson>>,
    pub parse: Option<ParseRequest>,
    /// The pinned baseline: its text goes to each worker once.
    pub baseline: Option<Rc<crate::state::Baseline>>,
}

struct Inner {
    worker: Option<web_sys::Worker>,
    ready: bool,
    busy: bool,
    /// The revision this worker instance has.
    sent: Option<u64>,
    /// The baseline this worker instance has.
    base_sent: Option<u64>,
    /// The revision of the request in flight.
    asked: u64,
    wanted: Option<Wanted>,
    dirty: bool,
    crash_next: bool,
    crashes: u32,
    /// The latest hover question not sent yet, and the promises waiting for answers.
    hover: Option<HoverRequest>,
    waiting: Vec<(u64, js_sys::Function)>,
    next_id: u64,
    on_results: Callback<Box<Results>>,
    on_crash: Callback<String>,
    _listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

#[derive(Clone)]
pub struct Bridge(Rc<RefCell<Inner>>);

impl Bridge {
    pub fn new(on_results: Callback<Box<Results>>, on_crash: Callback<String>) -> Bridge {
        let b = Bridge(Rc::new(RefCell::new(Inner {
            worker: None,
            ready: false,
            busy: false,
            sent: None,
            base_sent: None,
            asked: 0,
            wanted: None,
            dirty: false,
            crash_next: false,
            crashes: 0,
            hover: None,
            waiting: Vec::new(),
            next_id: 0,
            on_results,
            on_crash,
            _listeners: Vec::new(),
        })));
        b.spawn();
        if let Some(w) = web_sys::window() {
            let weak = Rc::downgrade(&b.0);
            let crash = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if let Some(inner) = weak.upgrade() {
                    inner.borrow_mut().crash_next = true;
                    inner.borrow_mut().dirty = true;
                    Bridge(inner).pump();
                }
            });
            let _ = w.add_event_listener_with_callback(CRASH_EVENT, crash.as_ref().unchecked_ref());
            b.0.borrow_mut()._listeners.push(crash);
        }
        b
    }

    /// The state the page wants answered (the latest wins). `text`: the text of
    /// `revision` when it came from outside the editor (None: the editor has it).
    pub fn submit(&self, revision: u64, text: Option<Rc<String>>, view: ViewRequest, extra: Extra) {
        {
            let mut i = self.0.borrow_mut();
            i.wanted = Some(Wanted {
                revision,
                text,
                view,
                extra,
            });
            i.dirty = true;
            i.crashes = 0;
        }
        self.pump();
    }

    /// An edit made `revision` the page's: a state of an older one not sent yet is
    /// dropped (its debounce will ask for the new one).
    pub fn supersede(&self, revision: u64) {
        let mut i = self.0.borrow_mut();
        if i.wanted.as_ref().is_some_and(|w| w.revision < revision) {
            i.dirty = false;
        }
    }

    /// What is at editor position `pos` of `revision`: a promise of the hover's
    /// `{from, to, title, lines}` or null (a newer hover, or a changed text, answers null).
    pub fn hover(&self, revision: u64, pos: u32, lang: netpol::Lang) -> js_sys::Promise {
        let mut resolve_fn = None;
        let promise = js_sys::Promise::new(&mut |resolve, _| resolve_fn = Some(resolve));
        if let Some(resolve) = resolve_fn {
            let mut i = self.0.borrow_mut();
            i.next_id += 1;
            let id = i.next_id;
            // Only the latest hover matters: the ones still waiting get nothing.
            for (_, r) in i.waiting.drain(..) {
                let _ = r.call1(&JsValue::NULL, &JsValue::NULL);
            }
            i.waiting.push((id, resolve));
            i.hover = Some(HoverRequest {
                id,
                revision,
                pos,
                lang,
            });
        }
        self.pump();
        promise
    }

    fn spawn(&self) {
        if IN_THREAD.with(|h| h.get()).is_some() {
            self.0.borrow_mut().ready = true;
            return;
        }
        // A module worker: web/worker.js imports the page's own netpol-web.js.
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = match web_sys::Worker::new_with_options(WORKER_URL, &options) {
            Ok(w) => w,
            Err(e) => {
                let cb = self.0.borrow().on_crash.clone();
                cb.emit(format!("{e:?}"));
                return;
            }
        };
        let weak = Rc::downgrade(&self.0);
        let onmessage =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(bytes) = e.data().dyn_ref::<js_sys::Uint8Array>() {
                    receive(&weak, &bytes.to_vec());
                }
            });
        let weak = Rc::downgrade(&self.0);
        let onerror =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                e.prevent_default();
                if let Some(inner) = weak.upgrade() {
                    Bridge(inner).restart(e.message());
                }
            });
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        // The closures live as long as the page (a restart leaks two small closures).
        onmessage.forget();
        onerror.forget();
        let mut i = self.0.borrow_mut();
        i.worker = Some(worker);
        i.ready = false;
        i.busy = false;
        i.sent = None;
        i.base_sent = None;
    }

    fn restart(&self, why: String) {
        let on_crash = {
            let mut i = self.0.borrow_mut();
            if let Some(w) = i.worker.take() {
                w.set_onmessage(None);
                w.set_onerror(None);
                w.terminate();
            }
            i.crashes += 1;
            i.dirty = i.wanted.is_some() && i.crashes <= MAX_CRASHES;
            // A hover in flight died with the worker.
            for (_, r) in i.waiting.drain(..) {
                let _ = r.call1(&JsValue::NULL, &JsValue::NULL);
            }
            i.on_crash.clone()
        };
        web_sys::console::error_1(&format!("netpol worker: {why}").into());
        on_crash.emit(why);
        self.spawn();
        self.pump();
    }

    /// Sends the wanted state, else the latest hover question, when the worker is free.
    fn pump(&self) {
        let (msg, text, worker) = {
            let mut guard = self.0.borrow_mut();
            let i = &mut *guard;
            if !i.ready || i.busy {
                return;
            }
            let hover = i.hover.take();
            let (msg, text) = match (i.dirty, i.wanted.as_ref(), hover) {
                (true, Some(w), hover) => {
                    i.hover = hover;
                    let req = Request {
                        revision: w.revision,
                        view: w.view.clone(),
                        crash: i.crash_next,
                        lesson_source: w.extra.lesson_source.as_deref().cloned(),
                        parse: w.extra.parse.clone(),
                        baseline: w
                            .extra
                            .baseline
                            .as_ref()
                            .filter(|b| i.base_sent != Some(b.id))
                            .map(|b| (b.id, b.text.to_string())),
                    };
                    if let Some((id, _)) = &req.baseline {
                        i.base_sent = Some(*id);
                    }
                    let text = (i.sent != Some(w.revision)).then(|| match &w.text {
                        Some(t) => JsValue::from_str(t),
                        None => crate::codemirror::text().map_or(JsValue::UNDEFINED, JsValue::from),
                    });
                    let revision = w.revision;
                    i.sent = Some(revision);
                    i.asked = revision;
                    i.crash_next = false;
                    i.dirty = false;
                    (ToWorker::Analyze(Box::new(req)), text)
                }
                (_, _, Some(h)) => (ToWorker::Hover(h), None),
                _ => return,
            };
            i.busy = true;
            (crate::wire::encode(&msg), text, i.worker.clone())
        };
        match worker {
            Some(w) => {
                let data = js_sys::Array::new();
                data.push(&js_sys::Uint8Array::from(&msg[..]));
                if let Some(t) = &text {
                    data.push(t);
                }
                if let Err(e) = w.post_message(&data) {
                    self.restart(format!("{e:?}"));
                }
            }
            None => {
                let Some(handler) = IN_THREAD.with(|h| h.get()) else {
                    return;
                };
                let weak = Rc::downgrade(&self.0);
                let text = text.and_then(|t| t.as_string());
                gloo::timers::callback::Timeout::new(0, move || {
                    let reply = handler(&msg, text);
                    receive(&weak, &reply);
                })
                .forget();
            }
        }
    }

    fn answer_hover(&self, id: u64, hover: Option<crate::wire::HoverView>) {
        let resolve = {
            let mut i = self.0.borrow_mut();
            let at = i.waiting.iter().position(|(w, _)| *w == id);
            at.map(|k| i.waiting.remove(k).1)
        };
        if let Some(r) = resolve {
            let value = hover
                .and_then(|h| serde_json::to_string(&h).ok())
                .and_then(|s| js_sys::JSON::parse(&s).ok())
                .unwrap_or(JsValue::NULL);
            let _ = r.call1(&JsValue::NULL, &value);
        }
    }
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn receive(weak: &Weak<RefCell<Inner>>, msg: &[u8]) {
    let Some(inner) = weak.upgrade() else { return };
    let bridge = Bridge(inner);
    match crate::wire::decode::<Response>(msg) {
        Ok(Response::Ready) => {
            bridge.0.borrow_mut().ready = true;
            bridge.pump();
        }
        Ok(Response::Results(r)) => {
            let cb = {
                let mut i = bridge.0.borrow_mut();
                i.busy = false;
                i.crashes = 0;
                // The worker lacks the text it was asked about: send it again.
                if r.revision != i.asked {
                    i.sent = None;
                    i.dirty = true;
                }
                i.on_results.clone()
            };
            cb.emit(r);
            bridge.pump();
        }
        Ok(Response::Hover(a)) => {
            bridge.0.borrow_mut().busy = false;
            bridge.answer_hover(a.id, a.hover);
            bridge.pump();
        }
        Ok(Response::Panic(msg)) => bridge.restart(msg),
        Err(e) => bridge.restart(format!("unreadable answer: {e}")),
    }
}
