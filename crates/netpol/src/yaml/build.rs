//! From events to the tree: mappings with kubectl's duplicate and merge keys, notes, and
//! subtrees nothing reads parsed but not built.

use super::*;

pub(super) enum Frame {
    Seq {
        start: usize,
        items: Vec<Node>,
        anchor: Option<String>,
    },
    Map {
        start: usize,
        map: MapBuild,
        key: Option<Node>,
        anchor: Option<String>,
    },
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
        self.list.push(Note {
            severity: Severity::Warning,
            code,
            message,
            help: Some(help),
            span,
            related: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }
}

pub(super) struct Builder<'l> {
    pub(super) limits: &'l Limits,
    /// The chunk's offset in the input.
    pub(super) base: usize,
    /// Offsets (in the text given to libyaml) where a byte order mark was taken out.
    pub(super) boms: Vec<usize>,
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
    /// While > 0: inside a subtree nobody reads (`managedFields`), whose events are
    /// dropped; counts its open collections. `skip_start` is where it began.
    pub(super) skip_depth: usize,
    pub(super) skip_start: usize,
    pub(super) notes: Notes<'l>,
}

/// Keys whose values are server bookkeeping that no part of the evaluator reads; their
/// subtrees are parsed (for syntax) but not built, which saves much of the work on
/// `kubectl get -o yaml --show-managed-fields` dumps.
pub(super) const SKIPPED_KEYS: &[&str] = &["managedFields"];

impl Builder<'_> {
    /// The input offset of a libyaml mark.
    pub(super) fn at(&self, index: usize) -> usize {
        self.base + index + BOM.len() * self.boms.partition_point(|&p| p <= index)
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

    /// Adds a finished node to its parent (or makes it the root). `at` is its input offset.
    pub(super) fn push(&mut self, node: Node, at: usize) -> Result<(), Failure> {
        let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
        if let NodeKind::Scalar {
            value,
            ty: ScalarType::Float(f),
            ..
        } = &node.kind
        {
            if !is_key && !f.is_finite() {
                return Err((
                    format!("kubectl cannot send `{value}` to the API server: JSON has no infinity or NaN (\"json: unsupported value\"), so it refuses this document"),
                    node.span.start,
                    false,
                ));
            }
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => insert(map, k, node, &mut self.notes)?,
            },
        }
        self.check_nodes(at)
    }
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
                let (line, col) = notes.line_col(earlier.start);
                notes
                    .warn(
                        "duplicate-key",
                        format!("duplicate key `{key}`: kubectl keeps this value and drops the one at line {line}, column {col}"),
                        "delete one of the two: kubectl reads a mapping into a map, where the last value of a key wins".into(),
                        k.span.clone(),
                    )
                    .related = Some(earlier);
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
