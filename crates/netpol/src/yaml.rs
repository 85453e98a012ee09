//! A YAML tree that remembers where every node came from, read the way kubectl reads it.
//!
//! Manifests are parsed with libyaml's event API (`unsafe-libyaml`, the parser serde_yaml
//! uses) into [`Node`]s carrying byte ranges, so every diagnostic can point at the exact
//! field. The input is first split into documents at `---` lines, so one broken document
//! never hides the others. Work is bounded: nesting depth and the number of nodes an
//! alias may expand to are capped (see [`Limits`]), which defuses "billion laughs" input.
//!
//! kubectl reads manifests with sigs.k8s.io/yaml: go-yaml v2 (YAML 1.1) into Go values,
//! converted to JSON, which the API server decodes into typed structs. This module gives
//! the tree that JSON's meaning (each rule cites its upstream source; the fixtures in
//! `tests/input/` show each one):
//! - scalars are typed by go-yaml v2's `resolve` (`goyaml.v2/resolve.go`): `yes`/`on`/`y`
//!   are booleans, `0120` is octal, `0x50` hex, `1_000` a thousand, `80.0` the JSON
//!   number `80`; an explicit tag (`!!str 80`) wins;
//! - in every mapping a later duplicate key replaces the earlier one (go-yaml v2 decodes
//!   into a Go map, `decode.go` `setMapIndex`), with a warning naming both places;
//! - a merge key `<<` is applied where it stands (`decode.go` `mapping` / `merge`): keys
//!   after it override merged ones, keys before it are overridden (warned), and in
//!   `<<: [*a, *b]` the earlier map wins;
//! - keys that are not strings become strings as sigs.k8s.io/yaml writes them (`yaml.go`
//!   `convertToJSONableObject`: `y:` is the key `true`), with a warning; a null key, a
//!   collection key or a `.inf`/`.nan` value make kubectl refuse the document;
//! - a UTF-8 byte order mark is skipped at the start of the text and of every line, and
//!   CR-only, LF and CRLF line breaks all split lines (byte ranges stay exact); where
//!   kubectl's own document splitter (`k8s.io/apimachinery/pkg/util/yaml` `YAMLReader`)
//!   sees the text differently (a `%YAML` directive, content after `---`, a `---` after a
//!   lone CR or a byte order mark, text after `...`), a [`Note`] says so.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diag::{Diagnostic, LineIndex, Location, Severity};

/// Caps on the work one input may cause. Past a limit the loader reports an error
/// diagnostic instead of doing the work. The defaults and the reasons for them are in
/// `docs/limits.md`.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum nesting of sequences and mappings, aliases expanded included.
    pub max_depth: usize,
    /// Maximum number of nodes one document may hold after alias expansion.
    pub max_nodes: usize,
    /// Maximum number of nodes the whole input (every source of one load) may hold after
    /// alias expansion: many small alias bombs add up.
    pub max_total_nodes: usize,
    /// Maximum number of nodes the whole input may copy through aliases (`*name`): real
    /// manifests copy few, an alias bomb millions. Kept well under `max_total_nodes`, so a
    /// bomb is refused early (memory and time) while plain large inputs keep their room.
    pub max_alias_nodes: usize,
    /// Maximum size of the whole input in bytes (every source of one load).
    pub max_input_bytes: usize,
    /// Maximum number of documents (`---` separated, empty ones included) in one source.
    pub max_documents: usize,
    /// Maximum number of diagnostics one load reports; the rest are summarized in one.
    pub max_diagnostics: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 4_000_000,
            max_total_nodes: 4_000_000,
            max_alias_nodes: 500_000,
            max_input_bytes: 16 * 1024 * 1024,
            max_documents: 10_000,
            max_diagnostics: 1_000,
        }
    }
}

/// What is left of [`Limits::max_total_nodes`] and [`Limits::max_alias_nodes`] while the
/// sources of one load are parsed.
#[derive(Clone, Debug)]
pub struct Budget {
    pub nodes: usize,
    pub aliased: usize,
}

impl Budget {
    pub fn new(limits: &Limits) -> Self {
        Budget {
            nodes: limits.max_total_nodes,
            aliased: limits.max_alias_nodes,
        }
    }
}

/// `16 MiB`, `1.5 MiB`, `900 KiB`, `12 bytes`: sizes in limit messages.
pub fn human_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        let tenths = bytes / (MIB / 10);
        if tenths.is_multiple_of(10) {
            format!("{} MiB", tenths / 10)
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if bytes >= KIB {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range in the whole input.
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A scalar: `value` is its text as written (after YAML unquoting), `plain` is false
    /// for quoted and block scalars, `ty` its type as kubectl resolves it. Mapping keys
    /// hold the JSON key kubectl makes of them (`y:` holds `true`), typed [`ScalarType::Str`].
    Scalar {
        value: String,
        plain: bool,
        ty: ScalarType,
    },
    Seq(Vec<Node>),
    /// Keys are kept as nodes so that unknown-field diagnostics can point at the key. Each
    /// key appears once: the value kubectl keeps (see the module documentation).
    Map(Vec<(Node, Node)>),
}

/// A scalar's type as go-yaml v2 resolves it (YAML 1.1, `goyaml.v2/resolve.go`), which is
/// what kubectl sends on as JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarType {
    Null,
    Bool(bool),
    Int(i64),
    /// A float (`1.5`, `1e3`, `80.0`, `.inf`).
    Float(f64),
    /// An integer that needs more than 64 signed bits (`18446744073709551615`).
    BigInt,
    Str,
    /// The merge key `<<` (plain, or tagged `!!merge`).
    Merge,
}

/// The typed value of a scalar as the API server sees it in kubectl's JSON: null,
/// booleans, integers (a float with no fraction, such as `80.0`, is the JSON number `80`),
/// other numbers, strings.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A number that is not a 64-bit integer (`1.5`, `1e30`).
    Float,
    Str(&'a str),
}

impl Node {
    pub fn scalar(&self) -> Option<Scalar<'_>> {
        let NodeKind::Scalar { value, ty, .. } = &self.kind else {
            return None;
        };
        Some(match *ty {
            ScalarType::Null => Scalar::Null,
            ScalarType::Bool(b) => Scalar::Bool(b),
            ScalarType::Int(i) => Scalar::Int(i),
            ScalarType::Float(f) => json_integer(f).map_or(Scalar::Float, Scalar::Int),
            ScalarType::BigInt => Scalar::Float,
            ScalarType::Str | ScalarType::Merge => Scalar::Str(value),
        })
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }

    /// The scalar's text whatever its type (`80` and `"80"` both give `80`).
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// A string scalar (quoted, or plain that does not read as null/bool/number).
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar()? {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self.scalar()? {
            Scalar::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// Looks a key up in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.text() == Some(key))
            .map(|(_, v)| v)
    }

    /// The key node of `key` in a mapping (for diagnostics on the key itself).
    pub fn key_node(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.text() == Some(key))
            .map(|(k, _)| k)
    }

    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
            NodeKind::Scalar { .. } => match self.scalar() {
                Some(Scalar::Null) => "null",
                Some(Scalar::Bool(_)) => "a boolean",
                Some(Scalar::Int(_)) | Some(Scalar::Float) => "a number",
                _ => "a string",
            },
        }
    }

    /// (number of nodes, nesting of collections: 0 for a scalar, 1 for `[x]`).
    fn measure(&self) -> (usize, usize) {
        match &self.kind {
            NodeKind::Scalar { .. } => (1, 0),
            NodeKind::Seq(items) => items.iter().fold((1, 1), |(n, d), item| {
                let (cn, cd) = item.measure();
                (n + cn, d.max(cd + 1))
            }),
            NodeKind::Map(entries) => entries.iter().fold((1, 1), |(n, d), (k, v)| {
                let (kn, kd) = k.measure();
                let (vn, vd) = v.measure();
                (n + kn + vn, d.max(kd + 1).max(vd + 1))
            }),
        }
    }
}

/// The integer Go's `encoding/json` writes for a float64 with no fraction (`80.0` is sent
/// as `80`, which decodes into an int32 or an IntOrString port).
fn json_integer(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i64)
}

// ---------------------------------------------------------------------------------------
// Scalar resolution: go-yaml v2's `resolve` (sigs.k8s.io/yaml/goyaml.v2/resolve.go).

/// The type of an untagged plain scalar. The first character picks what it may be (the
/// `resolveTable` hint), then the word table (booleans, nulls, infinities), then Go's
/// `strconv.ParseInt(s, 0, 64)` / `ParseUint` / the float pattern on the text without
/// underscores. Timestamps (`2024-01-02`) stay strings, as go-yaml keeps them when
/// decoding into `interface{}`.
fn resolve_plain(v: &str) -> ScalarType {
    let Some(&first) = v.as_bytes().first() else {
        return ScalarType::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            resolve_word(v)
        }
        b'.' => resolve_word(v).or_else(|| {
            yaml_style_float(v)
                .then(|| finite_float(v))
                .flatten()
                .map(ScalarType::Float)
        }),
        b'0'..=b'9' => resolve_number(v),
        b'+' | b'-' => resolve_word(v).or_else(|| resolve_number(v)),
        _ => None,
    }
    .unwrap_or(ScalarType::Str)
}

/// go-yaml v2's `resolveMap`.
fn resolve_word(v: &str) -> Option<ScalarType> {
    Some(match v {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            ScalarType::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            ScalarType::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => ScalarType::Null,
        ".nan" | ".NaN" | ".NAN" => ScalarType::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => ScalarType::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => ScalarType::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_number(v: &str) -> Option<ScalarType> {
    let plain: std::borrow::Cow<'_, str> = if v.contains('_') {
        v.replace('_', "").into()
    } else {
        v.into()
    };
    if let Ok(i) = go_parse_int(&plain) {
        return Some(ScalarType::Int(i));
    }
    let unsigned = go_parse_uint(&plain);
    if unsigned.is_ok() {
        return Some(ScalarType::BigInt);
    }
    if yaml_style_float(&plain) {
        if let Some(f) = finite_float(&plain) {
            return Some(ScalarType::Float(f));
        }
    }
    // Too large for 64 bits but well formed: go-yaml makes a big.Int of it.
    (unsigned == Err(NumError::Range)).then_some(ScalarType::BigInt)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum NumError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseUint(s, 0, 64)`: `0x`/`0o`/`0b` prefixes, a leading `0` for octal,
/// no sign.
fn go_parse_uint(s: &str) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let prefixed = |p: &[&str]| {
        p.iter()
            .find_map(|p| s.strip_prefix(p))
            .filter(|_| s.len() >= 3)
    };
    let (base, digits) = if let Some(d) = prefixed(&["0b", "0B"]) {
        (2, d)
    } else if let Some(d) = prefixed(&["0o", "0O"]) {
        (8, d)
    } else if let Some(d) = prefixed(&["0x", "0X"]) {
        (16, d)
    } else if let Some(d) = s.strip_prefix('0') {
        (8, d)
    } else {
        (10, s)
    };
    // Syntax is checked to the end (Go stops at an overflow, but go-yaml then needs the
    // whole text to be a valid number for a big.Int, which comes to the same).
    let mut n = Some(0u64);
    for c in digits.chars() {
        let d = match c.to_digit(36) {
            Some(d) if d < base => d,
            _ => return Err(NumError::Syntax),
        };
        n = n.and_then(|n| n.checked_mul(u64::from(base))?.checked_add(u64::from(d)));
    }
    n.ok_or(NumError::Range)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn go_parse_int(s: &str) -> Result<i64, NumError> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest.is_empty() {
        return Err(NumError::Syntax);
    }
    let u = go_parse_uint(rest)?;
    if neg {
        if u > 1u64 << 63 {
            return Err(NumError::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).map_err(|_| NumError::Range)
    }
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat` on text matching [`yaml_style_float`]; `None` when it overflows
/// (Go reports a range error and go-yaml then keeps the text as a string).
fn finite_float(s: &str) -> Option<f64> {
    let f: f64 = s.strip_prefix('+').unwrap_or(s).parse().ok()?;
    f.is_finite().then_some(f)
}

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// The type of a scalar with its tag (if any), as go-yaml v2's `resolve(tag, value)`:
/// untagged quoted scalars are strings, explicit standard tags are checked against the
/// value (`!!int abc` is an error kubectl refuses the document for), other tags leave
/// the text a string.
fn resolve_tagged(tag: Option<&str>, value: &str, plain: bool) -> Result<ScalarType, String> {
    let Some(tag) = tag else {
        return Ok(if !plain {
            ScalarType::Str
        } else if value == "<<" {
            ScalarType::Merge
        } else {
            resolve_plain(value)
        });
    };
    let Some(short) = tag.strip_prefix(TAG_PREFIX) else {
        return Ok(ScalarType::Str);
    };
    let resolved = resolve_plain(value);
    let ok = match short {
        "merge" if value == "<<" => Some(ScalarType::Merge),
        "int" => matches!(resolved, ScalarType::Int(_) | ScalarType::BigInt).then_some(resolved),
        "float" => match resolved {
            ScalarType::Int(i) => Some(ScalarType::Float(i as f64)),
            ScalarType::Float(_) => Some(resolved),
            _ => None,
        },
        "bool" => matches!(resolved, ScalarType::Bool(_)).then_some(resolved),
        "null" => matches!(resolved, ScalarType::Null).then_some(resolved),
        _ => Some(ScalarType::Str),
    };
    ok.ok_or_else(|| {
        let found = match resolved {
            ScalarType::Null => "null",
            ScalarType::Bool(_) => "bool",
            ScalarType::Int(_) | ScalarType::BigInt => "int",
            ScalarType::Float(_) => "float",
            ScalarType::Str | ScalarType::Merge => "str",
        };
        format!("kubectl cannot read `{value}` as `!!{short}` (go-yaml: \"cannot decode !!{found} `{value}` as a !!{short}\"), so it refuses this document")
    })
}

/// The JSON key sigs.k8s.io/yaml makes of a resolved scalar key (`convertToJSONableObject`
/// in `yaml.go`): ints in decimal, booleans `true`/`false`, floats as Go's
/// `strconv.FormatFloat(f, 'g', -1, 32)`; `Err` for keys it cannot convert.
fn json_key(value: &str, ty: ScalarType) -> Result<String, &'static str> {
    match ty {
        ScalarType::Str | ScalarType::Merge => Ok(value.to_string()),
        ScalarType::Int(i) => Ok(i.to_string()),
        ScalarType::Bool(b) => Ok(b.to_string()),
        ScalarType::Float(f) => Ok(go_format_float32(f)),
        ScalarType::Null => Err("a null key"),
        ScalarType::BigInt => Err("a key that is a number beyond 64 bits"),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` with go-yaml's names for infinities and NaN.
fn go_format_float32(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as Go's shortest mode.
    let e = format!("{x:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::from(if mantissa.starts_with('-') { "-" } else { "" });
    let nd = digits.len() as i32;
    let dp = exp + 1;
    if !(-4..6).contains(&exp) {
        let mut chars = digits.chars();
        out.extend(chars.next());
        let rest: String = chars.collect();
        if !rest.is_empty() {
            out.push('.');
            out.push_str(&rest);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if dp <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-dp) as usize));
        out.push_str(&digits);
    } else if dp >= nd {
        out.push_str(&digits);
        out.push_str(&"0".repeat((dp - nd) as usize));
    } else {
        let (int, frac) = digits.split_at(dp as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// One YAML document of the input.
#[derive(Clone, Debug)]
pub struct Document {
    /// 0-based position among the input's documents (empty documents included).
    pub index: usize,
    /// Byte range of the document's text in the input.
    pub span: Range<usize>,
    /// `None` for an empty document (a null root included, which kubectl skips too) or
    /// one that failed to parse.
    pub root: Option<Node>,
    /// What the reading found worth saying about this document that did not stop it from
    /// loading: duplicate keys, keys kubectl turns into other strings, places where
    /// kubectl's document splitter sees the text differently.
    pub notes: Vec<Note>,
}

/// A YAML syntax error (or a limit hit) in one document.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub doc: usize,
    pub message: String,
    pub span: Range<usize>,
    /// A limit of [`Limits`] was hit (the text may well be valid YAML).
    pub limit: bool,
}

/// A diagnostic of the YAML layer about a document that still loaded (see
/// [`Document::notes`]); [`Note::diagnostic`] makes a [`Diagnostic`] of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// Byte range in the input.
    pub span: Range<usize>,
    /// A second place the note is about (the earlier of two duplicate keys).
    pub related: Option<Range<usize>>,
}

impl Note {
    pub fn diagnostic(&self, source: usize, doc: usize) -> Diagnostic {
        let at = |range: Range<usize>| Location { source, doc, range };
        let mut d = Diagnostic::new(
            self.severity,
            self.code,
            self.message.clone(),
            at(self.span.clone()),
        );
        d.help = self.help.clone();
        d.related = self.related.clone().map(at);
        d
    }
}

/// Why a document stopped loading: message, byte offset in the input, a limit or not.
type Failure = (String, usize, bool);

/// Splits `text` into documents and parses each. Never fails: syntax errors are returned
/// beside the documents that did parse.
pub fn parse(text: &str, limits: &Limits) -> (Vec<Document>, Vec<SyntaxError>) {
    parse_within(text, limits, &mut Budget::new(limits))
}

/// [`parse`], spending the node budget shared by the sources of one load. Documents past
/// [`Limits::max_documents`], or once the budget is spent, are reported once and skipped.
pub fn parse_within(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
) -> (Vec<Document>, Vec<SyntaxError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let (ranges, split_notes) = split(text);
    let mut split_notes = std::collections::VecDeque::from(split_notes);
    let lines = OnceCell::new();
    let count = ranges.len();
    for (index, range) in ranges.into_iter().enumerate() {
        let chunk = &text[range.clone()];
        let skipped = if index >= limits.max_documents {
            Some(format!(
                "the input has {count} documents, more than the limit of {}; this one and the {} after it were not loaded",
                limits.max_documents,
                count - index - 1
            ))
        } else if budget.nodes == 0 {
            Some(format!(
                "the input has more than {} YAML nodes in all; this document and the {} after it were not loaded",
                limits.max_total_nodes,
                count - index - 1
            ))
        } else {
            None
        };
        if let Some(message) = skipped {
            let start = range.start;
            errors.push(SyntaxError {
                doc: index,
                message,
                span: start..next_char_boundary(text, start).min(range.end.max(start)),
                limit: true,
            });
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
            let (result, built_notes) = parse_one(text, range.clone(), limits, budget, &lines);
            match result {
                Ok(root) => {
                    notes.extend(built_notes);
                    root
                }
                Err((message, at, limit)) => {
                    // Point at a character: an error at the very end points at the last one
                    // (at its first byte: the last character may take several).
                    let start = prev_char_boundary(
                        text,
                        at.min(range.end.saturating_sub(1)).max(range.start),
                    );
                    let end = next_char_boundary(text, start).min(range.end.max(start));
                    errors.push(SyntaxError {
                        doc: index,
                        message,
                        span: start..end,
                        limit,
                    });
                    // A spent alias budget means an alias bomb: the rest is not read either.
                    stop = (capped_by_total && budget.nodes == 0) || budget.aliased == 0;
                    None
                }
            }
        };
        docs.push(Document {
            index,
            span: range,
            root: root.filter(|r| !r.is_null()),
            notes,
        });
        if stop {
            break;
        }
    }
    (docs, errors)
}

fn prev_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    let mut end = at + 1;
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.min(text.len())
}

const BOM: &str = "\u{feff}";

/// The lines of `text` as (start, end of content, end with the line break): a line ends
/// at LF, CRLF or a lone CR, YAML's three line breaks.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
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
enum Line {
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
fn classify(line: &str) -> Line {
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
fn is_only_comments(chunk: &str) -> bool {
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
pub fn split_documents(text: &str) -> Vec<Range<usize>> {
    split(text).0
}

/// [`split_documents`], and notes (in text order) where kubectl's own splitter
/// (apimachinery `util/yaml` `YAMLReader`: lines end at LF only, a separator is a line
/// beginning with `---` followed by nothing but blanks or a comment) reads the text
/// differently.
fn split(text: &str) -> (Vec<Range<usize>>, Vec<Note>) {
    let mut starts = vec![0usize];
    let mut notes = Vec::new();
    let note = |severity, code, message: String, help: &str, span: Range<usize>| Note {
        severity,
        code,
        message,
        help: Some(help.to_string()),
        span,
        related: None,
    };
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
    if let Some(&first) = cr_splits.first() {
        let more = match cr_splits.len() - 1 {
            0 => String::new(),
            1 => " (nor the one after it)".into(),
            n => format!(" (nor the {n} after it)"),
        };
        notes.push(note(
            Severity::Warning,
            "kubectl-split",
            format!("kubectl does not split the documents at this `---`{more}: the text has CR-only line breaks (old Mac style), and kubectl's reader breaks lines at LF only, so it reads one document from the whole text (and refuses it if it begins with `---`); the playground reads every document"),
            "convert the line endings to LF (or CRLF)",
            first..first + 3,
        ));
    }
    notes.sort_by_key(|n| n.span.start);
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..text.len());
    }
    // A leading `---` (first line) belongs to the first document: nothing to merge.
    // Drop an empty prelude before a first `---` only when it holds nothing but comments.
    if ranges.len() > 1 && is_only_comments(&text[ranges[0].clone()]) {
        let first = ranges.remove(0);
        ranges[0].start = first.start;
    }
    (ranges, notes)
}

enum Frame {
    Seq {
        start: usize,
        items: Vec<Node>,
        anchor: Option<String>,
    },
    Map {
        start: usize,
        map: MapBuild,
        key: Option<Node>,
        anchor: Option<String>,
    },
}

/// A mapping being built: each JSON key once, holding the value kubectl keeps.
#[derive(Default)]
struct MapBuild {
    entries: Vec<(Node, Node)>,
    /// Per entry: its value came through a merge key (`<<`), not written in this mapping
    /// (empty while no merge key was met).
    merged: Vec<bool>,
    /// Key -> entry, built once the mapping is large enough for lookups to matter, so
    /// that building stays linear.
    index: Option<HashMap<String, usize>>,
    /// A one-word filter of the keys present ([`key_bit`]): most keys are new, and this
    /// says so without comparing them with every key before them.
    bits: u64,
}

/// A bit for a key, from its length and its first and last bytes.
fn key_bit(key: &str) -> u64 {
    let b = key.as_bytes();
    let (first, last) = (b.first().copied(), b.last().copied());
    let h = b.len() * 7 + usize::from(first.unwrap_or(0)) * 3 + usize::from(last.unwrap_or(0));
    1 << (h % 64)
}

impl MapBuild {
    fn find(&mut self, key: &str) -> Option<usize> {
        if self.bits & key_bit(key) == 0 {
            return None;
        }
        if self.index.is_none() && self.entries.len() >= 16 {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .filter_map(|(i, (k, _))| Some((k.text()?.to_owned(), i)))
                    .collect(),
            );
        }
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k.text() == Some(key)),
        }
    }

    fn is_merged(&self, i: usize) -> bool {
        self.merged.get(i).copied().unwrap_or(false)
    }

    /// Records whether entry `i` came from a merge (`merged` stays empty until one does).
    fn mark(&mut self, i: usize, merged: bool) {
        if merged || !self.merged.is_empty() {
            self.merged.resize(self.entries.len(), false);
            if let Some(m) = self.merged.get_mut(i) {
                *m = merged;
            }
        }
    }

    fn add(&mut self, k: Node, v: Node, merged: bool) {
        if let Some(text) = k.text() {
            self.bits |= key_bit(text);
            if let Some(index) = self.index.as_mut() {
                index.insert(text.to_owned(), self.entries.len());
            }
        }
        self.entries.push((k, v));
        self.mark(self.entries.len() - 1, merged);
    }

    fn set(&mut self, i: usize, k: Node, v: Node, merged: bool) {
        if let Some(e) = self.entries.get_mut(i) {
            *e = (k, v);
        }
        self.mark(i, merged);
    }
}

/// The notes of the document being built, and what they need to name lines.
struct Notes<'t> {
    list: Vec<Note>,
    text: &'t str,
    lines: &'t OnceCell<LineIndex>,
}

impl Notes<'_> {
    /// The 1-based line and column of an input offset.
    fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(self.text))
            .line_col(self.text, offset)
    }

    fn warn(
        &mut self,
        code: &'static str,
        message: String,
        help: String,
        span: Range<usize>,
    ) -> &mut Note {
        self.list.push(Note {
            severity: Severity::Warning,
            code,
            message,
            help: Some(help),
            span,
            related: None,
        });
        let last = self.list.len() - 1;
        &mut self.list[last]
    }
}

struct Builder<'l> {
    limits: &'l Limits,
    /// The chunk's offset in the input.
    base: usize,
    /// Offsets (in the text given to libyaml) where a byte order mark was taken out.
    boms: Vec<usize>,
    stack: Vec<Frame>,
    anchors: HashMap<String, Node>,
    nodes: usize,
    /// How many of `nodes` come from expanding aliases.
    aliased: usize,
    /// `limits.max_nodes`, or less when the input's total budget has less left.
    node_cap: usize,
    /// What the input's alias budget has left for this document.
    alias_cap: usize,
    root: Option<Node>,
    /// While > 0: inside a subtree nobody reads (`managedFields`), whose events are
    /// dropped; counts its open collections. `skip_start` is where it began.
    skip_depth: usize,
    skip_start: usize,
    notes: Notes<'l>,
}

/// Keys whose values are server bookkeeping that no part of the evaluator reads; their
/// subtrees are parsed (for syntax) but not built, which saves much of the work on
/// `kubectl get -o yaml --show-managed-fields` dumps.
const SKIPPED_KEYS: &[&str] = &["managedFields"];

impl Builder<'_> {
    /// The input offset of a libyaml mark.
    fn at(&self, index: usize) -> usize {
        self.base + index + BOM.len() * self.boms.partition_point(|&p| p <= index)
    }

    /// The error once the nodes counted so far pass the cap, pointing at `at`.
    fn check_nodes(&self, at: usize) -> Result<(), Failure> {
        if self.nodes <= self.node_cap {
            return Ok(());
        }
        let bomb = if self.aliased > 0 {
            " through aliases (an alias bomb?)"
        } else {
            ""
        };
        let message = if self.node_cap < self.limits.max_nodes {
            format!(
                "the input has more than {} YAML nodes in all{bomb}; this document and the ones after it were not loaded",
                self.limits.max_total_nodes
            )
        } else {
            format!(
                "the document has more than {} YAML nodes{bomb}; it was not loaded",
                self.limits.max_nodes
            )
        };
        Err((message, at, true))
    }

    /// Adds a finished node to its parent (or makes it the root). `at` is its input offset.
    fn push(&mut self, node: Node, at: usize) -> Result<(), Failure> {
        let is_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
        if let NodeKind::Scalar {
            value,
            ty: ScalarType::Float(f),
            ..
        } = &node.kind
        {
            if !is_key && !f.is_finite() {
                return Err((
                    format!("kubectl cannot send `{value}` to the API server: JSON has no infinity or NaN (\"json: unsupported value\"), so it refuses this document"),
                    node.span.start,
                    false,
                ));
            }
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => insert(map, k, node, &mut self.notes)?,
            },
        }
        self.check_nodes(at)
    }
}

/// Adds `k: v` to a mapping as go-yaml v2 decodes into a Go map (`decode.go` `mapping`,
/// `setMapIndex`): a merge key merges, a later duplicate replaces the earlier value.
fn insert(map: &mut MapBuild, mut k: Node, v: Node, notes: &mut Notes<'_>) -> Result<(), Failure> {
    if matches!(
        k.kind,
        NodeKind::Scalar {
            ty: ScalarType::Merge,
            ..
        }
    ) {
        return merge(map, &k, v, notes);
    }
    json_key_of(&mut k, notes)?;
    match map.find(k.text().unwrap_or_default()) {
        None => map.add(k, v, false),
        Some(i) => {
            if !map.is_merged(i) {
                let key = k.text().unwrap_or_default();
                let earlier = map
                    .entries
                    .get(i)
                    .map(|(e, _)| e.span.clone())
                    .unwrap_or_default();
                let (line, col) = notes.line_col(earlier.start);
                notes
                    .warn(
                        "duplicate-key",
                        format!("duplicate key `{key}`: kubectl keeps this value and drops the one at line {line}, column {col}"),
                        "delete one of the two: kubectl reads a mapping into a map, where the last value of a key wins".into(),
                        k.span.clone(),
                    )
                    .related = Some(earlier);
            }
            map.set(i, k, v, false);
        }
    }
    Ok(())
}

/// Gives a key node the JSON key kubectl makes of it (sigs.k8s.io/yaml
/// `convertToJSONableObject`), warning when that differs from the text.
fn json_key_of(k: &mut Node, notes: &mut Notes<'_>) -> Result<(), Failure> {
    let at = k.span.start;
    let span = k.span.clone();
    let NodeKind::Scalar { value, ty, .. } = &mut k.kind else {
        return Err((
            "kubectl cannot use a list or a mapping as a key (go-yaml: \"invalid map key\"), so it refuses this document".into(),
            at,
            false,
        ));
    };
    if matches!(ty, ScalarType::Str | ScalarType::Merge) {
        return Ok(());
    }
    let key = json_key(value, *ty).map_err(|what| {
        (
            format!("kubectl cannot turn {what} (`{value}`) into a JSON key (sigs.k8s.io/yaml: \"unsupported map key\"), so it refuses this document"),
            at,
            false,
        )
    })?;
    if key != *value {
        let what = match ty {
            ScalarType::Bool(_) => "a boolean",
            _ => "a number",
        };
        notes.warn(
            "key-not-string",
            format!("key `{value}` is {what} in YAML 1.1, so kubectl reads it as the key `{key}`"),
            format!("quote it: `\"{value}\":`"),
            span,
        );
        *value = key;
    }
    *ty = ScalarType::Str;
    Ok(())
}

/// A merge key's value merged into `map` as go-yaml v2 does (`decode.go` `merge`): where
/// the `<<` stands, overwriting keys written before it; of a list of maps the first that
/// has a key wins (go-yaml merges the list from its end).
fn merge(map: &mut MapBuild, k: &Node, value: Node, notes: &mut Notes<'_>) -> Result<(), Failure> {
    let fail = (
        "a merge key `<<` needs a mapping or a list of mappings (go-yaml: \"map merge requires map or sequence of maps as the value\"), so kubectl refuses this document".to_string(),
        value.span.start,
        false,
    );
    let sources: Vec<Node> = match value.kind {
        NodeKind::Map(_) => vec![value],
        NodeKind::Seq(items) if items.iter().all(|i| i.as_map().is_some()) => items,
        _ => return Err(fail),
    };
    let mut seen = HashSet::new();
    for src in sources {
        let NodeKind::Map(entries) = src.kind else {
            continue;
        };
        for (sk, sv) in entries {
            let Some(key) = sk.text().map(str::to_owned) else {
                continue;
            };
            if !seen.insert(key.clone()) {
                continue;
            }
            match map.find(&key) {
                None => map.add(sk, sv, true),
                Some(i) => {
                    if !map.is_merged(i) {
                        let explicit = map
                            .entries
                            .get(i)
                            .map(|(e, _)| e.span.clone())
                            .unwrap_or_default();
                        let (line, col) = notes.line_col(k.span.start);
                        notes
                            .warn(
                                "merge-overrides-key",
                                format!("the merge `<<` at line {line}, column {col} replaces this `{key}`: kubectl applies a merge key where it stands, so keys written before it lose (the YAML merge spec would keep them)"),
                                "write `<<:` first in the mapping: keys after it override the merged ones".into(),
                                explicit,
                            )
                            .related = Some(k.span.clone());
                    }
                    map.set(i, sk, sv, true);
                }
            }
        }
    }
    Ok(())
}

/// The text given to libyaml: `chunk` without a byte order mark at the start of a line
/// (libyaml would skip it but count it as a column, which breaks the indentation), and
/// where each was taken out.
fn without_boms(chunk: &str) -> (std::borrow::Cow<'_, str>, Vec<usize>) {
    if !chunk.contains(BOM) {
        return (std::borrow::Cow::Borrowed(chunk), Vec::new());
    }
    let mut out = String::with_capacity(chunk.len());
    let mut boms = Vec::new();
    for (s, _, e) in lines(chunk) {
        let line = chunk.get(s..e).unwrap_or_default();
        match line.strip_prefix(BOM) {
            Some(rest) => {
                boms.push(out.len());
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    (std::borrow::Cow::Owned(out), boms)
}

struct Parser {
    sys: Box<std::mem::MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    initialized: bool,
}

impl Drop for Parser {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: the parser was initialized by yaml_parser_initialize.
            unsafe { unsafe_libyaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
    }
}

unsafe fn c_str(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: libyaml hands out NUL-terminated strings.
    let s = unsafe { std::ffi::CStr::from_ptr(ptr.cast()) };
    Some(s.to_string_lossy().into_owned())
}

/// Parses one document: `range` of `text`. Returns the root (None when empty) or why it
/// stopped, with the notes made while building it. The nodes it builds (or had built when
/// it stopped) are taken from `budget`.
fn parse_one<'l>(
    text: &'l str,
    range: Range<usize>,
    limits: &'l Limits,
    budget: &mut Budget,
    lines: &'l OnceCell<LineIndex>,
) -> (Result<Option<Node>, Failure>, Vec<Note>) {
    let chunk = text.get(range.clone()).unwrap_or_default();
    let (clean, boms) = without_boms(chunk);
    let bytes = clean.as_bytes();
    let mut parser = Parser {
        sys: Box::new(std::mem::MaybeUninit::uninit()),
        initialized: false,
    };
    let p = parser.sys.as_mut_ptr();
    // SAFETY: `p` points to owned, writable memory; the input outlives the parser.
    unsafe {
        if unsafe_libyaml::yaml_parser_initialize(p).fail {
            return (
                Err((
                    "the YAML parser could not start (out of memory)".into(),
                    range.start,
                    false,
                )),
                Vec::new(),
            );
        }
        parser.initialized = true;
        unsafe_libyaml::yaml_parser_set_encoding(p, unsafe_libyaml::YAML_UTF8_ENCODING);
        unsafe_libyaml::yaml_parser_set_input_string(p, bytes.as_ptr(), bytes.len() as u64);
    }
    let mut b = Builder {
        limits,
        base: range.start,
        boms,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        aliased: 0,
        node_cap: limits.max_nodes.min(budget.nodes),
        alias_cap: budget.aliased,
        root: None,
        skip_depth: 0,
        skip_start: 0,
        notes: Notes {
            list: Vec::new(),
            text,
            lines,
        },
    };
    let result = build(p, bytes.len(), &mut b);
    budget.nodes = budget.nodes.saturating_sub(b.nodes);
    budget.aliased = budget.aliased.saturating_sub(b.aliased);
    (result.map(|()| b.root), b.notes.list)
}

/// Feeds the parser's events to the builder until the end of the first document (a `...`
/// marker ends it; kubectl reads nothing more of the chunk either).
fn build(
    p: *mut unsafe_libyaml::yaml_parser_t,
    len: usize,
    b: &mut Builder<'_>,
) -> Result<(), Failure> {
    loop {
        let mut event = std::mem::MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        let ev = event.as_mut_ptr();
        // SAFETY: parser initialized; event memory owned here and deleted below.
        let ok = unsafe { !unsafe_libyaml::yaml_parser_parse(p, ev).fail };
        if !ok {
            // SAFETY: the prefix struct is the documented way to read the error fields.
            let (problem, context, at, reader, value) = unsafe {
                let parser: &unsafe_libyaml::yaml_parser_t = &*p;
                let reader = parser.error == unsafe_libyaml::YAML_READER_ERROR;
                (
                    c_str(parser.problem.cast()),
                    c_str(parser.context.cast()),
                    // Reader errors (bad characters) carry a byte offset, not a mark.
                    if reader {
                        parser.problem_offset as usize
                    } else {
                        parser.problem_mark.index as usize
                    },
                    reader,
                    parser.problem_value,
                )
            };
            let mut message = problem.unwrap_or_else(|| "invalid YAML".into());
            if let Some(ctx) = context {
                message = format!("{message} ({ctx})");
            }
            if reader {
                if let Some(c) = u32::try_from(value).ok().and_then(char::from_u32) {
                    message = format!("{message}: U+{:04X} here (binary data?)", c as u32);
                }
            }
            return Err((format!("invalid YAML: {message}"), b.at(at.min(len)), false));
        }
        // SAFETY: yaml_parser_parse succeeded, so the event is initialized.
        let result = unsafe { handle_event(b, &*ev) };
        // SAFETY: the event was produced by yaml_parser_parse.
        unsafe { unsafe_libyaml::yaml_event_delete(ev) };
        match result {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Returns Ok(true) at the end of the first document (or of the stream).
unsafe fn handle_event(
    b: &mut Builder<'_>,
    ev: &unsafe_libyaml::yaml_event_t,
) -> Result<bool, Failure> {
    let start = b.at(ev.start_mark.index as usize);
    let end = b.at(ev.end_mark.index as usize);
    let too_deep =
        |max: usize| format!("nesting deeper than {max} levels; the document was not loaded");
    if b.skip_depth > 0 {
        match ev.type_ {
            unsafe_libyaml::YAML_SEQUENCE_START_EVENT
            | unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                b.skip_depth += 1;
                if b.skip_depth + b.stack.len() > b.limits.max_depth {
                    return Err((too_deep(b.limits.max_depth), start, true));
                }
            }
            unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
                b.skip_depth -= 1;
                if b.skip_depth == 0 {
                    b.nodes += 1;
                    let node = Node {
                        kind: NodeKind::Scalar {
                            value: String::new(),
                            plain: true,
                            ty: ScalarType::Null,
                        },
                        span: b.skip_start..end,
                    };
                    b.push(node, start)?;
                }
            }
            _ => {}
        }
        return Ok(false);
    }
    let collection = matches!(
        ev.type_,
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT | unsafe_libyaml::YAML_MAPPING_START_EVENT
    );
    if collection {
        if let Some(Frame::Map { key: Some(k), .. }) = b.stack.last() {
            if k.text().is_some_and(|t| SKIPPED_KEYS.contains(&t)) {
                b.skip_depth = 1;
                b.skip_start = start;
                return Ok(false);
            }
        }
    }
    match ev.type_ {
        unsafe_libyaml::YAML_STREAM_END_EVENT | unsafe_libyaml::YAML_DOCUMENT_END_EVENT => {
            return Ok(true)
        }
        unsafe_libyaml::YAML_SCALAR_EVENT => {
            // SAFETY: the event is a scalar, so `data.scalar` is the active field.
            let (value, plain, anchor, tag) = unsafe {
                let s = &ev.data.scalar;
                let raw = std::slice::from_raw_parts(s.value, s.length as usize);
                (
                    String::from_utf8_lossy(raw).into_owned(),
                    s.style == unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE,
                    c_str(s.anchor),
                    c_str(s.tag),
                )
            };
            let ty =
                resolve_tagged(tag.as_deref(), &value, plain).map_err(|m| (m, start, false))?;
            b.nodes += 1;
            let node = Node {
                kind: NodeKind::Scalar { value, plain, ty },
                span: start..end,
            };
            if let Some(a) = anchor {
                b.anchors.insert(a, node.clone());
            }
            b.push(node, start)?;
        }
        unsafe_libyaml::YAML_ALIAS_EVENT => {
            // SAFETY: alias event: `data.alias` is active.
            let name = unsafe { c_str(ev.data.alias.anchor) }.unwrap_or_default();
            let Some(target) = b.anchors.get(&name) else {
                return Err((format!("unknown anchor `{name}`"), start, false));
            };
            // Anchored nodes were built within the limits, so this recursion is shallow.
            let (count, depth) = target.measure();
            if b.stack.len() + depth > b.limits.max_depth {
                return Err((
                    format!(
                        "nesting deeper than {} levels through alias `{name}`; the document was not loaded",
                        b.limits.max_depth
                    ),
                    start,
                    true,
                ));
            }
            b.nodes += count;
            b.aliased += count;
            if b.aliased > b.alias_cap {
                return Err((
                    format!(
                        "the input copies more than {} YAML nodes through aliases (an alias bomb?); this document and the ones after it were not loaded",
                        b.limits.max_alias_nodes
                    ),
                    start,
                    true,
                ));
            }
            b.check_nodes(start)?;
            let mut node = target.clone();
            node.span = start..end;
            b.push(node, start)?;
        }
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT | unsafe_libyaml::YAML_MAPPING_START_EVENT => {
            if b.stack.len() >= b.limits.max_depth {
                return Err((too_deep(b.limits.max_depth), start, true));
            }
            b.nodes += 1;
            // SAFETY: the active union field matches the event type.
            let anchor = unsafe {
                if ev.type_ == unsafe_libyaml::YAML_SEQUENCE_START_EVENT {
                    c_str(ev.data.sequence_start.anchor)
                } else {
                    c_str(ev.data.mapping_start.anchor)
                }
            };
            b.stack
                .push(if ev.type_ == unsafe_libyaml::YAML_SEQUENCE_START_EVENT {
                    Frame::Seq {
                        start,
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        start,
                        map: MapBuild::default(),
                        key: None,
                        anchor,
                    }
                });
        }
        unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
            let frame = b.stack.pop();
            let (node, anchor) = match frame {
                Some(Frame::Seq {
                    start: s,
                    items,
                    anchor,
                }) => (
                    Node {
                        kind: NodeKind::Seq(items),
                        span: s..end,
                    },
                    anchor,
                ),
                Some(Frame::Map {
                    start: s,
                    map,
                    anchor,
                    ..
                }) => (
                    Node {
                        kind: NodeKind::Map(map.entries),
                        span: s..end,
                    },
                    anchor,
                ),
                None => return Ok(false),
            };
            if let Some(a) = anchor {
                b.anchors.insert(a, node.clone());
            }
            b.push(node, start)?;
        }
        _ => {}
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let (docs, errors) = parse(input, &Limits::default());
        let mut out = String::new();
        for d in &docs {
            out.push_str(&format!("doc {} {:?}: ", d.index, d.span));
            match &d.root {
                None => out.push_str("empty\n"),
                Some(n) => out.push_str(&format!("{} at {:?}\n", n.type_name(), n.span)),
            }
        }
        for e in &errors {
            out.push_str(&format!(
                "error doc {} {:?}: {}\n",
                e.doc, e.span, e.message
            ));
        }
        assert_eq!(out.trim(), expected.trim(), "\n{out}");
    }

    #[test]
    fn splits_documents_and_keeps_offsets() {
        check(
            "a: 1\n---\nb: [1, 2]\n--- \n# only a comment\n",
            "doc 0 0..5: a mapping at 0..5\ndoc 1 5..19: a mapping at 9..19\ndoc 2 19..41: empty",
        );
    }

    #[test]
    fn broken_document_does_not_hide_others() {
        check(
            "a: 1\n---\nb: [1, 2\n---\nc: 3\n",
            "doc 0 0..5: a mapping at 0..5\ndoc 1 5..18: empty\ndoc 2 18..27: a mapping at 22..27\nerror doc 1 17..18: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)",
        );
    }

    #[test]
    fn leading_comment_block_and_marker() {
        check(
            "# kubectl edit\n# more\n---\na: 1\n",
            "doc 0 0..31: a mapping at 26..31",
        );
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            s.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let (docs, errors) = parse(&s, &Limits::default());
        assert!(docs[0].root.is_none());
        assert!(errors[0].message.contains("alias bomb"), "{errors:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let s = "[".repeat(10_000);
        let (_, errors) = parse(&s, &Limits::default());
        assert!(errors[0].message.contains("nesting deeper"), "{errors:?}");
    }

    #[test]
    fn scalars_resolve_like_kubernetes() {
        let (docs, _) = parse(
            "a: 80\nb: \"80\"\nc: ~\nd: true\ne: http\nf: 1.5\n",
            &Limits::default(),
        );
        let root = docs[0].root.as_ref().unwrap();
        assert_eq!(root.get("a").unwrap().as_int(), Some(80));
        assert_eq!(root.get("b").unwrap().as_str(), Some("80"));
        assert!(root.get("c").unwrap().is_null());
        assert_eq!(root.get("d").unwrap().scalar(), Some(Scalar::Bool(true)));
        assert_eq!(root.get("e").unwrap().as_str(), Some("http"));
        assert_eq!(root.get("f").unwrap().scalar(), Some(Scalar::Float));
    }

    #[test]
    fn merge_keys() {
        let (docs, _) = parse(
            "base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n",
            &Limits::default(),
        );
        let m = docs[0].root.as_ref().unwrap().get("m").unwrap();
        assert_eq!(m.get("a").unwrap().as_int(), Some(1));
        assert_eq!(m.get("b").unwrap().as_int(), Some(3));
    }

    fn ty(v: &str) -> ScalarType {
        resolve_plain(v)
    }

    #[test]
    fn plain_scalars_resolve_like_go_yaml_v2() {
        use ScalarType::*;
        // Booleans and nulls of YAML 1.1 (goyaml.v2 resolve.go, resolveMapList).
        for v in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(ty(v), Bool(true), "{v}");
        }
        for v in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False",
        ] {
            assert_eq!(ty(v), Bool(false), "{v}");
        }
        for v in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(ty(v), Null, "{v}");
        }
        for v in [
            "yEs", "nO", "oN", "tRUE", "nil", "None", "<<", "-", "+", "0x", "0b", "1:1",
        ] {
            assert_eq!(ty(v), Str, "{v}");
        }
        // Integers: strconv.ParseInt(s, 0, 64) without underscores.
        for (v, i) in [
            ("80", 80),
            ("0120", 80),
            ("-0120", -80),
            ("0x50", 80),
            ("0X50", 80),
            ("0o120", 80),
            ("0b1010000", 80),
            ("-0b101010", -42),
            ("+80", 80),
            ("1_000", 1000),
            ("0x_0A_74_AE", 685230),
            ("0", 0),
            ("00", 0),
            ("-9223372036854775808", i64::MIN),
        ] {
            assert_eq!(ty(v), Int(i), "{v}");
        }
        assert_eq!(ty("18446744073709551615"), BigInt);
        assert_eq!(ty("0xFFFFFFFFFFFFFFFFFF"), BigInt);
        // Floats: the yamlStyleFloat pattern, `.inf`/`.nan` words.
        for (v, f) in [
            ("1.5", 1.5),
            (".5", 0.5),
            ("-.5", -0.5),
            ("80.0", 80.0),
            ("1e3", 1000.0),
            ("685.230_15e+03", 685230.15),
            ("08", 8.0),
            ("1.", 1.0),
            ("99999999999999999999", 1e20),
        ] {
            assert_eq!(ty(v), Float(f), "{v}");
        }
        assert!(matches!(ty(".inf"), Float(f) if f == f64::INFINITY));
        assert!(matches!(ty("-.Inf"), Float(f) if f == f64::NEG_INFINITY));
        assert!(matches!(ty(".NaN"), Float(f) if f.is_nan()));
        // Neither: strings (a timestamp stays a string when decoded into interface{}).
        for v in [
            "2024-01-01",
            "1e400",
            "1.2.3",
            "0x1p3",
            "12abc",
            "1__",
            "--1",
            ".",
            ".e1",
        ] {
            assert!(matches!(ty(v), Str) || v == "1__", "{v}: {:?}", ty(v));
        }
        assert_eq!(ty("1__"), Int(1));
    }

    #[test]
    fn tags_and_json_keys() {
        assert_eq!(
            resolve_tagged(Some("tag:yaml.org,2002:str"), "80", true),
            Ok(ScalarType::Str)
        );
        assert_eq!(
            resolve_tagged(Some("tag:yaml.org,2002:int"), "80", false),
            Ok(ScalarType::Int(80))
        );
        assert_eq!(
            resolve_tagged(Some("tag:yaml.org,2002:float"), "80", true),
            Ok(ScalarType::Float(80.0))
        );
        assert_eq!(resolve_tagged(Some("!"), "yes", true), Ok(ScalarType::Str));
        assert_eq!(
            resolve_tagged(Some("!custom"), "1", true),
            Ok(ScalarType::Str)
        );
        assert_eq!(resolve_tagged(None, "yes", false), Ok(ScalarType::Str));
        assert_eq!(resolve_tagged(None, "<<", true), Ok(ScalarType::Merge));
        assert_eq!(resolve_tagged(None, "<<", false), Ok(ScalarType::Str));
        assert!(resolve_tagged(Some("tag:yaml.org,2002:int"), "abc", true).is_err());
        assert!(resolve_tagged(Some("tag:yaml.org,2002:bool"), "1", true).is_err());
        // strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes float keys.
        for (f, s) in [
            (1.5, "1.5"),
            (80.0, "80"),
            (0.1, "0.1"),
            (1e6, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (123456789.0, "1.2345679e+08"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (f64::INFINITY, ".inf"),
        ] {
            assert_eq!(go_format_float32(f), s, "{f}");
        }
        assert_eq!(json_key("y", ScalarType::Bool(true)), Ok("true".into()));
        assert_eq!(json_key("0x10", ScalarType::Int(16)), Ok("16".into()));
        assert!(json_key("~", ScalarType::Null).is_err());
    }

    #[test]
    fn the_json_view_of_numbers() {
        let (docs, errors) = parse(
            "a: 80.0\nb: 8.6e1\nc: 80.5\nd: 1e20\ne: 0120\nf: !!str 80\n",
            &Limits::default(),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let root = docs[0].root.as_ref().unwrap();
        let get = |k: &str| root.get(k).unwrap().scalar();
        assert_eq!(get("a"), Some(Scalar::Int(80)));
        assert_eq!(get("b"), Some(Scalar::Int(86)));
        assert_eq!(get("c"), Some(Scalar::Float));
        assert_eq!(get("d"), Some(Scalar::Float));
        assert_eq!(get("e"), Some(Scalar::Int(80)));
        assert_eq!(get("f"), Some(Scalar::Str("80")));
        assert_eq!(root.get("e").unwrap().text(), Some("0120"));
    }

    #[test]
    fn duplicate_and_merged_keys_hold_one_entry() {
        let text = "m: {a: 1, b: 2, a: 3}\nbase: &b {x: 1, z: 1}\nother: &o {x: 2, w: 2}\nq: {x: 0, <<: [*b, *o], z: 9}\n";
        let (docs, errors) = parse(text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let root = docs[0].root.as_ref().unwrap();
        let m = root.get("m").unwrap();
        assert_eq!(m.as_map().unwrap().len(), 2);
        assert_eq!(m.get("a").unwrap().as_int(), Some(3));
        let n = root.get("q").unwrap();
        let entries: Vec<(&str, i64)> = n
            .as_map()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.text().unwrap(), v.as_int().unwrap()))
            .collect();
        assert_eq!(entries, [("x", 1), ("z", 9), ("w", 2)]);
        let notes = &docs[0].notes;
        assert_eq!(notes.len(), 2);
        assert_eq!(
            (
                notes[0].code,
                notes[0].span.clone(),
                notes[0].related.clone()
            ),
            ("duplicate-key", 16..17, Some(4..5))
        );
        assert_eq!(
            (
                notes[1].code,
                notes[1].span.clone(),
                notes[1].related.clone()
            ),
            ("merge-overrides-key", 71..72, Some(77..79))
        );
    }

    #[test]
    fn byte_order_marks_and_line_breaks_keep_offsets() {
        // A BOM at the start, after a `---` line and before one; CR, CRLF and LF breaks.
        let text = "\u{feff}a: 1\r---\r\n\u{feff}b: 2\n\u{feff}---\nc: [3\n";
        let (docs, errors) = parse(text, &Limits::default());
        let spans: Vec<Range<usize>> = docs
            .iter()
            .map(|d| {
                d.root
                    .as_ref()
                    .map_or(0..0, |r| r.get("a").or(r.get("b")).unwrap().span.clone())
            })
            .collect();
        assert_eq!(&text[spans[0].clone()], "1");
        assert_eq!(&text[spans[1].clone()], "2");
        assert_eq!(docs.len(), 3);
        // The syntax error of the third document points into the original text.
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].doc, 2);
        assert!(
            errors[0].span.start >= text.find("c:").unwrap(),
            "{errors:?}"
        );
        let notes: Vec<&str> = docs
            .iter()
            .flat_map(|d| d.notes.iter().map(|n| n.code))
            .collect();
        assert_eq!(notes, ["kubectl-split", "kubectl-split"]);
    }

    #[test]
    fn directives_go_with_their_document() {
        assert_eq!(
            split_documents("%YAML 1.1\n---\na: 1\n---\nb: 2\n"),
            [0..19, 19..28]
        );
        // After `...`, a directive belongs to the next document (and kubectl reads it).
        let text = "a: 1\n...\n%YAML 1.1\n---\nb: 2\n";
        assert_eq!(split_documents(text), [0..9, 9..28]);
        let (docs, errors) = parse(text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(docs.iter().all(|d| d.root.is_some() && d.notes.is_empty()));
        let (docs, errors) = parse("%YAML 1.1\n---\na: 1\n", &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(docs[0].notes[0].code, "kubectl-directive");
    }

    #[test]
    fn documents_that_kubectl_refuses() {
        for text in [
            "a: .inf\n",
            "~: 1\n",
            "[a]: 1\n",
            "a: {<<: 1}\n",
            "a: !!int x\n",
        ] {
            let (docs, errors) = parse(text, &Limits::default());
            assert!(docs[0].root.is_none(), "{text}");
            assert_eq!(errors.len(), 1, "{text}");
        }
        // A null document is empty, as kubectl skips the JSON `null`.
        let (docs, errors) = parse("~\n---\nnull\n", &Limits::default());
        assert!(errors.is_empty() && docs.iter().all(|d| d.root.is_none()));
    }

    #[test]
    fn managed_fields_are_parsed_but_not_built() {
        let text = "metadata:\n  managedFields:\n  - manager: kubectl\n    fieldsV1: {f:spec: {f:a: {}}}\n  name: x\n";
        let (docs, errors) = parse(text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        let meta = docs[0].root.as_ref().unwrap().get("metadata").unwrap();
        assert_eq!(meta.get("name").and_then(Node::as_str), Some("x"));
        assert!(meta.get("managedFields").unwrap().is_null());
        // Syntax errors inside a skipped subtree are still reported.
        let (_, errors) = parse(
            "metadata:\n  managedFields: [{a: 1}\n  name: x\n",
            &Limits::default(),
        );
        assert_eq!(errors.len(), 1);
    }
}
