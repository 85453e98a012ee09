//! From events to the tree: mappings with kubectl's duplicate and merge keys, notes, and
//! subtrees nothing reads parsed and checked but not built.
//!
//! Both readers (libyaml's events in `libyaml.rs`, the fast scanner in `fast.rs`) feed the
//! same [`Event`]s to the same [`Builder`], so the tree, its notes and its errors do not
//! depend on which reader read the text.
//!
//! What is not built ("pruned"): `managedFields` everywhere (a null placeholder keeps its
//! place), and, when loading, the parts of pods and workloads the loader never reads
//! (see [`Ctx`]): container env, probes, resources, volumes, status conditions, most
//! metadata. A pruned subtree is still checked the way a built one is (duplicate keys,
//! keys kubectl turns into other strings, values kubectl cannot send, the node limits),
//! so pruning changes no diagnostic. Where a pruned subtree could matter after all (an
//! anchor or alias, a merge key, an object whose `kind` is written twice), the document
//! is read again without pruning ([`Stop::Restart`]).

use std::borrow::Cow;

use super::*;

mod events;
mod keys;
mod values;

/// One reader event, positions in the input.
pub(super) enum Event<'a> {
    Scalar {
        value: Cow<'a, str>,
        plain: bool,
        anchor: Option<String>,
        tag: Option<String>,
        start: usize,
        end: usize,
    },
    Alias {
        name: String,
        start: usize,
        end: usize,
    },
    SeqStart {
        anchor: Option<String>,
        start: usize,
    },
    MapStart {
        anchor: Option<String>,
        start: usize,
    },
    /// The end of the innermost collection: `start` and `end` of the end event.
    CollectionEnd { start: usize, end: usize },
    /// The end of the document (or of the stream).
    DocumentEnd,
}

/// Why building stopped early.
#[derive(Debug)]
pub(super) enum Stop {
    /// The document does not load (a syntax error, a limit, something kubectl refuses).
    Fail(Failure),
    /// Read the document again without pruning.
    Restart,
    /// List items were already handed out, and the document turned out to need them
    /// back (a second `items` key): load the whole input again without streaming.
    Unstream,
}

impl From<Failure> for Stop {
    fn from(f: Failure) -> Stop {
        Stop::Fail(f)
    }
}

/// What the loader reads of a subtree, for pruning (see the module documentation). The
/// kinds: [`Ctx::Object`] is an object's top level; the others name a part of a pod or
/// workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ctx {
    /// Everything is built (but `managedFields`).
    All,
    /// A document root or List item: its kind decides what its parts are.
    Object,
    /// A List's `items`: each item an object.
    Items,
    /// `metadata` of a pod or workload: name, namespace, labels, ownerReferences.
    Meta,
    /// A pod's spec: containers, initContainers, hostNetwork, the service account (and
    /// `replicas`, which the loader reads of any spec).
    PodSpec,
    /// `containers` / `initContainers`: each item a container.
    Containers,
    /// A container: its `ports`.
    Container,
    /// A pod's status: its addresses.
    PodStatus,
    /// A workload's spec: replicas and the pod template.
    WorkloadSpec,
    /// A CronJob's spec: replicas and `jobTemplate`.
    CronSpec,
    /// `jobTemplate`: its `spec`.
    JobTemplate,
    /// `jobTemplate.spec`: its `template`.
    JobTemplateSpec,
    /// A pod template: labels and spec.
    Template,
    /// A pod template's metadata: labels.
    TemplateMeta,
    /// Nothing is built; everything is checked.
    Drop,
}

/// What an object's `kind` means for pruning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Not seen yet, or a kind whose parts are all built.
    Unknown,
    Pod,
    Workload,
    CronJob,
}

impl Kind {
    fn of(kind: &str) -> Kind {
        match kind {
            "Pod" => Kind::Pod,
            "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job" => Kind::Workload,
            "CronJob" => Kind::CronJob,
            _ => Kind::Unknown,
        }
    }
}

/// What becomes of a mapping value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Child {
    Build(Ctx),
    /// The entry stays with a null value spanning the subtree (a collection; a scalar
    /// value is built).
    Placeholder,
    /// The entry is left out.
    Drop,
}

/// Keys whose values are server bookkeeping that no part of the evaluator reads; their
/// subtrees are checked but not built, which saves much of the work on
/// `kubectl get -o yaml --show-managed-fields` dumps.
pub(super) const SKIPPED_KEYS: &[&str] = &["managedFields"];

/// What happens to the value of `key` in a mapping read as `ctx` (of an object of `kind`).
fn child(ctx: Ctx, kind: Kind, key: &str, load: bool) -> Child {
    use Ctx::*;
    let keep = |keys: &[&str], then: Ctx| {
        if keys.contains(&key) {
            Child::Build(then)
        } else {
            Child::Drop
        }
    };
    match ctx {
        Drop => Child::Drop,
        All | Items | Containers => {
            if SKIPPED_KEYS.contains(&key) {
                Child::Placeholder
            } else {
                Child::Build(All)
            }
        }
        Object => match (key, kind) {
            ("items", _) if load => Child::Build(Items),
            ("metadata", Kind::Pod | Kind::Workload | Kind::CronJob) => Child::Build(Meta),
            ("spec", Kind::Pod) => Child::Build(PodSpec),
            ("status", Kind::Pod) => Child::Build(PodStatus),
            ("spec", Kind::Workload) => Child::Build(WorkloadSpec),
            ("spec", Kind::CronJob) => Child::Build(CronSpec),
            ("status", Kind::Workload | Kind::CronJob) => Child::Drop,
            _ => child(All, kind, key, load),
        },
        Meta => match key {
            "name" | "namespace" | "labels" | "ownerReferences" => Child::Build(All),
            _ => Child::Drop,
        },
        PodSpec => match key {
            "containers" | "initContainers" => Child::Build(Containers),
            // `replicas` is read of every spec, a pod's too (`load/workloads.rs`).
            "hostNetwork" | "serviceAccountName" | "serviceAccount" | "replicas" => {
                Child::Build(All)
            }
            _ => Child::Drop,
        },
        Container => keep(&["ports"], All),
        PodStatus => keep(&["podIP", "podIPs"], All),
        WorkloadSpec => match key {
            "replicas" => Child::Build(All),
            "template" => Child::Build(Template),
            _ => Child::Drop,
        },
        CronSpec => match key {
            "replicas" => Child::Build(All),
            "jobTemplate" => Child::Build(JobTemplate),
            _ => Child::Drop,
        },
        JobTemplate => keep(&["spec"], JobTemplateSpec),
        JobTemplateSpec => keep(&["template"], Template),
        Template => match key {
            "metadata" => Child::Build(TemplateMeta),
            "spec" => Child::Build(PodSpec),
            _ => Child::Drop,
        },
        TemplateMeta => keep(&["labels"], All),
    }
}

/// The context of a sequence's items.
fn item(ctx: Ctx) -> Ctx {
    match ctx {
        Ctx::Drop => Ctx::Drop,
        Ctx::Items => Ctx::Object,
        Ctx::Containers => Ctx::Container,
        _ => Ctx::All,
    }
}

pub(super) struct Frame {
    pub(super) start: usize,
    pub(super) anchor: Option<String>,
    pub(super) ctx: Ctx,
    /// The frame stands for a skipped subtree whose place a null node keeps.
    pub(super) placeholder: bool,
    pub(super) body: Body,
}

pub(super) enum Body {
    Seq {
        items: Vec<Node>,
        /// The root List's `items`: complete objects are handed to the loader as they
        /// come (while every one so far could be).
        stream: bool,
    },
    Map {
        map: MapBuild,
        key: Option<Pending>,
        /// An object's kind, once its `kind` key was read.
        kind: Kind,
        /// Some part was pruned because of `kind`.
        decided: bool,
        /// Where this mapping's pruned keys begin in [`Builder::dropped`].
        dropped: usize,
        /// Where this mapping's keys begin in the arena.
        arena_mark: usize,
    },
}

/// A key waiting for its value.
pub(super) enum Pending {
    /// The entry is built: the key node and what becomes of the value.
    Kept { key: Node, child: Child },
    /// The entry is left out: the key's text as written (in [`Builder::arena`]), its
    /// type and span.
    Dropped {
        text: Range<usize>,
        ty: ScalarType,
        span: Range<usize>,
    },
    /// A collection used as a key: refused when its value is read (as go-yaml does).
    Collection { at: usize },
}

/// A mapping being built: each JSON key once, holding the value kubectl keeps.
#[derive(Default)]
pub(super) struct MapBuild {
    pub(super) entries: Vec<(Node, Node)>,
    /// Per entry: its value came through a merge key (`<<`), not written in this mapping
    /// (empty while no merge key was met).
    pub(super) merged: Vec<bool>,
    /// Key -> entry, built once the mapping is large enough for lookups to matter, so
    /// that building stays linear.
    pub(super) index: Option<HashMap<String, usize>>,
    /// A one-word filter of the keys present ([`key_bit`]): most keys are new, and this
    /// says so without comparing them with every key before them.
    pub(super) bits: u64,
}

/// A bit for a key, from its length and its first and last bytes.
pub(super) fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let (first, last) = (b.first().copied(), b.last().copied());
    let h = b.len() * 7 + usize::from(first.unwrap_or(0)) * 3 + usize::from(last.unwrap_or(0));
    1 << (h % 64)
}

impl MapBuild {
    pub(super) fn find(&mut self, key: &str) -> Option<usize> {
        if self.bits & key_bit(key) == 0 {
            return None;
        }
        if self.index.is_none() && self.entries.len() >= 16 {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (k, _))| Some((k.text()?.to_owned(), i)))
                    .collect(),
            );
        }
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k.text() == Some(key)),
        }
    }

    pub(super) fn is_merged(&self, i: usize) -> bool {
        self.merged.get(i).copied().unwrap_or(false)
    }

    /// Records whether entry `i` came from a merge (`merged` stays empty until one does).
    pub(super) fn mark(&mut self, i: usize, merged: bool) {
        if merged || !self.merged.is_empty() {
            self.merged.resize(self.entries.len(), false);
            if let Some(m) = self.merged.get_mut(i) {
                *m = merged;
            }
        }
    }

    pub(super) fn add(&mut self, k: Node, v: Node, merged: bool) {
        if let Some(text) = k.text() {
            self.bits |= key_bit(text);
            if let Some(index) = self.index.as_mut() {
                index.insert(text.to_owned(), self.entries.len());
            }
        }
        if self.entries.capacity() == 0 {
            self.entries.reserve(4);
        }
        self.entries.push((k, v));
        self.mark(self.entries.len() - 1, merged);
    }

    pub(super) fn set(&mut self, i: usize, k: Node, v: Node, merged: bool) {
        if let Some(e) = self.entries.get_mut(i) {
            *e = (k, v);
        }
        self.mark(i, merged);
    }
}

/// The notes of the document being built, and what they need to name lines.
pub(super) struct Notes<'t> {
    pub(super) list: Vec<Note>,
    pub(super) text: &'t str,
    pub(super) lines: &'t OnceCell<LineIndex>,
}

impl Notes<'_> {
    /// The 1-based line and column of an input offset.
    pub(super) fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(self.text, offset)
    }

    pub(super) fn warn(
        &mut self,
        code: &'static str,
        message: String,
        help: String,
        span: Range<usize>,
    ) -> &mut Note {
        self.list.push_mut(Note {
            severity: Severity::Warning,
            code,
            message,
            help: Some(help),
            span,
            related: None,
        })
    }

    fn duplicate(&mut self, key: &str, span: Range<usize>, earlier: Range<usize>) {
        let (line, col) = self.line_col(earlier.start);
        self.warn(
            "duplicate-key",
            format!("duplicate key `{key}`: kubectl keeps this value and drops the one at line {line}, column {col}"),
            "delete one of the two: kubectl reads a mapping into a map, where the last value of a key wins".into(),
            span,
        )
        .related = Some(earlier);
    }
}

/// How a document is read.
#[derive(Clone, Copy, Debug)]
pub(super) struct Mode {
    /// Reading for the loader: prune pods and workloads, stream List items.
    pub(super) load: bool,
    /// Prune at all (off when a document is read again after [`Stop::Restart`]).
    pub(super) prune: bool,
}

pub(super) struct Builder<'l, 'h> {
    pub(super) limits: &'l Limits,
    pub(super) mode: Mode,
    pub(super) stack: Vec<Frame>,
    pub(super) anchors: HashMap<String, Node>,
    pub(super) nodes: usize,
    /// How many of `nodes` come from expanding aliases.
    pub(super) aliased: usize,
    /// `limits.max_nodes`, or less when the input's total budget has less left.
    pub(super) node_cap: usize,
    /// What the input's alias budget has left for this document.
    pub(super) alias_cap: usize,
    pub(super) root: Option<Node>,
    pub(super) notes: Notes<'l>,
    /// The texts of the keys of pruned entries of the open mappings (a stack).
    pub(super) arena: String,
    /// The pruned entries of the open mappings (a stack): key text in `arena`, key span.
    pub(super) dropped: Vec<(Range<usize>, Range<usize>)>,
    /// Receives the root List's items as they are complete (loading).
    pub(super) stream: Option<&'h mut dyn FnMut(Node)>,
    /// Items handed out by an earlier reading of this document: not again.
    pub(super) skip_items: usize,
    /// Items handed out (or skipped as such) so far.
    pub(super) streamed: usize,
}

impl<'l, 'h> Builder<'l, 'h> {
    pub(super) fn new(
        limits: &'l Limits,
        mode: Mode,
        budget: &Budget,
        notes: Notes<'l>,
        stream: Option<&'h mut dyn FnMut(Node)>,
        skip_items: usize,
    ) -> Self {
        Builder {
            limits,
            mode,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            aliased: 0,
            node_cap: limits.max_nodes.min(budget.nodes),
            alias_cap: budget.aliased,
            root: None,
            notes,
            arena: String::new(),
            dropped: Vec::new(),
            stream,
            skip_items,
            streamed: 0,
        }
    }

    /// The error once the nodes counted so far pass the cap, pointing at `at`.
    pub(super) fn check_nodes(&self, at: usize) -> Result<(), Failure> {
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

    /// The context of the next node: a mapping's value, a key, a sequence's item, the
    /// root.
    fn next_ctx(&self) -> (Ctx, bool) {
        let Some(top) = self.stack.last() else {
            let root = if self.mode.load {
                Ctx::Object
            } else {
                Ctx::All
            };
            return (root, false);
        };
        match &top.body {
            Body::Seq { .. } => (item(top.ctx), false),
            Body::Map { key: None, .. } => (
                if top.ctx == Ctx::Drop {
                    Ctx::Drop
                } else {
                    Ctx::All
                },
                true,
            ),
            Body::Map { key: Some(p), .. } => match p {
                Pending::Kept {
                    child: Child::Build(c),
                    ..
                } => (*c, false),
                Pending::Kept {
                    child: Child::Placeholder,
                    ..
                } => (Ctx::Drop, false),
                Pending::Kept {
                    child: Child::Drop, ..
                }
                | Pending::Dropped { .. } => (Ctx::Drop, false),
                Pending::Collection { .. } => (Ctx::All, false),
            },
        }
    }

    /// Is the top frame a mapping's pending key that keeps a placeholder?
    fn placeholder_next(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map {
                    key: Some(Pending::Kept {
                        child: Child::Placeholder,
                        ..
                    }),
                    ..
                },
                ..
            })
        )
    }

    fn in_drop(&self) -> bool {
        self.stack.last().is_some_and(|f| f.ctx == Ctx::Drop) || {
            let (ctx, _) = self.next_ctx();
            ctx == Ctx::Drop
        }
    }

    /// Anchors, aliases and merge keys copy subtrees around, so what pruning left out
    /// could be read after all: read the document again without pruning.
    fn pruning_matters(&self) -> bool {
        self.mode.prune && (self.mode.load || self.in_drop())
    }
}

pub(super) fn too_deep(max: usize) -> String {
    format!("nesting deeper than {max} levels; the document was not loaded")
}

/// What [`Builder::value`] refuses in a value: infinities and NaN.
fn check_value(value: &str, ty: ScalarType, start: usize) -> Result<(), Failure> {
    if let ScalarType::Float(f) = ty {
        if !f.is_finite() {
            return Err(non_finite(value, start));
        }
    }
    Ok(())
}

fn non_finite(value: &str, at: usize) -> Failure {
    (
        format!("kubectl cannot send `{value}` to the API server: JSON has no infinity or NaN (\"json: unsupported value\"), so it refuses this document"),
        at,
        false,
    )
}

/// The earlier pruned entry with key `text`: its key span.
fn find_dropped(
    arena: &str,
    dropped: &[(Range<usize>, Range<usize>)],
    text: &str,
) -> Option<Range<usize>> {
    dropped
        .iter()
        .find(|(t, _)| arena.get(t.clone()) == Some(text))
        .map(|(_, s)| s.clone())
}

/// The JSON key of a pruned entry, with the note [`json_key_of`] makes.
fn dropped_key(
    value: &str,
    ty: ScalarType,
    span: &Range<usize>,
    notes: &mut Notes<'_>,
) -> Result<String, Failure> {
    let mut k = Node {
        kind: NodeKind::Scalar {
            value: value.to_string(),
            plain: true,
            ty,
        },
        span: span.clone(),
    };
    json_key_of(&mut k, notes)?;
    Ok(k.text().unwrap_or_default().to_string())
}

/// Adds `k: v` to a mapping as go-yaml v2 decodes into a Go map (`decode.go` `mapping`,
/// `setMapIndex`): a merge key merges, a later duplicate replaces the earlier value.
pub(super) fn insert(
    map: &mut MapBuild,
    mut k: Node,
    v: Node,
    notes: &mut Notes<'_>,
) -> Result<(), Failure> {
    if matches!(
        k.kind,
        NodeKind::Scalar {
            ty: ScalarType::Merge,
            ..
        }
    ) {
        return merge(map, &k, v, notes);
    }
    json_key_of(&mut k, notes)?;
    match map.find(k.text().unwrap_or_default()) {
        None => map.add(k, v, false),
        Some(i) => {
            if !map.is_merged(i) {
                let key = k.text().unwrap_or_default();
                let earlier = map
                    .entries
                    .get(i)
                    .map(|(e, _)| e.span.clone())
                    .unwrap_or_default();
                notes.duplicate(key, k.span.clone(), earlier);
            }
            map.set(i, k, v, false);
        }
    }
    Ok(())
}

/// Gives a key node the JSON key kubectl makes of it (sigs.k8s.io/yaml
/// `convertToJSONableObject`), warning when that differs from the text.
pub(super) fn json_key_of(k: &mut Node, notes: &mut Notes<'_>) -> Result<(), Failure> {
    let at = k.span.start;
    let span = k.span.clone();
    let NodeKind::Scalar { value, ty, .. } = &mut k.kind else {
        return Err((
            "kubectl cannot use a list or a mapping as a key (go-yaml: \"invalid map key\"), so it refuses this document".into(),
            at,
            false,
        ));
    };
    if matches!(ty, ScalarType::Str | ScalarType::Merge) {
        return Ok(());
    }
    let key = json_key(value, *ty).map_err(|what| {
        (
            format!("kubectl cannot turn {what} (`{value}`) into a JSON key (sigs.k8s.io/yaml: \"unsupported map key\"), so it refuses this document"),
            at,
            false,
        )
    })?;
    if key != *value {
        let what = match ty {
            ScalarType::Bool(_) => "a boolean",
            _ => "a number",
        };
        notes.warn(
            "key-not-string",
            format!("key `{value}` is {what} in YAML 1.1, so kubectl reads it as the key `{key}`"),
            format!("quote it: `\"{value}\":`"),
            span,
        );
        *value = key;
    }
    *ty = ScalarType::Str;
    Ok(())
}

/// A merge key's value merged into `map` as go-yaml v2 does (`decode.go` `merge`): where
/// the `<<` stands, overwriting keys written before it; of a list of maps the first that
/// has a key wins (go-yaml merges the list from its end).
pub(super) fn merge(
    map: &mut MapBuild,
    k: &Node,
    value: Node,
    notes: &mut Notes<'_>,
) -> Result<(), Failure> {
    let fail = (
        "a merge key `<<` needs a mapping or a list of mappings (go-yaml: \"map merge requires map or sequence of maps as the value\"), so kubectl refuses this document".to_string(),
        value.span.start,
        false,
    );
    let sources: Vec<Node> = match value.kind {
        NodeKind::Map(_) => vec![value],
        NodeKind::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => items,
        _ => return Err(fail),
    };
    let mut seen = HashSet::new();
    for src in sources {
        let NodeKind::Map(entries) = src.kind else {
            continue;
        };
        for (sk, sv) in entries {
            let Some(key) = sk.text().map(str::to_owned) else {
                continue;
            };
            if !seen.insert(key.clone()) {
                continue;
            }
            match map.find(&key) {
                None => map.add(sk, sv, true),
                Some(i) => {
                    if !map.is_merged(i) {
                        let explicit = map
                            .entries
                            .get(i)
                            .map(|(e, _)| e.span.clone())
                            .unwrap_or_default();
                        let (line, col) = notes.line_col(k.span.start);
                        notes
                            .warn(
                                "merge-overrides-key",
                                format!("the merge `<<` at line {line}, column {col} replaces this `{key}`: kubectl applies a merge key where it stands, so keys written before it lose (the YAML merge spec would keep them)"),
                                "write `<<:` first in the mapping: keys after it override the merged ones".into(),
                                explicit,
                            )
                            .related = Some(k.span.clone());
                    }
                    map.set(i, sk, sv, true);
                }
            }
        }
    }
    Ok(())
}

/// The text given to libyaml: `chunk` without a byte order mark at the start of a line
/// (libyaml would skip it but count it as a column, which breaks the indentation), and
/// where each was taken out.
pub(super) fn without_boms(chunk: &str) -> (std::borrow::Cow<'_, str>, Vec<usize>) {
    if !chunk.contains(BOM) {
        return (std::borrow::Cow::Borrowed(chunk), Vec::new());
    }
    let mut out = String::with_capacity(chunk.len());
    let mut boms = Vec::new();
    for (s, _, e) in lines(chunk) {
        let line = chunk.get(s..e).unwrap_or_default();
        match line.strip_prefix(BOM) {
            Some(rest) => {
                boms.push(out.len());
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    (std::borrow::Cow::Owned(out), boms)
}
