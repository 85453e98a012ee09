//! One connection decided and explained: each side's isolating policies, the rule, peer
//! and port that allowed it or the near misses, then the cluster-scoped tiers.

#![allow(
    clippy::indexing_slicing,
    reason = "a `Target::Endpoint` here has passed `Engine::decide`'s (or the matrix's, or `Engine::connections`') range check, and policy numbers come from enumerating `cluster.policies`"
)]

use super::*;

impl Engine {
    /// Does peer `k` of rule `ri` of policy `pi` select `t`?
    pub(super) fn peer_matches(
        &self,
        pi: usize,
        dir: Direction,
        ri: usize,
        k: usize,
        peer: &Peer,
        t: Target,
    ) -> PeerMatch {
        match (&peer.kind, t) {
            (PeerKind::IpBlock(b), Target::External(ip)) => {
                if b.contains(&ip) {
                    PeerMatch::Yes
                } else {
                    PeerMatch::No
                }
            }
            (PeerKind::Pods { .. }, Target::External(_)) => PeerMatch::No,
            (kind, Target::Endpoint(i)) => {
                if !self.index.peer_set(pi, dir, ri, k).get(i) {
                    PeerMatch::No
                } else if matches!(kind, PeerKind::IpBlock(_)) {
                    PeerMatch::PodIp
                } else {
                    PeerMatch::Yes
                }
            }
        }
    }

    /// Does a port entry cover the connection? Named ports resolve on `dst`.
    pub(super) fn port_matches(&self, pr: &PortRule, dst: Target, conn: Conn) -> bool {
        let Conn::Port(proto, port) = conn else {
            return false;
        };
        if pr.protocol != proto {
            return false;
        }
        match &pr.port {
            None => true,
            Some(PortValue::Number(n)) => match pr.end_port {
                Some(end) => *n <= port && port <= end,
                None => *n == port,
            },
            Some(PortValue::Name(name)) => match dst {
                Target::Endpoint(i) => {
                    self.cluster.endpoints[i].named_port(name, proto) == Some(port)
                }
                Target::External(_) => false,
            },
        }
    }

    /// The ports a rule allows towards `dst` (named ports resolved), for explanations and
    /// connection sets.
    pub(super) fn rule_ports(&self, rule: &Rule, dst: Target) -> PortSet {
        if rule.ports.is_empty() {
            return PortSet::all();
        }
        let mut set = PortSet::none();
        for pr in &rule.ports {
            match &pr.port {
                None => set.add_all(pr.protocol),
                Some(PortValue::Number(n)) => {
                    set.add(pr.protocol, *n, pr.end_port.unwrap_or(*n).max(*n))
                }
                Some(PortValue::Name(name)) => {
                    if let Target::Endpoint(i) = dst {
                        if let Some(p) = self.cluster.endpoints[i].named_port(name, pr.protocol) {
                            set.add(pr.protocol, p, p);
                        }
                    }
                }
            }
        }
        set
    }

    /// A `podSelector`-only peer that would match `other` if it were in the policy's
    /// namespace.
    pub(super) fn own_namespace_trap(
        &self,
        policy: &Policy,
        rule: &Rule,
        other: Target,
    ) -> Option<MissReason> {
        let Target::Endpoint(i) = other else {
            return None;
        };
        let e = &self.cluster.endpoints[i];
        if e.namespace == policy.namespace {
            return None;
        }
        rule.peers
            .iter()
            .enumerate()
            .find_map(|(k, p)| match &p.kind {
                PeerKind::Pods {
                    namespace_selector: None,
                    pod_selector: Some(sel),
                } if sel.matches(&e.labels) => Some(MissReason::PeerOwnNamespaceOnly {
                    policy_namespace: policy.namespace.clone(),
                    other_namespace: e.namespace.clone(),
                    peer: k,
                }),
                _ => None,
            })
    }

    /// Evaluates one side.
    #[allow(clippy::too_many_arguments)]
    // the connection's parts; a struct would only rename them `subject` is the endpoint whose policies apply (the source for
    /// egress, the destination for ingress); `other` the far end; `dst` the destination.
    pub(super) fn side(
        &self,
        dir: Direction,
        subject: Target,
        other: Target,
        dst: Target,
        conn: Conn,
        detail: bool,
        caveats: &mut Vec<Caveat>,
    ) -> Side {
        let mut side = Side {
            direction: dir,
            endpoint: if detail {
                self.name(subject)
            } else {
                String::new()
            },
            verdict: SideVerdict::NotApplicable,
            isolated_by: Vec::new(),
            allowed_by: Vec::new(),
            near_misses: Vec::new(),
            tiers: Vec::new(),
            tier_verdict: None,
        };
        let Target::Endpoint(si) = subject else {
            return side;
        };
        let selecting = self.selecting(si, dir);
        if selecting.is_empty() {
            side.verdict = SideVerdict::NotIsolated;
            return side;
        }
        side.verdict = SideVerdict::NoRuleMatched;
        for &pi in selecting {
            let policy = &self.cluster.policies[pi];
            let pref = || PolicyRef {
                namespace: policy.namespace.clone(),
                name: policy.name.clone(),
                location: policy.location.clone(),
            };
            if detail {
                side.isolated_by.push(pref());
            }
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                // Which peer matches?
                let (peer_idx, pm) = if rule.peers.is_empty() {
                    (None, PeerMatch::Yes)
                } else {
                    rule.peers
                        .iter()
                        .enumerate()
                        .map(|(k, p)| (Some(k), self.peer_matches(pi, dir, ri, k, p, other)))
                        .find(|(_, m)| *m != PeerMatch::No)
                        .unwrap_or((None, PeerMatch::No))
                };
                let port_idx: Option<Option<usize>> = match conn {
                    Conn::Icmp => {
                        if rule.ports.is_empty() {
                            Some(None)
                        } else {
                            None
                        }
                    }
                    Conn::Port(..) => {
                        if rule.ports.is_empty() {
                            Some(None)
                        } else {
                            rule.ports
                                .iter()
                                .position(|pr| self.port_matches(pr, dst, conn))
                                .map(Some)
                        }
                    }
                };
                let rref = |peer: Option<usize>, port: Option<usize>| RuleRef {
                    policy: pref(),
                    direction: dir,
                    rule: ri,
                    peer,
                    port,
                    location: rule.location.clone(),
                };
                match (pm, port_idx) {
                    (PeerMatch::No, None) => {}
                    (PeerMatch::No, Some(port)) => {
                        if detail {
                            let reason = self
                                .own_namespace_trap(policy, rule, other)
                                .unwrap_or(MissReason::Peer);
                            side.near_misses.push(NearMiss {
                                rule: rref(None, port),
                                reason,
                            });
                        }
                    }
                    (_, None) => {
                        if detail {
                            let reason = match conn {
                                Conn::Icmp => MissReason::IcmpNeedsPortlessRule,
                                Conn::Port(..) => MissReason::Port {
                                    allows: self.rule_ports(rule, dst).to_string(),
                                },
                            };
                            side.near_misses.push(NearMiss {
                                rule: rref(peer_idx, None),
                                reason,
                            });
                        }
                    }
                    (m, Some(port)) => {
                        side.verdict = SideVerdict::AllowedByRule;
                        if !detail {
                            return side;
                        }
                        if m == PeerMatch::PodIp {
                            let c = Caveat::IpBlockMatchesPodIp {
                                policy: policy.full_name(),
                            };
                            if !caveats.contains(&c) {
                                caveats.push(c);
                            }
                        }
                        side.allowed_by.push(rref(peer_idx, port));
                    }
                }
            }
        }
        if side.verdict == SideVerdict::AllowedByRule {
            side.near_misses.clear();
        }
        side
    }

    /// Runs the tier chain of the cluster-scoped policies around a side's NetworkPolicy
    /// result (nothing to do in a cluster without them).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tier_hook(
        &self,
        mut side: Side,
        dir: Direction,
        subject: Target,
        other: Target,
        dst: Target,
        conn: Conn,
        detail: bool,
    ) -> Side {
        if !self.cluster.has_tiers() || !matches!(subject, Target::Endpoint(_)) {
            return side;
        }
        let traffic = match conn {
            Conn::Port(p, n) => Traffic::Port(p, n),
            Conn::Icmp => Traffic::Icmp,
        };
        let isolated = matches!(
            side.verdict,
            SideVerdict::AllowedByRule | SideVerdict::NoRuleMatched
        );
        let names = (!side.isolated_by.is_empty()).then(|| {
            side.isolated_by
                .iter()
                .map(|p| format!("{}/{}", p.namespace, p.name))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let Target::Endpoint(subject) = subject else {
            return side;
        };
        let ask = tiers::Ask {
            cluster: &self.cluster,
            dir,
            subject,
            other,
            dst,
            traffic,
        };
        let np = isolated.then(|| side.verdict.allows());
        let (allowed, steps) = tiers::chain(&ask, np, names, detail);
        side.tier_verdict = Some(allowed);
        side.tiers = steps;
        side
    }

    /// Decides one connection and explains it.
    pub fn query(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
    ) -> Decision {
        self.decide(from, to, protocol, port, true, false)
    }

    /// Like [`Engine::query`] for a connection that reaches `to` through a Service (after
    /// DNAT). The one difference is a pod load-balanced back to itself ("hairpin"):
    /// cluster-scoped policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
    /// ClusterNetworkPolicy) apply to it, as network-policy-api's API overview says (only
    /// a pod connecting to its own Pod IP is exempt); NetworkPolicy still never blocks it.
    pub fn query_via_service(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
    ) -> Decision {
        self.decide(from, to, protocol, port, true, true)
    }

    pub(super) fn unknown(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port_name: Option<String>,
        error: String,
    ) -> Decision {
        let blank = |dir, t| Side::bare(dir, self.name(t), SideVerdict::NotApplicable);
        Decision {
            from: self.name(from),
            to: self.name(to),
            source: from,
            destination: to,
            protocol,
            port: None,
            port_name,
            verdict: Verdict::Unknown,
            error: Some(error),
            self_traffic: false,
            hairpin: false,
            egress: blank(Direction::Egress, from),
            ingress: blank(Direction::Ingress, to),
            caveats: Vec::new(),
        }
    }

    /// The connection a question asks about: ICMP, or a transport and port (a named
    /// port resolved on the destination pod); why not, when it cannot be asked.
    #[inline(always)]
    fn connection(
        &self,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
    ) -> Result<Conn, String> {
        Ok(match (protocol.transport(), port) {
            (None, _) => Conn::Icmp,
            (Some(_), None) => return Err(format!("a {protocol} connection needs a port")),
            (Some(p), Some(PortQuery::Number(0))) => {
                return Err(format!("port 0 is not a valid {p} port"))
            }
            (Some(p), Some(PortQuery::Number(n))) => Conn::Port(p, *n),
            (Some(p), Some(PortQuery::Name(name))) => {
                match to {
                    Target::Endpoint(i) => match self.cluster.endpoints[i].named_port(name, p) {
                        Some(n) => Conn::Port(p, n),
                        None => {
                            let e = &self.cluster.endpoints[i];
                            let mut msg =
                                format!("`{}` declares no {p} port named `{name}`", e.full_name());
                            let names: Vec<&str> = e
                                .ports
                                .iter()
                                .filter(|cp| cp.protocol == p)
                                .filter_map(|cp| cp.name.as_deref())
                                .collect();
                            if let Some(s) = did_you_mean(name, names.iter().copied()) {
                                msg.push_str(&format!("; did you mean `{s}`?"));
                            }
                            return Err(msg);
                        }
                    },
                    Target::External(ip) => {
                        return Err(format!("a named port (`{name}`) needs a pod destination, not the address `{ip}`"));
                    }
                }
            }
        })
    }

    /// An address the playground assigned matters when an ipBlock could have read it.
    #[inline(always)]
    fn assigned_address_caveats(&self, ends: [Target; 2], caveats: &mut Vec<Caveat>) {
        for t in ends {
            if let Target::Endpoint(i) = t {
                let e = &self.cluster.endpoints[i];
                if e.ip_assigned {
                    if let Some(ip) = e.ips.first() {
                        caveats.push(Caveat::AssignedAddress {
                            endpoint: e.full_name(),
                            ip: ip.to_string(),
                        });
                    }
                }
            }
        }
    }

    /// A workload with several pods stands for all of them: to itself is to another
    /// replica too, which the policies may not allow.
    #[inline(always)]
    fn replicas_caveat(&self, t: Target) -> Option<Caveat> {
        let Target::Endpoint(i) = t else {
            return None;
        };
        let e = self.cluster.endpoints.get(i)?;
        (e.kind == EndpointKind::DaemonSet
            || (e.kind != EndpointKind::Pod && e.replicas.unwrap_or(1) > 1))
            .then(|| Caveat::Replicas {
                endpoint: e.full_name(),
            })
    }

    pub(super) fn decide(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: Option<&PortQuery>,
        detail: bool,
        via_service: bool,
    ) -> Decision {
        let port_name = match port {
            Some(PortQuery::Name(n)) => Some(n.clone()),
            _ => None,
        };
        // The one check of a caller's endpoint numbers: past it, every `Target::Endpoint`
        // indexes `cluster.endpoints` (this module and the tiers allow indexing for that).
        for t in [from, to] {
            if let Target::Endpoint(i) = t {
                if i >= self.cluster.endpoints.len() {
                    return self.unknown(
                        from,
                        to,
                        protocol,
                        port_name,
                        format!("endpoint #{i} is not in this cluster"),
                    );
                }
            }
        }
        let conn = match self.connection(to, protocol, port) {
            Ok(conn) => conn,
            Err(msg) => return self.unknown(from, to, protocol, port_name, msg),
        };
        let port_num = match conn {
            Conn::Port(_, n) => Some(n),
            Conn::Icmp => None,
        };
        let mut caveats = Vec::new();
        if detail {
            if matches!(conn, Conn::Icmp) {
                caveats.push(Caveat::Icmp);
            }
            for t in [from, to] {
                if let Target::Endpoint(i) = t {
                    let e = &self.cluster.endpoints[i];
                    if e.host_network {
                        caveats.push(Caveat::HostNetwork {
                            endpoint: e.full_name(),
                        });
                    }
                }
            }
        }
        let self_traffic = from == to;
        let hairpin = self_traffic
            && via_service
            && !self.cluster.cluster_policies.is_empty()
            && self.cluster.calico.is_empty();
        let (egress, ingress) = if self_traffic {
            if detail {
                caveats.extend(self.replicas_caveat(from));
            }
            let s = |dir, t| Side::bare(dir, self.name(t), SideVerdict::NotIsolated);
            let (eg, ing) = (s(Direction::Egress, from), s(Direction::Ingress, to));
            if hairpin {
                (
                    self.tier_hook(eg, Direction::Egress, from, to, to, conn, detail),
                    self.tier_hook(ing, Direction::Ingress, to, from, to, conn, detail),
                )
            } else {
                (eg, ing)
            }
        } else {
            let eg = self.side(Direction::Egress, from, to, to, conn, detail, &mut caveats);
            let eg = self.tier_hook(eg, Direction::Egress, from, to, to, conn, detail);
            let ing = if detail || eg.allows() {
                let ing = self.side(Direction::Ingress, to, from, to, conn, detail, &mut caveats);
                self.tier_hook(ing, Direction::Ingress, to, from, to, conn, detail)
            } else {
                Side::bare(
                    Direction::Ingress,
                    String::new(),
                    SideVerdict::NotApplicable,
                )
            };
            (eg, ing)
        };
        if detail {
            let relevant = |side: &Side| {
                side.verdict == SideVerdict::AllowedByRule
                    || side.verdict == SideVerdict::NoRuleMatched
            };
            // An assigned address matters only when an ipBlock could have looked at it.
            let any_ipblock = self.cluster.policies.iter().any(|p| {
                p.ingress.iter().chain(p.egress.iter()).any(|r| {
                    r.peers
                        .iter()
                        .any(|x| matches!(x.kind, PeerKind::IpBlock(_)))
                })
            });
            if any_ipblock && (relevant(&egress) || relevant(&ingress)) {
                self.assigned_address_caveats([from, to], &mut caveats);
            }
        }
        let allowed = (self_traffic && !hairpin) || (egress.allows() && ingress.allows());
        Decision {
            from: if detail {
                self.name(from)
            } else {
                String::new()
            },
            to: if detail { self.name(to) } else { String::new() },
            source: from,
            destination: to,
            protocol,
            port: port_num,
            port_name,
            verdict: if allowed {
                Verdict::Allowed
            } else {
                Verdict::Denied
            },
            error: None,
            self_traffic,
            hairpin,
            egress,
            ingress,
            caveats,
        }
    }
}
