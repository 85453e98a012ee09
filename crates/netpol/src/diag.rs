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
    /// A fix that needs the text to be made (the seed's traps): [`crate::quickfix::edits`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<crate::quickfix::Suggestion>,
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
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
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
        let rest = &text[start..];
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

/// Levenshtein distance with adjacent transpositions (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX / 2;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
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
    fn suggestions() {
        let fields = ["podSelector", "policyTypes", "ingress", "egress"];
        assert_eq!(did_you_mean("podSelecter", fields), Some("podSelector"));
        assert_eq!(did_you_mean("Ingress", fields), Some("ingress"));
        assert_eq!(did_you_mean("policyType", fields), Some("policyTypes"));
        assert_eq!(did_you_mean("banana", fields), None);
    }
}
