//! A YAML tree that remembers where every node came from.
//!
//! Manifests are parsed with libyaml's event API (`unsafe-libyaml`, the parser serde_yaml
//! uses) into [`Node`]s carrying byte ranges, so every diagnostic can point at the exact
//! field. The input is first split into documents at `---` lines, so one broken document
//! never hides the others. Work is bounded: nesting depth and the number of nodes an
//! alias may expand to are capped (see [`Limits`]), which defuses "billion laughs" input.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Caps on the work one input may cause. Past a limit the loader reports an error
/// diagnostic instead of doing the work. The defaults and the reasons for them are in
/// `docs/limits.md`.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum nesting of sequences and mappings, aliases expanded included.
    pub max_depth: usize,
    /// Maximum number of nodes one document may hold after alias expansion.
    pub max_nodes: usize,
    /// Maximum number of nodes the whole input (every source of one load) may hold after
    /// alias expansion: many small alias bombs add up.
    pub max_total_nodes: usize,
    /// Maximum number of nodes the whole input may copy through aliases (`*name`): real
    /// manifests copy few, an alias bomb millions. Kept well under `max_total_nodes`, so a
    /// bomb is refused early (memory and time) while plain large inputs keep their room.
    pub max_alias_nodes: usize,
    /// Maximum size of the whole input in bytes (every source of one load).
    pub max_input_bytes: usize,
    /// Maximum number of documents (`---` separated, empty ones included) in one source.
    pub max_documents: usize,
    /// Maximum number of diagnostics one load reports; the rest are summarized in one.
    pub max_diagnostics: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 4_000_000,
            max_total_nodes: 4_000_000,
            max_alias_nodes: 500_000,
            max_input_bytes: 16 * 1024 * 1024,
            max_documents: 10_000,
            max_diagnostics: 1_000,
        }
    }
}

/// What is left of [`Limits::max_total_nodes`] and [`Limits::max_alias_nodes`] while the
/// sources of one load are parsed.
#[derive(Clone, Debug)]
pub struct Budget {
    pub nodes: usize,
    pub aliased: usize,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Budget {
            nodes: limits.max_total_nodes,
            aliased: limits.max_alias_nodes,
        }
    }
}

/// `16 MiB`, `1.5 MiB`, `900 KiB`, `12 bytes`: sizes in limit messages.
pub fn human_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        let tenths = bytes / (MIB / 10);
        if tenths.is_multiple_of(10) {
            format!("{} MiB", tenths / 10)
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range in the whole input.
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar. `plain` is false for quoted and block scalars (which are always strings).
    Scalar {
        value: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Keys are kept as nodes so that unknown-field diagnostics can point at the key.
    Map(Vec<(Node, Node)>),
}

/// The typed value of a scalar, resolved the way Kubernetes' YAML decoder does for the
/// cases that matter here (null, booleans, integers, everything else is a string).
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str(&'a str),
}

impl Node {
    pub fn scalar(&self) -> Option<Scalar<'_>> {
        let NodeKind::Scalar { value, plain } = &self.kind else {
            return None;
        };
        if !plain {
            return Some(Scalar::Str(value));
        }
        Some(match value.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
            "true" | "True" | "TRUE" => Scalar::Bool(true),
            "false" | "False" | "FALSE" => Scalar::Bool(false),
            v => {
                if let Some(i) = parse_int(v) {
                    Scalar::Int(i)
                } else if is_float(v) {
                    Scalar::Float
                } else {
                    Scalar::Str(v)
                }
            }
        })
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }

    /// The scalar's text whatever its type (`80` and `"80"` both give `80`).
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A string scalar (quoted, or plain that does not read as null/bool/number).
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar()? {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self.scalar()? {
            Scalar::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// Looks a key up in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        // The last occurrence wins, as in Kubernetes' decoder (and explicit keys after a
        // merge key override the merged ones).
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.text() == Some(key))
            .map(|(_, v)| v)
    }

    /// The key node of `key` in a mapping (for diagnostics on the key itself).
    pub fn key_node(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.text() == Some(key))
            .map(|(k, _)| k)
    }

    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
            NodeKind::Scalar { .. } => match self.scalar() {
                Some(Scalar::Null) => "null",
                Some(Scalar::Bool(_)) => "a boolean",
                Some(Scalar::Int(_)) | Some(Scalar::Float) => "a number",
                _ => "a string",
            },
        }
    }

    /// (number of nodes, nesting of collections: 0 for a scalar, 1 for `[x]`).
    fn measure(&self) -> (usize, usize) {
        match &self.kind {
            NodeKind::Scalar { .. } => (1, 0),
            NodeKind::Seq(items) => items.iter().fold((1, 1), |(n, d), item| {
                let (cn, cd) = item.measure();
                (n + cn, d.max(cd + 1))
            }),
            NodeKind::Map(entries) => entries.iter().fold((1, 1), |(n, d), (k, v)| {
                let (kn, kd) = k.measure();
                let (vn, vd) = v.measure();
                (n + kn + vn, d.max(kd + 1).max(vd + 1))
            }),
        }
    }
}

fn parse_int(v: &str) -> Option<i64> {
    let (neg, digits) = match v.as_bytes().first()? {
        b'-' => (true, &v[1..]),
        b'+' => (false, &v[1..]),
        _ => (false, v),
    };
    let parsed = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()?
    } else if let Some(oct) = digits.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()?
    } else {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse::<i64>().ok()?
    };
    Some(if neg { -parsed } else { parsed })
}

fn is_float(v: &str) -> bool {
    let t = v.trim_start_matches(['+', '-']);
    matches!(t, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN")
        || (t.bytes().any(|b| b.is_ascii_digit())
            && t.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
            && t.parse::<f64>().is_ok())
}

/// One YAML document of the input.
#[derive(Clone, Debug)]
pub struct Document {
    /// 0-based position among the input's documents (empty documents included).
    pub index: usize,
    /// Byte range of the document's text in the input.
    pub span: Range<usize>,
    /// `None` for an empty document or one that failed to parse.
    pub root: Option<Node>,
}

/// A YAML syntax error (or a limit hit) in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub doc: usize,
    pub message: String,
    pub span: Range<usize>,
    /// A limit of [`Limits`] was hit (the text may well be valid YAML).
    pub limit: bool,
}

/// Why a document stopped loading: message, offset in the document, a limit or not.
type Failure = (String, usize, bool);

/// Splits `text` into documents and parses each. Never fails: syntax errors are returned
/// beside the documents that did parse.
pub fn parse(text: &str, limits: &Limits) -> (Vec<Document>, Vec<SyntaxError>) {
    parse_within(text, limits, &mut Budget::new(limits))
}

/// [`parse`], spending the node budget shared by the sources of one load. Documents past
/// [`Limits::max_documents`], or once the budget is spent, are reported once and skipped.
pub fn parse_within(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
) -> (Vec<Document>, Vec<SyntaxError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let ranges = split_documents(text);
    let count = ranges.len();
    for (index, range) in ranges.into_iter().enumerate() {
        let chunk = &text[range.clone()];
        let skipped = if index >= limits.max_documents {
            Some(format!(
                "the input has {count} documents, more than the limit of {}; this one and the {} after it were not loaded",
                limits.max_documents,
                count - index - 1
            ))
        } else if budget.nodes == 0 {
            Some(format!(
                "the input has more than {} YAML nodes in all; this document and the {} after it were not loaded",
                limits.max_total_nodes,
                count - index - 1
            ))
        } else {
            None
        };
        if let Some(message) = skipped {
            let start = range.start;
            errors.push(SyntaxError {
                doc: index,
                message,
                span: start..next_char_boundary(text, start).min(range.end.max(start)),
                limit: true,
            });
            break;
        }
        // When the total budget is what caps this document, its error already says that
        // the documents after it were not loaded.
        let capped_by_total = budget.nodes < limits.max_nodes;
        let mut stop = false;
        let root = if chunk.trim().is_empty() || is_only_comments(chunk) {
            None
        } else {
            match parse_one(chunk, range.start, limits, budget) {
                Ok(root) => root,
                Err((message, at, limit)) => {
                    // Point at a character: an error at the very end points at the last one
                    // (at its first byte: the last character may take several).
                    let start = prev_char_boundary(
                        text,
                        (range.start + at)
                            .min(range.end.saturating_sub(1))
                            .max(range.start),
                    );
                    let end = next_char_boundary(text, start).min(range.end.max(start));
                    errors.push(SyntaxError {
                        doc: index,
                        message,
                        span: start..end,
                        limit,
                    });
                    // A spent alias budget means an alias bomb: the rest is not read either.
                    stop = (capped_by_total && budget.nodes == 0) || budget.aliased == 0;
                    None
                }
            }
        };
        docs.push(Document {
            index,
            span: range,
            root,
        });
        if stop {
            break;
        }
    }
    (docs, errors)
}

fn prev_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    let mut end = at + 1;
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.min(text.len())
}

fn is_only_comments(chunk: &str) -> bool {
    chunk.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Byte ranges of the documents: a new one starts at every line that begins with `---`
/// followed by whitespace or the end of the line (a document marker ends any block scalar
/// in YAML too, so this is the parser's own view).
pub fn split_documents(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0usize];
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let bytes = line.as_bytes();
        if offset != 0
            && bytes.starts_with(b"---")
            && bytes
                .get(3)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..text.len());
    }
    // A leading `---` (first line) belongs to the first document: nothing to merge.
    // Drop an empty prelude before a first `---` only when it holds nothing but comments.
    if ranges.len() > 1 && is_only_comments(&text[ranges[0].clone()]) {
        let first = ranges.remove(0);
        ranges[0].start = first.start;
    }
    ranges
}

enum Frame {
    Seq {
        start: usize,
        items: Vec<Node>,
        anchor: Option<String>,
    },
    Map {
        start: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        anchor: Option<String>,
        /// The keys present, built at the mapping's first merge key and kept up to date
        /// after it, so that merging stays linear (not entries x merged entries).
        keys: Option<HashSet<String>>,
    },
}

struct Builder<'l> {
    limits: &'l Limits,
    base: usize,
    stack: Vec<Frame>,
    anchors: HashMap<String, Node>,
    nodes: usize,
    /// How many of `nodes` come from expanding aliases.
    aliased: usize,
    /// `limits.max_nodes`, or less when the input's total budget has less left.
    node_cap: usize,
    /// What the input's alias budget has left for this document.
    alias_cap: usize,
    root: Option<Node>,
    /// While > 0: inside a subtree nobody reads (`managedFields`), whose events are
    /// dropped; counts its open collections. `skip_start` is where it began.
    skip_depth: usize,
    skip_start: usize,
}

/// Keys whose values are server bookkeeping that no part of the evaluator reads; their
/// subtrees are parsed (for syntax) but not built, which saves much of the work on
/// `kubectl get -o yaml --show-managed-fields` dumps.
const SKIPPED_KEYS: &[&str] = &["managedFields"];

impl Builder<'_> {
    /// The error once the nodes counted so far pass the cap, pointing at `at`.
    fn check_nodes(&self, at: usize) -> Result<(), Failure> {
        if self.nodes <= self.node_cap {
            return Ok(());
        }
        let bomb = if self.aliased > 0 {
            " through aliases (an alias bomb?)"
        } else {
            ""
        };
        let message = if self.node_cap < self.limits.max_nodes {
            format!(
                "the input has more than {} YAML nodes in all{bomb}; this document and the ones after it were not loaded",
                self.limits.max_total_nodes
            )
        } else {
            format!(
                "the document has more than {} YAML nodes{bomb}; it was not loaded",
                self.limits.max_nodes
            )
        };
        Err((message, at, true))
    }

    /// Adds a finished node to its parent (or makes it the root).
    fn push(&mut self, node: Node, at: usize) -> Result<(), Failure> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, keys, ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if k.text() == Some("<<")
                        && matches!(k.kind, NodeKind::Scalar { plain: true, .. })
                    {
                        let keys = keys.get_or_insert_with(|| {
                            entries
                                .iter()
                                .filter_map(|(e, _)| e.text().map(str::to_owned))
                                .collect()
                        });
                        merge_into(entries, keys, node);
                    } else {
                        if let (Some(keys), Some(text)) = (keys.as_mut(), k.text()) {
                            keys.insert(text.to_owned());
                        }
                        entries.push((k, node));
                    }
                }
            },
        }
        self.check_nodes(at)
    }
}

/// YAML merge keys (`<<: *base`): keys already present (`keys`) win.
fn merge_into(entries: &mut Vec<(Node, Node)>, keys: &mut HashSet<String>, value: Node) {
    let sources: Vec<Node> = match value.kind {
        NodeKind::Map(_) => vec![value],
        NodeKind::Seq(items) => items,
        _ => return,
    };
    for src in sources {
        if let NodeKind::Map(src_entries) = src.kind {
            for (k, v) in src_entries {
                let new = k.text().is_none_or(|text| keys.insert(text.to_owned()));
                if new {
                    entries.push((k, v));
                }
            }
        }
    }
}

struct Parser {
    sys: Box<std::mem::MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    initialized: bool,
}

impl Drop for Parser {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: the parser was initialized by yaml_parser_initialize.
            unsafe { unsafe_libyaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
    }
}

unsafe fn c_str(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: libyaml hands out NUL-terminated strings.
    let s = unsafe { std::ffi::CStr::from_ptr(ptr.cast()) };
    Some(s.to_string_lossy().into_owned())
}

/// Parses one document's text. `base` is the chunk's offset in the whole input.
/// Returns the root (None when empty) or an error message with its offset in the chunk.
/// The nodes it builds (or had built when it stopped) are taken from `budget`.
fn parse_one(
    chunk: &str,
    base: usize,
    limits: &Limits,
    budget: &mut Budget,
) -> Result<Option<Node>, Failure> {
    let bytes = chunk.as_bytes();
    let mut parser = Parser {
        sys: Box::new(std::mem::MaybeUninit::uninit()),
        initialized: false,
    };
    let p = parser.sys.as_mut_ptr();
    // SAFETY: `p` points to owned, writable memory; the input outlives the parser.
    unsafe {
        if unsafe_libyaml::yaml_parser_initialize(p).fail {
            return Err((
                "the YAML parser could not start (out of memory)".into(),
                0,
                false,
            ));
        }
        parser.initialized = true;
        unsafe_libyaml::yaml_parser_set_encoding(p, unsafe_libyaml::YAML_UTF8_ENCODING);
        unsafe_libyaml::yaml_parser_set_input_string(p, bytes.as_ptr(), bytes.len() as u64);
    }
    let mut b = Builder {
        limits,
        base,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        aliased: 0,
        node_cap: limits.max_nodes.min(budget.nodes),
        alias_cap: budget.aliased,
        root: None,
        skip_depth: 0,
        skip_start: 0,
    };
    let result = build(p, chunk, &mut b);
    budget.nodes = budget.nodes.saturating_sub(b.nodes);
    budget.aliased = budget.aliased.saturating_sub(b.aliased);
    result.map(|()| b.root)
}

/// Feeds the parser's events to the builder until the end of the first document.
fn build(
    p: *mut unsafe_libyaml::yaml_parser_t,
    chunk: &str,
    b: &mut Builder<'_>,
) -> Result<(), Failure> {
    let mut documents = 0usize;
    loop {
        let mut event = std::mem::MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        let ev = event.as_mut_ptr();
        // SAFETY: parser initialized; event memory owned here and deleted below.
        let ok = unsafe { !unsafe_libyaml::yaml_parser_parse(p, ev).fail };
        if !ok {
            // SAFETY: the prefix struct is the documented way to read the error fields.
            let (problem, context, at, reader, value) = unsafe {
                let parser: &unsafe_libyaml::yaml_parser_t = &*p;
                let reader = parser.error == unsafe_libyaml::YAML_READER_ERROR;
                (
                    c_str(parser.problem.cast()),
                    c_str(parser.context.cast()),
                    // Reader errors (bad characters) carry a byte offset, not a mark.
                    if reader {
                        parser.problem_offset as usize
                    } else {
                        parser.problem_mark.index as usize
                    },
                    reader,
                    parser.problem_value,
                )
            };
            let mut message = problem.unwrap_or_else(|| "invalid YAML".into());
            if let Some(ctx) = context {
                message = format!("{message} ({ctx})");
            }
            if reader {
                if let Some(c) = u32::try_from(value).ok().and_then(char::from_u32) {
                    message = format!("{message}: U+{:04X} here (binary data?)", c as u32);
                }
            }
            return Err((
                format!("invalid YAML: {message}"),
                at.min(chunk.len()),
                false,
            ));
        }
        // SAFETY: yaml_parser_parse succeeded, so the event is initialized.
        let result = unsafe { handle_event(b, &*ev, &mut documents) };
        // SAFETY: the event was produced by yaml_parser_parse.
        unsafe { unsafe_libyaml::yaml_event_delete(ev) };
        match result {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Returns Ok(true) at the end of the stream.
unsafe fn handle_event(
    b: &mut Builder<'_>,
    ev: &unsafe_libyaml::yaml_event_t,
    documents: &mut usize,
) -> Result<bool, Failure> {
    let start = ev.start_mark.index as usize;
    let end = ev.end_mark.index as usize;
    if b.skip_depth > 0 {
        match ev.type_ {
            unsafe_libyaml::YAML_SEQUENCE_START_EVENT
            | unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                b.skip_depth += 1;
                if b.skip_depth + b.stack.len() > b.limits.max_depth {
                    return Err((
                        format!(
                            "nesting deeper than {} levels; the document was not loaded",
                            b.limits.max_depth
                        ),
                        start,
                        true,
                    ));
                }
            }
            unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
                b.skip_depth -= 1;
                if b.skip_depth == 0 {
                    b.nodes += 1;
                    let node = Node {
                        kind: NodeKind::Scalar {
                            value: String::new(),
                            plain: true,
                        },
                        span: b.base + b.skip_start..b.base + end,
                    };
                    b.push(node, start)?;
                }
            }
            _ => {}
        }
        return Ok(false);
    }
    let collection = matches!(
        ev.type_,
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT | unsafe_libyaml::YAML_MAPPING_START_EVENT
    );
    if collection {
        if let Some(Frame::Map { key: Some(k), .. }) = b.stack.last() {
            if k.text().is_some_and(|t| SKIPPED_KEYS.contains(&t)) {
                b.skip_depth = 1;
                b.skip_start = start;
                return Ok(false);
            }
        }
    }
    match ev.type_ {
        unsafe_libyaml::YAML_STREAM_END_EVENT => return Ok(true),
        unsafe_libyaml::YAML_DOCUMENT_START_EVENT => {
            *documents += 1;
            if *documents > 1 {
                return Ok(true);
            }
        }
        unsafe_libyaml::YAML_SCALAR_EVENT => {
            // SAFETY: the event is a scalar, so `data.scalar` is the active field.
            let (value, plain, anchor) = unsafe {
                let s = &ev.data.scalar;
                let raw = std::slice::from_raw_parts(s.value, s.length as usize);
                (
                    String::from_utf8_lossy(raw).into_owned(),
                    s.style == unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE,
                    c_str(s.anchor),
                )
            };
            b.nodes += 1;
            let node = Node {
                kind: NodeKind::Scalar { value, plain },
                span: b.base + start..b.base + end,
            };
            if let Some(a) = anchor {
                b.anchors.insert(a, node.clone());
            }
            b.push(node, start)?;
        }
        unsafe_libyaml::YAML_ALIAS_EVENT => {
            // SAFETY: alias event: `data.alias` is active.
            let name = unsafe { c_str(ev.data.alias.anchor) }.unwrap_or_default();
            let Some(target) = b.anchors.get(&name) else {
                return Err((format!("unknown anchor `{name}`"), start, false));
            };
            // Anchored nodes were built within the limits, so this recursion is shallow.
            let (count, depth) = target.measure();
            if b.stack.len() + depth > b.limits.max_depth {
                return Err((
                    format!(
                        "nesting deeper than {} levels through alias `{name}`; the document was not loaded",
                        b.limits.max_depth
                    ),
                    start,
                    true,
                ));
            }
            b.nodes += count;
            b.aliased += count;
            if b.aliased > b.alias_cap {
                return Err((
                    format!(
                        "the input copies more than {} YAML nodes through aliases (an alias bomb?); this document and the ones after it were not loaded",
                        b.limits.max_alias_nodes
                    ),
                    start,
                    true,
                ));
            }
            b.check_nodes(start)?;
            let mut node = target.clone();
            node.span = b.base + start..b.base + end;
            b.push(node, start)?;
        }
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT | unsafe_libyaml::YAML_MAPPING_START_EVENT => {
            if b.stack.len() >= b.limits.max_depth {
                return Err((
                    format!(
                        "nesting deeper than {} levels; the document was not loaded",
                        b.limits.max_depth
                    ),
                    start,
                    true,
                ));
            }
            b.nodes += 1;
            // SAFETY: the active union field matches the event type.
            let anchor = unsafe {
                if ev.type_ == unsafe_libyaml::YAML_SEQUENCE_START_EVENT {
                    c_str(ev.data.sequence_start.anchor)
                } else {
                    c_str(ev.data.mapping_start.anchor)
                }
            };
            let start = b.base + start;
            b.stack
                .push(if ev.type_ == unsafe_libyaml::YAML_SEQUENCE_START_EVENT {
                    Frame::Seq {
                        start,
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        start,
                        entries: Vec::new(),
                        key: None,
                        anchor,
                        keys: None,
                    }
                });
        }
        unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
            let frame = b.stack.pop();
            let (node, anchor) = match frame {
                Some(Frame::Seq {
                    start: s,
                    items,
                    anchor,
                }) => (
                    Node {
                        kind: NodeKind::Seq(items),
                        span: s..b.base + end,
                    },
                    anchor,
                ),
                Some(Frame::Map {
                    start: s,
                    entries,
                    anchor,
                    ..
                }) => (
                    Node {
                        kind: NodeKind::Map(entries),
                        span: s..b.base + end,
                    },
                    anchor,
                ),
                None => return Ok(false),
            };
            if let Some(a) = anchor {
                b.anchors.insert(a, node.clone());
            }
            b.push(node, start)?;
        }
        _ => {}
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let (docs, errors) = parse(input, &Limits::default());
        let mut out = String::new();
        for d in &docs {
            out.push_str(&format!("doc {} {:?}: ", d.index, d.span));
            match &d.root {
                None => out.push_str("empty\n"),
                Some(n) => out.push_str(&format!("{} at {:?}\n", n.type_name(), n.span)),
            }
        }
        for e in &errors {
            out.push_str(&format!(
                "error doc {} {:?}: {}\n",
                e.doc, e.span, e.message
            ));
        }
        assert_eq!(out.trim(), expected.trim(), "\n{out}");
    }

    #[test]
    fn splits_documents_and_keeps_offsets() {
        check(
            "a: 1\n---\nb: [1, 2]\n--- \n# only a comment\n",
            "doc 0 0..5: a mapping at 0..5\ndoc 1 5..19: a mapping at 9..19\ndoc 2 19..41: empty",
        );
    }

    #[test]
    fn broken_document_does_not_hide_others() {
        check(
            "a: 1\n---\nb: [1, 2\n---\nc: 3\n",
            "doc 0 0..5: a mapping at 0..5\ndoc 1 5..18: empty\ndoc 2 18..27: a mapping at 22..27\nerror doc 1 17..18: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)",
        );
    }

    #[test]
    fn leading_comment_block_and_marker() {
        check(
            "# kubectl edit\n# more\n---\na: 1\n",
            "doc 0 0..31: a mapping at 26..31",
        );
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let (docs, errors) = parse(&s, &Limits::default());
        assert!(docs[0].root.is_none());
        assert!(errors[0].message.contains("alias bomb"), "{errors:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let s = "[".repeat(10_000);
        let (_, errors) = parse(&s, &Limits::default());
        assert!(errors[0].message.contains("nesting deeper"), "{errors:?}");
    }

    #[test]
    fn scalars_resolve_like_kubernetes() {
        let (docs, _) = parse(
            "a: 80\nb: \"80\"\nc: ~\nd: true\ne: http\nf: 1.5\n",
            &Limits::default(),
        );
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(root.get("a").unwrap().as_int(), Some(80));
        assert_eq!(root.get("b").unwrap().as_str(), Some("80"));
        assert!(root.get("c").unwrap().is_null());
        assert_eq!(root.get("d").unwrap().scalar(), Some(Scalar::Bool(true)));
        assert_eq!(root.get("e").unwrap().as_str(), Some("http"));
        assert_eq!(root.get("f").unwrap().scalar(), Some(Scalar::Float));
    }

    #[test]
    fn merge_keys() {
        let (docs, _) = parse(
            "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n",
            &Limits::default(),
        );
        let m = docs[0].root.as_ref().unwrap().get("m").unwrap();
        assert_eq!(m.get("x").unwrap().as_int(), Some(1));
        assert_eq!(m.get("y").unwrap().as_int(), Some(3));
    }

    #[test]
    fn managed_fields_are_parsed_but_not_built() {
        let text = "metadata:\n  managedFields:\n  - manager: kubectl\n    fieldsV1: {f:spec: {f:a: {}}}\n  name: x\n";
        let (docs, errors) = parse(text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let meta = docs[0].root.as_ref().unwrap().get("metadata").unwrap();
        assert_eq!(meta.get("name").and_then(Node::as_str), Some("x"));
        assert!(meta.get("managedFields").unwrap().is_null());
        // Syntax errors inside a skipped subtree are still reported.
        let (_, errors) = parse(
            "metadata:\n  managedFields: [{a: 1}\n  name: x\n",
            &Limits::default(),
        );
        assert_eq!(errors.len(), 1);
    }
}
