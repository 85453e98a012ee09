//! Output escaping. Names are validated, but label values, annotations, file names and
//! messages quoting them may carry control characters (`"\e[31m"` is a valid YAML
//! string): none reaches a terminal raw. Every byte written to stdout or stderr goes
//! through [`Sanitize`]; CSV fields are quoted per RFC 4180 ([`csv`]) and Markdown table
//! cells escaped ([`md`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// How a character that must not reach a terminal is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `\x1b`, `\u{9b}`: plain text, CSV, Markdown.
    Text,
    /// `\u001b`: inside JSON strings (serde_json already escapes C0; this catches DEL,
    /// C1 and bidirectional overrides, which it writes raw). The result stays valid JSON.
    Json,
}

/// Characters that move the cursor, change colours, or reorder text in a terminal:
/// C0 controls but newline and tab, DEL, C1 controls (U+0080..U+009F, `U+009B` is a
/// CSI on some terminals) and the bidirectional overrides and isolates ("Trojan
/// Source").
pub fn is_unsafe(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char, mode: Mode) {
    let n = c as u32;
    let _ = match mode {
        Mode::Text if n < 0x80 => write!(out, "\\x{n:02x}"),
        Mode::Text => write!(out, "\\u{{{n:x}}}"),
        Mode::Json => write!(out, "\\u{n:04x}"),
    };
}

/// `s` with every unsafe character escaped (text mode).
pub fn text(s: &str) -> Cow<'_, str> {
    escape_str(s, Mode::Text)
}

/// Printable ASCII, tabs and line feeds only: nothing to escape (checked a chunk at a
/// time, without decoding characters: the CLI's large outputs are all ASCII).
fn plain_ascii(s: &str) -> bool {
    s.as_bytes().chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & (matches!(b, 0x20..=0x7e) | (b == b'\n') | (b == b'\t'))
        })
    })
}

fn escape_str(s: &str, mode: Mode) -> Cow<'_, str> {
    if plain_ascii(s) || !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            push_escaped(&mut out, c, mode);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV field per RFC 4180: quoted when it holds a comma, a quote, CR or LF (quotes
/// doubled); otherwise as is.
pub fn csv(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// A Markdown table cell: `|`, backticks and the other characters that would end the
/// cell or start markup are backslash-escaped; a line break becomes `<br>`.
pub fn md(s: &str) -> Cow<'_, str> {
    if !s.contains(['\\', '|', '`', '*', '_', '[', ']', '<', '>', '\r', '\n']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A writer that escapes unsafe characters on their way out. UTF-8 sequences split
/// between two writes are held until complete; invalid bytes are written as `\xNN`.
pub struct Sanitize<W: Write> {
    inner: W,
    mode: Mode,
    /// The start of a UTF-8 sequence the last write ended in.
    pending: Vec<u8>,
}

impl<W: Write> Sanitize<W> {
    pub fn new(inner: W, mode: Mode) -> Self {
        Sanitize {
            inner,
            mode,
            pending: Vec::new(),
        }
    }

    fn emit(&mut self, valid: &str) -> io::Result<()> {
        match escape_str(valid, self.mode) {
            Cow::Borrowed(s) => self.inner.write_all(s.as_bytes()),
            Cow::Owned(s) => self.inner.write_all(s.as_bytes()),
        }
    }
}

impl<W: Write> Write for Sanitize<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let joined;
        let mut bytes: &[u8] = if self.pending.is_empty() {
            buf
        } else {
            let mut v = std::mem::take(&mut self.pending);
            v.extend_from_slice(buf);
            joined = v;
            &joined
        };
        loop {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    self.emit(s)?;
                    break;
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    // Valid by construction.
                    self.emit(std::str::from_utf8(good).unwrap_or_default())?;
                    match e.error_len() {
                        None => {
                            // An incomplete sequence at the end: wait for the rest.
                            self.pending = rest.to_vec();
                            break;
                        }
                        Some(n) => {
                            // `n` bytes of `rest` are the invalid sequence.
                            let (bad, after) = rest.split_at(n.min(rest.len()));
                            for b in bad {
                                write!(self.inner, "\\x{b:02x}")?;
                            }
                            bytes = after;
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            for b in std::mem::take(&mut self.pending) {
                write!(self.inner, "\\x{b:02x}")?;
            }
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for Sanitize<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// `eprintln!` through [`Sanitize`]: messages quote file names and label values.
macro_rules! eprintln_safe {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut w = $crate::escape::Sanitize::new(std::io::stderr().lock(), $crate::escape::Mode::Text);
        let _ = writeln!(w, $($arg)*);
    }};
}
pub(crate) use eprintln_safe;

#[cfg(test)]
mod tests {
    use super::*;

    fn through(chunks: &[&[u8]], mode: Mode) -> String {
        let mut out = Vec::new();
        {
            let mut w = Sanitize::new(&mut out, mode);
            for c in chunks {
                w.write_all(c).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(text("a\x1b[31mb\tc\n"), "a\\x1b[31mb\tc\n");
        assert_eq!(
            text("\u{9b}2J \u{202e}x \x7f \r"),
            "\\u{9b}2J \\u{202e}x \\x7f \\x0d"
        );
        assert_eq!(text("plain ñ"), "plain ñ");
        // C1 split across two writes, and an invalid byte.
        let csi = "\u{9b}".as_bytes();
        assert_eq!(
            through(&[b"x", &csi[..1], &csi[1..], b"\xff!"], Mode::Text),
            "x\\u{9b}\\xff!"
        );
        assert_eq!(through(&[b"\"\x1b\""], Mode::Json), "\"\\u001b\"");
    }

    #[test]
    fn csv_and_markdown_cells() {
        assert_eq!(csv("a/b"), "a/b");
        assert_eq!(csv("TCP 80,443"), "\"TCP 80,443\"");
        assert_eq!(csv("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
        assert_eq!(md("a|b `c` <d>\r\ne"), "a\\|b \\`c\\` &lt;d&gt;<br>e");
        assert_eq!(md("x/y"), "x/y");
    }
}
