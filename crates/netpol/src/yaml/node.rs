//! The spanned tree: nodes keep the byte range they came from; scalars keep their
//! text and the type kubectl's decoder gives them.

use super::*;

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
    pub(super) fn measure(&self) -> (usize, usize) {
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
pub(super) fn json_integer(f: f64) -> Option<i64> {
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i64)
}

// ---------------------------------------------------------------------------------------
// Scalar resolution: go-yaml v2's `resolve` (sigs.k8s.io/yaml/goyaml.v2/resolve.go).
