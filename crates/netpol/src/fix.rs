//! "How would I allow it?": for a denied connection, the NetworkPolicy that would allow it
//! on each side where NetworkPolicy is what denies (the source's egress, the
//! destination's ingress), as YAML ready to append to the manifests.
//!
//! Each suggestion is as narrow as the input allows: it selects the pod by its labels (all
//! of them), names the other end by its namespace and labels (or its address, `/32` or
//! `/128`), and opens only the asked port and protocol (ICMP needs a rule without ports).
//! Where a cluster-scoped policy decided the side, no NetworkPolicy can change it and
//! nothing is suggested. `crates/netpol/tests/properties.rs` appends every suggestion to
//! generated clusters and checks that the connection is then allowed.

use crate::eval::{Decision, Engine, Side, SideVerdict, Target, Verdict};
use crate::model::{Direction, Labels, NAMESPACE_NAME_LABEL};
use crate::tiers::StepOutcome;

/// One suggested NetworkPolicy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// The side it opens: egress of the source or ingress of the destination.
    pub direction: Direction,
    pub namespace: String,
    pub name: String,
    pub yaml: String,
}

/// Whether NetworkPolicy is what denies this side (so a NetworkPolicy can allow it).
fn network_policy_denies(side: &Side) -> bool {
    side.verdict == SideVerdict::NoRuleMatched
        && (side.tier_verdict.is_none()
            || side
                .tiers
                .last()
                .is_none_or(|s| s.outcome == StepOutcome::NpDenied))
}

/// A YAML scalar that reads back as this string: plain when that is unambiguous
/// (`webapp-balanced`), double-quoted otherwise (`"true"`, `"80"`, anything unusual).
pub(crate) fn scalar(s: &str) -> String {
    let plain = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
        );
    if plain {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A double-quoted scalar, valid both as YAML and as JSON (control characters as `\uXXXX`).
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Labels controllers stamp on the pods they create, which change with every rollout
/// (or name one replica): a policy should not select on them.
const GENERATED: &[&str] = &[
    "pod-template-hash",
    "controller-revision-hash",
    "pod-template-generation",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "batch.kubernetes.io/controller-uid",
    "controller-uid",
    "batch.kubernetes.io/job-name",
    "job-name",
];

/// `{matchLabels: {...}}` over the labels a policy should select on, or `{}` when there
/// are none (every pod of the namespace).
fn match_labels(labels: &Labels) -> String {
    let items: Vec<String> = labels
        .iter()
        .filter(|(k, _)| !GENERATED.contains(&k.as_str()))
        .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
        .collect();
    if items.is_empty() {
        return "{}".into();
    }
    format!("{{matchLabels: {{{}}}}}", items.join(", "))
}

/// `name` made a valid object name: lowercase alphanumerics and `-`, at most 63.
fn object_name(parts: &[&str]) -> String {
    let mut out = String::new();
    for c in parts.join("-").chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(63);
    out.trim_matches('-').to_string()
}

/// The suggestions for a denied decision from `from` to `to` (empty when it is allowed,
/// could not be evaluated, or only cluster-scoped policies deny it).
pub fn suggest(engine: &Engine, d: &Decision, from: Target, to: Target) -> Vec<Fix> {
    if d.verdict != Verdict::Denied {
        return Vec::new();
    }
    let cluster = &engine.cluster;
    let ports = match (d.protocol.transport(), d.port) {
        (Some(p), Some(n)) => format!("\n    ports: [{{port: {n}, protocol: {}}}]", p.as_str()),
        _ => "\n    # ICMP is matched only by a rule without ports: this one opens every port too"
            .into(),
    };
    // Endpoints this cluster does not have (the CoreDNS pod a `dns:` query assumes lives
    // in a copy of the cluster) get no suggestion: the policy would name a pod that is
    // not there.
    let endpoint = |t: Target| match t {
        Target::Endpoint(i) => cluster.endpoints.get(i).map(Some),
        Target::External(_) => Some(None),
    };
    let (Some(_), Some(_)) = (endpoint(from), endpoint(to)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (side, subject, other) in [(&d.egress, from, to), (&d.ingress, to, from)] {
        let Some(Some(s)) = endpoint(subject) else {
            continue;
        };
        if !network_policy_denies(side) {
            continue;
        }
        let peer = match other {
            Target::Endpoint(oi) => {
                let Some(o) = cluster.endpoints.get(oi) else {
                    continue;
                };
                let pods = format!("podSelector: {}", match_labels(&o.labels));
                if o.namespace == s.namespace {
                    format!("    - {pods}")
                } else {
                    format!(
                        "    - namespaceSelector: {{matchLabels: {{{NAMESPACE_NAME_LABEL}: {}}}}}\n      {pods}",
                        scalar(&o.namespace)
                    )
                }
            }
            Target::External(ip) => {
                let bits = if ip.is_ipv4() { 32 } else { 128 };
                format!("    - ipBlock: {{cidr: \"{ip}/{bits}\"}}")
            }
        };
        let (kind, peers) = match side.direction {
            Direction::Egress => ("Egress", "to"),
            Direction::Ingress => ("Ingress", "from"),
        };
        // The other end by its workload's name when it has one (`utils`, not
        // `utils-646c66795d-qdtg9`), else its own name or address.
        let other_name = match other {
            Target::Endpoint(oi) => {
                let Some(o) = cluster.endpoints.get(oi) else {
                    continue;
                };
                let owner = o.owner.as_deref().and_then(|w| w.rsplit(' ').next());
                let name = owner.unwrap_or(&o.name);
                // A Deployment's ReplicaSet is `<deployment>-<pod-template-hash>`.
                o.labels
                    .get("pod-template-hash")
                    .and_then(|h| name.strip_suffix(h.as_str())?.strip_suffix('-'))
                    .unwrap_or(name)
                    .to_string()
            }
            Target::External(ip) => ip.to_string(),
        };
        let field = kind.to_ascii_lowercase();
        let base = object_name(&[
            "allow",
            &field,
            &other_name,
            &d.port.map_or_else(
                || d.protocol.as_str().to_ascii_lowercase(),
                |p| p.to_string(),
            ),
        ]);
        // Not the name of a policy the namespace already has.
        let taken = |n: &str| {
            cluster
                .policies
                .iter()
                .any(|p| p.namespace == s.namespace && p.name == n)
        };
        let mut name = base.clone();
        let mut k = 2;
        while taken(&name) {
            name = format!("{base}-{k}");
            k += 1;
        }
        let yaml = format!(
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {}\nspec:\n  podSelector: {}\n  policyTypes: [{kind}]\n  {field}:\n  - {peers}:\n{peer}{ports}\n",
            scalar(&s.namespace),
            match_labels(&s.labels),
        );
        out.push(Fix {
            direction: side.direction,
            namespace: s.namespace.clone(),
            name,
            yaml,
        });
    }
    out
}

/// The smallest change to an existing rule that would allow a denied connection on one
/// side: the rule already allows the port but no peer selects the other end (add a peer),
/// or a peer selects it but no port entry covers the port (add the port), or its
/// `podSelector`-only peer looks in the wrong namespace (select that namespace too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleChange {
    /// The rule to edit (its policy, direction, index and location).
    pub rule: crate::eval::RuleRef,
    pub change: Change,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Add this peer (a YAML flow mapping) to the rule's `from` / `to`.
    AddPeer(String),
    /// Add this entry (a YAML flow mapping) to the rule's `ports`. It opens the port to
    /// every peer of the rule, not only to this one.
    AddPort(String),
    /// Add `namespaceSelector` for `namespace` to the rule's peer number `peer` (a
    /// `podSelector`-only peer meant for pods of that namespace).
    SelectNamespace { peer: usize, namespace: String },
}

/// The other end of a connection as a NetworkPolicy peer of a policy in `namespace`, in
/// flow style, as narrow as [`suggest`]'s: its pods' labels (and namespace when it is
/// another one), or its address as a `/32` (`/128`) `ipBlock`.
fn peer_flow(engine: &Engine, namespace: &str, other: Target) -> Option<String> {
    match other {
        Target::Endpoint(oi) => {
            let o = engine.cluster.endpoints.get(oi)?;
            let pods = format!("podSelector: {}", match_labels(&o.labels));
            Some(if o.namespace == namespace {
                format!("{{{pods}}}")
            } else {
                format!(
                    "{{namespaceSelector: {{matchLabels: {{{NAMESPACE_NAME_LABEL}: {}}}}}, {pods}}}",
                    scalar(&o.namespace)
                )
            })
        }
        Target::External(ip) => {
            let bits = if ip.is_ipv4() { 32 } else { 128 };
            Some(format!("{{ipBlock: {{cidr: \"{ip}/{bits}\"}}}}"))
        }
    }
}

/// Edits of existing rules that would allow a denied connection, from the near misses of
/// each side NetworkPolicy denies (empty when it is allowed, could not be evaluated, or
/// only cluster-scoped policies deny it). Each change opens its own side; a connection
/// both sides deny needs one change on each. Rules of policies the cluster does not have
/// as NetworkPolicies, and ICMP (which only a rule without ports allows), get none.
pub fn rule_changes(engine: &Engine, d: &Decision, from: Target, to: Target) -> Vec<RuleChange> {
    use crate::eval::MissReason;
    if d.verdict != Verdict::Denied {
        return Vec::new();
    }
    let port = match (d.protocol.transport(), d.port) {
        (Some(p), Some(n)) => Some(format!("{{port: {n}, protocol: {}}}", p.as_str())),
        _ => None,
    };
    let mut out = Vec::new();
    for (side, other) in [(&d.egress, to), (&d.ingress, from)] {
        if !network_policy_denies(side) {
            continue;
        }
        for miss in &side.near_misses {
            let change = match &miss.reason {
                MissReason::Peer => {
                    peer_flow(engine, &miss.rule.policy.namespace, other).map(Change::AddPeer)
                }
                MissReason::Port { .. } => port.clone().map(Change::AddPort),
                MissReason::PeerOwnNamespaceOnly {
                    other_namespace,
                    peer,
                    ..
                } => Some(Change::SelectNamespace {
                    peer: *peer,
                    namespace: other_namespace.clone(),
                }),
                MissReason::IcmpNeedsPortlessRule => None,
            };
            if let Some(change) = change {
                out.push(RuleChange {
                    rule: miss.rule.clone(),
                    change,
                });
            }
        }
    }
    out
}
