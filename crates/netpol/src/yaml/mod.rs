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
#[derive(Clone, Debug, PartialEq, Eq)]
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

mod build;
mod cache;
#[cfg(feature = "fast-reader")]
mod fast;
#[allow(unsafe_code)]
#[deny(clippy::undocumented_unsafe_blocks)]
mod libyaml;
mod node;
mod resolve;
mod split;

use build::*;
#[cfg(feature = "internals")]
pub use cache::read_cached;
#[cfg(feature = "internals")]
pub use cache::CachedDocument;
pub use cache::{read_cached_twice, CachedPiece, ReadCache};
use libyaml::*;
pub use node::{Node, NodeKind, Scalar, ScalarType};
use resolve::*;
#[cfg(feature = "internals")]
pub use split::split_documents;
use split::*;

mod read;

pub(crate) use read::read_with;
use read::*;

/// Does a plain (unquoted) scalar with this text read as a string (not a null, boolean
/// or number) in kubectl's YAML 1.1? The generator's printer quotes the others.
#[cfg(any(feature = "internals", feature = "gen"))]
pub fn plain_is_string(text: &str) -> bool {
    resolve_plain(text) == ScalarType::Str
}

/// One YAML document of the input.
#[cfg_attr(
    any(
        target_arch = "wasm32",
        not(any(feature = "fast-reader", feature = "internals"))
    ),
    allow(
        dead_code,
        reason = "the page reads documents through `read_cached`; position, span and notes are read on the fast path and in tests"
    )
)]
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
#[derive(Clone, Debug, Default, PartialEq)]
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
pub(super) type Failure = (String, usize, bool);

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
    // Without streaming, reading never asks to start over.
    let _ = read(text, limits, budget, false, &mut |piece| match piece {
        Piece::Document(d) => docs.push(d),
        Piece::Error(e) => errors.push(e),
        Piece::Item { .. } => {}
    });
    (docs, errors)
}

/// What [`read`] hands out, in order: for each document, the List items it streamed (as
/// soon as each is complete), then the document (whose root no longer holds them), or a
/// syntax error and then the document without a root.
#[cfg_attr(
    any(
        target_arch = "wasm32",
        not(any(feature = "fast-reader", feature = "internals"))
    ),
    allow(dead_code, reason = "streamed List items exist on the fast path only")
)]
pub enum Piece {
    /// A complete object of the document's root List (`items`), handed out early.
    Item {
        doc: usize,
        node: Node,
    },
    Document(Document),
    Error(SyntaxError),
}

/// List items were handed out for a document that then did not load as a whole: the
/// caller must read the input again without streaming ([`read`] with `load` false gives
/// every item in its document).
#[derive(Debug)]
pub struct Unstream;

/// Reads `text` document by document into `sink`. With `load`, the parts of pods and
/// workloads the loader does not read are not built, and the items of a root List are
/// streamed ([`Piece::Item`]) so that a large dump never exists as one tree.
pub fn read(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
    load: bool,
    sink: &mut dyn FnMut(Piece),
) -> Result<(), Unstream> {
    read_with(text, limits, budget, load, Reader::Auto, sink)
}

/// Which reader reads the documents (tests compare them).
#[cfg_attr(
    any(
        target_arch = "wasm32",
        not(any(feature = "fast-reader", feature = "internals"))
    ),
    allow(
        dead_code,
        reason = "libyaml alone is chosen by the reference loading and the tests"
    )
)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// The fast reader where it can, else libyaml (what loading uses).
    Auto,
    /// libyaml only.
    Libyaml,
    /// The fast reader only: a document it gives up on (or that does not load) is
    /// reported as the error `fast reader gave up`.
    Fast,
}

/// [`parse`] with a chosen reader and no pruning: the full tree, for comparing readers.
#[cfg(feature = "internals")]
pub fn parse_with_reader(text: &str, reader: Reader) -> (Vec<Document>, Vec<SyntaxError>) {
    let limits = Limits::default();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let _ = read_with(
        text,
        &limits,
        &mut Budget::new(&limits),
        false,
        reader,
        &mut |piece| match piece {
            Piece::Document(d) => docs.push(d),
            Piece::Error(e) => errors.push(e),
            Piece::Item { .. } => {}
        },
    );
    (docs, errors)
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
    fn a_json_stream_is_one_document_per_object() {
        // jq -c output: kubectl's JSON decoder reads each object.
        let text = "{\"a\": \"}{\\\"\"}\n  {\"b\": [1, {\"c\": 2}]}\n\n{}\n";
        let docs = split_documents(text);
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert_eq!(docs[0].start, 0);
        assert_eq!(docs[2].end, text.len());
        assert!(text[docs[1].clone()].trim_start().starts_with("{\"b\""));
        let (parsed, errors) = parse(text, &Limits::default());
        assert!(errors.is_empty(), "{errors:?}");
        assert!(parsed.iter().all(|d| d.root.is_some()));
        // One object, a `---` line, text between objects, a comment first, an object
        // left open: read as before (documents at `---` lines only).
        for (other, n) in [
            ("{\"a\": 1}\n", 1),
            ("{\"a\": 1}\n---\n{\"b\": 2}\n", 2),
            ("{\"a\": 1} x {\"b\": 2}", 1),
            ("# c\n{\"a\": 1}\n{\"b\": 2}", 1),
            ("{\"a\": 1}\n{", 1),
        ] {
            assert_eq!(split_documents(other).len(), n, "{other}");
        }
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
