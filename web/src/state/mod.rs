//! The page's single state and its reducer (one `Action` per user intent), in the style of
//! Yew's function_todomvc example. Side effects (storage, timers, DOM) live in hooks.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use netpol::Lang;
use yew::prelude::*;

use crate::examples;
use crate::lessons::{LessonInfo, RowInfo};
use crate::links;
use crate::share;
use crate::storage;
use crate::wire::{
    Base, GraphRequest, ParseRequest, Parsed, Results, SrcLesson, ViewData, ViewRequest,
};

mod reduce;

pub use crate::query::Query;
pub use crate::wire::Tab;

/// A text pinned as the baseline the views compare with ("Pin as baseline").
#[derive(Clone, Debug, PartialEq)]
pub struct Baseline {
    /// Unique per pin in this page (the worker keeps the baseline by it).
    pub id: u64,
    pub text: Rc<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    pub start: usize,
    pub end: usize,
    pub nonce: u32,
}

/// The steps panel: the connection walked and the step shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stepping {
    pub query: Query,
    pub at: usize,
    /// Bumped each time a verdict's "Step through" is pressed (the panel takes the focus).
    pub nonce: u32,
}

#[derive(Clone)]
pub struct State {
    pub lang: Lang,
    pub dark: bool,
    /// The text as last set from outside the editor (an example, a file, a link, the
    /// saved text), line breaks as LF (the editor's). Typed text lives in the editor
    /// (`codemirror.rs`) and is read only when it is analysed, shared or saved.
    pub text: Rc<String>,
    /// The revision `text` is; a later one is the editor's.
    pub text_rev: u64,
    /// A document to append in the editor (a suggested policy): (nonce, YAML).
    pub append: Option<(u32, Rc<String>)>,
    /// An edit to make in the editor (a rule edit): (nonce, from, to, text).
    pub edit: Option<(u32, u32, u32, Rc<String>)>,
    /// Bumped when the text changes: once per burst of typing (the editor reports the
    /// first change after the text was last read), and for each text set from outside.
    pub revision: u64,
    /// The revision to analyse: the debounce (or a text replaced from outside) releases it,
    /// and the app then asks the worker (`bridge.rs`).
    pub requested: u64,
    /// Bumped when the text is replaced from outside the textarea (example, file, link);
    /// only then does the editor write its DOM value (typing never re-sets it: with a large
    /// text that re-layout made every keystroke slow).
    pub external: u64,
    /// The revision `base` comes from (None until the worker first answers).
    pub analyzed: Option<u64>,
    /// Diagnostics, timing and endpoint names of the text, from the worker.
    pub base: Rc<Base>,
    /// `base.groups`, replaced only when the names change (the pickers of the Query tab
    /// then skip re-rendering thousands of options while typing).
    pub groups: Rc<Vec<(String, Vec<String>)>>,
    /// What the views show, from the worker, for the view `data_for` and revision
    /// `data_rev`; a newer one is on its way when they differ from the state's.
    pub data: Rc<ViewData>,
    pub data_for: Option<ViewRequest>,
    pub data_rev: u64,
    pub query: Query,
    pub tab: Tab,
    /// The built-in lesson shown (its index in `examples::all`).
    pub example: Option<usize>,
    /// The lesson shown, built in or a `#src=` one: its text, rows, hints.
    pub lesson: Option<Rc<LessonInfo>>,
    /// For a `#src=` lesson, what the worker needs to evaluate it.
    pub src_lesson: Option<Rc<SrcLesson>>,
    /// Rows of the current lesson that were run (their full explanation shows).
    pub ran_rows: BTreeSet<usize>,
    /// "Predict the verdict": a row's verdict shows once the student has guessed it.
    pub predict: bool,
    /// The guesses, by row: allowed or not.
    pub predictions: BTreeMap<usize, bool>,
    /// The student pressed "Check": hidden goals show.
    pub checked: bool,
    /// Hints revealed for the current exercise.
    pub hints: usize,
    /// The compact layout for an iframe (`#embed`, `?embed`).
    pub embed: bool,
    /// Lessons visited (`visited`) and exercises solved (`solved`), by id (localStorage).
    pub progress: Rc<BTreeMap<String, String>>,
    /// Bumped when the user opens a lesson from the page: its link is pushed to the
    /// browser's history (a lesson opened by a link or by Back is not pushed again).
    pub nav: u64,
    /// A `#src=` lesson on its way: fetched, then read by the worker, then its manifests.
    pub src: Option<SrcStage>,
    /// The exercise's text was the student's saved work, not the starting manifests.
    pub restored_work: bool,
    pub selection: Option<Selection>,
    pub notice: Option<Notice>,
    pub share_link: Option<String>,
    /// A share link from the URL, waiting to be inflated (the browser's deflate is
    /// asynchronous); the first example shows meanwhile.
    pub pending_link: Option<Rc<str>>,
    pub matrix_port: String,
    /// Only endpoints whose name contains this (case-insensitive) are in the Matrix tab.
    pub matrix_filter: String,
    pub matrix_protocol: String,
    /// The step-through panel (Query and Lesson tabs), when open.
    pub steps: Option<Stepping>,
    /// The Matrix tab shows pods instead of workloads.
    pub matrix_pods: bool,
    /// The Graph tab's protocol/port, focus and namespace, and the edge whose
    /// explanation shows (its question).
    pub graph: GraphRequest,
    pub graph_ask: Option<Query>,
    /// The pinned baseline, if any.
    pub baseline: Option<Rc<Baseline>>,
    /// Where the editor's cursor rests (an editor position): the Graph and the Matrix
    /// mark what the policy, rule or peer there allows (`wire::TraceView`). None after
    /// "Clear" and whenever a new text is set.
    pub trace: Option<u32>,
}

/// The steps of loading a `#src=` lesson.
#[derive(Clone, Debug, PartialEq)]
pub enum SrcStage {
    /// Fetch the file at this site path.
    Fetch(String),
    /// The worker reads it (scenario or manifests).
    Parse(ParseRequest),
    /// A scenario: fetch its manifests.
    Manifests {
        info: Rc<LessonInfo>,
        source: String,
    },
}

pub enum Action {
    /// The user changed the text in the editor (the first change since it was read).
    Edited,
    /// Appends a YAML document (a suggested policy) to the editor's text, as an edit.
    AppendDocument(String),
    /// A rule edit from "How to allow it": replace `from..to` (editor positions of the text
    /// the shown answer is for) by the text; refused when the text changed since.
    ApplyEdit(u32, u32, String),
    /// Typing paused for the debounce (or a fix was added): ask for the current text.
    Analyze,
    /// The worker answered (dropped when it is for an older revision or view).
    Results(Box<Results>),
    /// The worker panicked and was restarted.
    WorkerCrashed(String),
    SetLang(Lang),
    ToggleTheme,
    /// A lesson chosen on the page (the menu, Previous/Next): pushed to the history.
    LoadExample(usize),
    /// A lesson named by the URL (a link, the Back button): not pushed again.
    OpenLesson(usize),
    RunRow(usize),
    TogglePredict,
    Predict(usize, bool),
    /// Reveal the hidden goals (and a first hint while unsolved).
    Check,
    ShowHint,
    /// Back to the exercise's starting manifests.
    ResetExercise,
    /// The `#src=` file came (or not).
    SrcFetched(String, Result<String, String>),
    /// The `#src=` lesson's manifests came: its starting text (or what failed).
    SrcReady(Result<String, String>),
    SetQuery(Query),
    SetTab(Tab),
    Select(usize, usize),
    Notice(Option<Notice>),
    ShareLink(Option<String>),
    /// The share link from the URL was read (see `State::pending_link`).
    Restored(Result<Option<share::Shared>, share::ShareError>),
    MatrixPort(String),
    MatrixFilter(String),
    MatrixProtocol(String),
    OpenCell(String, String),
    /// Show the Matrix tab for (port, protocol), e.g. a lesson's expected matrix.
    OpenMatrix(String, String),
    /// Opens the steps panel on a connection (a verdict's or a lesson row's "Step through").
    StepThrough(Query),
    /// Shows step `n` (clamped to the last one).
    StepTo(usize),
    CloseSteps,
    MatrixPods(bool),
    /// The Graph tab's protocol (`All`, `TCP`, ...) and port.
    GraphProtocol(String),
    GraphPort(String),
    /// Focus on a node (its id), or show everything.
    GraphFocus(Option<String>),
    GraphNamespace(String),
    /// Show an edge's explanation (its question), or close it.
    GraphAsk(Option<Query>),
    /// Ask an edge's question in the Query tab.
    AskInQuery(Query),
    /// The text now becomes the baseline the views compare with.
    Pin(String),
    /// Back to the plain views.
    Unpin,
    /// The editor shows the baseline's text again (the baseline stays pinned).
    RevertToBaseline,
    /// The editor's cursor rests at this position: trace what is there.
    Cursor(u32),
    /// Stop marking what the cursor's policy, rule or peer allows.
    ClearTrace,
}

/// What the page starts from, as the browser holds it: the saved settings, text and
/// progress, and the URL. Read by `crate::persist::use_app_state` (the only place that
/// reads storage and the URL at start), so `State::init` is a plain function of it.
#[derive(Clone, Debug, Default)]
pub struct Startup {
    /// The saved language and theme (`en`/`es`, `dark`/`light`), and the browser's.
    pub lang: Option<String>,
    pub navigator_lang: Option<String>,
    pub theme: Option<String>,
    pub prefers_dark: bool,
    /// The URL's fragment (`#...`) and query (`?embed`).
    pub hash: String,
    pub search: String,
    /// The saved text, query (JSON), lesson id and progress (JSON).
    pub text: Option<String>,
    pub query: Option<String>,
    pub example: Option<String>,
    pub progress: Option<String>,
}

/// The saved progress (`{id: "visited" | "solved"}`); anything else is none.
fn progress(json: &str) -> BTreeMap<String, String> {
    match crate::json::parse(json) {
        // netpol::sort::map: `collect` would bring its own sort.
        Some(crate::json::Value::Obj(entries)) => {
            netpol::sort::map(entries.into_iter().filter_map(|(k, v)| match v {
                crate::json::Value::Str(s) => Some((k, s)),
                _ => None,
            }))
        }
        _ => BTreeMap::new(),
    }
}

impl State {
    /// The first state, from what the page starts with (read by the hooks,
    /// `crate::persist`): a share link in the URL wins, then a `#src=` or lesson link,
    /// then the saved text, then the first example. Anything unreadable falls back to
    /// the first example with a message. Reads nothing itself.
    pub fn init(start: &Startup) -> State {
        let lang = start
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .or_else(|| start.navigator_lang.as_deref().and_then(Lang::parse))
            .unwrap_or(Lang::En);
        let dark = match start.theme.as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => start.prefers_dark,
        };
        let link = links::parse(&start.hash, &start.search);
        let mut s = State::init_from(lang, dark, start, &link);
        // The saved progress, with the lesson just opened marked visited if it is new.
        let mut saved = start.progress.as_deref().map(progress).unwrap_or_default();
        for (id, mark) in s.progress.iter() {
            if !saved.contains_key(id) {
                saved.insert(id.clone(), mark.clone());
            }
        }
        s.progress = Rc::new(saved);
        s.embed = link.embed;
        if s.embed {
            // One view: the lesson.
            s.tab = Tab::Lesson;
        }
        s
    }

    /// The first state for a URL: a share link, a `#src=` lesson, a lesson link, or what
    /// was saved.
    fn init_from(lang: Lang, dark: bool, start: &Startup, link: &links::Link) -> State {
        let hash = start.hash.as_str();
        if share::is_link(hash) {
            // (The hooks take the link out of the URL.) Until the link is read: a known-good example, not the (possibly
            // unrelated) saved text. A broken link leaves it there with a message.
            let mut s = State::with_example(lang, dark, 0);
            s.pending_link = Some(hash.into());
            return s;
        }
        let t = crate::i18n::tr(lang);
        let mut link_notice = None;
        if let Some(src) = &link.src {
            match links::safe_path(src) {
                Ok(path) => {
                    let mut s = State::base(lang, dark, String::new(), Query::default());
                    s.src = Some(SrcStage::Fetch(path.clone()));
                    s.notice = Some(Notice {
                        kind: NoticeKind::Info,
                        text: format!("{} `{path}`…", t.src_loading),
                    });
                    return s;
                }
                Err(why) => {
                    link_notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: format!("`{src}`: {}", t.src_refused(why)),
                    });
                }
            }
        }
        if let Some((group, q)) = &link.lesson {
            let group = group.or((!q.contains('/')).then_some("seed"));
            match examples::find(q, group) {
                Some(i) => {
                    let mut s = State::with_example(lang, dark, i);
                    s.notice = link_notice;
                    return s;
                }
                None => {
                    link_notice = Some(Notice {
                        kind: NoticeKind::Error,
                        text: format!("`{q}`: {}", t.no_such_lesson),
                    });
                }
            }
        }
        let mut s = State::init_saved(lang, dark, start);
        if link_notice.is_some() {
            s.notice = link_notice;
        }
        s
    }

    /// The saved text and query (or the first example).
    fn init_saved(lang: Lang, dark: bool, start: &Startup) -> State {
        let Some(text) = start.text.clone() else {
            return State::with_example(lang, dark, 0);
        };
        let mut notice = None;
        let query = match &start.query {
            Some(q) => Query::from_json(q).unwrap_or_else(|| {
                notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: crate::i18n::tr(lang).storage_bad.into(),
                });
                Query::default()
            }),
            None => Query::default(),
        };
        let mut s = State::base(lang, dark, text, query);
        let example = start.example.as_deref().and_then(examples::index_of);
        if let Some((i, info)) = example.and_then(|i| Some((i, examples::info(i)?))) {
            s.example = Some(i);
            s.lesson = Some(info);
        }
        s.notice = notice;
        s
    }

    fn base(lang: Lang, dark: bool, text: String, query: Query) -> State {
        State {
            lang,
            dark,
            text: Rc::new(editor_text(text)),
            text_rev: 0,
            append: None,
            edit: None,
            revision: 0,
            requested: 0,
            external: 0,
            analyzed: None,
            base: Rc::new(Base::default()),
            groups: Rc::new(Vec::new()),
            data: Rc::new(ViewData::default()),
            data_for: None,
            data_rev: 0,
            query,
            tab: Tab::Query,
            example: None,
            lesson: None,
            src_lesson: None,
            ran_rows: BTreeSet::new(),
            predict: false,
            predictions: BTreeMap::new(),
            checked: false,
            hints: 0,
            embed: false,
            progress: Rc::new(BTreeMap::new()),
            nav: 0,
            src: None,
            restored_work: false,
            selection: None,
            notice: None,
            share_link: None,
            pending_link: None,
            matrix_port: "80".into(),
            matrix_filter: String::new(),
            matrix_protocol: "TCP".into(),
            steps: None,
            matrix_pods: false,
            graph: GraphRequest {
                protocol: "All".into(),
                port: "80".into(),
                ..GraphRequest::default()
            },
            graph_ask: None,
            baseline: None,
            trace: None,
        }
    }

    fn with_example(lang: Lang, dark: bool, i: usize) -> State {
        let mut s = State::base(lang, dark, String::new(), Query::default());
        s.load_example(i);
        s
    }

    fn load_example(&mut self, i: usize) {
        let Some(info) = examples::info(i) else {
            return;
        };
        let start = examples::start_text(&info);
        // An exercise opens with the student's saved work, if any.
        let saved = info
            .exercise
            .as_ref()
            .and_then(|_| storage::get(&storage::work_key(&info.id)))
            .filter(|w| *w != start && !w.trim().is_empty());
        self.restored_work = saved.is_some();
        self.show_lesson(info, saved.unwrap_or(start), None);
        self.example = Some(i);
    }

    /// Shows `info` with `text` in the editor (a `#src=` lesson with `src`).
    fn show_lesson(&mut self, info: Rc<LessonInfo>, text: String, src: Option<SrcLesson>) {
        self.set_text(text);
        self.example = None;
        self.ran_rows.clear();
        self.predictions.clear();
        self.checked = false;
        self.hints = 0;
        self.query = match info.rows.first() {
            Some(r) => row_query(r),
            None => Query::default(),
        };
        if !self.progress.contains_key(&info.id) {
            let mut p = (*self.progress).clone();
            p.insert(info.id.clone(), "visited".into());
            self.progress = Rc::new(p);
        }
        self.lesson = Some(info);
        self.src_lesson = src.map(Rc::new);
        self.tab = Tab::Lesson;
        self.selection = None;
        self.share_link = None;
        self.steps = None;
        self.graph.focus = None;
        self.graph_ask = None;
    }

    /// A shared text and query replace whatever shows: evaluated at once, no example.
    fn restore(&mut self, text: String, query: Query) {
        self.set_text(text);
        self.example = None;
        self.lesson = None;
        self.src_lesson = None;
        self.restored_work = false;
        self.ran_rows.clear();
        self.query = query;
        self.tab = Tab::Query;
        self.selection = None;
        self.share_link = None;
        self.steps = None;
    }

    /// The editor shows `text` from now on; analysed at once.
    fn set_text(&mut self, text: String) {
        self.text = Rc::new(editor_text(text));
        self.revision += 1;
        self.text_rev = self.revision;
        self.requested = self.revision;
        self.external += 1;
        self.share_link = None;
        self.trace = None;
    }

    /// The text of the current revision when it came from outside the editor.
    pub fn external_text(&self) -> Option<Rc<String>> {
        (self.text_rev == self.revision).then(|| self.text.clone())
    }

    /// The text now (the editor's, or the one set from outside), as a Rust string: for
    /// the rare uses that need one (a share link).
    pub fn current_text(&self) -> String {
        match self.external_text() {
            Some(t) => t.to_string(),
            None => crate::codemirror::text()
                .map(String::from)
                .unwrap_or_else(|| self.text.to_string()),
        }
    }

    /// What the worker must compute for the views as they are now.
    pub fn view_request(&self) -> ViewRequest {
        ViewRequest {
            lang: self.lang,
            tab: self.tab,
            query: self.query.clone(),
            lesson: self.lesson.as_ref().map(|l| l.id.clone()),
            lesson_query: !self.ran_rows.is_empty(),
            checked: self.checked,
            matrix_port: self.matrix_port.clone(),
            matrix_protocol: self.matrix_protocol.clone(),
            matrix_filter: self.matrix_filter.clone(),
            steps: self
                .steps
                .as_ref()
                .filter(|_| matches!(self.tab, Tab::Query | Tab::Lesson))
                .map(|st| st.query.clone()),
            matrix_pods: self.matrix_pods,
            graph: self.graph.clone(),
            graph_ask: self.graph_ask.clone(),
            baseline: self.baseline.as_ref().map(|b| b.id),
            trace: self
                .trace
                .filter(|_| matches!(self.tab, Tab::Graph | Tab::Matrix)),
        }
    }

    /// The results shown are those of the current text and view.
    pub fn fresh(&self) -> bool {
        self.analyzed == Some(self.revision)
            && self.data_rev == self.revision
            && self.data_for.as_ref() == Some(&self.view_request())
    }

    /// Takes the worker's answer if it is for the current text (and, for the views' data,
    /// the current view); an older one is dropped, a newer one is on its way.
    fn accept(&mut self, r: Results) -> bool {
        let mut changed = self.accept_parsed(r.parsed.clone());
        if r.revision != self.revision {
            return changed;
        }
        if let Some(mut b) = r.base {
            let groups = std::mem::take(&mut b.groups);
            if *self.groups != groups {
                self.groups = Rc::new(groups);
            }
            self.base = Rc::new(b);
            self.analyzed = Some(r.revision);
            self.default_query();
            changed = true;
        }
        if r.view.is_some() && r.view == Some(self.view_request()) {
            // A solved exercise is marked in the course outline.
            let solved = r.data.exercise.as_ref().is_some_and(|x| x.solved);
            if let (true, Some(l)) = (solved, &self.lesson) {
                if self.progress.get(&l.id).map(String::as_str) != Some("solved") {
                    let mut p = (*self.progress).clone();
                    p.insert(l.id.clone(), "solved".into());
                    self.progress = Rc::new(p);
                }
            }
            self.data = Rc::new(r.data);
            self.data_for = r.view;
            self.data_rev = r.revision;
            changed = true;
        }
        changed
    }

    /// The worker read a `#src=` file: a lesson (its manifests are fetched next), plain
    /// manifests (shown as they are), or a broken scenario (a message).
    fn accept_parsed(&mut self, parsed: Option<(String, Parsed)>) -> bool {
        let Some((path, parsed)) = parsed else {
            return false;
        };
        let Some(SrcStage::Parse(req)) = &self.src else {
            return false;
        };
        if req.path != path {
            return false;
        }
        let text = req.text.clone();
        let t = crate::i18n::tr(self.lang);
        match parsed {
            Parsed::Lesson(info) => {
                self.src = Some(SrcStage::Manifests {
                    info: Rc::new(*info),
                    source: text,
                });
            }
            Parsed::Manifests => {
                self.src = None;
                self.restore(text, Query::default());
                self.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: format!("{} `{path}`", t.src_loaded),
                });
            }
            Parsed::Invalid(msg) => {
                self.src = None;
                self.notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: format!("`{path}`: {msg}"),
                });
            }
        }
        true
    }

    /// Fills an empty source or destination with the first endpoints.
    fn default_query(&mut self) {
        let groups = &self.groups;
        let all: Vec<&String> = groups.iter().flat_map(|(_, v)| v.iter()).collect();
        if self.query.from.is_empty() {
            if let Some(f) = all.first() {
                self.query.from = (*f).clone();
            }
        }
        if self.query.to.is_empty() {
            if let Some(t) = all.get(1).or(all.first()) {
                self.query.to = (*t).clone();
            }
        }
    }
}

/// Line breaks as the editor keeps them (LF): CRLF and lone CR become LF, so the
/// worker analyses exactly the text the editor shows and positions agree.
pub fn editor_text(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

pub fn row_query(r: &RowInfo) -> Query {
    Query {
        from: r.from.clone(),
        to: r.to.clone(),
        port: r.port.clone(),
        protocol: r.protocol.clone(),
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The handle components use to read the state and dispatch actions.
pub type Store = UseReducerHandle<State>;
