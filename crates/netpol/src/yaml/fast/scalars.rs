//! The fast reader's scalars: quoted (single and double, with escapes) and block (literal and folded).

use super::*;

impl<'t> Reader<'t, '_, '_, '_> {
    /// A quoted scalar at `pos` (single or double): its value and whether it spans
    /// lines; leaves `pos` after the closing quote.
    pub(super) fn quoted(&mut self) -> R<(Cow<'t, str>, bool)> {
        let single = self.cur() == b'\'';
        let q = self.cur();
        self.pos += 1;
        let first = self.pos;
        // The common case: no escapes, no line breaks.
        let mut i = first;
        loop {
            match self.at(i) {
                0 if i >= self.end => return Err(Stop::Bail),
                c if c == q => {
                    if single && self.at(i + 1) == b'\'' {
                        break;
                    }
                    self.pos = i + 1;
                    return Ok((Cow::Borrowed(self.slice(first, i)?), false));
                }
                b'\\' if !single => break,
                b'\n' => break,
                _ => i += 1,
            }
        }
        // The general case, as libyaml's `yaml_parser_scan_flow_scalar` (blanks before
        // the break are left to it: they go when a line break follows).
        while i > first && self.at(i - 1) == b' ' {
            i -= 1;
        }
        let mut out = String::from(self.slice(first, i)?);
        let mut multi = false;
        loop {
            // A document marker at the start of a line: libyaml refuses it.
            if i == self.line && self.is_marker_at(i) {
                return bail(line!());
            }
            // Within a line.
            let mut leading_blanks = false;
            loop {
                match self.at(i) {
                    0 if i >= self.end => return Err(Stop::Bail),
                    b' ' | b'\n' => break,
                    b'\'' if single && self.at(i + 1) == b'\'' => {
                        out.push('\'');
                        i += 2;
                    }
                    c if c == q => {
                        self.pos = i + 1;
                        return Ok((Cow::Owned(out), multi));
                    }
                    b'\\' if !single && self.at(i + 1) == b'\n' => {
                        i += 2;
                        self.line = i;
                        multi = true;
                        leading_blanks = true;
                        break;
                    }
                    b'\\' if !single => {
                        i = self.escape(i, &mut out)?;
                    }
                    _ => {
                        // One character (a UTF-8 sequence is copied whole).
                        let len = utf8_len(self.at(i));
                        let Some(ch) = self.text.get(i..i + len) else {
                            return bail(line!());
                        };
                        out.push_str(ch);
                        i += len;
                    }
                }
            }
            // Blanks and line breaks.
            let mut whitespace = String::new();
            let mut leading_break = false;
            let mut trailing_breaks = 0usize;
            loop {
                match self.at(i) {
                    b' ' => {
                        if !leading_blanks {
                            whitespace.push(' ');
                        }
                        i += 1;
                    }
                    b'\n' if i < self.end => {
                        i += 1;
                        self.line = i;
                        multi = true;
                        // A document marker inside a quoted scalar: libyaml refuses it.
                        if self.is_marker_at(i) {
                            return bail(line!());
                        }
                        if !leading_blanks {
                            whitespace.clear();
                            leading_break = true;
                            leading_blanks = true;
                        } else {
                            trailing_breaks += 1;
                        }
                    }
                    _ => break,
                }
            }
            if leading_blanks {
                if leading_break {
                    if trailing_breaks == 0 {
                        out.push(' ');
                    } else {
                        for _ in 0..trailing_breaks {
                            out.push('\n');
                        }
                    }
                } else {
                    for _ in 0..trailing_breaks {
                        out.push('\n');
                    }
                }
            } else {
                out.push_str(&whitespace);
            }
        }
    }

    /// A double-quoted escape at `i` (the backslash): appends it, returns what follows.
    pub(super) fn escape(&self, i: usize, out: &mut String) -> R<usize> {
        let c = self.at(i + 1);
        let simple = match c {
            b'0' => Some('\0'),
            b'a' => Some('\x07'),
            b'b' => Some('\x08'),
            b't' => Some('\t'),
            b'n' => Some('\n'),
            b'v' => Some('\x0B'),
            b'f' => Some('\x0C'),
            b'r' => Some('\r'),
            b'e' => Some('\x1B'),
            b' ' => Some(' '),
            b'"' => Some('"'),
            b'/' => Some('/'),
            b'\\' => Some('\\'),
            b'N' => Some('\u{85}'),
            b'_' => Some('\u{A0}'),
            b'L' => Some('\u{2028}'),
            b'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(ch) = simple {
            out.push(ch);
            return Ok(i + 2);
        }
        let len = match c {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            _ => return Err(Stop::Bail),
        };
        let digits = self.text.get(i + 2..i + 2 + len).ok_or(Stop::Bail)?;
        if i + 2 + len > self.end || !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
            return bail(line!());
        }
        let value = u32::from_str_radix(digits, 16).map_err(|_| Stop::Bail)?;
        let ch = char::from_u32(value).ok_or(Stop::Bail)?;
        out.push(ch);
        Ok(i + 2 + len)
    }

    /// A literal block scalar (`|`, `|-`, `|+`) at `pos`; `indent` is the enclosing
    /// block's column.
    pub(super) fn literal(&mut self, indent: isize) -> R<()> {
        let start = self.pos;
        self.pos += 1;
        let chomping: i8 = match self.cur() {
            b'-' => {
                self.pos += 1;
                -1
            }
            b'+' => {
                self.pos += 1;
                1
            }
            _ => 0,
        };
        if self.cur().is_ascii_digit() {
            return bail(line!());
        }
        // Blanks and a comment, then the line's end.
        let header_end = self.pos;
        while self.cur() == b' ' {
            self.pos += 1;
        }
        if self.cur() == b'#' {
            if self.pos == header_end {
                // `|#` is not a comment to libyaml.
                return bail(line!());
            }
            while !matches!(self.cur(), b'\n' | 0) {
                self.pos += 1;
            }
        }
        match self.cur() {
            b'\n' if !self.eof() => {
                self.pos += 1;
                self.line = self.pos;
            }
            0 if self.eof() => {}
            _ => return Err(Stop::Bail),
        }
        // Leading empty lines: their breaks, and the indentation found.
        let mut end_mark = self.pos;
        let mut value = String::new();
        let mut trailing_breaks = 0usize;
        let mut max_indent = 0usize;
        loop {
            while self.cur() == b' ' {
                self.pos += 1;
            }
            max_indent = max_indent.max(self.col());
            if self.cur() == b'\n' && !self.eof() {
                self.pos += 1;
                self.line = self.pos;
                trailing_breaks += 1;
                end_mark = self.pos;
                continue;
            }
            break;
        }
        let mut block = max_indent as isize;
        if block < indent + 1 {
            block = indent + 1;
        }
        if block < 1 {
            block = 1;
        }
        let block = block as usize;
        // A first line indented less than leading blank lines: libyaml reads it
        // differently (an empty scalar, then an error); not read here.
        if !self.eof() && self.col() < block && max_indent > self.col() {
            return bail(line!());
        }
        let mut leading_break = false;
        while self.col() == block && !self.eof() {
            if leading_break {
                value.push('\n');
            }
            for _ in 0..trailing_breaks {
                value.push('\n');
            }
            trailing_breaks = 0;
            let from = self.pos;
            while !matches!(self.cur(), b'\n' | 0) {
                self.pos += 1;
            }
            value.push_str(self.slice(from, self.pos)?);
            leading_break = false;
            if self.cur() == b'\n' && !self.eof() {
                self.pos += 1;
                self.line = self.pos;
                leading_break = true;
            }
            // The breaks after it.
            end_mark = self.pos;
            loop {
                while self.col() < block && self.cur() == b' ' {
                    self.pos += 1;
                }
                if self.cur() == b'\n' && !self.eof() {
                    self.pos += 1;
                    self.line = self.pos;
                    trailing_breaks += 1;
                    end_mark = self.pos;
                    continue;
                }
                break;
            }
        }
        if chomping != -1 && leading_break {
            value.push('\n');
        }
        if chomping == 1 {
            for _ in 0..trailing_breaks {
                value.push('\n');
            }
        }
        self.fresh = true;
        self.emit(Event::Scalar {
            value: Cow::Owned(value),
            plain: false,
            anchor: None,
            tag: None,
            start,
            end: end_mark,
        })
    }

    // -----------------------------------------------------------------------------------
    // Flow collections: JSON and `{a: b, c: [d]}`.
}
