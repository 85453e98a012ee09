//! The worker's side (see `worker.rs`): keeps the `netpol::Analysis` of the current
//! text and answers each view's questions from it, as view-ready data (`wire`). Only the
//! worker (and the component tests, in-thread) link this module: the page's main thread
//! neither loads nor evaluates.

use std::cell::RefCell;

use netpol::eval::{PolicyRef, RuleRef, Side, SideVerdict};
use netpol::tiers::{StepOutcome, StepTier, TierStep};
use netpol::{explain, Decision, Direction, LineIndex, PortQuery, QueryProtocol, Verdict};

use crate::examples;
use crate::i18n::{tr, Tr};
use crate::state::{Query, Tab};
use crate::wire::*;

mod base;
mod cluster;
mod decision;
pub mod graph_layout;
pub mod hover;
mod matrix;
mod trace;

use base::*;
use cluster::*;
pub use cluster::{MAX_ENDPOINTS, MAX_EXPOSED};
use decision::*;
use matrix::*;

struct Current {
    revision: u64,
    core: netpol::Analysis,
    text: String,
    /// The last `Base` sent for this revision, and the language of its diagnostics (the
    /// lints' words and the fixes' labels): a request in another language gets it again
    /// with the diagnostics in that language, without loading the text again.
    base: Base,
    lang: netpol::Lang,
}

/// The lesson shown, parsed once: its scenario (rows, options, exercise) and, for an
/// exercise, the cluster its starting manifests load to (for the constraints).
struct LessonCache {
    id: String,
    scenario: netpol::scenario::Scenario,
    rows: Vec<netpol::scenario::Connection>,
    start: Option<netpol::Cluster>,
}

/// The last graph drawn and what it was drawn for (revision, language, graph request,
/// query, lesson): opening an edge's explanation does not lay it out again.
type GraphCache = Option<(
    (
        u64,
        netpol::Lang,
        GraphRequest,
        Query,
        (Option<String>, Option<u64>),
    ),
    GraphData,
)>;

thread_local! {
    static GRAPH: RefCell<GraphCache> = const { RefCell::new(None) };
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
    static LESSON: RefCell<Option<std::rc::Rc<LessonCache>>> = const { RefCell::new(None) };
    /// The current text's byte offsets -> editor positions: every range sent to the page
    /// goes through it (`pos`).
    static POS: RefCell<Utf16> = RefCell::new(Utf16::default());
    /// What reading made of each document of the last text (`netpol::Loader`): an edit
    /// reads again only the documents it changed.
    static LOADER: RefCell<netpol::Loader> = RefCell::new(netpol::Loader::new());
}

/// Past this size the worker keeps no documents between edits (their trees would cost
/// more memory than a fresh read costs time; the editor stops parsing YAML there too).
const KEEP_DOCUMENTS_UP_TO: usize = 4 << 20;

/// The analysis of `text`, through the kept documents when it is small enough.
fn analyse(text: &str) -> netpol::Analysis {
    let sources = [netpol::Source {
        name: "input",
        text,
    }];
    let opts = netpol::LoadOptions::default();
    LOADER.with(|l| {
        let mut l = l.borrow_mut();
        let analysis = netpol::Analysis::with_loader(&mut l, &sources, &opts);
        if text.len() > KEEP_DOCUMENTS_UP_TO {
            *l = netpol::Loader::new();
        }
        analysis
    })
}

/// UTF-8 byte offsets of a text <-> UTF-16 positions (the editor's, as JavaScript counts).
/// Identity for ASCII text; otherwise one mark after each non-ASCII character.
#[derive(Default)]
pub struct Utf16 {
    /// (byte offset, UTF-16 position) just after each non-ASCII character.
    marks: Vec<(usize, usize)>,
}

impl Utf16 {
    pub fn new(text: &str) -> Utf16 {
        if text.is_ascii() {
            return Utf16::default();
        }
        let mut marks = Vec::new();
        let mut u = 0;
        for (b, ch) in text.char_indices() {
            u += ch.len_utf16();
            if !ch.is_ascii() {
                marks.push((b + ch.len_utf8(), u));
            }
        }
        Utf16 { marks }
    }

    /// The editor position of byte offset `byte` (a character boundary).
    pub fn pos(&self, byte: usize) -> usize {
        match self.marks.partition_point(|m| m.0 <= byte) {
            0 => byte,
            i => self.marks.get(i - 1).map_or(byte, |&(b, u)| u + (byte - b)),
        }
    }

    /// The byte offset of editor position `pos`.
    pub fn byte(&self, pos: usize) -> usize {
        match self.marks.partition_point(|m| m.1 <= pos) {
            0 => pos,
            i => self.marks.get(i - 1).map_or(pos, |&(b, u)| b + (pos - u)),
        }
    }
}

/// The editor position of a byte offset of the current text.
pub(crate) fn pos(byte: usize) -> usize {
    POS.with(|p| p.borrow().pos(byte))
}

pub(crate) fn now_ms() -> f64 {
    use wasm_bindgen::JsCast as _;
    // `performance` on the page's window and on the worker's global alike.
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .filter(|p| p.is_object())
        .map_or_else(js_sys::Date::now, |p| {
            p.unchecked_into::<web_sys::Performance>().now()
        })
}

/// One message in (`wire::encode` of a `wire::ToWorker`, and the text beside it when it
/// changed), one message out (of a `wire::Response`).
pub fn handle_message(msg: &[u8], text: Option<String>) -> Vec<u8> {
    let response = match crate::wire::decode::<ToWorker>(msg) {
        Ok(ToWorker::Analyze(req)) => Response::Results(Box::new(handle(*req, text))),
        Ok(ToWorker::Hover(h)) => Response::Hover(crate::analyzer::hover::answer(&h)),
        Err(e) => Response::Panic(format!("bad request: {e}")),
    };
    crate::wire::encode(&response)
}

/// Runs `f` on the current analysis and its text, if it is of `revision`.
pub fn with_current<R>(
    revision: u64,
    f: impl FnOnce(&netpol::Analysis, &str, &Utf16) -> Option<R>,
) -> Option<R> {
    CURRENT.with(|c| {
        let c = c.borrow();
        let cur = c.as_ref().filter(|c| c.revision == revision)?;
        POS.with(|p| f(&cur.core, &cur.text, &p.borrow()))
    })
}

pub fn handle(req: Request, text: Option<String>) -> Results {
    if req.crash {
        #[allow(
            clippy::panic,
            reason = "the restart test's own crash: the page asks for it, the user never can"
        )]
        {
            panic!("the page asked the worker to panic (test of the restart)");
        }
    }
    if let Some((id, text)) = req.baseline.as_ref() {
        crate::changes::set_baseline(*id, text);
    }
    let mut base = None;
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        // The page sends the text only when this worker does not have that revision.
        if let Some(text) = text {
            let t0 = now_ms();
            let core = analyse(&text);
            POS.with(|p| *p.borrow_mut() = Utf16::new(&text));
            let diagnostics = diagnostics(&core, &text, req.view.lang);
            let groups = endpoint_groups(core.cluster());
            let vocab = vocab(core.cluster());
            let b = Base {
                diagnostics,
                millis: now_ms() - t0,
                groups,
                lines: text.split('\n').count(),
                vocab,
            };
            base = Some(b.clone());
            GRAPH.with(|g| *g.borrow_mut() = None);
            *c = Some(Current {
                revision: req.revision,
                core,
                text,
                base: b,
                lang: req.view.lang,
            });
        } else if let Some(cur) = c.as_mut().filter(|c| c.lang != req.view.lang) {
            // The page switched language: the same diagnostics in the new one.
            cur.base.diagnostics = diagnostics(&cur.core, &cur.text, req.view.lang);
            cur.lang = req.view.lang;
            base = Some(cur.base.clone());
        }
    });
    let lesson = lesson(req.view.lesson.as_deref(), req.lesson_source.as_ref());
    let data = CURRENT.with(|c| match c.borrow().as_ref() {
        Some(cur) => view(cur, &req.view, lesson.as_deref()),
        None => ViewData::default(),
    });
    let revision = CURRENT.with(|c| c.borrow().as_ref().map_or(0, |c| c.revision));
    Results {
        revision,
        base,
        view: Some(req.view),
        data,
        parsed: req.parse.map(|p| (p.path.clone(), parse_src(&p))),
    }
}

/// The lesson `id`, parsed once: built in (`examples::source`) or sent by the page.
fn lesson(id: Option<&str>, src: Option<&SrcLesson>) -> Option<std::rc::Rc<LessonCache>> {
    let id = id?;
    if let Some(l) = LESSON.with(|l| l.borrow().clone()).filter(|l| l.id == id) {
        return Some(l);
    }
    let (source, start) = match src.filter(|s| s.id == id) {
        Some(s) => (s.source.clone(), Some(s.start.clone())),
        None => (examples::source(id)?.to_string(), None),
    };
    let scenario = netpol::scenario::parse(&source).ok()?;
    let start = scenario.exercise.as_ref().map(|_| {
        let text = start.unwrap_or_else(|| {
            let group = id.split('/').next().unwrap_or_default();
            let read = |p: &str| {
                crate::lessons::join(group, p)
                    .and_then(|p| examples::file(&p))
                    .map(str::to_string)
                    .ok_or_else(|| format!("no built-in file `{p}`"))
            };
            let (texts, _) = netpol::runner::load_manifests(&scenario, &read);
            let manifests: Vec<crate::lessons::ManifestRef> = texts
                .into_iter()
                .map(|(_, t)| crate::lessons::ManifestRef::Inline(t))
                .collect();
            crate::lessons::compose(&manifests, &|_| None)
        });
        netpol::load(&text).cluster
    });
    let rows = scenario
        .expect
        .iter()
        .filter_map(|e| match e {
            netpol::scenario::Expectation::Connection(c) => Some(c.clone()),
            netpol::scenario::Expectation::Matrix(_) => None,
        })
        .collect();
    let cache = std::rc::Rc::new(LessonCache {
        id: id.to_string(),
        scenario,
        rows,
        start,
    });
    LESSON.with(|l| *l.borrow_mut() = Some(cache.clone()));
    Some(cache)
}

/// What a file fetched for `#src=` is; a scenario's manifest paths resolved against the
/// directory of `path` (a path that climbs out of the site stays as written, and the page
/// refuses it).
fn parse_src(p: &ParseRequest) -> Parsed {
    match netpol::scenario::detect(&p.text) {
        netpol::scenario::Detected::NotScenario => Parsed::Manifests,
        netpol::scenario::Detected::Scenario(Err(d)) => Parsed::Invalid(
            d.first()
                .map(|d| d.message.clone())
                .unwrap_or_else(|| "invalid scenario".into()),
        ),
        netpol::scenario::Detected::Scenario(Ok(s)) => {
            let dir = p.path.rsplit_once('/').map_or("", |(d, _)| d);
            let resolve = |m: &str| {
                crate::lessons::join(dir, m).unwrap_or_else(|| {
                    if dir.is_empty() {
                        m.to_string()
                    } else {
                        format!("{dir}/{m}")
                    }
                })
            };
            Parsed::Lesson(Box::new(crate::lessons::from_scenario(
                &format!("src:{}", p.path),
                "src",
                &s,
                &resolve,
            )))
        }
    }
}

fn view(cur: &Current, v: &ViewRequest, lesson: Option<&LessonCache>) -> ViewData {
    let default_opts = netpol::services::Options::default();
    let opts = lesson.map_or(&default_opts, |l| &l.scenario.options);
    let t = tr(v.lang);
    let mut data = ViewData::default();
    let ask = |q: &Query| outcome(&cur.core, &cur.text, q, opts, v.lang, t);
    match v.tab {
        Tab::Query => data.query = Some(ask(&v.query)),
        Tab::Matrix => {
            let mut m = matrix(&cur.core, v);
            if let Some(id) = v.baseline {
                m.since =
                    crate::changes::with_baseline(id, |b| since(b, v, &m)).unwrap_or_default();
            }
            data.matrix = Some(m);
        }
        Tab::Changes => data.changes = Some(changes(cur, v)),
        Tab::Cluster => data.cluster = Some(cluster(&cur.core, v.lang)),
        Tab::Graph => {
            data.graph = Some(graph(cur, v, lesson, opts));
            if let Some(q) = &v.graph_ask {
                data.query = Some(ask(q));
            }
        }
        Tab::Lesson => {
            if let Some(l) = lesson {
                data.lesson = l
                    .rows
                    .iter()
                    .map(|r| row_view(&cur.core, r, opts, v.lang))
                    .collect();
            }
            if v.lesson_query {
                data.query = Some(ask(&v.query));
            }
        }
    }
    data.steps = v
        .steps
        .as_ref()
        .map(|q| steps(&cur.core, &cur.text, q, opts, v.lang, t));
    data.trace = v
        .trace
        .and_then(|at| trace::trace(&cur.core, v, at, data.matrix.as_ref()));
    // The checklist follows every edit, whatever the tab (the course outline marks a
    // solved exercise).
    data.exercise = lesson.and_then(|l| exercise(&cur.core, l, v));
    data
}

/// The Changes tab: the diff from the pinned baseline.
fn changes(cur: &Current, v: &ViewRequest) -> ChangesData {
    let diff = v
        .baseline
        .and_then(|id| crate::changes::diff(id, cur.revision, &cur.core));
    match diff {
        Some(d) => crate::changes::data(&d, v.lang, &|r| link(String::new(), r)),
        None => ChangesData {
            error: v
                .baseline
                .map(|_| crate::i18n::changes_tr(v.lang).unavailable.to_string()),
            ..ChangesData::default()
        },
    }
}

/// The Graph tab: laid out in `graph_layout`, cached until the text or its request
/// changes. The query asked in the Query tab and the lesson's rows mark the connections
/// they found denied.
fn graph(
    cur: &Current,
    v: &ViewRequest,
    lesson: Option<&LessonCache>,
    opts: &netpol::services::Options,
) -> GraphData {
    let key = (
        cur.revision,
        v.lang,
        v.graph.clone(),
        v.query.clone(),
        (v.lesson.clone(), v.baseline),
    );
    if let Some(hit) = GRAPH.with(|g| {
        g.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, d)| d.clone())
    }) {
        return hit;
    }
    let mut questions = vec![v.query.clone()];
    questions.extend(lesson.into_iter().flat_map(|l| &l.rows).map(|r| Query {
        from: r.from.clone(),
        to: r.to.clone(),
        port: r.port.as_ref().map(|p| p.to_string()).unwrap_or_default(),
        protocol: r.protocol.as_str().to_string(),
    }));
    let diff = v
        .baseline
        .and_then(|id| crate::changes::diff(id, cur.revision, &cur.core));
    let data = crate::analyzer::graph_layout::graph(
        &cur.core,
        &v.graph,
        &questions,
        opts,
        v.lang,
        diff.as_deref(),
    );
    GRAPH.with(|g| *g.borrow_mut() = Some((key, data.clone())));
    data
}

/// A lesson row: its verdict and its simulated console (`netpol::console`).
fn row_view(
    core: &netpol::Analysis,
    r: &netpol::scenario::Connection,
    opts: &netpol::services::Options,
    lang: netpol::Lang,
) -> RowView {
    let c = netpol::console::simulate(core, r, opts, lang);
    RowView {
        key: c.outcome.as_str().to_string(),
        console: Some(ConsoleView {
            prompt: c.prompt,
            command: c.command,
            output: c.output,
            notes: c.notes,
            recorded: c.recorded.map(|r| RecordedView {
                agrees: r.agrees,
                allowed: r.allowed,
                output: r.output,
                claimed: r.claimed,
                note: r.note,
            }),
        }),
    }
}

/// The exercise graded on the current text (`netpol::runner::grade`).
fn exercise(core: &netpol::Analysis, l: &LessonCache, v: &ViewRequest) -> Option<ExerciseView> {
    let start = l.start.as_ref()?;
    let grade = netpol::runner::grade(&l.scenario, start, core);
    let lang = v.lang;
    let mut row = 0usize;
    let goals = grade
        .goals
        .iter()
        .map(|g| {
            let e = l.scenario.expect.get(g.index);
            let this_row =
                matches!(e, Some(netpol::scenario::Expectation::Connection(_))).then(|| {
                    row += 1;
                    row - 1
                });
            let shown = !g.hidden || v.checked;
            GoalView {
                row: this_row.filter(|_| shown),
                text: match (e, shown) {
                    (Some(e), true) => netpol::words::exercise::goal_words(e, lang),
                    _ => String::new(),
                },
                passed: g.passed,
                hidden: g.hidden,
                got: match (g.got, shown) {
                    (Some(o), true) => netpol::words::services::outcome_word(o, lang),
                    _ => String::new(),
                },
            }
        })
        .collect();
    Some(ExerciseView {
        goals,
        constraints: grade
            .constraints
            .iter()
            .map(|c| CheckView {
                text: netpol::words::exercise::constraint_words(&c.constraint, lang),
                passed: c.passed,
                detail: c
                    .detail
                    .as_ref()
                    .map(|d| netpol::words::exercise::broken(d, lang)),
            })
            .collect(),
        errors: grade.errors.clone(),
        solved: grade.solved(),
    })
}

/// The benchmark's breakdown of the worker's first analysis of `text` (issue 17's
/// "first load of a 5,000-pod paste in at most 1 s"): a fresh `Loader`, then each step
/// `handle` takes for a new text, in milliseconds, as JSON.
#[cfg(feature = "bench")]
pub fn phases(text: &str, lang: netpol::Lang) -> String {
    let mut out = Vec::new();
    let mut t = now_ms();
    let mut lap = |name: &str, out: &mut Vec<String>| {
        let now = now_ms();
        out.push(format!("\"{name}\":{:.1}", now - t));
        t = now;
    };
    LOADER.with(|l| *l.borrow_mut() = netpol::Loader::new());
    let sources = [netpol::Source {
        name: "input",
        text,
    }];
    let opts = netpol::LoadOptions::default();
    let loaded = LOADER.with(|l| l.borrow_mut().load(&sources, &opts));
    lap("load", &mut out);
    let core = netpol::Analysis::from_loaded(loaded);
    lap("index", &mut out);
    POS.with(|p| *p.borrow_mut() = Utf16::new(text));
    lap("utf16", &mut out);
    let n = core.lints_in(lang).len();
    lap("lints", &mut out);
    let d = diagnostics(&core, text, lang);
    lap("diagnostics", &mut out);
    let g = endpoint_groups(core.cluster());
    lap("groups", &mut out);
    let v = vocab(core.cluster());
    lap("vocab", &mut out);
    let lines = text.split('\n').count();
    lap("lines", &mut out);
    let base = Base {
        diagnostics: d,
        millis: 0.0,
        groups: g,
        lines,
        vocab: v,
    };
    let bytes = crate::wire::encode(&Response::Results(Box::new(Results {
        revision: 1,
        base: Some(base),
        view: None,
        data: ViewData::default(),
        parsed: None,
    })));
    lap("encode", &mut out);
    format!(
        "{{{},\"lints_n\":{n},\"bytes\":{}}}",
        out.join(","),
        bytes.len()
    )
}
