//! Diagnostics: what loading, validation and lints say about the input.
//!
//! The core speaks in byte ranges; [`LineIndex`] converts them to line:column at the edges
//! (CLI output, the editor).

use serde::Serialize;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Where something is in the input: which source (file) and document, and the byte range
/// in that source's text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub source: usize,
    pub doc: usize,
    pub range: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier, e.g. `invalid-field`, `unknown-field`, `selects-nothing`.
    pub code: &'static str,
    /// Lowercase, user input quoted in backticks.
    pub message: String,
    /// A suggestion ("did you mean ...?", a fix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The field path in Kubernetes notation, e.g. `spec.ingress[0].ports[0].port`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The object the diagnostic is about, e.g. `NetworkPolicy webapp-balanced/deny`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    pub location: Location,
    /// A second place the diagnostic is about (e.g. the earlier of two duplicate keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related: Option<Location>,
    /// The text that would fix it in place of `location.range` (the "did you mean" of a
    /// misspelt field name or value): the editor's quick fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// A fix that needs the text to be made (the seed's traps): `quickfix::edits`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        location: Location,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            help: None,
            path: None,
            object: None,
            location,
            related: None,
            replacement: None,
            suggestion: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    pub fn with_object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }
}

/// Converts byte offsets to 1-based line and column (columns count characters). Lines
/// end at LF, CRLF or a lone CR, as in YAML (and editors).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        if bytes.contains(&b'\r') {
            starts.extend(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                    })
                    .map(|(i, _)| i + 1),
            );
        } else {
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        }
        LineIndex { starts }
    }

    /// 1-based (line, column) of a byte offset in `text` (the text the index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        // `starts` begins with 0, so `Err(0)` cannot happen; saturating all the same.
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let mut end = offset;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text.get(start..end).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and column.
    pub fn offset(&self, text: &str, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        // A text other than the indexed one may be shorter or cut inside a character.
        let Some(rest) = text.get(start..) else {
            return text.len();
        };
        rest.char_indices()
            .nth(col.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    }
}

/// The closest candidate to `word` if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&lower, &c.to_ascii_lowercase());
        let limit = (c.len().max(word.len()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment), over
/// characters; words over 64 characters are never close (the work stays small whatever
/// the input).
pub fn edit_distance(a: &str, b: &str) -> usize {
    if a.chars().nth(64).is_some() || b.chars().nth(64).is_some() {
        return usize::MAX / 2;
    }
    strsim::osa_distance(a, b)
}

/// What a lint suggests changing, made concrete against the text by `quickfix::edits`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Suggestion {
    /// Add `namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: NAMESPACE}}` to
    /// the peer (a `podSelector`-only peer meant for pods of that namespace).
    SelectNamespace { namespace: String },
    /// Rename the key `key` of the peer's `namespaceSelector.matchLabels` to
    /// `kubernetes.io/metadata.name` (the namespace `namespace` has no label `key`).
    UseNameLabel { key: String, namespace: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nñé x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        assert_eq!(idx.line_col(text, 8), (2, 4)); // the `x` after two 2-byte chars
        assert_eq!(idx.offset(text, 2, 4), 8);
    }

    #[test]
    fn lone_cr_and_crlf_end_lines() {
        let text = "a\rb\r\nc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 2), (2, 1));
        assert_eq!(idx.line_col(text, 5), (3, 1));
        assert_eq!(idx.line_col(text, 7), (4, 1));
        assert_eq!(idx.offset(text, 3, 1), 5);
    }

    #[test]
    fn another_text_than_the_indexed_one_gives_an_edge_not_a_panic() {
        let idx = LineIndex::new("ab\nñé x\nlast line\n");
        // Shorter, and cut where the index has a line start inside a character.
        let other = "añ";
        assert_eq!(idx.line_col(other, 99), (2, 1));
        assert_eq!(idx.line_col(other, 2), (1, 2));
        assert_eq!(idx.offset(other, 3, 1), other.len());
        assert_eq!(idx.offset("", 2, 5), 0);
        // A line start past the end of the other text.
        let short = "ab\n";
        assert_eq!(idx.line_col(short, 3), (2, 1));
        assert_eq!(idx.offset(short, 3, 2), short.len());
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("ingres", "ingress"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ñé", "éñ"), 1);
        let long = "x".repeat(65);
        assert!(edit_distance(&long, &long) > 1000);
    }

    #[test]
    fn suggestions() {
        let fields = ["podSelector", "policyTypes", "ingress", "egress"];
        assert_eq!(did_you_mean("podSelecter", fields), Some("podSelector"));
        assert_eq!(did_you_mean("Ingress", fields), Some("ingress"));
        assert_eq!(did_you_mean("policyType", fields), Some("policyTypes"));
        assert_eq!(did_you_mean("banana", fields), None);
    }
}
