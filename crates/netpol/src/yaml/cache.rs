//! Reading with memory: what reading made of each document, kept between versions of an
//! input, so that a new version reads again only the documents whose text changed (the
//! page re-analyses the text at every edit). See [`crate::load::Loader`].
//!
//! A document is kept by its text: its tree (pruned as loading prunes it, List items
//! apart), its notes and its syntax error, with the positions it had. Met again at
//! another place, it is used as it is and the positions are moved by the difference
//! (`delta`), which the loader adds to every location it makes. It is read again when
//! its result could differ: a limit error, less node budget left than it used, or notes
//! whose messages name a line (duplicate and merge keys) when its first line moved.
//!
//! Each kept document also has a slot of the caller's (`T`, handed out with it as
//! [`CachedDocument::extra`]): the loader keeps there what it built of the document, so
//! that what is kept by text is dropped together (a document read again starts empty).

use super::*;

/// What reading made of each document of the last inputs (see the module documentation).
pub struct ReadCache<T = ()> {
    /// Sorted by text, each text once (a sorted Vec, not a hash map: the page's wasm
    /// carries this, and a map type of its own costs kilobytes there).
    entries: Vec<(String, Cached<T>)>,
    limits: Option<Limits>,
    /// How many documents the last reading read (not kept from before).
    read: usize,
}

impl<T> Default for ReadCache<T> {
    fn default() -> Self {
        ReadCache {
            entries: Vec::new(),
            limits: None,
            read: 0,
        }
    }
}

impl<T> ReadCache<T> {
    /// How many documents the last [`read_cached`] read, the others came from before.
    pub fn last_read(&self) -> usize {
        self.read
    }

    /// How many documents are kept.
    #[cfg(feature = "internals")]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[cfg(feature = "internals")]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

struct Cached<T> {
    /// Where the document's text started when it was read.
    start: usize,
    /// Some note's message names a line (a duplicate or merged key's): the reading is
    /// this place's only.
    names_lines: bool,
    root: Option<Node>,
    items: Vec<Node>,
    notes: Vec<Note>,
    /// A syntax error (message, span, limit) that stopped it.
    error: Option<(String, Range<usize>)>,
    nodes: usize,
    aliased: usize,
    used: bool,
    /// The caller's slot ([`CachedDocument::extra`]).
    extra: T,
}

/// One document as [`read_cached`] hands it out: the tree and items as they were read,
/// with `delta` to add to every position in them; the notes moved already.
pub struct CachedDocument<'c, T = ()> {
    pub index: usize,
    pub span: Range<usize>,
    /// Added to the positions of `root` and `items`.
    pub delta: isize,
    pub notes: Vec<Note>,
    /// Complete objects of the document's root List (`items`), in order, read before
    /// `root` (which no longer holds them).
    pub items: &'c [Node],
    pub root: Option<&'c Node>,
    /// The caller's slot of this reading (None: a reading not kept, e.g. an empty
    /// document or one whose notes name its lines).
    pub extra: Option<&'c mut T>,
}

/// The kept document whose text is `chunk`.
fn find<T>(entries: &[(String, Cached<T>)], chunk: &str) -> Option<usize> {
    entries
        .binary_search_by(|(k, _)| k.as_str().cmp(chunk))
        .ok()
}

/// What [`read_cached`] hands out, in order.
pub enum CachedPiece<'c, T = ()> {
    Document(CachedDocument<'c, T>),
    Error(SyntaxError),
}

/// What the first pass decided for one document.
enum Step<T> {
    Document {
        index: usize,
        range: Range<usize>,
        notes: Vec<Note>,
        /// Reading the text found nothing to read (comments only).
        empty: bool,
        /// Its own reading, when the same text came earlier in this input and the
        /// notes name lines (a duplicate key's message says where the other one is):
        /// the kept reading, one per text, is the other place's.
        own: Option<Box<Cached<T>>>,
        /// Where its kept reading is in the cache once this input's readings are kept.
        entry: Option<usize>,
    },
    Error(SyntaxError),
}

impl<T> Cached<T> {
    /// Can this reading stand for the document here (within the budget left, and its
    /// notes name no line: a duplicate key's message says where the other one is, so such
    /// a document is read again, wherever it stands)? Marks it used if so.
    #[inline(always)]
    fn fits(&mut self, budget: &Budget) -> bool {
        let ok = self.nodes <= budget.nodes && self.aliased <= budget.aliased && !self.names_lines;
        self.used |= ok;
        ok
    }
}

fn shift(range: &Range<usize>, delta: isize) -> Range<usize> {
    let at = |p: usize| (p as isize + delta).max(0) as usize;
    at(range.start)..at(range.end)
}

fn shift_note(n: &Note, delta: isize) -> Note {
    let mut n = n.clone();
    n.span = shift(&n.span, delta);
    n.related = n.related.as_ref().map(|r| shift(r, delta));
    n
}

/// [`read`] for loading, with `cache`: documents read before (at any place) are not read
/// again. The pieces come in the order [`read`] gives them; items are handed out with
/// their document, never before it is complete (a document that does not load gives
/// none).
#[cfg(feature = "internals")]
pub fn read_cached<T: Default>(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
    cache: &mut ReadCache<T>,
    visit: &mut dyn FnMut(CachedPiece<'_, T>),
) {
    read_cached_twice(text, limits, budget, cache, false, &mut |piece, _| {
        visit(piece)
    });
}

/// [`read_cached`], with `first` the pieces handed out twice (`visit`'s flag: the last
/// time): first the documents without their notes, then as [`read_cached`] does, so that
/// the caller can look at every document (the loader: which names more than one
/// document defines) before it uses any.
pub fn read_cached_twice<T: Default>(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
    cache: &mut ReadCache<T>,
    first: bool,
    visit: &mut dyn FnMut(CachedPiece<'_, T>, bool),
) {
    if cache.limits.as_ref() != Some(limits) {
        cache.entries.clear();
        cache.limits = Some(limits.clone());
    }
    let (ranges, split_notes) = split(text);
    let mut split_notes = std::collections::VecDeque::from(split_notes);
    let lines = OnceCell::new();
    let count = ranges.len();
    let mut steps = Vec::new();
    // Documents read this time, kept once the reading is done.
    let mut fresh: Vec<(String, Cached<T>)> = Vec::new();
    cache.read = 0;
    for (index, range) in ranges.into_iter().enumerate() {
        // `split` cuts the text on character boundaries.
        let chunk = text.get(range.clone()).unwrap_or_default();
        if let Some(stop) = read::past_limits(text, limits, budget, (index, count), &range) {
            steps.push(Step::Error(stop));
            break;
        }
        let notes = notes_before(&mut split_notes, range.end);
        if is_only_comments(chunk) {
            steps.push(Step::Document {
                index,
                range,
                notes,
                empty: true,
                own: None,
                entry: None,
            });
            continue;
        }
        // A document read before, whose reading here would give the same.
        let kept = find(&cache.entries, chunk);
        let reuse = kept
            .and_then(|k| cache.entries.get_mut(k))
            .is_some_and(|(_, e)| e.fits(budget));
        if reuse {
            if let Some((_, e)) = kept.and_then(|k| cache.entries.get(k)) {
                budget.nodes = budget.nodes.saturating_sub(e.nodes);
                budget.aliased = budget.aliased.saturating_sub(e.aliased);
                if let Some((message, span)) = &e.error {
                    let delta = range.start as isize - e.start as isize;
                    steps.push(Step::Error(SyntaxError {
                        doc: index,
                        message: message.clone(),
                        span: shift(span, delta),
                        limit: false,
                    }));
                }
            }
            steps.push(Step::Document {
                index,
                range,
                notes,
                empty: false,
                own: None,
                entry: None,
            });
            continue;
        }
        // Read it: items kept until the document is complete.
        cache.read += 1;
        let capped_by_total = budget.nodes < limits.max_nodes;
        let before = (budget.nodes, budget.aliased);
        let (result, mut built, mut items) =
            parse_keeping_items(text, range.clone(), limits, budget, &lines);
        let used = (before.0 - budget.nodes, before.1 - budget.aliased);
        let line_dependent = built
            .iter()
            .any(|n| matches!(n.code, "duplicate-key" | "merge-overrides-key"));
        let (root, error, limit) = match result {
            Ok(root) => (root.filter(|r| !r.is_null()), None, false),
            Err(Stop::Fail((message, at, limit))) => {
                items.clear();
                built.clear();
                let start =
                    prev_char_boundary(text, at.min(range.end.saturating_sub(1)).max(range.start));
                let end = next_char_boundary(text, start).min(range.end.max(start));
                steps.push(Step::Error(SyntaxError {
                    doc: index,
                    message: message.clone(),
                    span: start..end,
                    limit,
                }));
                (None, Some((message, start..end)), limit)
            }
            Err(_) => (None, None, true),
        };
        // An alias bomb or the total budget stops the reading (as `read` does).
        let stop = limit && ((capped_by_total && budget.nodes == 0) || budget.aliased == 0);
        let mut own = None;
        if !limit {
            let reading = Cached {
                start: range.start,
                names_lines: line_dependent,
                root,
                items,
                notes: built,
                error,
                nodes: used.0,
                aliased: used.1,
                used: false,
                extra: T::default(),
            };
            own = keep_fresh(&mut fresh, chunk, reading);
        }
        steps.push(Step::Document {
            index,
            range,
            notes,
            empty: limit,
            own,
            entry: None,
        });
        if stop {
            break;
        }
    }
    keep_for_next(cache, fresh);
    find_entries(text, cache, &mut steps);
    if first {
        hand_out(cache, &mut steps, visit, false);
    }
    hand_out(cache, &mut steps, visit, true);
}

/// Keeps a fresh reading for the next input, or, when its text was read earlier in this
/// one and its notes name lines, gives it back as the document's own. (A reused reading
/// of such a text does not exist: [`Cached::fits`].) The search is linear, and
/// only for documents with duplicate or merged keys.
#[inline(always)]
fn keep_fresh<T>(
    fresh: &mut Vec<(String, Cached<T>)>,
    chunk: &str,
    reading: Cached<T>,
) -> Option<Box<Cached<T>>> {
    if reading.names_lines && fresh.iter().any(|(k, _)| k == chunk) {
        return Some(Box::new(reading));
    }
    fresh.push((chunk.to_string(), reading));
    None
}

/// The notes of the splitter that lie before `end` (they come sorted).
#[inline(always)]
fn notes_before(split_notes: &mut std::collections::VecDeque<Note>, end: usize) -> Vec<Note> {
    let mut notes = Vec::new();
    while let Some(n) = split_notes.pop_front() {
        if n.span.start >= end {
            split_notes.push_front(n);
            break;
        }
        notes.push(n);
    }
    notes
}

/// Reads one document, keeping a root List's items as they complete; a second root
/// `items` after items were kept reads it again whole.
#[inline(always)]
fn parse_keeping_items(
    text: &str,
    range: Range<usize>,
    limits: &Limits,
    budget: &mut Budget,
    lines: &OnceCell<LineIndex>,
) -> (Result<Option<Node>, Stop>, Vec<Note>, Vec<Node>) {
    let before = (budget.nodes, budget.aliased);
    let mut items: Vec<Node> = Vec::new();
    let (result, built, _) = {
        let mut keep = |node: Node| items.push(node);
        let stream: Option<&mut dyn FnMut(Node)> = Some(&mut keep);
        parse_one(
            text,
            range.clone(),
            limits,
            budget,
            lines,
            true,
            Reader::Auto,
            stream,
        )
    };
    if !matches!(result, Err(Stop::Unstream | Stop::Restart)) {
        return (result, built, items);
    }
    items.clear();
    (budget.nodes, budget.aliased) = before;
    let (result, built, _) =
        parse_one(text, range, limits, budget, lines, true, Reader::Auto, None);
    (result, built, items)
}

/// What the next input may use again: what this one used, and what it read.
#[inline(always)]
fn keep_for_next<T>(cache: &mut ReadCache<T>, mut fresh: Vec<(String, Cached<T>)>) {
    // What the next input may use again: what this one used.
    cache
        .entries
        .retain_mut(|(_, e)| std::mem::take(&mut e.used));
    fresh.append(&mut cache.entries);
    cache.entries = fresh;
    // Stable: of a text kept twice, the latest reading stays (then the first of two
    // equal documents).
    crate::sort::by(&mut cache.entries, |a, b| a.0.cmp(&b.0));
    cache.entries.dedup_by(|b, a| a.0 == b.0);
}

/// Each document's kept reading, found once (after this input's readings are kept) for
/// both looks of [`read_cached_twice`].
#[inline(always)]
fn find_entries<T>(text: &str, cache: &ReadCache<T>, steps: &mut [Step<T>]) {
    for step in steps {
        if let Step::Document {
            range,
            empty: false,
            own: None,
            entry,
            ..
        } = step
        {
            // `split` cuts the text on character boundaries.
            let chunk = text.get(range.clone()).unwrap_or_default();
            *entry = find(&cache.entries, chunk);
        }
    }
}

/// The pieces, in order, borrowing the kept documents. Not `last`: a first look, the
/// documents without their notes (the steps stay as they are, to be handed out again).
#[inline(always)]
fn hand_out<T>(
    cache: &mut ReadCache<T>,
    steps: &mut [Step<T>],
    visit: &mut dyn FnMut(CachedPiece<'_, T>, bool),
    last: bool,
) {
    for step in steps {
        match step {
            Step::Error(e) => visit(
                CachedPiece::Error(if last { std::mem::take(e) } else { e.clone() }),
                last,
            ),
            Step::Document {
                index,
                range,
                notes,
                empty: _,
                own,
                entry,
            } => {
                let mut notes = if last {
                    std::mem::take(notes)
                } else {
                    Vec::new()
                };
                // A document's own reading (its notes name its lines) is not kept: no slot.
                let (entry, kept) = match own {
                    Some(own) => (Some(&mut **own), false),
                    None => (
                        entry.and_then(|k| cache.entries.get_mut(k)).map(|(_, e)| e),
                        true,
                    ),
                };
                let (delta, items, root, extra) = match entry {
                    Some(e) => {
                        let delta = range.start as isize - e.start as isize;
                        if last {
                            notes.extend(e.notes.iter().map(|n| shift_note(n, delta)));
                        }
                        let extra = kept.then_some(&mut e.extra);
                        (delta, e.items.as_slice(), e.root.as_ref(), extra)
                    }
                    None => (0, &[][..], None, None),
                };
                visit(
                    CachedPiece::Document(CachedDocument {
                        index: *index,
                        span: range.clone(),
                        delta,
                        notes,
                        items,
                        root,
                        extra,
                    }),
                    last,
                );
            }
        }
    }
}
