//! The step-through trace of one decision: the data a debugger-style view walks, each step
//! with the byte range of the YAML it reads. Per side (the source's egress, then the
//! destination's ingress): is the endpoint isolated (which policies select it), then for
//! each rule of each isolating policy whether a peer matches (AND inside a peer: its
//! namespace and its pods; OR across peers; a peer without `namespaceSelector` looks in
//! the policy's own namespace) and whether a port matches (named ports resolved on the
//! destination; ICMP only through a rule without ports), then the side's verdict. With
//! cluster-scoped tiers the side is their chain as the decision recorded it, in order, the
//! NetworkPolicy steps where the chain reaches the NetworkPolicy tier (none when an
//! earlier tier decided).
//!
//! The trace re-reads the model; `tests/trace.rs` checks on every lesson row that its
//! verdicts are the evaluator's. The page's step-through view (`web/src/components/steps.rs`)
//! walks it, the worker turning each step into words and an editor range.

use std::net::IpAddr;

use serde::Serialize;

use crate::diag::Location;
use crate::eval::{Decision, Engine, Target};
use crate::model::{Direction, Endpoint, PeerKind, PortRule, PortValue, Protocol, QueryProtocol};
use crate::tiers::{StepOutcome, TierStep};

/// What a step looks at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum StepKind {
    /// The endpoint is an address outside the cluster: no NetworkPolicy applies here.
    Outside,
    /// A pod talking to itself: NetworkPolicy never blocks it.
    SelfTraffic,
    /// No NetworkPolicy with this direction selects the endpoint.
    NotIsolated,
    /// This policy's `podSelector` selects the endpoint: it is isolated.
    Selects { policy: String },
    /// An isolating policy without rules for this direction: it allows nothing by itself.
    NoRules { policy: String },
    /// A rule of an isolating policy (`spec.ingress[0]`); `ok`: it allows the connection.
    Rule { policy: String, index: usize },
    /// The rule has no `from` / `to`: every peer.
    AnyPeer,
    /// One peer: `namespace` and `pods` are the parts it has (None: absent; a peer
    /// without `namespaceSelector` compares `own_namespace`).
    Peer {
        index: usize,
        own_namespace: Option<bool>,
        namespace: Option<bool>,
        pods: Option<bool>,
        ip_block: Option<bool>,
    },
    /// The rule has no `ports`: every port and protocol, ICMP included.
    AnyPort,
    /// One port entry (`TCP 80`, `TCP http = 80`, `TCP 30000-30100`).
    Port { index: usize, text: String },
    /// A ping and a rule that lists ports: ICMP has no port, so it never matches.
    IcmpNeedsPortlessRule,
    /// A step of the cluster-scoped tiers, as the decision recorded it.
    Tier(Box<TierStep>),
    /// The side's verdict.
    Verdict,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    /// Whether it matched / allows.
    pub ok: bool,
    /// 0: the side; 1: a policy or rule; 2: a peer or port.
    pub depth: u8,
    /// The YAML it reads.
    pub location: Option<Location>,
}

impl Step {
    fn new(kind: StepKind, ok: bool, depth: u8, location: Option<Location>) -> Self {
        Step {
            kind,
            ok,
            depth,
            location,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideTrace {
    pub direction: Direction,
    pub endpoint: String,
    pub steps: Vec<Step>,
    /// The NetworkPolicies of this side let the connection through (the trace's own
    /// reading; the evaluator's is `Side::verdict`).
    pub np_allows: bool,
    /// The side lets the connection through (tiers included): the decision's.
    pub allows: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub egress: SideTrace,
    pub ingress: SideTrace,
}

impl Trace {
    /// The trace's last word: both sides let the connection through. Equal to the
    /// decision's verdict being `Allowed` (`tests/trace.rs`).
    pub fn allows(&self) -> bool {
        self.egress.allows && self.ingress.allows
    }
}

/// The trace of a decision made by `engine`. None when the decision was made in another
/// cluster (a `dns:` question's assumed CoreDNS pod) or could not be evaluated.
pub fn trace(engine: &Engine, d: &Decision) -> Option<Trace> {
    if d.error.is_some() {
        return None;
    }
    let ok = |t: Target| match t {
        Target::Endpoint(i) => engine.cluster.endpoints.get(i).is_some(),
        Target::External(_) => true,
    };
    if !ok(d.source) || !ok(d.destination) {
        return None;
    }
    let conn = match (d.protocol, d.port) {
        (QueryProtocol::ICMP, _) => None,
        (p, Some(n)) => Some((p.transport()?, n)),
        (_, None) => return None,
    };
    let side = |dir: Direction, subject: Target, other: Target, s: &crate::eval::Side| {
        let mut t = if d.self_traffic {
            SideTrace {
                direction: dir,
                endpoint: String::new(),
                steps: vec![Step::new(StepKind::SelfTraffic, true, 0, None)],
                np_allows: true,
                allows: true,
            }
        } else {
            side_trace(engine, dir, subject, other, d.destination, conn)
        };
        // With cluster-scoped tiers, the chain in the API's order: the NetworkPolicy
        // steps stand where the chain reaches the NetworkPolicy tier, and not at all when
        // a tier before it decided (they were never consulted).
        if !s.tiers.is_empty() {
            let np = std::mem::take(&mut t.steps);
            let mut np = Some(np);
            for step in &s.tiers {
                if step.tier == crate::tiers::StepTier::NetworkPolicy {
                    t.steps.extend(np.take().unwrap_or_default());
                }
                t.steps.push(Step::new(
                    StepKind::Tier(Box::new(step.clone())),
                    tier_ok(step.outcome),
                    1,
                    step.location.clone(),
                ));
            }
        }
        t.allows = s.allows();
        t.steps
            .push(Step::new(StepKind::Verdict, t.allows, 0, None));
        t.endpoint = s.endpoint.clone();
        t
    };
    Some(Trace {
        egress: side(Direction::Egress, d.source, d.destination, &d.egress),
        ingress: side(Direction::Ingress, d.destination, d.source, &d.ingress),
    })
}

/// The NetworkPolicy part of one side; `allows` is its result before the tiers.
fn side_trace(
    engine: &Engine,
    dir: Direction,
    subject: Target,
    other: Target,
    dst: Target,
    conn: Option<(Protocol, u16)>,
) -> SideTrace {
    let c = &engine.cluster;
    let mut t = SideTrace {
        direction: dir,
        endpoint: engine.name(subject),
        steps: Vec::new(),
        np_allows: true,
        allows: true,
    };
    let Target::Endpoint(si) = subject else {
        t.steps.push(Step::new(StepKind::Outside, true, 0, None));
        return t;
    };
    let selecting = engine.selecting(si, dir);
    if selecting.is_empty() {
        t.steps
            .push(Step::new(StepKind::NotIsolated, true, 0, None));
        return t;
    }
    let other_ep = match other {
        Target::Endpoint(i) => c.endpoints.get(i),
        Target::External(_) => None,
    };
    let dst_ep = match dst {
        Target::Endpoint(i) => c.endpoints.get(i),
        Target::External(_) => None,
    };
    let mut allowed = false;
    for &pi in selecting {
        let Some(p) = c.policies.get(pi) else {
            continue;
        };
        t.steps.push(Step::new(
            StepKind::Selects {
                policy: p.full_name(),
            },
            true,
            0,
            Some(p.location.clone()),
        ));
        if p.rules(dir).is_empty() {
            t.steps.push(Step::new(
                StepKind::NoRules {
                    policy: p.full_name(),
                },
                false,
                1,
                None,
            ));
        }
        for (ri, rule) in p.rules(dir).iter().enumerate() {
            let at = t.steps.len();
            t.steps.push(Step::new(
                StepKind::Rule {
                    policy: p.full_name(),
                    index: ri,
                },
                false,
                1,
                Some(rule.location.clone()),
            ));
            // OR across peers; AND inside one.
            let mut peer_ok = rule.peers.is_empty();
            if rule.peers.is_empty() {
                t.steps.push(Step::new(StepKind::AnyPeer, true, 2, None));
            }
            for (k, peer) in rule.peers.iter().enumerate() {
                let (kind, ok) = peer_step(c, &p.namespace, k, &peer.kind, other, other_ep);
                peer_ok |= ok;
                t.steps.push(Step {
                    kind,
                    ok,
                    depth: 2,
                    location: Some(peer.location.clone()),
                });
            }
            let mut port_ok = rule.ports.is_empty();
            match conn {
                None if !rule.ports.is_empty() => t.steps.push(Step::new(
                    StepKind::IcmpNeedsPortlessRule,
                    false,
                    2,
                    rule.ports.first().map(|pr| pr.location.clone()),
                )),
                _ if rule.ports.is_empty() => {
                    t.steps.push(Step::new(StepKind::AnyPort, true, 2, None))
                }
                None => {}
                Some((proto, port)) => {
                    for (k, pr) in rule.ports.iter().enumerate() {
                        let step = port_step(k, pr, proto, port, dst_ep);
                        port_ok |= step.ok;
                        t.steps.push(step);
                    }
                }
            }
            let rule_ok = peer_ok && port_ok;
            if let Some(s) = t.steps.get_mut(at) {
                s.ok = rule_ok;
            }
            allowed |= rule_ok;
        }
    }
    t.np_allows = allowed;
    t.allows = allowed;
    t
}

/// One entry of a rule's `ports` against the connection (a named port resolved on the
/// destination).
#[inline(always)]
fn port_step(
    k: usize,
    pr: &PortRule,
    proto: Protocol,
    port: u16,
    dst_ep: Option<&Endpoint>,
) -> Step {
    let (text, resolved) = match &pr.port {
        None => (pr.protocol.as_str().to_string(), Some(port)),
        Some(PortValue::Number(n)) => match pr.end_port {
            Some(end) => (
                format!("{} {n}-{end}", pr.protocol.as_str()),
                (*n <= port && port <= end).then_some(port),
            ),
            None => (format!("{} {n}", pr.protocol.as_str()), Some(*n)),
        },
        Some(PortValue::Name(name)) => {
            let n = dst_ep.and_then(|e| e.named_port(name, pr.protocol));
            let text = match n {
                Some(n) => format!("{} {name} = {n}", pr.protocol.as_str()),
                None => format!("{} {name} (not declared)", pr.protocol.as_str()),
            };
            (text, n)
        }
    };
    let ok = pr.protocol == proto && resolved == Some(port);
    Step::new(
        StepKind::Port { index: k, text },
        ok,
        2,
        Some(pr.location.clone()),
    )
}

/// One peer against the far end: the AND of its parts.
fn peer_step(
    c: &crate::model::Cluster,
    policy_ns: &str,
    index: usize,
    kind: &PeerKind,
    other: Target,
    other_ep: Option<&Endpoint>,
) -> (StepKind, bool) {
    match kind {
        PeerKind::IpBlock(b) => {
            let ok = match (other, other_ep) {
                (Target::External(ip), _) => b.contains(&ip),
                // As the index (index.rs): an address the playground assigned is never
                // matched by an ipBlock.
                (_, Some(e)) => !e.ip_assigned && e.ips.iter().any(|ip: &IpAddr| b.contains(ip)),
                _ => false,
            };
            (
                StepKind::Peer {
                    index,
                    own_namespace: None,
                    namespace: None,
                    pods: None,
                    ip_block: Some(ok),
                },
                ok,
            )
        }
        PeerKind::Pods {
            namespace_selector,
            pod_selector,
        } => {
            let e = other_ep;
            let (own, ns) = match (namespace_selector, e) {
                (None, Some(e)) => (Some(e.namespace == policy_ns), None),
                (None, None) => (Some(false), None),
                (Some(sel), Some(e)) => (
                    None,
                    Some(
                        c.namespace_labels(&e.namespace)
                            .is_some_and(|l| sel.matches(l)),
                    ),
                ),
                (Some(_), None) => (None, Some(false)),
            };
            let pods = pod_selector
                .as_ref()
                .map(|sel| e.is_some_and(|e| sel.matches(&e.labels)));
            let ok =
                own.unwrap_or(true) && ns.unwrap_or(true) && pods.unwrap_or(true) && e.is_some();
            (
                StepKind::Peer {
                    index,
                    own_namespace: own,
                    namespace: ns,
                    pods,
                    ip_block: None,
                },
                ok,
            )
        }
    }
}

/// Whether a tier step lets the connection on (a deny stops it).
fn tier_ok(o: StepOutcome) -> bool {
    use crate::tiers::calico::CalicoAction;
    match o {
        StepOutcome::Matched(a) => a.decision().unwrap_or(true),
        StepOutcome::NpDenied => false,
        StepOutcome::CalicoMatched(a) | StepOutcome::TierDefault(a) => a != CalicoAction::Deny,
        _ => true,
    }
}
