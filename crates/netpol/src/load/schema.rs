//! What may be written at a place of a manifest, from the same tables the loader checks
//! fields against: the editor's completion asks [`expect`] with the YAML path of the
//! cursor (keys from the top of the document, `[]` for a list item).

use super::networkpolicy::{
    EGRESS_RULE, INGRESS_RULE, IP_BLOCK, PEER, POLICY_SPEC, PORT, REQUIREMENT, SELECTOR,
};

/// How a field's value is written: completion inserts `key:` and a new indented line for
/// a map or a list, `key: ` for a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Map,
    List,
    Scalar,
}

/// Whose labels a selector looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelsOf {
    Pods,
    Namespaces,
}

/// What fits at a place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Field names of the mapping there.
    Fields(Vec<(&'static str, Shape)>),
    /// One of these values.
    Values(&'static [&'static str]),
    /// A label key, of pods or of namespaces.
    LabelKeys(LabelsOf),
    /// A value of the label `key` (all keys when None).
    LabelValues(LabelsOf, Option<String>),
    /// A namespace name.
    Namespaces,
    /// A port: the container ports' names.
    NamedPorts,
}

const TOP: &[&str] = &["apiVersion", "kind", "metadata"];
const METADATA: &[&str] = &["name", "namespace", "labels", "annotations"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const POLICY_TYPES: &[&str] = &["Ingress", "Egress"];
const OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];
const NETWORKING_V1: &[&str] = &["networking.k8s.io/v1"];

fn shape(field: &str) -> Shape {
    match field {
        "metadata" | "spec" | "labels" | "annotations" | "podSelector" | "namespaceSelector"
        | "ipBlock" | "matchLabels" => Shape::Map,
        "ingress" | "egress" | "from" | "to" | "ports" | "policyTypes" | "matchExpressions"
        | "values" | "except" => Shape::List,
        _ => Shape::Scalar,
    }
}

fn fields(names: &[&'static str]) -> Expect {
    Expect::Fields(names.iter().map(|&n| (n, shape(n))).collect())
}

/// Which selector a path is inside (`podSelector` or `namespaceSelector`).
fn labels_of(selector: &str) -> Option<LabelsOf> {
    match selector {
        "podSelector" => Some(LabelsOf::Pods),
        "namespaceSelector" => Some(LabelsOf::Namespaces),
        _ => None,
    }
}

/// What fits in object `kind` (None: not written yet) at `path`: the value of `key` when
/// given, else a field name or a list item there.
pub fn expect(kind: Option<&str>, path: &[&str], key: Option<&str>) -> Option<Expect> {
    let policy = kind.is_none_or(|k| k == "NetworkPolicy");
    match (path, key) {
        ([], None) => Some(if policy {
            let mut all: Vec<&'static str> = TOP.to_vec();
            all.push("spec");
            fields(&all)
        } else {
            fields(TOP)
        }),
        ([], Some("kind")) => Some(Expect::Values(super::KNOWN_KINDS)),
        ([], Some("apiVersion")) if policy => Some(Expect::Values(NETWORKING_V1)),
        (["metadata"], None) => Some(fields(METADATA)),
        (["metadata"], Some("namespace")) => Some(Expect::Namespaces),
        _ if !policy => None,
        (["spec"], None) => Some(fields(POLICY_SPEC)),
        (["spec", "policyTypes", "[]"], None) => Some(Expect::Values(POLICY_TYPES)),
        (["spec", "ingress", "[]"], None) => Some(fields(INGRESS_RULE)),
        (["spec", "egress", "[]"], None) => Some(fields(EGRESS_RULE)),
        (["spec", "ingress" | "egress", "[]", "from" | "to", "[]"], None) => Some(fields(PEER)),
        (["spec", "ingress" | "egress", "[]", "from" | "to", "[]", "ipBlock"], None) => {
            Some(fields(IP_BLOCK))
        }
        (["spec", "ingress" | "egress", "[]", "ports", "[]"], None) => Some(fields(PORT)),
        (["spec", "ingress" | "egress", "[]", "ports", "[]"], Some("protocol")) => {
            Some(Expect::Values(PROTOCOLS))
        }
        (["spec", "ingress" | "egress", "[]", "ports", "[]"], Some("port")) => {
            Some(Expect::NamedPorts)
        }
        _ => selector_part(path, key),
    }
}

/// Inside a `podSelector` or `namespaceSelector`, wherever it is.
fn selector_part(path: &[&str], key: Option<&str>) -> Option<Expect> {
    let at = path
        .iter()
        .rposition(|p| labels_of(p).is_some() || *p == "spec")?;
    let of = labels_of(path.get(at)?)?;
    match (path.get(at + 1..)?, key) {
        ([], None) => Some(fields(SELECTOR)),
        (["matchLabels"], None) => Some(Expect::LabelKeys(of)),
        (["matchLabels"], Some(k)) => Some(Expect::LabelValues(of, Some(k.to_string()))),
        (["matchExpressions", "[]"], None) => Some(fields(REQUIREMENT)),
        (["matchExpressions", "[]"], Some("key")) => Some(Expect::LabelKeys(of)),
        (["matchExpressions", "[]"], Some("operator")) => Some(Expect::Values(OPERATORS)),
        (["matchExpressions", "[]", "values", "[]"], None) => Some(Expect::LabelValues(of, None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(e: Option<Expect>) -> Vec<&'static str> {
        match e {
            Some(Expect::Fields(f)) => f.into_iter().map(|(n, _)| n).collect(),
            Some(Expect::Values(v)) => v.to_vec(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn places_of_a_networkpolicy() {
        let np = Some("NetworkPolicy");
        assert_eq!(names(expect(np, &["spec"], None)), POLICY_SPEC);
        assert_eq!(
            names(expect(np, &["spec", "ingress", "[]", "from", "[]"], None)),
            ["podSelector", "namespaceSelector", "ipBlock"]
        );
        assert_eq!(
            names(expect(
                np,
                &["spec", "egress", "[]", "ports", "[]"],
                Some("protocol")
            )),
            ["TCP", "UDP", "SCTP"]
        );
        assert_eq!(
            names(expect(np, &["spec", "policyTypes", "[]"], None)),
            ["Ingress", "Egress"]
        );
        assert_eq!(
            expect(
                np,
                &[
                    "spec",
                    "ingress",
                    "[]",
                    "from",
                    "[]",
                    "namespaceSelector",
                    "matchLabels"
                ],
                Some("team")
            ),
            Some(Expect::LabelValues(
                LabelsOf::Namespaces,
                Some("team".into())
            ))
        );
        assert_eq!(
            expect(np, &["spec", "podSelector", "matchLabels"], None),
            Some(Expect::LabelKeys(LabelsOf::Pods))
        );
        assert_eq!(
            expect(np, &["metadata"], Some("namespace")),
            Some(Expect::Namespaces)
        );
        assert!(names(expect(None, &[], Some("kind"))).contains(&"NetworkPolicy"));
        assert_eq!(expect(Some("Pod"), &["spec"], None), None);
        assert_eq!(expect(np, &["spec", "nonsense"], None), None);
    }
}
