//! Documents split at `---` lines as kubectl's YAMLReader does (BOM, CR/CRLF, `...`),
//! with notes where kubectl reads the text differently.

use super::*;

pub(super) fn prev_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub(super) fn next_char_boundary(text: &str, at: usize) -> usize {
    let mut end = at + 1;
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.min(text.len())
}

pub(super) const BOM: &str = "\u{feff}";

/// The lines of `text` as (start, end of content, end with the line break): a line ends
/// at LF, CRLF or a lone CR, YAML's three line breaks.
pub(super) fn lines(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    // Without a CR, `str::find` finds the LFs faster than a byte loop.
    let cr = bytes.contains(&b'\r');
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        let next = if cr {
            let rest = bytes.get(start..).unwrap_or_default();
            rest.iter().position(|&b| b == b'\n' || b == b'\r')
        } else {
            text.get(start..).and_then(|rest| rest.find('\n'))
        };
        let (content_end, end) = match next {
            None => (bytes.len(), bytes.len()),
            Some(i) => {
                let at = start + i;
                let crlf = bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n');
                (at, at + if crlf { 2 } else { 1 })
            }
        };
        pos = end;
        Some((start, content_end, end))
    })
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Line {
    /// `---` (with whatever follows it on the line: `inline` when that is not a comment).
    Start {
        inline: bool,
    },
    /// `...`
    End,
    /// `%YAML 1.1`, `%TAG ! tag:...`
    Directive,
    /// Blank or only a comment.
    Blank,
    Content,
}

/// What a line is at the document level (`line` without its break and a leading BOM).
pub(super) fn classify(line: &str) -> Line {
    let marker = |m: &str| {
        line.strip_prefix(m)
            .filter(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    };
    if let Some(rest) = marker("---") {
        let rest = rest.trim();
        Line::Start {
            inline: !rest.is_empty() && !rest.starts_with('#'),
        }
    } else if marker("...").is_some() {
        Line::End
    } else if line.starts_with('%') {
        Line::Directive
    } else {
        match line.bytes().find(|b| !b.is_ascii_whitespace()) {
            None | Some(b'#') => Line::Blank,
            Some(_) => Line::Content,
        }
    }
}

/// A chunk with no node: blank lines, comments, markers and directives only.
pub(super) fn is_only_comments(chunk: &str) -> bool {
    lines(chunk).all(|(s, e, _)| {
        let line = chunk.get(s..e).unwrap_or_default();
        matches!(
            classify(line.strip_prefix(BOM).unwrap_or(line)),
            Line::Start { inline: false } | Line::End | Line::Directive | Line::Blank
        )
    })
}

/// Byte ranges of the documents: a new one starts at every line that begins with `---`
/// followed by whitespace or the end of the line (a document marker ends any block scalar
/// in YAML too, so this is the parser's own view), or at the directives (`%YAML`) just
/// before such a line. A lone CR is a line break, as in YAML.
#[cfg(feature = "internals")]
pub fn split_documents(text: &str) -> Vec<Range<usize>> {
    split(text).0
}

/// Where each object of a JSON stream starts, when `text` is two or more JSON objects
/// and nothing but whitespace between and around them (`jq -c '.items[]'`). kubectl reads
/// a file whose first non-blank byte is `{` as a stream of JSON values (apimachinery
/// `GuessJSONStream`, then `encoding/json`'s `Decoder`), so each is an object; a YAML
/// reader would read the first as a flow mapping and never see the others.
fn json_stream(text: &str) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut starts = Vec::new();
    let mut i = bytes.iter().position(|&b| !blank(b))?;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'{') {
            return None;
        }
        starts.push(if starts.is_empty() { 0 } else { i });
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let b = *bytes.get(i)?;
            i += 1;
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
        while bytes.get(i).is_some_and(|&b| blank(b)) {
            i += 1;
        }
    }
    (starts.len() > 1).then_some(starts)
}

/// [`split_documents`], and notes (in text order) where kubectl's own splitter
/// (apimachinery `util/yaml` `YAMLReader`: lines end at LF only, a separator is a line
/// beginning with `---` followed by nothing but blanks or a comment) reads the text
/// differently.
pub(super) fn split(text: &str) -> (Vec<Range<usize>>, Vec<Note>) {
    if let Some(starts) = json_stream(text) {
        let mut ranges = between(&starts);
        ranges.extend(starts.last().map(|&last| last..text.len()));
        return (ranges, Vec::new());
    }
    let mut starts = vec![0usize];
    let mut notes = Vec::new();
    // The current document so far: has it content, did a `...` end it, where does a
    // run of directives begin (and is kubectl's chunk empty before it).
    let mut content = false;
    let mut ended = false;
    let mut ignored_noted = false;
    let mut directive: Option<(usize, bool)> = None;
    let mut cr_splits: Vec<usize> = Vec::new();
    for (start, content_end, _) in lines(text) {
        // Inside a document's content only markers, directives and BOMs matter.
        let first = text.as_bytes().get(start).copied();
        if content && !ended && !matches!(first, Some(b'-' | b'.' | b'%' | 0xEF)) {
            continue;
        }
        let raw = text.get(start..content_end).unwrap_or_default();
        let bom = raw.starts_with(BOM);
        let line = raw.strip_prefix(BOM).unwrap_or(raw);
        match classify(line) {
            Line::Start { inline } => {
                let marker = start + if bom { BOM.len() } else { 0 };
                if start != 0 {
                    starts.push(directive.map_or(start, |(d, _)| d));
                    if bom {
                        notes.push(note(
                            Severity::Warning,
                            "kubectl-split",
                            "kubectl does not see this `---`: a byte order mark (U+FEFF) comes before it on the line, as when files are concatenated, so kubectl reads the document after it as part of the one before and applies only that one".into(),
                            "remove the byte order mark (save the files as UTF-8 without BOM before concatenating them)",
                            marker..marker + 3,
                        ));
                    } else if text.as_bytes().get(start - 1) == Some(&b'\r') {
                        cr_splits.push(marker);
                    }
                }
                if let Some((d, true)) = directive {
                    let end = text
                        .get(d..)
                        .and_then(|t| t.find(['\n', '\r']))
                        .map_or(text.len(), |e| d + e);
                    notes.push(note(
                        Severity::Error,
                        "kubectl-directive",
                        "kubectl cannot read a file with this directive: its reader cuts the text at `---` lines, which leaves the directive alone as a document, and stops with \"did not find expected <document start>\" (the document is shown here anyway)".into(),
                        "delete the directive line: Kubernetes reads every manifest as YAML 1.1 regardless",
                        d..end,
                    ));
                }
                directive = None;
                content = inline;
                ended = false;
                ignored_noted = false;
                if inline {
                    notes.push(note(
                        Severity::Error,
                        "kubectl-split",
                        "kubectl refuses content on the `---` line itself (\"invalid Yaml document separator\"), so it stops reading the file here (the document is shown here anyway)".into(),
                        "move what follows `---` to the next line",
                        marker..content_end,
                    ));
                }
            }
            Line::End => ended |= content,
            Line::Directive => {
                if directive.is_none() && (!content || ended) {
                    directive = Some((start, !content));
                }
            }
            Line::Blank => {}
            Line::Content => {
                // A directive not followed by `---` stays where it is; libyaml reports it.
                directive = None;
                if ended && !ignored_noted {
                    ignored_noted = true;
                    notes.push(note(
                        Severity::Warning,
                        "ignored-after-end",
                        "this text after the `...` document end marker is not read: kubectl reads one document up to the next `---` line, and so does the playground".into(),
                        "start a new document with a `---` line, or delete the `...` line",
                        start..content_end,
                    ));
                }
                content = true;
            }
        }
    }
    notes.extend(cr_only_note(&cr_splits));
    crate::sort::by_key(&mut notes, |n| n.span.start);
    (document_ranges(text, &starts), notes)
}

fn note(
    severity: Severity,
    code: &'static str,
    message: String,
    help: &str,
    span: Range<usize>,
) -> Note {
    Note {
        severity,
        code,
        message,
        help: Some(help.to_string()),
        span,
        related: None,
    }
}

/// The one note for every `---` kubectl does not split at because lines end in CR only.
#[inline(always)]
fn cr_only_note(cr_splits: &[usize]) -> Option<Note> {
    let &first = cr_splits.first()?;
    let more = match cr_splits.len() - 1 {
        0 => String::new(),
        1 => " (nor the one after it)".into(),
        n => format!(" (nor the {n} after it)"),
    };
    Some(note(
        Severity::Warning,
        "kubectl-split",
        format!("kubectl does not split the documents at this `---`{more}: the text has CR-only line breaks (old Mac style), and kubectl's reader breaks lines at LF only, so it reads one document from the whole text (and refuses it if it begins with `---`); the playground reads every document"),
        "convert the line endings to LF (or CRLF)",
        first..first + 3,
    ))
}

/// The documents' ranges from their starts: a prelude of nothing but comments before a
/// first `---` joins the first document.
#[inline(always)]
fn document_ranges(text: &str, starts: &[usize]) -> Vec<Range<usize>> {
    let mut ranges = between(starts);
    if let Some(&last) = starts.last() {
        ranges.push(last..text.len());
    }
    // A leading `---` (first line) belongs to the first document: nothing to merge.
    // Comments (and directives) before the first `---` belong to the document it starts;
    // a prelude that is itself a document (`---` and only comments: Helm's `---` +
    // `# Source:` of a template that rendered nothing) stays one, empty, or the chunk
    // after it would hold two documents and the reader would read only the empty one.
    let prelude = ranges.first().and_then(|r| text.get(r.clone()));
    if ranges.len() > 1 && prelude.is_some_and(|p| is_only_comments(p) && !has_start(p)) {
        let first = ranges.remove(0);
        if let Some(next) = ranges.first_mut() {
            next.start = first.start;
        }
    }
    ranges
}

/// Whether a line of `chunk` is a `---` marker.
fn has_start(chunk: &str) -> bool {
    lines(chunk).any(|(s, e, _)| {
        let line = chunk.get(s..e).unwrap_or_default();
        matches!(
            classify(line.strip_prefix(BOM).unwrap_or(line)),
            Line::Start { .. }
        )
    })
}

/// The ranges from each start to the next.
fn between(starts: &[usize]) -> Vec<Range<usize>> {
    starts
        .iter()
        .zip(starts.iter().skip(1))
        .map(|(&a, &b)| a..b)
        .collect()
}
