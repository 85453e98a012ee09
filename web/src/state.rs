//! The page's single state and its reducer (one `Action` per user intent), in the style of
//! Yew's function_todomvc example. Side effects (storage, timers, DOM) live in hooks.

use std::collections::BTreeSet;
use std::rc::Rc;

use netpol::{Lang, QueryProtocol};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::examples;
use crate::json;
use crate::share;
use crate::storage;
use crate::wire::{Base, GraphRequest, Results, ViewData, ViewRequest};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub port: String,
    pub protocol: String,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            from: String::new(),
            to: String::new(),
            port: "80".into(),
            protocol: "TCP".into(),
        }
    }
}

impl Query {
    /// `{"from":...,"to":...,"port":...,"protocol":...}` (share links, localStorage).
    pub fn to_json(&self) -> String {
        json::object(&[
            ("from", &self.from),
            ("to", &self.to),
            ("port", &self.port),
            ("protocol", &self.protocol),
        ])
    }

    /// An object with the four string fields (others are ignored).
    pub fn from_value(v: &json::Value) -> Option<Query> {
        Some(Query {
            from: v.str("from")?,
            to: v.str("to")?,
            port: v.str("port")?,
            protocol: v.str("protocol")?,
        })
    }

    pub fn from_json(text: &str) -> Option<Query> {
        Query::from_value(&json::parse(text)?)
    }

    pub fn protocol(&self) -> QueryProtocol {
        QueryProtocol::parse(&self.protocol).unwrap_or(QueryProtocol::TCP)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tab {
    Query,
    Matrix,
    Cluster,
    Lesson,
    Graph,
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

#[derive(Clone)]
pub struct State {
    pub lang: Lang,
    pub dark: bool,
    pub text: Rc<String>,
    /// Bumped on every edit; the debounce effect watches it.
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
    pub example: Option<usize>,
    pub example_rows: Rc<Vec<netpol::scenario::Connection>>,
    /// Options of the current example for queries through Services (`hosts:`, ...).
    pub options: Rc<netpol::services::Options>,
    /// Rows of the current example that were run.
    pub ran_rows: BTreeSet<usize>,
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
    /// The Matrix tab shows pods instead of workloads.
    pub matrix_pods: bool,
    /// The Graph tab's protocol/port, focus and namespace, and the edge whose
    /// explanation shows (its question).
    pub graph: GraphRequest,
    pub graph_ask: Option<Query>,
}

pub enum Action {
    /// The user typed: the textarea already shows the text.
    Edit(String),
    /// The text comes from elsewhere (a file): the textarea must show it.
    Replace(String),
    /// Appends a YAML document (a suggested policy) to the current text.
    AppendDocument(String),
    /// The debounce after typing elapsed: ask for the current text.
    Analyze,
    /// The worker answered (dropped when it is for an older revision or view).
    Results(Box<Results>),
    /// The worker panicked and was restarted.
    WorkerCrashed(String),
    SetLang(Lang),
    ToggleTheme,
    LoadExample(usize),
    RunRow(usize),
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
}

impl State {
    /// The first state: a share link in the URL wins, then the saved text, then the first
    /// example. Anything unreadable falls back to the first example with a message.
    pub fn init() -> State {
        let lang = storage::get(storage::KEY_LANG)
            .and_then(|l| Lang::parse(&l))
            .or_else(|| storage::navigator_language().and_then(|l| Lang::parse(&l)))
            .unwrap_or(Lang::En);
        let dark = match storage::get(storage::KEY_THEME).as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => storage::prefers_dark(),
        };
        let hash = storage::hash();
        if !hash.is_empty() && hash != "#" {
            storage::clear_hash();
            if share::is_link(&hash) {
                // Until the link is read: a known-good example, not the (possibly
                // unrelated) saved text. A broken link leaves it there with a message.
                let mut s = State::with_example(lang, dark, 0);
                s.pending_link = Some(hash.into());
                return s;
            }
        }
        let Some(text) = storage::get(storage::KEY_TEXT) else {
            return State::with_example(lang, dark, 0);
        };
        let mut notice = None;
        let query = match storage::get(storage::KEY_QUERY) {
            Some(q) => Query::from_json(&q).unwrap_or_else(|| {
                notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: crate::i18n::tr(lang).storage_bad.into(),
                });
                Query::default()
            }),
            None => Query::default(),
        };
        let mut s = State::base(lang, dark, text, query);
        let example = storage::get(storage::KEY_EXAMPLE).and_then(|id| examples::index_of(&id));
        if let Some((i, ex)) = example.and_then(|i| Some((i, examples::load(i)?))) {
            s.example = Some(i);
            s.example_rows = Rc::new(ex.rows);
            s.options = Rc::new(ex.scenario.options.clone());
        }
        s.notice = notice;
        s
    }

    fn base(lang: Lang, dark: bool, text: String, query: Query) -> State {
        State {
            lang,
            dark,
            text: Rc::new(text),
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
            example_rows: Rc::new(Vec::new()),
            options: Rc::new(netpol::services::Options::default()),
            ran_rows: BTreeSet::new(),
            selection: None,
            notice: None,
            share_link: None,
            pending_link: None,
            matrix_port: "80".into(),
            matrix_filter: String::new(),
            matrix_protocol: "TCP".into(),
            matrix_pods: false,
            graph: GraphRequest {
                protocol: "All".into(),
                port: "80".into(),
                ..GraphRequest::default()
            },
            graph_ask: None,
        }
    }

    fn with_example(lang: Lang, dark: bool, i: usize) -> State {
        let mut s = State::base(lang, dark, String::new(), Query::default());
        s.load_example(i);
        s
    }

    fn load_example(&mut self, i: usize) {
        let Some(ex) = examples::load(i) else { return };
        self.text = Rc::new(ex.text);
        self.revision += 1;
        self.requested = self.revision;
        self.external += 1;
        self.example = Some(i);
        self.ran_rows.clear();
        self.query = match ex.rows.first() {
            Some(r) => row_query(r),
            None => Query::default(),
        };
        self.example_rows = Rc::new(ex.rows);
        self.options = Rc::new(ex.scenario.options.clone());
        self.tab = Tab::Lesson;
        self.selection = None;
        self.share_link = None;
        self.graph.focus = None;
        self.graph_ask = None;
    }

    /// A shared text and query replace whatever shows: evaluated at once, no example.
    fn restore(&mut self, text: String, query: Query) {
        self.text = Rc::new(text);
        self.revision += 1;
        self.requested = self.revision;
        self.external += 1;
        self.example = None;
        self.example_rows = Rc::new(Vec::new());
        self.options = Rc::new(netpol::services::Options::default());
        self.ran_rows.clear();
        self.query = query;
        self.tab = Tab::Query;
        self.selection = None;
        self.share_link = None;
    }

    /// What the worker must compute for the views as they are now.
    pub fn view_request(&self) -> ViewRequest {
        ViewRequest {
            lang: self.lang,
            tab: self.tab,
            query: self.query.clone(),
            example: self.example,
            lesson_query: !self.ran_rows.is_empty(),
            matrix_port: self.matrix_port.clone(),
            matrix_protocol: self.matrix_protocol.clone(),
            matrix_filter: self.matrix_filter.clone(),
            matrix_pods: self.matrix_pods,
            graph: self.graph.clone(),
            graph_ask: self.graph_ask.clone(),
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
        if r.revision != self.revision {
            return false;
        }
        let mut changed = false;
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
            self.data = Rc::new(r.data);
            self.data_for = r.view;
            self.data_rev = r.revision;
            changed = true;
        }
        changed
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

pub fn row_query(r: &netpol::scenario::Connection) -> Query {
    Query {
        from: r.from.clone(),
        to: r.to.clone(),
        port: r.port.as_ref().map(|p| p.to_string()).unwrap_or_default(),
        protocol: r.protocol.as_str().to_string(),
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(text) => {
                if *s.text == text {
                    return self;
                }
                s.text = Rc::new(text);
                s.revision += 1;
                s.share_link = None;
            }
            Action::AppendDocument(yaml) => {
                let mut text = s.text.to_string();
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str("---\n");
                text.push_str(&yaml);
                s.text = Rc::new(text);
                s.revision += 1;
                s.requested = s.revision;
                s.external += 1;
                s.share_link = None;
            }
            Action::Replace(text) => {
                s.text = Rc::new(text);
                s.revision += 1;
                s.requested = s.revision;
                s.external += 1;
                s.share_link = None;
            }
            Action::Analyze => {
                if s.requested == s.revision {
                    return self;
                }
                s.requested = s.revision;
            }
            Action::Results(r) => {
                if !s.accept(*r) {
                    return self;
                }
            }
            Action::WorkerCrashed(_) => {
                s.notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: crate::i18n::tr(s.lang).worker_crashed.into(),
                });
            }
            Action::SetLang(l) => s.lang = l,
            Action::ToggleTheme => s.dark = !s.dark,
            Action::LoadExample(i) => s.load_example(i),
            Action::RunRow(i) => {
                if let Some(r) = s.example_rows.get(i) {
                    s.query = row_query(r);
                    s.ran_rows.insert(i);
                }
            }
            Action::SetQuery(q) => {
                s.query = q;
                s.share_link = None;
            }
            Action::SetTab(t) => s.tab = t,
            Action::Select(start, end) => {
                let nonce = s.selection.map_or(1, |x| x.nonce.wrapping_add(1));
                s.selection = Some(Selection { start, end, nonce });
            }
            Action::Notice(n) => s.notice = n,
            Action::ShareLink(l) => s.share_link = l,
            Action::Restored(r) => {
                let t = crate::i18n::tr(s.lang);
                s.pending_link = None;
                let (kind, text) = match r {
                    Ok(Some(shared)) => {
                        s.restore(shared.text, shared.query);
                        (NoticeKind::Info, t.restored_link)
                    }
                    Ok(None) => return Rc::new(s),
                    Err(share::ShareError::TooBig) => (NoticeKind::Error, t.link_too_big),
                    Err(share::ShareError::Malformed) => (NoticeKind::Error, t.link_bad),
                };
                s.notice = Some(Notice {
                    kind,
                    text: text.into(),
                });
            }
            Action::MatrixPort(p) => s.matrix_port = p,
            Action::MatrixFilter(f) => s.matrix_filter = f,
            Action::MatrixProtocol(p) => s.matrix_protocol = p,
            Action::OpenMatrix(port, protocol) => {
                s.matrix_port = port;
                s.matrix_protocol = protocol;
                s.tab = Tab::Matrix;
            }
            Action::MatrixPods(on) => s.matrix_pods = on,
            Action::GraphProtocol(p) => s.graph.protocol = p,
            Action::GraphPort(p) => s.graph.port = p,
            Action::GraphFocus(f) => {
                s.graph.focus = f;
                s.graph_ask = None;
            }
            Action::GraphNamespace(n) => s.graph.namespace = n,
            Action::GraphAsk(q) => s.graph_ask = q,
            Action::AskInQuery(q) => {
                s.query = q;
                s.tab = Tab::Query;
                s.share_link = None;
            }
            Action::OpenCell(from, to) => {
                s.query = Query {
                    from,
                    to,
                    port: s.matrix_port.clone(),
                    protocol: s.matrix_protocol.clone(),
                };
                s.tab = Tab::Query;
            }
        }
        Rc::new(s)
    }
}

/// The handle components use to read the state and dispatch actions.
pub type Store = UseReducerHandle<State>;

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
