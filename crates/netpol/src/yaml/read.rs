//! Reading documents one at a time with either reader: the fast one first where it applies, libyaml otherwise, a root List's items handed out as each completes.

use super::*;

pub(crate) fn read_with(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
    load: bool,
    reader: Reader,
    sink: &mut dyn FnMut(Piece),
) -> Result<(), Unstream> {
    let (ranges, split_notes) = split(text);
    let mut split_notes = std::collections::VecDeque::from(split_notes);
    let lines = OnceCell::new();
    let count = ranges.len();
    for (index, range) in ranges.into_iter().enumerate() {
        // `split` cuts the text on character boundaries.
        let chunk = text.get(range.clone()).unwrap_or_default();
        if let Some(stop) = past_limits(text, limits, budget, (index, count), &range) {
            sink(Piece::Error(stop));
            break;
        }
        // The splitter's notes about this document's text.
        let mut notes: Vec<Note> = Vec::new();
        while let Some(n) = split_notes.pop_front() {
            if n.span.start >= range.end {
                split_notes.push_front(n);
                break;
            }
            notes.push(n);
        }
        // When the total budget is what caps this document, its error already says that
        // the documents after it were not loaded.
        let capped_by_total = budget.nodes < limits.max_nodes;
        let mut stop = false;
        let root = if is_only_comments(chunk) {
            None
        } else {
            let mut hand = |node: Node| sink(Piece::Item { doc: index, node });
            let stream: Option<&mut dyn FnMut(Node)> = if load { Some(&mut hand) } else { None };
            let (result, built_notes, streamed) = parse_one(
                text,
                range.clone(),
                limits,
                budget,
                &lines,
                load,
                reader,
                stream,
            );
            match result {
                Ok(root) => {
                    notes.extend(built_notes);
                    root
                }
                Err(Stop::Fail((message, at, limit))) => {
                    if streamed > 0 {
                        return Err(Unstream);
                    }
                    // Point at a character: an error at the very end points at the last one
                    // (at its first byte: the last character may take several).
                    let start = prev_char_boundary(
                        text,
                        at.min(range.end.saturating_sub(1)).max(range.start),
                    );
                    let end = next_char_boundary(text, start).min(range.end.max(start));
                    sink(Piece::Error(SyntaxError {
                        doc: index,
                        message,
                        span: start..end,
                        limit,
                    }));
                    // A spent alias budget means an alias bomb: the rest is not read either.
                    stop = (capped_by_total && budget.nodes == 0) || budget.aliased == 0;
                    None
                }
                Err(Stop::Restart | Stop::Unstream) => return Err(Unstream),
            }
        };
        sink(Piece::Document(Document {
            index,
            span: range,
            root: root.filter(|r| !r.is_null()),
            notes,
        }));
        if stop {
            break;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
/// Reads one document, `range` of `text`: the fast reader when it can, else libyaml;
/// pruned, or again without pruning when pruning could matter ([`Stop::Restart`]).
/// Returns the root (None when empty) or why it stopped, the notes made while building
/// it, and how many List items went to `stream`. The nodes the final reading built (or
/// had built when it stopped) are taken from `budget`.
pub(super) fn parse_one(
    text: &str,
    range: Range<usize>,
    limits: &Limits,
    budget: &mut Budget,
    lines: &OnceCell<LineIndex>,
    load: bool,
    reader: Reader,
    mut stream: Option<&mut dyn FnMut(Node)>,
) -> (Result<Option<Node>, Stop>, Vec<Note>, usize) {
    // Comparing readers: the whole tree.
    let mut prune = reader == Reader::Auto;
    let mut skip = 0;
    // Without the `fast-reader` feature (the page's wasm), libyaml reads everything and
    // `Reader::Fast` gives up on every document.
    #[cfg(feature = "fast-reader")]
    let mut fast =
        reader != Reader::Libyaml && fast::eligible(text.get(range.clone()).unwrap_or_default());
    #[cfg(not(feature = "fast-reader"))]
    let fast = false;
    if reader == Reader::Fast && !fast {
        return (
            Err(Stop::Fail((
                "fast reader gave up".into(),
                range.start,
                false,
            ))),
            Vec::new(),
            0,
        );
    }
    loop {
        let notes = Notes {
            list: Vec::new(),
            text,
            lines,
        };
        let hand: Option<&mut dyn FnMut(Node)> = match stream.as_mut() {
            Some(s) => Some(&mut **s),
            None => None,
        };
        let mut b = Builder::new(limits, Mode { load, prune }, budget, notes, hand, skip);
        #[cfg(feature = "fast-reader")]
        let result = if fast {
            match fast::read(text, range.clone(), &mut b) {
                Ok(()) => Ok(()),
                Err(_) if reader == Reader::Fast => {
                    return (
                        Err(Stop::Fail((
                            "fast reader gave up".into(),
                            range.start,
                            false,
                        ))),
                        Vec::new(),
                        0,
                    );
                }
                Err(stop) => {
                    // Anything but success is decided by libyaml: its message, and the
                    // places where it reads the text differently from the fast reader.
                    skip = skip.max(b.streamed);
                    fast = false;
                    if matches!(stop, fast::Stop::Builder(Stop::Restart)) {
                        prune = false;
                    }
                    continue;
                }
            }
        } else {
            read_libyaml(text, range.clone(), &mut b)
        };
        #[cfg(not(feature = "fast-reader"))]
        let result = read_libyaml(text, range.clone(), &mut b);
        if let Err(Stop::Restart) = result {
            if !prune {
                // Unpruned reading never asks to restart; if it did, this loop would
                // not end (a fuzzed `kind`, `items`, `kind` once did): refuse instead.
                return (
                    Err(Stop::Fail((
                        "this document could not be read".into(),
                        range.start,
                        false,
                    ))),
                    Vec::new(),
                    0,
                );
            }
            skip = skip.max(b.streamed);
            prune = false;
            continue;
        }
        budget.nodes = budget.nodes.saturating_sub(b.nodes);
        budget.aliased = budget.aliased.saturating_sub(b.aliased);
        let streamed = b.streamed.max(skip);
        return (result.map(|()| b.root), b.notes.list, streamed);
    }
}

/// The error that stops reading at document `index` of `count` when the document limit
/// or the input's node budget is used up, else `None` (both readers stop there alike).
pub(super) fn past_limits(
    text: &str,
    limits: &Limits,
    budget: &Budget,
    (index, count): (usize, usize),
    range: &Range<usize>,
) -> Option<SyntaxError> {
    let message = if index >= limits.max_documents {
        format!(
            "the input has {count} documents, more than the limit of {}; this one and the {} after it were not loaded",
            limits.max_documents,
            count - index - 1
        )
    } else if budget.nodes == 0 {
        format!(
            "the input has more than {} YAML nodes in all; this document and the {} after it were not loaded",
            limits.max_total_nodes,
            count - index - 1
        )
    } else {
        return None;
    };
    let start = range.start;
    Some(SyntaxError {
        doc: index,
        message,
        span: start..next_char_boundary(text, start).min(range.end.max(start)),
        limit: true,
    })
}
