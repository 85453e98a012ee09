//! The JSON of `netpol diff` (pairs with their causes) and `netpol exposure`.

use super::*;

/// One element of `diff --format json` (`docs/diff.md`): a pair whose connections
/// differ. `from`, `to`, `before` and `after` are the strings `connlist --format json`
/// has for the pair in each version (`from`, `to`, `connections`). Keys in alphabetical
/// order, as `connlist`.
#[derive(Serialize)]
pub struct DiffJson<'a> {
    pub after: String,
    pub before: String,
    pub causes: Vec<CauseJson<'a>>,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    pub from: &'a str,
    pub to: &'a str,
}

/// Why a pair changed: an object that differs between the versions.
#[derive(Serialize)]
pub struct CauseJson<'a> {
    /// `added`, `removed`, `edited`, `relabelled`.
    pub change: &'static str,
    /// Endpoints and namespaces: the fields that differ (`labels`, `ports`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
    /// `NetworkPolicy`, `AdminNetworkPolicy`, ..., `Pod`, `Deployment`, ..., `Namespace`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels_after: Option<&'a netpol::model::Labels>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels_before: Option<&'a netpol::model::Labels>,
    pub name: &'a str,
    /// An edited policy: the parts that differ and bear on the pair.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleChangeJson>,
    /// A policy: `egress` (it selects the source), `ingress` (the destination), or both.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct RuleChangeJson {
    pub change: &'static str,
    /// `spec.ingress[0]`, `spec.podSelector`, ...
    pub path: String,
}

impl<'a> CauseJson<'a> {
    pub fn new(
        o: &'a netpol::diff::ObjectChange,
        c: &netpol::diff::Cause,
        rules: &[&netpol::diff::RuleChange],
    ) -> Self {
        let mut via = Vec::new();
        if o.policy && c.egress {
            via.push("egress");
        }
        if o.policy && c.ingress {
            via.push("ingress");
        }
        CauseJson {
            change: o.change.as_str(),
            fields: o.fields.clone(),
            kind: o.kind,
            labels_after: o.labels.as_ref().map(|l| &l[1]),
            labels_before: o.labels.as_ref().map(|l| &l[0]),
            name: &o.name,
            rules: rules
                .iter()
                .map(|r| RuleChangeJson {
                    change: r.change.as_str(),
                    path: r.path(),
                })
                .collect(),
            via,
        }
    }
}

/// `exposure --format json`: one object per workload (`docs/exposure.md`).
#[derive(Serialize)]
pub struct ExposureJson {
    pub workload: String,
    pub namespace: String,
    pub name: String,
    pub kind: String,
    pub ingress: ExposureDirectionJson,
    pub egress: ExposureDirectionJson,
}

#[derive(Serialize)]
pub struct ExposureDirectionJson {
    /// A NetworkPolicy selects the workload for this direction.
    pub isolated: bool,
    /// The direction in one sentence (`--lang`).
    pub summary: String,
    pub exposures: Vec<ExposureItemJson>,
}

#[derive(Serialize)]
pub struct ExposureItemJson {
    pub peer: PeerJson,
    /// The peers in words (`--lang`).
    pub description: String,
    /// Numbers and ranges in `connlist`'s wording (`No connections` when only named
    /// ports are given).
    pub ports: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub named_ports: Vec<NamedPortJson>,
    /// `certain` or `may`.
    pub certainty: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub may_deny: Vec<TierRuleJson>,
    /// The workloads of the input the peers match now (empty for everyone).
    pub existing: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub some_pods: bool,
    /// None when no NetworkPolicy selects the workload for the direction.
    pub rule: Option<GrantJson>,
    /// The exposure in words (`--lang`).
    pub words: String,
}

#[derive(Serialize)]
pub struct PeerJson {
    /// `notIsolated`, `everyone`, `pods`, `addresses`.
    pub kind: &'static str,
    /// Pods: `any`, `labelled`, `named` (one namespace of the input by its name label),
    /// `own` (the policy's namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<&'static str>,
    /// `named` and `own`: the namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `labelled`: the selector (`team=web,env notin (dev)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<String>,
    /// Pods: the pod selector (`{}`: any pod).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_selector: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<String>,
    /// Addresses: `0.0.0.0/0` or `::/0`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internet: bool,
}

#[derive(Serialize)]
pub struct NamedPortJson {
    /// None: any protocol.
    pub protocol: Option<&'static str>,
    pub name: String,
}

#[derive(Serialize)]
pub struct GrantJson {
    /// `NetworkPolicy`, `AdminNetworkPolicy`, `ClusterNetworkPolicy`.
    pub kind: String,
    /// `namespace/name` of a NetworkPolicy, the name of a cluster-scoped policy.
    pub policy: String,
    /// `spec.ingress[0].from[1]`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    /// `file:line:col` of the peer (of the rule when it has no peers).
    pub position: String,
}

#[derive(Serialize)]
pub struct TierRuleJson {
    /// `ANP deny-all prio 5`.
    pub policy: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_name: Option<String>,
    pub action: &'static str,
    pub position: String,
}

/// A peer class of an exposure, as JSON.
fn peer_json(p: &netpol::exposure::PeerClass) -> PeerJson {
    use netpol::exposure::{Namespaces, PeerClass};
    let mut j = PeerJson {
        kind: "",
        namespaces: None,
        namespace: None,
        namespace_selector: None,
        pod_selector: None,
        cidr: None,
        except: Vec::new(),
        internet: p.is_internet(),
    };
    match p {
        PeerClass::NotIsolated => j.kind = "notIsolated",
        PeerClass::Everyone => j.kind = "everyone",
        PeerClass::Pods { namespaces, pods } => {
            j.kind = "pods";
            j.pod_selector = Some(pods.to_string());
            match namespaces {
                Namespaces::Any => j.namespaces = Some("any"),
                Namespaces::Labelled { selector } => {
                    j.namespaces = Some("labelled");
                    j.namespace_selector = Some(selector.to_string());
                }
                Namespaces::Named { name } => {
                    j.namespaces = Some("named");
                    j.namespace = Some(name.clone());
                }
                Namespaces::Own { name } => {
                    j.namespaces = Some("own");
                    j.namespace = Some(name.clone());
                }
            }
        }
        PeerClass::Addresses { cidr, except } => {
            j.kind = "addresses";
            j.cidr = Some(cidr.to_string());
            j.except = except.iter().map(ToString::to_string).collect();
        }
    }
    j
}

pub fn exposure_json(
    report: &netpol::exposure::ExposureReport,
    lang: netpol::Lang,
    set: &crate::input::InputSet,
) -> Vec<ExposureJson> {
    use netpol::exposure::{Certainty, Grant};
    use netpol::words::exposure as words;
    let grant = |g: &Grant| -> Option<GrantJson> {
        let position = g.location().map(|l| set.position(l)).unwrap_or_default();
        let path = g.path().unwrap_or_default();
        match g {
            Grant::NetworkPolicy {
                namespace, name, ..
            } => Some(GrantJson {
                kind: "NetworkPolicy".into(),
                policy: format!("{namespace}/{name}"),
                path,
                rule_name: None,
                position,
            }),
            Grant::ClusterPolicy {
                kind,
                name,
                rule_name,
                ..
            } => Some(GrantJson {
                kind: kind.clone(),
                policy: name.clone(),
                path,
                rule_name: rule_name.clone(),
                position,
            }),
            Grant::NoPolicy { .. } => None,
        }
    };
    report
        .workloads
        .iter()
        .map(|w| {
            let dir = |d: Direction| {
                let x = w.direction(d);
                ExposureDirectionJson {
                    isolated: x.isolated,
                    summary: words::summary(w, d, lang),
                    exposures: x
                        .exposures
                        .iter()
                        .map(|e| ExposureItemJson {
                            peer: peer_json(&e.peer),
                            description: words::peer(&e.peer, lang),
                            ports: e.ports.set.to_string(),
                            named_ports: e
                                .ports
                                .named
                                .iter()
                                .map(|n| NamedPortJson {
                                    protocol: n.protocol.map(Protocol::as_str),
                                    name: n.name.clone(),
                                })
                                .collect(),
                            certainty: match e.certainty {
                                Certainty::Certain => "certain",
                                Certainty::May => "may",
                            },
                            may_deny: e
                                .may_deny
                                .iter()
                                .map(|r| TierRuleJson {
                                    policy: r.policy.clone(),
                                    path: format!("spec.{}[{}]", r.direction.as_str(), r.rule),
                                    rule_name: r.rule_name.clone(),
                                    action: r.action.as_str(),
                                    position: set.position(&r.location),
                                })
                                .collect(),
                            existing: e.existing.to_vec(),
                            some_pods: e.some_pods,
                            rule: grant(&e.grant),
                            words: words::exposure(e, d, lang),
                        })
                        .collect(),
                }
            };
            ExposureJson {
                workload: w.workload.clone(),
                namespace: w.namespace.clone(),
                name: w.name.clone(),
                kind: w.kind.clone(),
                ingress: dir(Direction::Ingress),
                egress: dir(Direction::Egress),
            }
        })
        .collect()
}
