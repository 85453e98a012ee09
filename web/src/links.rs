//! Links for courses: what the page's URL asks for, and the link of a lesson.
//!
//! The fragment holds `&`-separated parameters: `example=seed/04` (or a full id),
//! `exercise=01` (number, name or id), `src=lessons/my-step.yaml` (a scenario or
//! manifest on the same site), `embed` (the compact layout for an iframe; `?embed` works
//! too). A share link (`#s=...`) is its own thing (`share.rs`). The current lesson is
//! written to the fragment with `history.pushState`, so the browser's Back button goes to
//! the previous step.

use crate::lessons::LessonInfo;

/// What a URL asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    /// `example=` or `exercise=`: (group hint, what was written).
    pub lesson: Option<(Option<&'static str>, String)>,
    /// `src=`: the path as written (checked by [`safe_path`] before use).
    pub src: Option<String>,
    pub embed: bool,
}

/// Reads `#...` (and `?...` for `embed`). Unknown parameters are ignored.
pub fn parse(fragment: &str, query: &str) -> Link {
    let mut link = Link::default();
    let frag = fragment.strip_prefix('#').unwrap_or(fragment);
    for p in frag.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        let v = decode(v);
        match k {
            "example" => link.lesson = Some((None, v)),
            "exercise" => link.lesson = Some((Some("exercises"), v)),
            "src" => link.src = Some(v),
            "embed" => link.embed = true,
            _ => {}
        }
    }
    let q = query.strip_prefix('?').unwrap_or(query);
    if q.split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
    {
        link.embed = true;
    }
    link
}

/// `%xx` escapes decoded (invalid ones kept as written); `+` stays `+`.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a `#src=` path is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    Empty,
    /// A scheme, `//host`, a leading `/`, a drive or backslash: not a relative path.
    NotRelative,
    /// A `..` (or `.`, or an empty) segment: it could leave the site's directory.
    Escapes,
    /// Control characters, `?` or `#`.
    Characters,
}

/// A `#src=` path (already decoded) if it is a plain relative path inside the site's
/// directory: segments of ordinary characters, no `..`, `.` or empty segment, no scheme,
/// host, query or fragment. The page also checks, after resolving it against its own
/// URL, that it stays on the same origin and under its directory.
pub fn safe_path(p: &str) -> Result<String, Refused> {
    let p = p.trim();
    if p.is_empty() {
        return Err(Refused::Empty);
    }
    if p.starts_with('/') || p.contains('\\') || p.contains(':') {
        return Err(Refused::NotRelative);
    }
    if p.chars().any(|c| c.is_control() || c == '?' || c == '#') {
        return Err(Refused::Characters);
    }
    if p.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err(Refused::Escapes);
    }
    Ok(p.to_string())
}

/// The fragment that opens `lesson`: `#example=seed/04`, `#exercise=01`, `#src=...`;
/// with `&embed` in embed mode.
pub fn fragment(lesson: &LessonInfo, embed: bool) -> String {
    let n = lesson.number();
    let mut f = if let Some(path) = lesson.id.strip_prefix("src:") {
        format!("#src={path}")
    } else if lesson.group == "exercises" {
        format!("#exercise={}", if n.is_empty() { &lesson.id } else { n })
    } else if n.is_empty() {
        format!("#example={}", lesson.id)
    } else {
        format!("#example={}/{n}", lesson.group)
    };
    if embed {
        f.push_str("&embed");
    }
    f
}
