//! `netpol query --patch`: the smallest edits of existing rules that would allow a denied
//! connection (`netpol::fix::rule_changes`, made on the files' text by
//! `netpol::quickfix::rule_edit`), as a unified diff of the manifest files: one edit per
//! denying side (the first rule that came close), three lines of context, hunks that
//! touch merged. `git apply` and `patch -p1` take it (paths as given, under `a/` and `b/`).

use netpol::fix::RuleChange;
use netpol::quickfix::{apply, rule_edit, TextEdit};
use netpol::{Answer, Decision, Direction};

use crate::input::InputSet;

const CONTEXT: usize = 3;

/// The patch for `answer` (empty when no rule comes close, or nothing is denied).
pub fn for_answer(set: &InputSet, answer: &Answer) -> String {
    let decisions: Vec<&Decision> = match answer {
        Answer::Decision(d) => vec![&**d],
        Answer::Routed(s) => s.decisions().collect(),
        _ => Vec::new(),
    };
    let engine = set.analysis.engine();
    let mut chosen: Vec<RuleChange> = Vec::new();
    for d in decisions {
        let changes = netpol::fix::rule_changes(engine, d, d.source, d.destination);
        for dir in [Direction::Egress, Direction::Ingress] {
            if let Some(c) = changes.iter().find(|c| c.rule.direction == dir) {
                if !chosen.contains(c) {
                    chosen.push(c.clone());
                }
            }
        }
    }
    let mut out = String::new();
    for (source, (name, text)) in set.names.iter().zip(&set.texts).enumerate() {
        let edits: Vec<TextEdit> = chosen
            .iter()
            .filter(|c| c.rule.location.source == source)
            .filter_map(|c| rule_edit(text, c))
            .collect();
        if !edits.is_empty() {
            out.push_str(&file_diff(name, text, &edits));
        }
    }
    out
}

/// Byte offset where each line starts (a last line without `\n` included).
fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if v.last() == Some(&text.len()) && !text.is_empty() {
        v.pop();
    }
    v
}

fn line_of(starts: &[usize], byte: usize) -> usize {
    starts.partition_point(|&s| s <= byte).saturating_sub(1)
}

/// The unified diff of `edits` (non-overlapping) on the file `name`.
fn file_diff(name: &str, text: &str, edits: &[TextEdit]) -> String {
    let starts = line_starts(text);
    let lines = starts.len();
    let end_of = |line: usize| starts.get(line + 1).copied().unwrap_or(text.len());
    // Old line ranges each edit touches, with context, merged where they meet.
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    netpol::sort::by_key(&mut sorted, |e| e.range.start);
    let mut hunks: Vec<(usize, usize, Vec<&TextEdit>)> = Vec::new();
    for e in sorted {
        let first = line_of(&starts, e.range.start);
        let last = line_of(&starts, e.range.end.max(e.range.start));
        let (a, b) = (
            first.saturating_sub(CONTEXT),
            (last + CONTEXT).min(lines.saturating_sub(1)),
        );
        match hunks.last_mut() {
            Some(h) if a <= h.1 + 1 => {
                h.1 = h.1.max(b);
                h.2.push(e);
            }
            _ => hunks.push((a, b, vec![e])),
        }
    }
    let mut out = format!("--- a/{name}\n+++ b/{name}\n");
    let mut shift: isize = 0;
    for (a, b, es) in hunks {
        let (from, to) = (starts.get(a).copied().unwrap_or(0), end_of(b));
        let old = text.get(from..to).unwrap_or_default();
        let local: Vec<TextEdit> = es
            .iter()
            .map(|e| TextEdit {
                range: e.range.start - from..e.range.end - from,
                insert: e.insert.clone(),
            })
            .collect();
        let new = apply(old, &local);
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
        // Lines the edits leave alone at either end are context.
        let head = old_lines
            .iter()
            .zip(&new_lines)
            .take_while(|(o, n)| o == n)
            .count();
        let tail = old_lines
            .iter()
            .skip(head)
            .rev()
            .zip(new_lines.iter().skip(head).rev())
            .take_while(|(o, n)| o == n)
            .count();
        let new_start = (a as isize + shift) as usize;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(a, old_lines.len()),
            range(new_start, new_lines.len())
        ));
        let mut push = |sign: char, l: &str| {
            out.push(sign);
            out.push_str(l);
            if !l.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        };
        // head + tail <= either length: `tail` was counted after `head`.
        let changed = |lines: &Vec<&str>| lines.len().saturating_sub(head + tail);
        for l in old_lines.iter().take(head) {
            push(' ', l);
        }
        for l in old_lines.iter().skip(head).take(changed(&old_lines)) {
            push('-', l);
        }
        for l in new_lines.iter().skip(head).take(changed(&new_lines)) {
            push('+', l);
        }
        for l in old_lines.iter().skip(old_lines.len().saturating_sub(tail)) {
            push(' ', l);
        }
        shift += new_lines.len() as isize - old_lines.len() as isize;
    }
    out
}

/// `start,count` of a hunk header (1-based; an empty range names the line before).
fn range(start0: usize, count: usize) -> String {
    if count == 0 {
        format!("{start0},0")
    } else {
        format!("{},{count}", start0 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_insertion_with_context() {
        let text = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let at = text.find("d\n").unwrap() + 2;
        let d = file_diff(
            "m.yaml",
            text,
            &[TextEdit {
                range: at..at,
                insert: "X\n".into(),
            }],
        );
        assert_eq!(
            d,
            "--- a/m.yaml\n+++ b/m.yaml\n@@ -2,7 +2,8 @@\n b\n c\n d\n+X\n e\n f\n g\n h\n"
        );
    }

    #[test]
    fn last_line_without_newline() {
        let text = "a\nb";
        let d = file_diff(
            "m.yaml",
            text,
            &[TextEdit {
                range: 3..3,
                insert: "\nc".into(),
            }],
        );
        assert_eq!(
            d,
            "--- a/m.yaml\n+++ b/m.yaml\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file\n"
        );
    }
}
