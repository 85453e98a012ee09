//! Quick fixes that need the text: a lint attaches a [`Suggestion`] (what to change, in
//! the model's terms) to its diagnostic, and [`edits`] turns it into a [`TextEdit`] on the
//! source text, where the edge (the editor, the CLI) applies it. The core keeps byte
//! ranges; the edge converts them to its positions.
//!
//! The two traps of the seed tutorial each have one:
//! - a peer with only a `podSelector`, meant for pods of another namespace (it only looks
//!   in the policy's own namespace): the corrected peer selects that namespace too, in the
//!   same peer (AND);
//! - a `namespaceSelector` on a label the namespace lacks (`name: utils`, when the
//!   namespace only carries `kubernetes.io/metadata.name: utils`): the corrected selector
//!   uses `kubernetes.io/metadata.name`.
//!
//! An edit is made only where the text is as the lint saw it (the peer's node found at the
//! diagnostic's start, the key still there); otherwise there is none, never a guess.

use std::ops::Range;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::NAMESPACE_NAME_LABEL;
use crate::yaml::{self, Limits, Node, NodeKind};

pub use crate::diag::Suggestion;

/// Replace `range` (bytes of the source text) by `insert`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub insert: String,
}

/// The edit of each diagnostic's suggestion on `text` (the text of the diagnostics'
/// source), in the diagnostics' order; `None` where there is no suggestion or the text no
/// longer has what it names. The text is parsed once, and only if some diagnostic has a
/// suggestion.
pub fn edits(text: &str, diagnostics: &[&Diagnostic]) -> Vec<Option<TextEdit>> {
    if diagnostics.iter().all(|d| d.suggestion.is_none()) {
        return vec![None; diagnostics.len()];
    }
    let (docs, _) = yaml::parse(text, &Limits::default());
    let roots: Vec<&Node> = docs.iter().filter_map(|d| d.root.as_ref()).collect();
    diagnostics
        .iter()
        .map(|d| {
            let s = d.suggestion.as_ref()?;
            let start = d.location.range.start;
            let (root, peer) = roots.iter().find_map(|r| Some((*r, map_at(r, start)?)))?;
            edit(text, peer, s, is_json(text, root))
        })
        .collect()
}

/// Applies non-overlapping edits (any order) to `text`; an edit out of range or overlapping
/// another is left out.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    crate::sort::by_key(&mut sorted, |e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        let (Some(before), true) = (text.get(at..e.range.start), e.range.end <= text.len()) else {
            continue;
        };
        if !text.is_char_boundary(e.range.end) {
            continue;
        }
        out.push_str(before);
        out.push_str(&e.insert);
        at = e.range.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

fn edit(text: &str, peer: &Node, s: &Suggestion, json: bool) -> Option<TextEdit> {
    match s {
        Suggestion::SelectNamespace { namespace } => {
            if peer.get("namespaceSelector").is_some() {
                return None;
            }
            let selector = format!(
                "namespaceSelector: {{matchLabels: {{{NAMESPACE_NAME_LABEL}: {}}}}}",
                crate::fix::scalar(namespace)
            );
            let start = peer.span.start;
            if text.get(start..)?.starts_with('{') {
                // A flow mapping (`- {podSelector: ...}`): the key goes first inside it.
                let selector = if json {
                    let object = as_json(&format!("{{{selector}}}"))?;
                    object.get(1..object.len().checked_sub(1)?)?.to_string()
                } else {
                    selector
                };
                let empty = peer.as_map().is_some_and(|m| m.is_empty());
                let insert = if empty {
                    selector
                } else {
                    format!("{selector}, ")
                };
                return Some(TextEdit {
                    range: start + 1..start + 1,
                    insert,
                });
            }
            // A block mapping: a line before its first key, at the same column.
            let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
            let column = text.get(line_start..start)?.chars().count();
            Some(TextEdit {
                range: start..start,
                insert: format!("{selector}\n{}", " ".repeat(column)),
            })
        }
        Suggestion::UseNameLabel { key, namespace } => {
            let labels = peer.get("namespaceSelector")?.get("matchLabels")?;
            let map = labels.as_map()?;
            if map
                .iter()
                .any(|(k, _)| k.as_str() == Some(NAMESPACE_NAME_LABEL))
            {
                return None;
            }
            let (k, v) = map.iter().find(|(k, _)| k.as_str() == Some(key))?;
            if v.as_str() != Some(namespace.as_str()) {
                return None;
            }
            // A quoted key (JSON's are) stays quoted.
            let quoted = text
                .get(k.span.clone())
                .is_some_and(|w| w.starts_with(['"', '\'']));
            Some(TextEdit {
                range: k.span.clone(),
                insert: if quoted {
                    crate::fix::quoted(NAMESPACE_NAME_LABEL)
                } else {
                    NAMESPACE_NAME_LABEL.to_string()
                },
            })
        }
    }
}

/// The mapping node that starts at byte `start`, searched depth-first.
fn map_at(node: &Node, start: usize) -> Option<&Node> {
    if !node.span.contains(&start) && node.span.start != start {
        return None;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            if node.span.start == start {
                return Some(node);
            }
            entries.iter().find_map(|(_, v)| map_at(v, start))
        }
        NodeKind::Seq(items) => items.iter().find_map(|i| map_at(i, start)),
        NodeKind::Scalar { .. } => None,
    }
}

/// The edit of `change` on `text` (the text of the rule's source): the new peer or port
/// appended to the rule's list in the list's own style (a `- ` line at the items' column,
/// or `, {...}` before a flow list's `]`), or the peer's `namespaceSelector`. `None` when
/// the text no longer has the rule as the evaluator saw it.
pub fn rule_edit(text: &str, change: &crate::fix::RuleChange) -> Option<TextEdit> {
    use crate::fix::Change;
    let (docs, _) = yaml::parse(text, &Limits::default());
    let start = change.rule.location.range.start;
    let (root, rule) = docs
        .iter()
        .filter_map(|d| d.root.as_ref())
        .find_map(|r| Some((r, map_at(r, start)?)))?;
    let json = is_json(text, root);
    let peers = match change.rule.direction {
        crate::model::Direction::Ingress => "from",
        crate::model::Direction::Egress => "to",
    };
    match &change.change {
        Change::AddPeer(peer) => append_item(text, rule.get(peers)?, peer, json),
        Change::AddPort(port) => append_item(text, rule.get("ports")?, port, json),
        Change::SelectNamespace { peer, namespace } => {
            let node = rule.get(peers)?.as_seq()?.get(*peer)?;
            edit(
                text,
                node,
                &Suggestion::SelectNamespace {
                    namespace: namespace.clone(),
                },
                json,
            )
        }
    }
}

/// Appends `item` (a flow mapping) to the sequence `seq`, in its style (as JSON in a
/// JSON document).
fn append_item(text: &str, seq: &Node, item: &str, json: bool) -> Option<TextEdit> {
    let items = seq.as_seq()?;
    let written = text.get(seq.span.clone())?;
    if written.starts_with('[') {
        let item = if json {
            as_json(item)?
        } else {
            item.to_string()
        };
        let close = seq.span.start + written.trim_end().len().checked_sub(1)?;
        if text.get(close..close + 1) != Some("]") {
            return None;
        }
        // `[a, b, ]` (YAML allows the trailing comma) takes the item after it.
        let trailing_comma = text
            .get(seq.span.start..close)
            .is_some_and(|t| t.trim_end().ends_with(','));
        let insert = if items.is_empty() || trailing_comma {
            item
        } else {
            format!(", {item}")
        };
        return Some(TextEdit {
            range: close..close,
            insert,
        });
    }
    if !written.starts_with('-') {
        return None;
    }
    let line_start = text.get(..seq.span.start)?.rfind('\n').map_or(0, |i| i + 1);
    let column = text.get(line_start..seq.span.start)?.chars().count();
    // After the last line of the last item (its own comment stays on its line).
    let last = items.last()?;
    let content_end = text.get(..last.span.end)?.trim_end().len();
    let at = text
        .get(content_end..)?
        .find('\n')
        .map_or(text.len(), |i| content_end + i);
    Some(TextEdit {
        range: at..at,
        insert: format!("\n{}- {item}", " ".repeat(column)),
    })
}

/// Is the document of `root` JSON? kubectl reads a document that starts with `{` as JSON,
/// where our flow YAML (`{podSelector: ...}`) would not parse: edits there are JSON.
fn is_json(text: &str, root: &Node) -> bool {
    text.get(root.span.start..)
        .is_some_and(|t| t.starts_with('{'))
}

/// A flow mapping we wrote (`{port: 80, protocol: TCP}`) as JSON
/// (`{"port": 80, "protocol": "TCP"}`), read back with the YAML parser.
fn as_json(flow: &str) -> Option<String> {
    let (docs, _) = yaml::parse(flow, &Limits::default());
    let mut out = String::new();
    write_json(docs.first()?.root.as_ref()?, &mut out)?;
    Some(out)
}

fn write_json(n: &Node, out: &mut String) -> Option<()> {
    match &n.kind {
        NodeKind::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&crate::fix::quoted(k.text()?));
                out.push_str(": ");
                write_json(v, out)?;
            }
            out.push('}');
        }
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json(v, out)?;
            }
            out.push(']');
        }
        NodeKind::Scalar { .. } => match n.scalar()? {
            yaml::Scalar::Int(i) => out.push_str(&i.to_string()),
            yaml::Scalar::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            yaml::Scalar::Null => out.push_str("null"),
            _ => out.push_str(&crate::fix::quoted(n.text()?)),
        },
    }
    Some(())
}

/// The lines an edit changes, for showing it as a diff: the 1-based number of the first
/// one, the lines as they are, and the lines as they would be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineDiff {
    pub line: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

pub fn line_diff(text: &str, e: &TextEdit) -> Option<LineDiff> {
    let before = text.get(..e.range.start)?;
    let first = before.rfind('\n').map_or(0, |i| i + 1);
    let after = text.get(e.range.end..)?;
    let last = after.find('\n').map_or(text.len(), |i| e.range.end + i);
    let old = text.get(first..last)?;
    let new = format!(
        "{}{}{}",
        text.get(first..e.range.start)?,
        e.insert,
        text.get(e.range.end..last)?
    );
    let mut removed: Vec<String> = old.split('\n').map(str::to_string).collect();
    let mut added: Vec<String> = new.split('\n').map(str::to_string).collect();
    let mut line = before.matches('\n').count() + 1;
    // Lines the edit leaves as they are are not part of the diff.
    while !removed.is_empty() && removed.first() == added.first() {
        removed.remove(0);
        added.remove(0);
        line += 1;
    }
    while !removed.is_empty() && removed.last() == added.last() {
        removed.pop();
        added.pop();
    }
    Some(LineDiff {
        line,
        removed,
        added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apply_skips_overlaps_and_out_of_range() {
        let e = |a: usize, b: usize, s: &str| TextEdit {
            range: a..b,
            insert: s.to_string(),
        };
        assert_eq!(apply("abcdef", &[e(1, 2, "X"), e(4, 4, "Y")]), "aXcdYef");
        assert_eq!(apply("abc", &[e(0, 2, "X"), e(1, 3, "Y")]), "Xc");
        assert_eq!(apply("abc", &[e(2, 9, "X")]), "abc");
    }
}
