//! The fast reader's flow collections (`{...}`, `[...]`) and their plain scalars.

use super::*;

impl<'t> Reader<'t, '_, '_, '_> {
    /// Skips whitespace, line breaks and comments inside a flow collection. A document
    /// marker there is an error to libyaml.
    pub(super) fn flow_skip(&mut self) -> R<()> {
        self.skip();
        if self.marker().is_some() {
            return bail(line!());
        }
        Ok(())
    }

    /// A flow node at `pos`: a collection, a quoted scalar or a plain scalar.
    pub(super) fn flow_node(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return bail(line!());
        }
        let r = self.flow_node_inner();
        self.depth -= 1;
        r
    }

    pub(super) fn flow_node_inner(&mut self) -> R<()> {
        match self.cur() {
            b'{' => self.flow_mapping(),
            b'[' => self.flow_sequence(),
            b'"' | b'\'' => {
                let start = self.pos;
                let (value, _) = self.quoted()?;
                self.emit(Event::Scalar {
                    value,
                    plain: false,
                    anchor: None,
                    tag: None,
                    start,
                    end: self.pos,
                })
            }
            c if plain_start(c, self.at(self.pos + 1)) => {
                let start = self.pos;
                let end = self.flow_plain()?;
                self.emit(Event::Scalar {
                    value: Cow::Borrowed(self.slice(start, end)?),
                    plain: true,
                    anchor: None,
                    tag: None,
                    start,
                    end,
                })
            }
            _ => bail(line!()),
        }
    }

    /// A plain scalar in a flow collection, on one line: returns its end.
    pub(super) fn flow_plain(&mut self) -> R<usize> {
        let mut i = self.pos;
        let mut end = i;
        loop {
            match self.at(i) {
                b':' => match self.at(i + 1) {
                    b' ' | b'\n' | 0 => break,
                    // libyaml refuses `:` before a flow indicator; other `:` are text,
                    // which the fast reader leaves to libyaml (`{a:1}` has no value).
                    _ => return Err(Stop::Bail),
                },
                b',' | b'[' | b']' | b'{' | b'}' | b'\n' | 0 => break,
                b' ' => {
                    let mut j = i;
                    while self.at(j) == b' ' {
                        j += 1;
                    }
                    match self.at(j) {
                        b'#' | b'\n' | 0 | b',' | b'[' | b']' | b'{' | b'}' => break,
                        b':' if self.blankz(j + 1) => break,
                        _ => i = j,
                    }
                }
                _ => {
                    i += 1;
                    end = i;
                }
            }
        }
        // A plain scalar continued on the next line: not read here.
        let mut j = end;
        while self.at(j) == b' ' {
            j += 1;
        }
        if self.at(j) == b'\n' {
            let mut k = j + 1;
            while self.at(k) == b' ' || (self.at(k) == b'\n' && k < self.end) {
                k += 1;
            }
            if !matches!(self.at(k), b',' | b']' | b'}' | b'#' | b':' | 0) {
                return bail(line!());
            }
        }
        self.pos = end;
        Ok(end)
    }

    pub(super) fn flow_mapping(&mut self) -> R<()> {
        let start = self.pos;
        self.emit(Event::MapStart {
            anchor: None,
            start,
        })?;
        self.pos += 1;
        self.flow_skip()?;
        loop {
            if self.cur() == b'}' {
                let at = self.pos;
                self.pos += 1;
                return self.emit(Event::CollectionEnd {
                    start: at,
                    end: at + 1,
                });
            }
            // The key, on one line with its `:`.
            let key_start = self.pos;
            let key_line = self.line;
            match self.cur() {
                b'{' | b'[' => return Err(Stop::Bail),
                _ => self.flow_node()?,
            }
            while self.cur() == b' ' {
                self.pos += 1;
            }
            if self.cur() != b':' || self.line != key_line || self.pos - key_start > 1000 {
                return bail(line!());
            }
            self.pos += 1;
            self.flow_skip()?;
            match self.cur() {
                b',' | b'}' => self.empty(self.pos)?,
                _ => self.flow_node()?,
            }
            self.flow_skip()?;
            match self.cur() {
                b',' => {
                    self.pos += 1;
                    self.flow_skip()?;
                    if self.cur() == b',' {
                        return bail(line!());
                    }
                }
                b'}' => {}
                _ => return Err(Stop::Bail),
            }
        }
    }

    pub(super) fn flow_sequence(&mut self) -> R<()> {
        let start = self.pos;
        self.emit(Event::SeqStart {
            anchor: None,
            start,
        })?;
        self.pos += 1;
        self.flow_skip()?;
        loop {
            if self.cur() == b']' {
                let at = self.pos;
                self.pos += 1;
                return self.emit(Event::CollectionEnd {
                    start: at,
                    end: at + 1,
                });
            }
            if self.cur() == b',' {
                return bail(line!());
            }
            self.flow_node()?;
            self.flow_skip()?;
            match self.cur() {
                b',' => {
                    self.pos += 1;
                    self.flow_skip()?;
                }
                b']' => {}
                // `[a: b]` (a pair in a sequence) and anything else.
                _ => return Err(Stop::Bail),
            }
        }
    }
}
