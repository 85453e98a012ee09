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
        Ok(ToWorker::Hover(h)) => Response::Hover(crate::hover::answer(&h)),
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
        panic!("the page asked the worker to panic (test of the restart)");
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
            let (texts, _) = netpol::scenario::load_manifests(&scenario, &read);
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
    let data = crate::graph_layout::graph(
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

/// The exercise graded on the current text (`netpol::scenario::grade`).
fn exercise(core: &netpol::Analysis, l: &LessonCache, v: &ViewRequest) -> Option<ExerciseView> {
    let start = l.start.as_ref()?;
    let grade = netpol::scenario::grade(&l.scenario, start, core);
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
                    (Some(e), true) => netpol::scenario::goal_words(e, lang),
                    _ => String::new(),
                },
                passed: g.passed,
                hidden: g.hidden,
                got: match (g.got, shown) {
                    (Some(o), true) => netpol::services::outcome_word(o, lang),
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
                text: netpol::scenario::constraint_words(&c.constraint, lang),
                passed: c.passed,
                detail: c.detail.as_ref().map(|d| d.get(lang).to_string()),
            })
            .collect(),
        errors: grade.errors.clone(),
        solved: grade.solved(),
    })
}

/// The loader's diagnostics and the lints (their words in `lang`), as the editor and
/// the Problems list show them.
fn diagnostics(core: &netpol::Analysis, text: &str, lang: netpol::Lang) -> Vec<DiagView> {
    let t = tr(lang);
    let index = LineIndex::new(text);
    let all: Vec<&netpol::Diagnostic> = core
        .diagnostics()
        .iter()
        .chain(core.lints_in(lang).iter())
        .collect();
    // The seed's traps: fixes made on the text (`netpol::quickfix`).
    let suggested = netpol::quickfix::edits(text, &all);
    let mut out: Vec<DiagView> = all
        .iter()
        .zip(suggested)
        .map(|(d, edit)| {
            let r = &d.location.range;
            let (line, col) = index.line_col(text, r.start);
            let (start, end) = (pos(r.start), pos(r.end.max(r.start)));
            let mut fixes: Vec<EditView> = d
                .replacement
                .iter()
                .map(|insert| EditView {
                    label: crate::i18n::fill(t.ed.replace_with, 0, insert, ""),
                    from: start as u32,
                    to: end as u32,
                    insert: insert.clone(),
                    selects: None,
                })
                .collect();
            if let (Some(e), Some(s)) = (edit, &d.suggestion) {
                let selects = match s {
                    netpol::quickfix::Suggestion::SelectNamespace { namespace } => {
                        (namespace.clone(), false)
                    }
                    netpol::quickfix::Suggestion::UseNameLabel { namespace, .. } => {
                        (namespace.clone(), true)
                    }
                };
                fixes.push(EditView {
                    label: crate::i18n::fix_label(t, &e.insert, Some(&selects)),
                    from: pos(e.range.start) as u32,
                    to: pos(e.range.end) as u32,
                    insert: e.insert,
                    selects: Some(selects),
                });
            }
            DiagView {
                severity: d.severity.as_str().to_string(),
                code: d.code.to_string(),
                message: d.message.clone(),
                help: d.help.clone(),
                object: d.object.clone(),
                line,
                col,
                start,
                end,
                fixes,
            }
        })
        .collect();
    netpol::sort::by_key(&mut out, |d| (d.line, d.col));
    out
}

/// Label keys and values, namespaces and port names of the cluster, for completion
/// (bounded: at most `MAX_VOCAB` keys, and as many values per key).
fn vocab(c: &netpol::Cluster) -> Vocab {
    const MAX_VOCAB: usize = 200;
    // Sorted Vecs rather than B-trees of their own (each map type is a copy of the
    // B-tree code in the .wasm): keys in order, their values in order, both bounded.
    fn list<'a>(mut pairs: Vec<(&'a str, &'a str)>) -> Vec<(String, Vec<String>)> {
        netpol::sort::ord(&mut pairs);
        pairs.dedup();
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (k, v) in pairs {
            let full = out.len() >= MAX_VOCAB;
            match out.last_mut() {
                Some((key, vs)) if key == k => {
                    if vs.len() < MAX_VOCAB {
                        vs.push(v.to_string());
                    }
                }
                _ if full => break,
                _ => out.push((k.to_string(), vec![v.to_string()])),
            }
        }
        out
    }
    let pods: Vec<(&str, &str)> = c
        .endpoints
        .iter()
        .flat_map(|e| e.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    let nss: Vec<(&str, &str)> = c
        .namespaces
        .iter()
        .flat_map(|n| n.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    let mut ports: Vec<&str> = c
        .endpoints
        .iter()
        .flat_map(|e| e.ports.iter().filter_map(|p| p.name.as_deref()))
        .collect();
    netpol::sort::ord(&mut ports);
    ports.dedup();
    Vocab {
        namespaces: c.namespaces.iter().map(|n| n.name.clone()).collect(),
        pod_labels: list(pods),
        namespace_labels: list(nss),
        ports: ports
            .into_iter()
            .take(MAX_VOCAB)
            .map(str::to_string)
            .collect(),
    }
}

/// Names a query may use, grouped by namespace: workloads whose pods were pasted, then
/// endpoints. Sorted, without duplicates.
pub fn endpoint_groups(c: &netpol::Cluster) -> Vec<(String, Vec<String>)> {
    let mut names: Vec<(String, String)> = c
        .endpoints
        .iter()
        .map(|e| (e.namespace.clone(), e.full_name()))
        .collect();
    for w in c.workload_pods.keys() {
        let ns = w.split('/').next().unwrap_or_default().to_string();
        names.push((ns, w.clone()));
    }
    netpol::sort::ord(&mut names);
    names.dedup();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (ns, name) in names {
        match groups.last_mut() {
            Some((n, v)) if *n == ns => v.push(name),
            _ => groups.push((ns, vec![name])),
        }
    }
    let services = netpol::services::targets(c);
    if !services.is_empty() {
        groups.push(("Services, Ingress, DNS".to_string(), services));
    }
    groups
}

/// Asks the analysis (the one dispatch lives in `netpol::Analysis::ask`).
fn outcome(
    core: &netpol::Analysis,
    text: &str,
    q: &Query,
    opts: &netpol::services::Options,
    lang: netpol::Lang,
    t: &Tr,
) -> OutcomeView {
    let protocol = q.protocol();
    let p = q.port.trim();
    let port = (protocol != QueryProtocol::ICMP && !p.is_empty()).then(|| PortQuery::parse(p));
    let question = netpol::Question::new(&q.from, &q.to, protocol, port);
    match core.ask(&question, opts) {
        netpol::Answer::Decision(d) => {
            let fixes = core.fixes_for([&*d]);
            let mut view = decision(&d, &fixes, lang, t);
            view.edits = rule_edits(core, &d, text, t);
            OutcomeView::Decision(Box::new(view))
        }
        netpol::Answer::Routed(d) => {
            let fixes = core.fixes_for(d.decisions());
            OutcomeView::Service(Box::new(service(&d, &fixes, lang, t)))
        }
        netpol::Answer::Invalid(e) => OutcomeView::Error(e),
        netpol::Answer::Connections { .. } => {
            OutcomeView::Error("a port is needed for TCP, UDP and SCTP".into())
        }
    }
}

/// The connection `q` step by step (`netpol::trace`): a decision, or a routed one with a
/// single leg (an address that is a pod, a Service with one backend).
fn steps(
    core: &netpol::Analysis,
    text: &str,
    q: &Query,
    opts: &netpol::services::Options,
    lang: netpol::Lang,
    t: &Tr,
) -> StepsView {
    let protocol = q.protocol();
    let p = q.port.trim();
    let port = (protocol != QueryProtocol::ICMP && !p.is_empty()).then(|| PortQuery::parse(p));
    let conn = match (protocol, p) {
        (QueryProtocol::ICMP, _) => "ICMP (ping)".to_string(),
        (_, "") => q.protocol.clone(),
        (_, p) => format!("{} {p}", q.protocol),
    };
    let mut out = StepsView {
        verdict: "unknown".into(),
        title: format!("`{}` → `{}` · {conn}", q.from, q.to),
        ..StepsView::default()
    };
    let answer = core.ask(&netpol::Question::new(&q.from, &q.to, protocol, port), opts);
    let d = match &answer {
        netpol::Answer::Decision(d) => Some(&**d),
        netpol::Answer::Routed(r) => {
            let mut ds = r.decisions();
            match (ds.next(), ds.next()) {
                (Some(d), None) => Some(d),
                _ => None,
            }
        }
        _ => None,
    };
    let Some((d, trace)) = d.and_then(|d| Some((d, netpol::trace::trace(core.engine(), d)?)))
    else {
        out.error = Some(match &answer {
            netpol::Answer::Invalid(e) => e.clone(),
            netpol::Answer::Routed(_) => t.steps_routed.to_string(),
            _ => t.cannot_evaluate.to_string(),
        });
        return out;
    };
    for (i, (side, title)) in [
        (&trace.egress, t.egress_side),
        (&trace.ingress, t.ingress_side),
    ]
    .into_iter()
    .enumerate()
    {
        out.sides.push(format!("{title}: `{}`", side.endpoint));
        out.steps.extend(side.steps.iter().map(|s| StepView {
            side: i as u8,
            depth: s.depth,
            ok: s.ok,
            text: netpol::trace::words(s, side.direction, lang),
            // The page's text is one source: the core's byte ranges are into it. A node's
            // range may run over the line break and indentation after it: not marked.
            range: s.location.as_ref().map(|l| {
                let end = text
                    .get(l.range.clone())
                    .map_or(l.range.end, |r| l.range.start + r.trim_end().len());
                (pos(l.range.start) as u32, pos(end) as u32)
            }),
        }));
    }
    // The last step: both sides together, which is the evaluator's verdict.
    let allows = trace.allows();
    out.verdict = if allows { "allowed" } else { "denied" }.into();
    debug_assert_eq!(allows, d.verdict == Verdict::Allowed);
    out.steps.push(StepView {
        side: 2,
        depth: 0,
        ok: allows,
        text: format!(
            "{}: {}",
            t.steps_verdict,
            explain::verdict_word(d.verdict, lang)
        ),
        range: None,
    });
    out
}

fn link(label: String, range: &std::ops::Range<usize>) -> Link {
    Link {
        label,
        start: pos(range.start),
        end: pos(range.end),
    }
}

fn policy_link(p: &PolicyRef) -> Link {
    link(format!("{}/{}", p.namespace, p.name), &p.location.range)
}

fn rule_link(r: &RuleRef) -> Link {
    link(explain::rule_label(r), &r.location.range)
}

/// Which way a step of the tier chain went: `allow`, `deny` or `pass` (evaluation goes on).
fn step_effect(o: StepOutcome) -> &'static str {
    use netpol::tiers::calico::CalicoAction;
    let allow = |b: Option<bool>| match b {
        Some(true) => "allow",
        Some(false) => "deny",
        None => "pass",
    };
    match o {
        StepOutcome::Matched(a) => allow(a.decision()),
        StepOutcome::NpAllowed | StepOutcome::DefaultAllow => "allow",
        StepOutcome::NpDenied => "deny",
        StepOutcome::NoRuleMatched | StepOutcome::NpNotIsolated => "pass",
        StepOutcome::CalicoMatched(a) | StepOutcome::TierDefault(a) => match a {
            CalicoAction::Allow => "allow",
            CalicoAction::Deny => "deny",
            CalicoAction::Pass | CalicoAction::Log => "pass",
        },
    }
}

fn tier_name(t: &Tr, tier: StepTier) -> &'static str {
    match tier {
        StepTier::Admin => t.tier_admin,
        StepTier::NetworkPolicy => t.tier_np,
        StepTier::Baseline => t.tier_baseline,
        StepTier::Default => t.tier_default,
        StepTier::Calico => t.tier_calico,
    }
}

fn step(t: &Tr, side: &Side, lang: netpol::Lang, step: &TierStep) -> StepData {
    // `[policy] what it did`: the policy becomes a button, the rest stays text.
    let words = explain::tier_step(step, side.direction, lang)
        .unwrap_or_else(|| t.step_default_allow.to_string());
    let what = match words.strip_prefix('[').and_then(|w| w.split_once("] ")) {
        Some((_, rest)) => rest.to_string(),
        None => words.clone(),
    };
    let policy = match (&step.location, &step.policy) {
        (Some(loc), Some(p)) => StepPolicy::Link(link(p.clone(), &loc.range)),
        // NetworkPolicy steps name the isolating policies: the side lists them.
        (None, Some(_)) if step.tier == StepTier::NetworkPolicy => StepPolicy::Isolating,
        (None, Some(p)) => StepPolicy::Code(p.clone()),
        _ => StepPolicy::None,
    };
    StepData {
        tier: format!("{:?}", step.tier),
        tier_label: tier_name(t, step.tier).to_string(),
        effect: step_effect(step.outcome).to_string(),
        policy,
        what,
    }
}

fn side(t: &Tr, side: &Side, lang: netpol::Lang) -> SideData {
    // The whole chain decides (an AdminNetworkPolicy can deny a pod no NetworkPolicy
    // isolates); `side.verdict` is only the NetworkPolicy tier's result.
    let ok = side.allows();
    let summary = match side.tiers.last() {
        Some(last) => match last.tier {
            StepTier::Admin => t.decided_admin,
            StepTier::NetworkPolicy => t.decided_np,
            StepTier::Baseline => t.decided_baseline,
            StepTier::Default => t.decided_default,
            StepTier::Calico => t.decided_calico,
        },
        None => match side.verdict {
            SideVerdict::NotIsolated => t.not_isolated,
            SideVerdict::AllowedByRule => t.rule_allows,
            SideVerdict::NoRuleMatched => t.no_rule,
            SideVerdict::NotApplicable => t.not_applicable,
        },
    };
    // The evaluator's own words for each near miss: `- RULE: why`, in order.
    let reasons: Vec<String> = explain::explain_side(side, lang)
        .into_iter()
        .filter_map(|l| {
            l.trim_start().strip_prefix("- ").map(|r| {
                r.split_once(": ")
                    .map_or(r.to_string(), |(_, w)| w.to_string())
            })
        })
        .collect();
    let egress = side.direction == Direction::Egress;
    SideData {
        id: if egress {
            "side-egress"
        } else {
            "side-ingress"
        }
        .to_string(),
        egress,
        endpoint: side.endpoint.clone(),
        ok,
        summary: summary.to_string(),
        steps: side.tiers.iter().map(|s| step(t, side, lang, s)).collect(),
        final_word: explain::verdict_word(
            if ok {
                Verdict::Allowed
            } else {
                Verdict::Denied
            },
            lang,
        )
        .to_string(),
        isolated_by: side.isolated_by.iter().map(policy_link).collect(),
        allowed_by: side.allowed_by.iter().map(rule_link).collect(),
        near: side
            .near_misses
            .iter()
            .zip(reasons)
            .map(|(m, why)| (rule_link(&m.rule), why))
            .collect(),
    }
}

fn sides(t: &Tr, d: &Decision, lang: netpol::Lang) -> Vec<SideData> {
    vec![side(t, &d.egress, lang), side(t, &d.ingress, lang)]
}

fn fixes(fixes: &[netpol::fix::Fix], lang: netpol::Lang) -> Vec<FixData> {
    fixes
        .iter()
        .map(|f| FixData {
            title: explain::fix_title(f, lang),
            yaml: f.yaml.clone(),
        })
        .collect()
}

/// The smallest edits of existing rules that would allow `d`, as diffs of `text` (the
/// current text, which the rules' locations are in).
fn rule_edits(core: &netpol::Analysis, d: &Decision, text: &str, t: &Tr) -> Vec<EditData> {
    use netpol::fix::Change;
    netpol::fix::rule_changes(core.engine(), d, d.source, d.destination)
        .iter()
        .filter_map(|c| {
            let e = netpol::quickfix::rule_edit(text, c)?;
            let diff = netpol::quickfix::line_diff(text, &e)?;
            let policy = format!("{}/{}", c.rule.policy.namespace, c.rule.policy.name);
            let field = match c.rule.direction {
                netpol::Direction::Ingress => "ingress",
                netpol::Direction::Egress => "egress",
            };
            let rule = format!("spec.{field}[{}]", c.rule.rule);
            let (template, note) = match &c.change {
                Change::AddPeer(_) => (t.edit_add_peer, None),
                Change::AddPort(_) => (t.edit_add_port, Some(t.edit_port_note.to_string())),
                Change::SelectNamespace { .. } => (t.edit_select_namespace, None),
            };
            Some(EditData {
                title: crate::i18n::fill(template, 0, &policy, &rule),
                note,
                line: diff.line as u32,
                removed: diff.removed,
                added: diff.added,
                from: pos(e.range.start) as u32,
                to: pos(e.range.end) as u32,
                insert: e.insert,
            })
        })
        .collect()
}

fn decision(d: &Decision, f: &[netpol::fix::Fix], lang: netpol::Lang, t: &Tr) -> DecisionData {
    let verdict = match d.verdict {
        Verdict::Allowed => "allowed",
        Verdict::Denied => "denied",
        Verdict::Unknown => "unknown",
    };
    DecisionData {
        verdict: verdict.to_string(),
        verdict_word: explain::verdict_word(d.verdict, lang).to_string(),
        from: d.from.clone(),
        to: d.to.clone(),
        connection: explain::connection_label(d),
        error: d.error.clone(),
        self_traffic: d.self_traffic,
        sides: sides(t, d, lang),
        fixes: fixes(f, lang),
        edits: Vec::new(),
        caveats: d
            .caveats
            .iter()
            .map(|c| explain::caveat(c, lang).to_string())
            .collect(),
        words: explain::explain(d, lang),
    }
}

fn service(
    d: &netpol::services::ServiceDecision,
    f: &[netpol::fix::Fix],
    lang: netpol::Lang,
    t: &Tr,
) -> ServiceData {
    use netpol::services::{self, Via};
    let direct = d.via == Via::Direct;
    let direct_sides = direct
        .then(|| d.backends.first().and_then(|b| b.decision.as_ref()))
        .flatten()
        .filter(|dec| !dec.self_traffic)
        .map(|dec| sides(t, dec, lang));
    let backends = d
        .backends
        .iter()
        .map(|b| BackendData {
            ok: b.verdict == Verdict::Allowed,
            pod: b.pod.clone(),
            verdict_word: explain::verdict_word(b.verdict, lang).to_string(),
            // A hairpin leg (back to the source through the Service) is decided by the
            // cluster-scoped tiers: show its sides.
            sides: b
                .decision
                .as_ref()
                .filter(|dec| (!dec.self_traffic || dec.hairpin) && dec.error.is_none())
                .map(|dec| sides(t, dec, lang)),
        })
        .collect();
    ServiceData {
        outcome: d.outcome.as_str().to_string(),
        outcome_word: services::outcome_word(d.outcome, lang).to_string(),
        headline: services::headline(d, lang),
        error: d.error.clone(),
        notes: d
            .notes
            .iter()
            .map(|n| services::note(n, lang).to_string())
            .collect(),
        direct: direct && d.backends.first().is_some_and(|b| b.decision.is_some()),
        direct_sides,
        backends,
        fixes: fixes(f, lang),
        words: services::explain(d, lang),
    }
}

const MATRIX_MAX: usize = 40;

/// Whether `needle` occurs in `hay`, ASCII case ignored (Kubernetes names are ASCII).
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn matrix(core: &netpol::Analysis, v: &ViewRequest) -> MatrixData {
    if !v.matrix_pods {
        return MatrixData {
            endpoints: core.cluster().endpoints.len(),
            workloads: Some(workload_matrix(core, v)),
            ..MatrixData::default()
        };
    }
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let cluster = core.cluster();
    let n = cluster.endpoints.len();
    let filter = v.matrix_filter.trim().as_bytes();
    let matching: Vec<usize> = (0..n)
        .filter(|&i| contains_ignore_case(cluster.endpoints[i].full_name().as_bytes(), filter))
        .collect();
    let shown = &matching[..matching.len().min(MATRIX_MAX)];
    let port = PortQuery::parse(v.matrix_port.trim());
    let engine = core.engine();
    let cells = shown
        .iter()
        .map(|&f| {
            shown
                .iter()
                .map(|&to| {
                    // Unknown (the port does not resolve at the destination) is its own
                    // cell, never "denied"; the diagonal too, as in `query`.
                    engine.cell(
                        netpol::Target::Endpoint(f),
                        netpol::Target::Endpoint(to),
                        protocol,
                        &port,
                    )
                })
                .collect()
        })
        .collect();
    MatrixData {
        endpoints: n,
        matching: matching.len(),
        names: shown
            .iter()
            .map(|&i| cluster.endpoints[i].full_name())
            .collect(),
        cells,
        workloads: None,
        since: Vec::new(),
    }
}

/// The one-port matrix between workloads (`netpol::group`), the filter applied to
/// `NAMESPACE/NAME[KIND]`.
fn workload_matrix(core: &netpol::Analysis, v: &ViewRequest) -> WorkloadMatrixData {
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let port = PortQuery::parse(v.matrix_port.trim());
    let view = core.workloads(&[]);
    let c = core.cluster();
    let filter = v.matrix_filter.trim().as_bytes();
    let workloads: Vec<usize> = (0..view.groups.len())
        .filter(|&g| !view.groups[g].is_external())
        .collect();
    let matching: Vec<usize> = workloads
        .iter()
        .copied()
        .filter(|&g| contains_ignore_case(view.groups[g].label().as_bytes(), filter))
        .collect();
    let shown = &matching[..matching.len().min(MATRIX_MAX)];
    // The pod matrix is computed once for every endpoint; folding reads only the shown.
    let m = view.matrix(protocol, &port, &[]);
    let row_of = |g: usize| m.groups.iter().position(|x| *x == Some(g));
    let rows = shown
        .iter()
        .map(|&g| {
            let group = &view.groups[g];
            let query = group
                .variants
                .first()
                .and_then(|v| v.first())
                .map(|&i| c.endpoints[i].full_name())
                .unwrap_or_default();
            WorkloadHeader {
                namespace: group.namespace.clone().unwrap_or_default(),
                name: group.name.clone(),
                kind: group.kind.clone(),
                label: group.label(),
                query,
            }
        })
        .collect();
    let cells = shown
        .iter()
        .map(|&f| {
            shown
                .iter()
                .map(|&t| {
                    let cell = row_of(f)
                        .zip(row_of(t))
                        .and_then(|(i, j)| m.cells.get(i).and_then(|r| r.get(j)).copied());
                    cell_word(cell).to_string()
                })
                .collect()
        })
        .collect();
    WorkloadMatrixData {
        workloads: workloads.len(),
        matching: matching.len(),
        rows,
        cells,
    }
}

fn cell_word(cell: Option<netpol::group::WorkloadCell>) -> &'static str {
    use netpol::group::WorkloadCell;
    match cell {
        Some(WorkloadCell::Allowed) => "allowed",
        Some(WorkloadCell::Denied) => "denied",
        Some(WorkloadCell::Partial) => "partial",
        Some(WorkloadCell::Unknown) | None => "unknown",
    }
}

/// The shown matrix cells that differ from the pinned baseline's (`base`) for the same
/// port: the baseline's word, or `absent` where its row or column was not in the
/// baseline and something is allowed now.
fn since(base: &netpol::Analysis, v: &ViewRequest, now: &MatrixData) -> Vec<(u32, u32, String)> {
    let protocol = QueryProtocol::parse(&v.matrix_protocol).unwrap_or(QueryProtocol::TCP);
    let port = PortQuery::parse(v.matrix_port.trim());
    let mut out = Vec::new();
    let mut mark = |i: usize, j: usize, before: Option<&'static str>, now: &str| {
        let before = match before {
            Some(b) if b != now => b,
            None if now == "allowed" || now == "partial" => "absent",
            _ => return,
        };
        out.push((i as u32, j as u32, before.to_string()));
    };
    if let Some(w) = &now.workloads {
        let view = base.workloads(&[]);
        let m = view.matrix(protocol, &port, &[]);
        let index = crate::changes::ByLabel::new(
            m.groups
                .iter()
                .enumerate()
                .filter_map(|(row, g)| Some((view.groups.get((*g)?)?.label(), row))),
        );
        let rows: Vec<Option<usize>> = w.rows.iter().map(|h| index.get(&h.label)).collect();
        for (i, r) in rows.iter().enumerate() {
            for (j, c) in rows.iter().enumerate() {
                let before = r
                    .zip(*c)
                    .map(|(a, b)| cell_word(m.cells.get(a).and_then(|x| x.get(b)).copied()));
                let cell = w.cells.get(i).and_then(|x| x.get(j));
                mark(i, j, before, cell.map_or("unknown", String::as_str));
            }
        }
    } else {
        let c = base.cluster();
        let engine = base.engine();
        let targets: Vec<Option<netpol::Target>> = now
            .names
            .iter()
            .map(|n| {
                c.endpoints
                    .binary_search_by(|e| e.full_name_cmp(n))
                    .ok()
                    .map(netpol::Target::Endpoint)
            })
            .collect();
        for (i, f) in targets.iter().enumerate() {
            for (j, t) in targets.iter().enumerate() {
                let before = f
                    .zip(*t)
                    .map(|(f, t)| crate::wire::pod_cell_word(engine.cell(f, t, protocol, &port)));
                let cell = now.cells.get(i).and_then(|x| x.get(j)).copied().flatten();
                mark(i, j, before, crate::wire::pod_cell_word(cell));
            }
        }
    }
    out
}

/// Rendering thousands of endpoint cards would make the page sluggish.
pub const MAX_ENDPOINTS: usize = 150;

fn labels(l: &netpol::model::Labels) -> Vec<String> {
    l.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// At most this many workloads' exposures in the Cluster tab (about 2.5 ms each at
/// 5,000 pods natively: only these are computed).
pub const MAX_EXPOSED: usize = 100;

/// Every workload's exposure beyond the input, in words (`netpol exposure`'s).
fn exposure(core: &netpol::Analysis, lang: netpol::Lang) -> (Vec<ExposureData>, usize) {
    use netpol::exposure::{words, Certainty, PeerClass};
    let view = core.workloads(&[]);
    let workloads: Vec<usize> = view
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.is_external() && !g.is_assumed() && !g.endpoints.is_empty())
        .map(|(i, _)| i)
        .collect();
    let total = workloads.len();
    let first: Vec<usize> = workloads.into_iter().take(MAX_EXPOSED).collect();
    let report = netpol::exposure::report(&view, Some(&first));
    let data = report
        .workloads
        .iter()
        .map(|w| {
            let dirs = [Direction::Ingress, Direction::Egress];
            let items = dirs
                .iter()
                .flat_map(|&dir| {
                    w.direction(dir)
                        .exposures
                        .iter()
                        .map(move |e| ExposureItem {
                            direction: words::direction(dir).to_string(),
                            text: words::exposure(e, dir, lang),
                            certain: e.certainty == Certainty::Certain,
                            wide: e.peer.is_internet()
                                || e.peer.is_everyone()
                                || matches!(e.peer, PeerClass::NotIsolated),
                            rule: e
                                .grant
                                .location()
                                .map(|l| link(words::grant(&e.grant, lang), &l.range)),
                        })
                })
                .collect();
            ExposureData {
                workload: w.workload.clone(),
                summaries: dirs.iter().map(|&d| words::summary(w, d, lang)).collect(),
                items,
            }
        })
        .collect();
    (data, total)
}

fn cluster(core: &netpol::Analysis, lang: netpol::Lang) -> ClusterData {
    let c = core.cluster();
    let engine = core.engine();
    let policy = |pi: usize| {
        let p = &c.policies[pi];
        link(p.full_name(), &p.location.range)
    };
    let namespaces = c
        .namespaces
        .iter()
        .map(|ns| NamespaceData {
            name: ns.name.clone(),
            labels: labels(&ns.labels),
            endpoints: c
                .endpoints
                .iter()
                .enumerate()
                .filter(|(i, e)| *i < MAX_ENDPOINTS && e.namespace == ns.name)
                .map(|(i, e)| {
                    let ing = engine.selecting(i, Direction::Ingress);
                    let eg = engine.selecting(i, Direction::Egress);
                    let mut sel: Vec<usize> = ing.iter().chain(eg.iter()).copied().collect();
                    netpol::sort::ord(&mut sel);
                    sel.dedup();
                    let ports = e
                        .ports
                        .iter()
                        .map(|p| match &p.name {
                            Some(n) => format!("{}/{} ({n})", p.port, p.protocol.as_str()),
                            None => format!("{}/{}", p.port, p.protocol.as_str()),
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    EndpointData {
                        name: e.name.clone(),
                        kind: e.kind.as_str().to_string(),
                        ingress_isolated: !ing.is_empty(),
                        egress_isolated: !eg.is_empty(),
                        ips: e
                            .ips
                            .iter()
                            .map(|ip| ip.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        labels: labels(&e.labels),
                        ports,
                        selected_by: sel.into_iter().map(policy).collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let (exposure, workloads) = exposure(core, lang);
    ClusterData {
        endpoints: c.endpoints.len(),
        namespaces,
        policies: (0..c.policies.len()).map(policy).collect(),
        exposure,
        workloads,
    }
}
