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
const CLUSTER_METADATA: &[&str] = &["name", "labels", "annotations"];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
const POLICY_TYPES: &[&str] = &["Ingress", "Egress"];
const OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];
const NETWORKING_V1: &[&str] = &["networking.k8s.io/v1", CALICO_V3];
const POLICY_V1ALPHA1: &[&str] = &["policy.networking.k8s.io/v1alpha1"];
const POLICY_V1ALPHA2: &[&str] = &["policy.networking.k8s.io/v1alpha2"];
const CALICO_V3: &str = "projectcalico.org/v3";
const CALICO_APIS: &[&str] = &[CALICO_V3];
const ANP_ACTIONS: &[&str] = &["Allow", "Deny", "Pass"];
const BANP_ACTIONS: &[&str] = &["Allow", "Deny"];
const CNP_ACTIONS: &[&str] = &["Accept", "Deny", "Pass"];
const CNP_TIERS: &[&str] = &["Admin", "Baseline"];
const CALICO_ACTIONS: &[&str] = &["Allow", "Deny", "Log", "Pass"];
const CALICO_PROTOCOLS: &[&str] = &["TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"];
const CALICO_DEFAULT_ACTIONS: &[&str] = &["Deny", "Pass"];

/// The kinds of policy the loader reads, each with its own tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    /// networking.k8s.io/v1 NetworkPolicy (also what a document without `kind` gets).
    NetworkPolicy,
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
    ClusterNetworkPolicy,
    /// Calico's namespaced NetworkPolicy (projectcalico.org/v3).
    CalicoNetworkPolicy,
    GlobalNetworkPolicy,
    Tier,
}

impl Family {
    fn of(kind: Option<&str>, api: Option<&str>) -> Option<Family> {
        let calico = api.is_some_and(crate::load::calico::is_calico);
        Some(match kind {
            None | Some("NetworkPolicy") if calico => Family::CalicoNetworkPolicy,
            None | Some("NetworkPolicy") => Family::NetworkPolicy,
            Some("AdminNetworkPolicy") => Family::AdminNetworkPolicy,
            Some("BaselineAdminNetworkPolicy") => Family::BaselineAdminNetworkPolicy,
            Some("ClusterNetworkPolicy") => Family::ClusterNetworkPolicy,
            Some("GlobalNetworkPolicy") => Family::GlobalNetworkPolicy,
            Some("Tier") => Family::Tier,
            Some(_) => return None,
        })
    }

    fn calico(self) -> bool {
        matches!(
            self,
            Family::CalicoNetworkPolicy | Family::GlobalNetworkPolicy | Family::Tier
        )
    }

    fn cluster_scoped(self) -> bool {
        !matches!(self, Family::NetworkPolicy | Family::CalicoNetworkPolicy)
    }

    fn api_versions(self) -> &'static [&'static str] {
        match self {
            Family::NetworkPolicy => NETWORKING_V1,
            Family::AdminNetworkPolicy | Family::BaselineAdminNetworkPolicy => POLICY_V1ALPHA1,
            Family::ClusterNetworkPolicy => POLICY_V1ALPHA2,
            Family::CalicoNetworkPolicy | Family::GlobalNetworkPolicy | Family::Tier => CALICO_APIS,
        }
    }
}

fn shape(field: &str, calico: bool) -> Shape {
    match field {
        // Calico's selectors are expressions (`app == 'web'`), written as strings.
        "namespaceSelector" | "selector" | "serviceAccountSelector" if calico => Shape::Scalar,
        "metadata" | "spec" | "labels" | "annotations" | "podSelector" | "namespaceSelector"
        | "ipBlock" | "matchLabels" | "subject" | "pods" | "namespaces" | "nodes"
        | "portNumber" | "portRange" | "tcp" | "udp" | "sctp" | "destinationPort" | "range"
        | "source" | "destination" | "icmp" | "notICMP" | "serviceAccounts" | "http" => Shape::Map,
        "ingress" | "egress" | "from" | "to" | "ports" | "policyTypes" | "matchExpressions"
        | "values" | "except" | "networks" | "domainNames" | "protocols" | "types" | "nets"
        | "notNets" | "notPorts" | "names" => Shape::List,
        _ => Shape::Scalar,
    }
}

fn fields(names: &[&'static str]) -> Expect {
    fields_of(names, false)
}

fn fields_of(names: &[&'static str], calico: bool) -> Expect {
    Expect::Fields(names.iter().map(|&n| (n, shape(n, calico))).collect())
}

/// Which selector a path is inside (`podSelector`, `namespaceSelector`, or the
/// cluster-scoped policies' `namespaces`).
fn labels_of(selector: &str) -> Option<LabelsOf> {
    match selector {
        "podSelector" => Some(LabelsOf::Pods),
        "namespaceSelector" | "namespaces" => Some(LabelsOf::Namespaces),
        _ => None,
    }
}

/// What fits in object `kind` of `api` (None: not written yet) at `path`: the value of
/// `key` when given, else a field name or a list item there.
pub fn expect(
    kind: Option<&str>,
    api: Option<&str>,
    path: &[&str],
    key: Option<&str>,
) -> Option<Expect> {
    let family = Family::of(kind, api);
    match (path, key) {
        ([], None) => Some(if family.is_some() {
            let mut all: Vec<&'static str> = TOP.to_vec();
            all.push("spec");
            fields(&all)
        } else {
            fields(TOP)
        }),
        ([], Some("kind")) => Some(Expect::Values(super::KNOWN_KINDS)),
        ([], Some("apiVersion")) => family.map(|f| Expect::Values(f.api_versions())),
        (["metadata"], None) => Some(fields(match family {
            Some(f) if f.cluster_scoped() => CLUSTER_METADATA,
            _ => METADATA,
        })),
        (["metadata"], Some("namespace")) => Some(Expect::Namespaces),
        _ => match family? {
            Family::NetworkPolicy => network_policy(path, key),
            f if f.calico() => calico(f, path, key),
            f => cluster_policy(f, path, key),
        },
    }
}

fn network_policy(path: &[&str], key: Option<&str>) -> Option<Expect> {
    match (path, key) {
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

/// AdminNetworkPolicy, BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy
/// (v1alpha2), from the tables `load::cluster_policy` checks them against.
fn cluster_policy(f: Family, path: &[&str], key: Option<&str>) -> Option<Expect> {
    use crate::load::cluster_policy as t;
    let cnp = f == Family::ClusterNetworkPolicy;
    let rule = |dir: &str| -> &'static [&'static str] {
        match (dir, cnp) {
            ("ingress", false) => &["name", "action", "from", "ports"],
            ("ingress", true) => &["name", "action", "from", "protocols"],
            (_, false) => &["name", "action", "to", "ports"],
            (_, true) => &["name", "action", "to", "protocols"],
        }
    };
    match (path, key) {
        (["spec"], None) => Some(fields(match f {
            Family::AdminNetworkPolicy => t::ANP_SPEC,
            Family::BaselineAdminNetworkPolicy => t::BANP_SPEC,
            _ => t::CNP_SPEC,
        })),
        (["spec"], Some("tier")) if cnp => Some(Expect::Values(CNP_TIERS)),
        (["spec", "subject"], None) => Some(fields(t::SUBJECT)),
        (["spec", "subject", "pods"], None) => Some(fields(t::NAMESPACED_POD)),
        (["spec", dir @ ("ingress" | "egress"), "[]"], None) => Some(fields(rule(dir))),
        (["spec", "ingress" | "egress", "[]"], Some("action")) => Some(Expect::Values(match f {
            Family::AdminNetworkPolicy => ANP_ACTIONS,
            Family::BaselineAdminNetworkPolicy => BANP_ACTIONS,
            _ => CNP_ACTIONS,
        })),
        (["spec", "ingress", "[]", "from", "[]"], None) => Some(fields(t::INGRESS_PEER)),
        (["spec", "egress", "[]", "to", "[]"], None) => {
            Some(fields(if f == Family::BaselineAdminNetworkPolicy {
                t::EGRESS_PEER_BANP
            } else {
                t::EGRESS_PEER
            }))
        }
        (["spec", "ingress" | "egress", "[]", "from" | "to", "[]", "pods"], None) => {
            Some(fields(t::NAMESPACED_POD))
        }
        (["spec", "ingress" | "egress", "[]", "from" | "to", "[]", "nodes"], None) => {
            Some(fields(SELECTOR))
        }
        (["spec", "ingress" | "egress", "[]", "ports", "[]"], None) if !cnp => {
            Some(fields(t::ANP_PORT))
        }
        (["spec", "ingress" | "egress", "[]", "ports", "[]"], Some("namedPort")) if !cnp => {
            Some(Expect::NamedPorts)
        }
        (["spec", "ingress" | "egress", "[]", "ports", "[]", "portNumber"], None) if !cnp => {
            Some(fields(t::PORT_NUMBER))
        }
        (["spec", "ingress" | "egress", "[]", "ports", "[]", "portRange"], None) if !cnp => {
            Some(fields(t::PORT_RANGE))
        }
        (
            ["spec", "ingress" | "egress", "[]", "ports", "[]", "portNumber" | "portRange"],
            Some("protocol"),
        ) if !cnp => Some(Expect::Values(PROTOCOLS)),
        (["spec", "ingress" | "egress", "[]", "protocols", "[]"], None) if cnp => {
            Some(fields(t::CNP_PROTOCOL))
        }
        (["spec", "ingress" | "egress", "[]", "protocols", "[]"], Some("destinationNamedPort"))
            if cnp =>
        {
            Some(Expect::NamedPorts)
        }
        (["spec", "ingress" | "egress", "[]", "protocols", "[]", "tcp" | "udp" | "sctp"], None)
            if cnp =>
        {
            Some(fields(t::CNP_L4))
        }
        (
            ["spec", "ingress" | "egress", "[]", "protocols", "[]", "tcp" | "udp" | "sctp", "destinationPort"],
            None,
        ) if cnp => Some(fields(t::CNP_PORT)),
        (
            ["spec", "ingress" | "egress", "[]", "protocols", "[]", "tcp" | "udp" | "sctp", "destinationPort", "range"],
            None,
        ) if cnp => Some(fields(t::CNP_RANGE)),
        _ => selector_part(path, key),
    }
}

/// Calico's NetworkPolicy, GlobalNetworkPolicy and Tier (projectcalico.org/v3), from the
/// tables `load::calico` checks them against. Selectors are expressions: no
/// label completion inside them yet.
fn calico(f: Family, path: &[&str], key: Option<&str>) -> Option<Expect> {
    use crate::load::calico as c;
    let calico_fields = |names| Some(fields_of(names, true));
    match (path, key) {
        (["spec"], None) => calico_fields(match f {
            Family::CalicoNetworkPolicy => c::NP_SPEC,
            Family::GlobalNetworkPolicy => c::GNP_SPEC,
            _ => c::TIER_SPEC,
        }),
        (["spec"], Some("defaultAction")) if f == Family::Tier => {
            Some(Expect::Values(CALICO_DEFAULT_ACTIONS))
        }
        _ if f == Family::Tier => None,
        (["spec", "types", "[]"], None) => Some(Expect::Values(POLICY_TYPES)),
        (["spec", "ingress" | "egress", "[]"], None) => calico_fields(c::RULE),
        (["spec", "ingress" | "egress", "[]"], Some("action")) => {
            Some(Expect::Values(CALICO_ACTIONS))
        }
        (["spec", "ingress" | "egress", "[]"], Some("protocol" | "notProtocol")) => {
            Some(Expect::Values(CALICO_PROTOCOLS))
        }
        (["spec", "ingress" | "egress", "[]", "icmp" | "notICMP"], None) => calico_fields(c::ICMP),
        (["spec", "ingress" | "egress", "[]", "source" | "destination"], None) => {
            calico_fields(c::ENTITY)
        }
        (
            ["spec", "ingress" | "egress", "[]", "source" | "destination", "serviceAccounts"],
            None,
        ) => calico_fields(c::SA_MATCH),
        (
            ["spec", "ingress" | "egress", "[]", "source" | "destination", "ports" | "notPorts", "[]"],
            None,
        ) => Some(Expect::NamedPorts),
        _ => None,
    }
}

/// Inside a label selector (`podSelector`, `namespaceSelector`, `namespaces`), wherever
/// it is.
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
        assert_eq!(names(expect(np, None, &["spec"], None)), POLICY_SPEC);
        assert_eq!(
            names(expect(
                np,
                None,
                &["spec", "ingress", "[]", "from", "[]"],
                None
            )),
            ["podSelector", "namespaceSelector", "ipBlock"]
        );
        assert_eq!(
            names(expect(
                np,
                None,
                &["spec", "egress", "[]", "ports", "[]"],
                Some("protocol")
            )),
            ["TCP", "UDP", "SCTP"]
        );
        assert_eq!(
            names(expect(np, None, &["spec", "policyTypes", "[]"], None)),
            ["Ingress", "Egress"]
        );
        assert_eq!(
            expect(
                np,
                None,
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
            expect(np, None, &["spec", "podSelector", "matchLabels"], None),
            Some(Expect::LabelKeys(LabelsOf::Pods))
        );
        assert_eq!(
            expect(np, None, &["metadata"], Some("namespace")),
            Some(Expect::Namespaces)
        );
        assert!(names(expect(None, None, &[], Some("kind"))).contains(&"NetworkPolicy"));
        assert_eq!(expect(Some("Pod"), None, &["spec"], None), None);
        assert_eq!(expect(np, None, &["spec", "nonsense"], None), None);
    }

    #[test]
    fn places_of_the_cluster_scoped_policies() {
        let anp = Some("AdminNetworkPolicy");
        let banp = Some("BaselineAdminNetworkPolicy");
        let cnp = Some("ClusterNetworkPolicy");
        assert_eq!(
            names(expect(anp, None, &[], Some("apiVersion"))),
            ["policy.networking.k8s.io/v1alpha1"]
        );
        assert_eq!(
            names(expect(cnp, None, &[], Some("apiVersion"))),
            ["policy.networking.k8s.io/v1alpha2"]
        );
        assert_eq!(
            names(expect(anp, None, &["metadata"], None)),
            ["name", "labels", "annotations"]
        );
        assert_eq!(
            names(expect(anp, None, &["spec"], None)),
            ["priority", "subject", "ingress", "egress"]
        );
        assert_eq!(
            names(expect(cnp, None, &["spec"], None)),
            ["tier", "priority", "subject", "ingress", "egress"]
        );
        assert_eq!(
            names(expect(cnp, None, &["spec"], Some("tier"))),
            ["Admin", "Baseline"]
        );
        assert_eq!(
            names(expect(anp, None, &["spec", "subject"], None)),
            ["namespaces", "pods"]
        );
        assert_eq!(
            names(expect(banp, None, &["spec", "egress", "[]"], None)),
            ["name", "action", "to", "ports"]
        );
        assert_eq!(
            names(expect(cnp, None, &["spec", "ingress", "[]"], None)),
            ["name", "action", "from", "protocols"]
        );
        assert_eq!(
            names(expect(
                anp,
                None,
                &["spec", "ingress", "[]"],
                Some("action")
            )),
            ["Allow", "Deny", "Pass"]
        );
        assert_eq!(
            names(expect(
                banp,
                None,
                &["spec", "ingress", "[]"],
                Some("action")
            )),
            ["Allow", "Deny"]
        );
        assert_eq!(
            names(expect(cnp, None, &["spec", "egress", "[]"], Some("action"))),
            ["Accept", "Deny", "Pass"]
        );
        assert_eq!(
            names(expect(
                anp,
                None,
                &["spec", "egress", "[]", "to", "[]"],
                None
            )),
            ["namespaces", "pods", "nodes", "networks", "domainNames"]
        );
        assert_eq!(
            names(expect(
                banp,
                None,
                &["spec", "egress", "[]", "to", "[]"],
                None
            )),
            ["namespaces", "pods", "nodes", "networks"]
        );
        assert_eq!(
            names(expect(
                anp,
                None,
                &["spec", "ingress", "[]", "from", "[]"],
                None
            )),
            ["namespaces", "pods"]
        );
        let ports = ["spec", "ingress", "[]", "ports", "[]"];
        assert_eq!(
            names(expect(anp, None, &ports, None)),
            ["portNumber", "namedPort", "portRange"]
        );
        assert_eq!(
            expect(anp, None, &ports, Some("namedPort")),
            Some(Expect::NamedPorts)
        );
        assert_eq!(
            names(expect(
                anp,
                None,
                &[&ports[..], &["portNumber"]].concat(),
                Some("protocol")
            )),
            ["TCP", "UDP", "SCTP"]
        );
        assert_eq!(
            expect(cnp, None, &ports, None),
            None,
            "v1alpha2 has no `ports`"
        );
        let protocols = ["spec", "egress", "[]", "protocols", "[]"];
        assert_eq!(
            names(expect(cnp, None, &protocols, None)),
            ["tcp", "udp", "sctp", "destinationNamedPort"]
        );
        assert_eq!(
            names(expect(
                cnp,
                None,
                &[&protocols[..], &["udp", "destinationPort"]].concat(),
                None
            )),
            ["number", "range"]
        );
        // Label completion inside their selectors, `namespaces` included.
        assert_eq!(
            expect(
                anp,
                None,
                &["spec", "subject", "namespaces", "matchLabels"],
                None
            ),
            Some(Expect::LabelKeys(LabelsOf::Namespaces))
        );
        assert_eq!(
            expect(
                cnp,
                None,
                &[
                    "spec",
                    "ingress",
                    "[]",
                    "from",
                    "[]",
                    "pods",
                    "podSelector",
                    "matchLabels"
                ],
                Some("app")
            ),
            Some(Expect::LabelValues(LabelsOf::Pods, Some("app".into())))
        );
        // Shapes: `subject` and `pods` are maps, `protocols` a list.
        match expect(anp, None, &["spec"], None) {
            Some(Expect::Fields(f)) => assert!(f.contains(&("subject", Shape::Map))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn places_of_calico_policies() {
        let calico = Some("projectcalico.org/v3");
        let np = Some("NetworkPolicy");
        let gnp = Some("GlobalNetworkPolicy");
        assert_eq!(
            names(expect(np, None, &[], Some("apiVersion"))),
            ["networking.k8s.io/v1", "projectcalico.org/v3"]
        );
        assert_eq!(
            names(expect(np, calico, &["spec"], None))[..3],
            ["order", "tier", "selector"]
        );
        assert!(names(expect(gnp, calico, &["spec"], None)).contains(&"namespaceSelector"));
        // A Calico selector is an expression: `namespaceSelector: team == 'web'`.
        match expect(gnp, calico, &["spec"], None) {
            Some(Expect::Fields(f)) => {
                assert!(f.contains(&("namespaceSelector", Shape::Scalar)));
                assert!(f.contains(&("types", Shape::List)));
            }
            other => panic!("{other:?}"),
        }
        let rule = ["spec", "ingress", "[]"];
        assert_eq!(
            names(expect(np, calico, &rule, Some("action"))),
            ["Allow", "Deny", "Log", "Pass"]
        );
        assert!(names(expect(gnp, None, &rule, Some("protocol"))).contains(&"ICMPv6"));
        assert!(names(expect(np, calico, &rule, None)).contains(&"destination"));
        assert!(names(expect(
            np,
            calico,
            &[&rule[..], &["destination"]].concat(),
            None
        ))
        .contains(&"notNets"));
        assert_eq!(
            expect(
                np,
                calico,
                &[&rule[..], &["destination", "ports", "[]"]].concat(),
                None
            ),
            Some(Expect::NamedPorts)
        );
        assert_eq!(
            names(expect(Some("Tier"), calico, &["spec"], None)),
            ["order", "defaultAction"]
        );
        assert_eq!(
            names(expect(
                Some("Tier"),
                calico,
                &["spec"],
                Some("defaultAction")
            )),
            ["Deny", "Pass"]
        );
        // Not Kubernetes' tables: no `podSelector` in a Calico policy's spec.
        assert_eq!(
            expect(np, calico, &["spec", "podSelector", "matchLabels"], None),
            None
        );
    }
}
