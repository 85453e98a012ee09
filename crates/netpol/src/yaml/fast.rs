//! The fast reader: the YAML that `kubectl get -o yaml` and `-o json` print (block
//! mappings and sequences, plain, quoted and literal scalars, flow collections), read
//! straight from the text into the same [`Event`]s libyaml gives, positions included.
//!
//! It accepts a subset of what libyaml accepts and reads it the same way: anything else
//! (anchors, aliases, tags, folded scalars, complex keys, tabs, CR line breaks, byte order
//! marks, directives, characters libyaml refuses, text where libyaml reports an error)
//! makes it give up ([`Stop::Bail`]) and the document is read again by libyaml, which also
//! decides every error message. `crates/netpol/tests/yaml_readers.rs` checks that both
//! readers give the same events on every fixture, generated dumps and mutations of them.
//!
//! Marks follow libyaml's scanner and parser: a block collection starts at its first key
//! or `-` and ends where the next token starts (after blank lines and comments), at the
//! end of the document text, or at a `...` marker; an empty value sits right after its
//! `:` or `-`; a literal block scalar ends at the start of the line after its last line.

use std::borrow::Cow;

use super::*;

mod flow;
mod scalars;

/// Why the fast reader stopped.
pub(super) enum Stop {
    /// Outside what it reads: libyaml reads the document.
    Bail,
    /// The builder stopped (an error, a limit, a restart).
    Builder(build::Stop),
}

impl From<build::Stop> for Stop {
    fn from(s: build::Stop) -> Stop {
        Stop::Builder(s)
    }
}

type R<T> = Result<T, Stop>;

/// Gives up; with `NETPOL_FAST_DEBUG` set (debug builds), says where.
fn bail<T>(at: u32) -> R<T> {
    #[cfg(debug_assertions)]
    if std::env::var_os("NETPOL_FAST_DEBUG").is_some() {
        eprintln!("fast reader gave up at fast.rs:{at}");
    }
    let _ = at;
    Err(Stop::Bail)
}

/// Deeper than this, libyaml reads the document (the fast reader recurses).
const MAX_DEPTH: usize = 100;

/// Can the fast reader read this document's text at all? No characters libyaml refuses
/// or reads as other line breaks, no tabs, CRs or byte order marks.
pub(super) fn eligible(chunk: &str) -> bool {
    let b = chunk.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // 32 plain ASCII bytes at a time (branch-free, so the compiler vectorizes it).
        if let Some(w) = b.get(i..i + 32) {
            let odd = w.iter().fold(false, |acc, &c| {
                acc | ((c < 0x20) & (c != b'\n')) | (c >= 0x7F)
            });
            if !odd {
                i += 32;
                continue;
            }
        }
        let Some(&c) = b.get(i) else {
            break;
        };
        match c {
            b'\n' | 0x20..=0x7E => i += 1,
            0x00..=0x1F | 0x7F => return false,
            _ => {
                let next = b.get(i + 1).copied().unwrap_or(0);
                let next2 = b.get(i + 2).copied().unwrap_or(0);
                match (c, next, next2) {
                    // C1 controls and NEL.
                    (0xC2, 0x80..=0x9F, _) => return false,
                    // LS, PS: line breaks to libyaml.
                    (0xE2, 0x80, 0xA8 | 0xA9) => return false,
                    // BOM, U+FFFE, U+FFFF.
                    (0xEF, 0xBB, 0xBF) | (0xEF, 0xBF, 0xBE | 0xBF) => return false,
                    _ => i += 1,
                }
            }
        }
    }
    true
}

/// Reads one document, `range` of `text`, into `b`.
pub(super) fn read(text: &str, range: Range<usize>, b: &mut Builder<'_, '_>) -> R<()> {
    let mut r = Reader {
        text,
        s: text.as_bytes(),
        end: range.end.min(text.len()),
        pos: range.start,
        line: range.start,
        b,
        depth: 0,
        fresh: false,
    };
    r.document()
}

struct Reader<'t, 'b, 'l, 'h> {
    text: &'t str,
    s: &'t [u8],
    /// The end of the document's text.
    end: usize,
    pos: usize,
    /// Where the line of `pos` starts.
    line: usize,
    b: &'b mut Builder<'l, 'h>,
    depth: usize,
    /// A block collection or literal scalar just ended: `pos` is already at the next
    /// line's first token.
    fresh: bool,
}

/// Where a block node stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Root,
    /// A mapping's value: a sequence at the mapping's column is its value (indentless).
    Value,
    /// A sequence's entry.
    Entry,
}

impl<'t> Reader<'t, '_, '_, '_> {
    fn at(&self, i: usize) -> u8 {
        if i < self.end {
            self.s.get(i).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// The text `start..end`; a range that is not on character boundaries (the reader
    /// went wrong) gives the document to libyaml.
    fn slice(&self, start: usize, end: usize) -> R<&'t str> {
        self.text.get(start..end).ok_or(Stop::Bail)
    }

    fn cur(&self) -> u8 {
        self.at(self.pos)
    }

    fn eof(&self) -> bool {
        self.pos >= self.end
    }

    fn col(&self) -> usize {
        self.pos - self.line
    }

    /// A blank, a line break or the end (libyaml's `IS_BLANKZ`, without tabs and CRs,
    /// which are not read here).
    fn blankz(&self, i: usize) -> bool {
        matches!(self.at(i), b' ' | b'\n' | 0)
    }

    fn emit(&mut self, ev: Event<'t>) -> R<()> {
        self.b.event(ev)?;
        Ok(())
    }

    /// Is `pos` at a `---` or `...` marker (column 0, then a blank or the end)?
    fn marker(&self) -> Option<u8> {
        (self.col() == 0 && self.is_marker_at(self.pos)).then(|| self.cur())
    }

    /// Are the bytes at `i` (a line's start) a `---` or `...` marker?
    fn is_marker_at(&self, i: usize) -> bool {
        let c = self.at(i);
        matches!(c, b'-' | b'.') && self.at(i + 1) == c && self.at(i + 2) == c && self.blankz(i + 3)
    }

    /// Skips spaces, comments and line breaks to the next token. Returns whether a line
    /// break was crossed.
    fn skip(&mut self) -> bool {
        let mut crossed = false;
        loop {
            while self.cur() == b' ' {
                self.pos += 1;
            }
            if self.cur() == b'#' {
                while !matches!(self.cur(), b'\n' | 0) {
                    self.pos += 1;
                }
            }
            if self.cur() == b'\n' && !self.eof() {
                self.pos += 1;
                self.line = self.pos;
                crossed = true;
                continue;
            }
            return crossed;
        }
    }

    /// Skips spaces and a comment on the current line; true when the line ends there.
    fn rest_of_line_empty(&mut self) -> bool {
        while self.cur() == b' ' {
            self.pos += 1;
        }
        if self.cur() == b'#' {
            while !matches!(self.cur(), b'\n' | 0) {
                self.pos += 1;
            }
        }
        matches!(self.cur(), b'\n' | 0)
    }

    fn document(&mut self) -> R<()> {
        self.skip();
        if self.cur() == b'%' && self.col() == 0 {
            return bail(line!());
        }
        if self.marker() == Some(b'-') {
            self.pos += 3;
            // Content on the `---` line itself: libyaml reads it (`--- |`, `--- a: 1`).
            if !self.rest_of_line_empty() {
                return bail(line!());
            }
            self.skip();
        }
        if self.eof() || self.marker().is_some() || (self.cur() == b'%' && self.col() == 0) {
            return bail(line!());
        }
        self.node(-1, Place::Root, false)?;
        self.skip();
        match self.marker() {
            Some(b'.') => {}
            None if self.eof() => {}
            _ => return Err(Stop::Bail),
        }
        self.emit(Event::DocumentEnd)
    }

    /// The end of a block collection (or the document): where the next token starts.
    fn collection_end(&mut self) -> R<()> {
        let at = self.pos.min(self.end);
        self.fresh = true;
        self.emit(Event::CollectionEnd { start: at, end: at })
    }

    /// An empty value (a null) at `at`.
    fn empty(&mut self, at: usize) -> R<()> {
        self.emit(Event::Scalar {
            value: Cow::Borrowed(""),
            plain: true,
            anchor: None,
            tag: None,
            start: at,
            end: at,
        })
    }

    /// A block node at `pos` (its first token). `indent` is libyaml's current block
    /// indentation (the enclosing collection's column, -1 at the root); `same_line` when
    /// the node starts on the line of its `key:` or `-`.
    fn node(&mut self, indent: isize, place: Place, same_line: bool) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return bail(line!());
        }
        let r = self.node_inner(indent, place, same_line);
        self.depth -= 1;
        r
    }

    fn node_inner(&mut self, indent: isize, place: Place, same_line: bool) -> R<()> {
        let c = self.cur();
        let col = self.col() as isize;
        match c {
            b'-' if self.blankz(self.pos + 1) => {
                if same_line {
                    return bail(line!());
                }
                self.sequence()
            }
            b'[' | b'{' => {
                self.flow_node()?;
                // A flow collection as a key (`{a: 1}: b`) is not read here.
                let save = (self.pos, self.line);
                let crossed = self.skip();
                if !crossed && self.cur() == b':' {
                    return bail(line!());
                }
                (self.pos, self.line) = save;
                Ok(())
            }
            b'|' => self.literal(indent),
            b'"' | b'\'' => {
                let start = self.pos;
                let line = self.line;
                let (value, multi) = self.quoted()?;
                let after = (self.pos, self.line);
                while self.cur() == b' ' {
                    self.pos += 1;
                }
                if self.cur() == b':' && self.blankz(self.pos + 1) {
                    // A key: a block mapping at its column.
                    if multi || place == Place::Value && same_line || self.pos - start > 1000 {
                        return bail(line!());
                    }
                    (self.pos, self.line) = (start, line);
                    return self.mapping(col);
                }
                (self.pos, self.line) = after;
                self.emit(Event::Scalar {
                    value,
                    plain: false,
                    anchor: None,
                    tag: None,
                    start,
                    end: after.0,
                })
            }
            _ if plain_start(c, self.at(self.pos + 1)) => {
                let start = self.pos;
                let (end, stop) = self.plain_line(start);
                if stop == LineStop::Colon {
                    if place == Place::Value && same_line || end - start > 1000 {
                        return bail(line!());
                    }
                    return self.mapping(col);
                }
                self.plain_value(start, end, stop, indent)
            }
            _ => {
                #[cfg(debug_assertions)]
                if std::env::var_os("NETPOL_FAST_DEBUG").is_some() {
                    eprintln!("node starts with {:?}", char::from(c));
                }
                bail(line!())
            }
        }
    }

    /// A block mapping whose first key starts at `pos`, in column `col`.
    fn mapping(&mut self, col: isize) -> R<()> {
        let start = self.pos;
        self.emit(Event::MapStart {
            anchor: None,
            start,
        })?;
        loop {
            // The key: a plain or quoted scalar on one line, then `:`.
            self.key()?;
            // `pos` is just past the `:`.
            let colon_end = self.pos;
            if self.rest_of_line_empty() {
                self.skip();
                let c2 = self.col() as isize;
                if self.eof() || self.marker().is_some() {
                    self.empty(colon_end)?;
                } else if c2 > col {
                    self.node(col, Place::Value, false)?;
                } else if c2 == col && self.cur() == b'-' && self.blankz(self.pos + 1) {
                    self.sequence_at(col, true)?;
                } else {
                    self.empty(colon_end)?;
                }
            } else {
                self.node(col, Place::Value, true)?;
            }
            // After the value: the next key at this column, or the end.
            let crossed = self.skip();
            if self.eof() || self.marker().is_some() {
                return self.collection_end();
            }
            if !crossed && !std::mem::take(&mut self.fresh) {
                return bail(line!());
            }
            self.fresh = false;
            let c3 = self.col() as isize;
            if c3 < col {
                return self.collection_end();
            }
            if c3 > col {
                return bail(line!());
            }
        }
    }

    /// A mapping key at `pos` and its `:`; leaves `pos` after the `:`.
    fn key(&mut self) -> R<()> {
        let start = self.pos;
        let c = self.cur();
        let (value, plain, end) = match c {
            b'"' | b'\'' => {
                let (value, multi) = self.quoted()?;
                if multi {
                    return bail(line!());
                }
                (value, false, self.pos)
            }
            _ if plain_start(c, self.at(self.pos + 1)) => {
                let (end, stop) = self.plain_line(start);
                if stop != LineStop::Colon {
                    return bail(line!());
                }
                self.pos = end;
                (Cow::Borrowed(self.slice(start, end)?), true, end)
            }
            _ => return Err(Stop::Bail),
        };
        while self.cur() == b' ' {
            self.pos += 1;
        }
        if self.cur() != b':' || !self.blankz(self.pos + 1) || self.pos - start > 1000 {
            return bail(line!());
        }
        self.emit(Event::Scalar {
            value,
            plain,
            anchor: None,
            tag: None,
            start,
            end,
        })?;
        self.pos += 1;
        Ok(())
    }

    /// A block sequence whose first `-` is at `pos` (a real one: deeper than the
    /// enclosing collection).
    fn sequence(&mut self) -> R<()> {
        let col = self.col() as isize;
        self.sequence_at(col, false)
    }

    /// A block sequence of `-` entries in column `col`; `indentless` when it is the value
    /// of a mapping key in the same column.
    fn sequence_at(&mut self, col: isize, indentless: bool) -> R<()> {
        self.emit(Event::SeqStart {
            anchor: None,
            start: self.pos,
        })?;
        loop {
            // At a `-` followed by a blank or the end of the line.
            self.pos += 1;
            let dash_end = self.pos;
            while self.cur() == b' ' {
                self.pos += 1;
            }
            if matches!(self.cur(), b'#' | b'\n' | 0) {
                self.skip();
                let c2 = self.col() as isize;
                if self.eof() || self.marker().is_some() || c2 <= col {
                    self.empty(dash_end)?;
                } else {
                    self.node(col, Place::Entry, false)?;
                }
            } else {
                self.node(col, Place::Entry, true)?;
            }
            let crossed = self.skip();
            if self.eof() || self.marker().is_some() {
                return self.collection_end();
            }
            if !crossed && !std::mem::take(&mut self.fresh) {
                return bail(line!());
            }
            self.fresh = false;
            let c3 = self.col() as isize;
            if c3 < col {
                return self.collection_end();
            }
            if c3 > col {
                return bail(line!());
            }
            if !(self.cur() == b'-' && self.blankz(self.pos + 1)) {
                if indentless {
                    // The mapping's next key.
                    return self.collection_end();
                }
                return bail(line!());
            }
        }
    }

    /// Scans a plain scalar's first line from `start` (block context): where its text
    /// ends (after its last non-blank) and what ends it.
    fn plain_line(&self, start: usize) -> (usize, LineStop) {
        let mut i = start;
        let mut end = start;
        loop {
            match self.at(i) {
                b':' if self.blankz(i + 1) => return (end, LineStop::Colon),
                b'\n' | 0 => return (end, LineStop::Eol),
                b' ' => {
                    // Blanks, then a comment, the line's end or more text.
                    let mut j = i;
                    while self.at(j) == b' ' {
                        j += 1;
                    }
                    match self.at(j) {
                        b'#' => return (end, LineStop::Comment),
                        b'\n' | 0 => return (end, LineStop::Eol),
                        _ => i = j,
                    }
                }
                _ => {
                    i += 1;
                    end = i;
                }
            }
        }
    }

    /// A plain scalar value whose first line is `start..end`: with its continuation
    /// lines when the first line ends at the line's end.
    fn plain_value(&mut self, start: usize, end: usize, stop: LineStop, indent: isize) -> R<()> {
        self.pos = end;
        if stop != LineStop::Eol {
            return self.emit(Event::Scalar {
                value: Cow::Borrowed(self.slice(start, end)?),
                plain: true,
                anchor: None,
                tag: None,
                start,
                end,
            });
        }
        // Continuation lines: indented more than `indent`, not a comment or a marker.
        let mut value: Option<String> = None;
        let mut last_end = end;
        loop {
            // Count the line breaks to the next non-blank.
            let mut i = last_end;
            let mut breaks = 0;
            let mut line = self.line;
            loop {
                while self.at(i) == b' ' {
                    i += 1;
                }
                if self.at(i) == b'\n' && i < self.end {
                    i += 1;
                    line = i;
                    breaks += 1;
                    continue;
                }
                break;
            }
            let col = (i - line) as isize;
            let c = self.at(i);
            let is_marker = col == 0 && self.is_marker_at(i);
            if breaks == 0 || i >= self.end || col < indent + 1 || c == b'#' || is_marker {
                break;
            }
            // A continuation line: its text up to `: ` (not read here), ` #` or the end.
            let (cend, cstop) = self.plain_line(i);
            if cstop == LineStop::Colon {
                return bail(line!());
            }
            let first = self.slice(start, end)?;
            let more = self.slice(i, cend)?;
            let v = value.get_or_insert_with(|| first.to_string());
            if breaks == 1 {
                v.push(' ');
            } else {
                for _ in 1..breaks {
                    v.push('\n');
                }
            }
            v.push_str(more);
            last_end = cend;
            self.line = line;
            if cstop == LineStop::Comment {
                break;
            }
        }
        self.pos = last_end;
        let value = match value {
            Some(v) => Cow::Owned(v),
            None => Cow::Borrowed(self.slice(start, end)?),
        };
        self.emit(Event::Scalar {
            value,
            plain: true,
            anchor: None,
            tag: None,
            start,
            end: last_end,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LineStop {
    /// `: ` (or `:` at the end of the line): the scalar is a key.
    Colon,
    /// ` #`: a comment follows.
    Comment,
    /// The end of the line (or of the text).
    Eol,
}

/// Can a plain scalar start with `c` (then `next`)? libyaml's rule, less what the fast
/// reader does not read.
fn plain_start(c: u8, next: u8) -> bool {
    match c {
        // (`?x` and `:x` start plain scalars in block context; not read here.)
        0 | b' ' | b'\n' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*'
        | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        b'-' => !matches!(next, b' ' | b'\n' | 0),
        _ => true,
    }
}

/// The length of the UTF-8 sequence a byte starts.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}
