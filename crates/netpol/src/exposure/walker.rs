//! The walk over the tiers (admin, NetworkPolicy, baseline) that decides, for each peer class, what reaches a subject.

use super::*;

/// Where the walk of the cluster-scoped rules stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Until {
    /// A NetworkPolicy rule grants: the admin tier decides before it.
    NetworkPolicy,
    /// No NetworkPolicy isolates: the admin tier, then the baseline, then allow.
    Default,
    /// An admin rule grants: the rules before it (its index in `Walker::rules`).
    Rule(usize),
}

/// One cluster-scoped rule that applies to the subject for the direction.
pub(super) struct Step<'c> {
    pub(super) tier: Tier,
    /// Index into `Cluster::cluster_policies`.
    pub(super) policy: usize,
    /// Index of the rule in the policy's direction.
    pub(super) index: usize,
    pub(super) rule: &'c TierRule,
}

/// The cluster-scoped rules that apply to one endpoint for one direction, in order.
pub(super) struct Walker<'c> {
    pub(super) cluster: &'c Cluster,
    pub(super) subject: &'c Endpoint,
    pub(super) dir: Direction,
    pub(super) rules: Vec<Step<'c>>,
}

impl<'c> Walker<'c> {
    pub(super) fn new(
        cluster: &'c Cluster,
        i: usize,
        subject: &'c Endpoint,
        dir: Direction,
    ) -> Self {
        let mut rules = Vec::new();
        if cluster.calico.is_empty() {
            for tier in [Tier::Admin, Tier::Baseline] {
                for pi in tiers::applying(cluster, tier, i, dir) {
                    if let Some(p) = cluster.cluster_policies.get(pi) {
                        for (index, rule) in p.rules(dir).iter().enumerate() {
                            rules.push(Step {
                                tier,
                                policy: pi,
                                index,
                                rule,
                            });
                        }
                    }
                }
            }
        }
        Walker {
            cluster,
            subject,
            dir,
            rules,
        }
    }

    /// What a grant of `ports` to `class` comes to after the rules before it: the
    /// certain ports and the "may" ports (with the rules that may deny), each only when
    /// not empty.
    pub(super) fn walk(
        &self,
        class: &PeerClass,
        ports: &Ports,
        until: Until,
    ) -> Vec<(Certainty, Ports, Vec<TierRuleRef>)> {
        let calico = !self.cluster.calico.is_empty();
        let (set_certain, set_may, mut because) = self.walk_set(class, &ports.set, until);
        let mut certain = Ports {
            set: set_certain,
            named: Vec::new(),
        };
        let mut may = Ports {
            set: set_may,
            named: Vec::new(),
        };
        for np in &ports.named {
            let mut all = PortSet::none();
            match np.protocol {
                Some(p) => all.add_all(p),
                None => Protocol::ALL.iter().for_each(|p| all.add_all(*p)),
            }
            let (c, m, b) = self.walk_set(class, &all, until);
            if c == all {
                certain.named.push(np.clone());
            } else if !c.is_empty() || !m.is_empty() {
                may.named.push(np.clone());
                because.extend(b);
            }
        }
        if calico {
            may.set.union_with(&certain.set);
            may.named.append(&mut certain.named);
            certain = Ports {
                set: PortSet::none(),
                named: Vec::new(),
            };
        }
        let mut refs: Vec<TierRuleRef> = Vec::new();
        for n in because {
            if let Some(r) = self.reference(n) {
                if !refs.contains(&r) {
                    refs.push(r);
                }
            }
        }
        let mut out = Vec::new();
        if !certain.is_empty() {
            out.push((Certainty::Certain, certain, Vec::new()));
        }
        if !may.is_empty() {
            out.push((Certainty::May, may, refs));
        }
        out
    }

    pub(super) fn reference(&self, n: usize) -> Option<TierRuleRef> {
        let step = self.rules.get(n)?;
        let p = self.cluster.cluster_policies.get(step.policy)?;
        Some(TierRuleRef {
            policy: p.label(),
            direction: self.dir,
            rule: step.index,
            rule_name: step.rule.name.clone(),
            action: step.rule.action,
            location: step.rule.location.clone(),
        })
    }

    /// [`Walker::walk`] over one port set: (certain, may, the steps that make "may").
    pub(super) fn walk_set(
        &self,
        class: &PeerClass,
        set: &PortSet,
        until: Until,
    ) -> (PortSet, PortSet, Vec<usize>) {
        let mut open = set.clone();
        let mut allowed = PortSet::none();
        let mut denied = PortSet::none();
        // Ports some peers of the class had decided otherwise than the rest.
        let mut mixed_deny = PortSet::none();
        let mut mixed_allow = PortSet::none();
        // Ports a covering Pass sent past the rest of the admin tier.
        let mut passed = PortSet::none();
        let mut because: Vec<usize> = Vec::new();
        let mut deniers: Vec<(usize, PortSet)> = Vec::new();
        for (n, step) in self.rules.iter().enumerate() {
            match until {
                Until::NetworkPolicy if step.tier != Tier::Admin => break,
                Until::Rule(m) if n >= m => break,
                _ => {}
            }
            if open.is_empty() {
                break;
            }
            let mut rel = self.relation(step.rule, class);
            if rel == Relation::Disjoint {
                continue;
            }
            let (rule_ports, unknown) = self.rule_ports(step.rule);
            if unknown {
                rel = Relation::Overlaps;
            }
            let avail = if step.tier == Tier::Admin {
                tiers::minus(&open, &passed)
            } else {
                open.clone()
            };
            let hit = rule_ports.intersect(&avail);
            if hit.is_empty() {
                continue;
            }
            // Some(true): the peers it matches get the ports; Some(false): they do not
            // (by this grant); None: on to the baseline tier.
            let outcome = match (step.rule.action, until) {
                (Action::Allow | Action::Accept, _) => Some(true),
                (Action::Deny, _) => Some(false),
                (Action::Pass, Until::NetworkPolicy) => Some(true),
                (Action::Pass, Until::Rule(_)) => Some(false),
                (Action::Pass, Until::Default) if step.tier == Tier::Admin => None,
                (Action::Pass, Until::Default) => Some(true),
            };
            match rel {
                Relation::Covers => match outcome {
                    Some(true) => {
                        open = tiers::minus(&open, &hit);
                        allowed.union_with(&hit);
                    }
                    Some(false) => {
                        open = tiers::minus(&open, &hit);
                        denied.union_with(&hit);
                        deniers.push((n, hit));
                    }
                    None => passed.union_with(&hit),
                },
                _ => match outcome {
                    Some(true) => mixed_allow.union_with(&hit),
                    Some(false) => {
                        mixed_deny.union_with(&hit);
                        because.push(n);
                    }
                    // Some peers skip the rest of the admin tier: the baseline or the
                    // default decides them, either way.
                    None => {
                        mixed_allow.union_with(&hit);
                        mixed_deny.union_with(&hit);
                        because.push(n);
                    }
                },
            }
        }
        allowed.union_with(&open);
        let certain = tiers::minus(&allowed, &mixed_deny);
        let mut may = allowed.intersect(&mixed_deny);
        let denied_mixed = denied.intersect(&mixed_allow);
        if !denied_mixed.is_empty() {
            may.union_with(&denied_mixed);
            for (n, hit) in deniers {
                if !hit.intersect(&denied_mixed).is_empty() {
                    because.push(n);
                }
            }
        }
        (certain, may, because)
    }

    /// A rule's ports towards the far end (the subject for ingress); `true` when they
    /// cannot be told (named ports of a destination that does not exist).
    pub(super) fn rule_ports(&self, rule: &TierRule) -> (PortSet, bool) {
        let p = tier_ports(rule, self.subject, self.dir);
        let unknown = !p.named.is_empty();
        if unknown {
            return (PortSet::all(), true);
        }
        (p.set, false)
    }

    /// How a rule's peers relate to the class.
    pub(super) fn relation(&self, rule: &TierRule, class: &PeerClass) -> Relation {
        rule.peers
            .iter()
            .map(|p| self.peer_relation(&p.kind, class))
            .fold(Relation::Disjoint, Relation::any)
    }

    pub(super) fn peer_relation(&self, peer: &TierPeerKind, class: &PeerClass) -> Relation {
        match class {
            PeerClass::NotIsolated | PeerClass::Everyone => {
                let any = Selector::default();
                let v4: IpNet = IpNet::V4(ipnet::Ipv4Net::default());
                let v6: IpNet = IpNet::V6(ipnet::Ipv6Net::default());
                self.pods_relation(peer, &Namespaces::Any, &any)
                    .union(addresses_relation(peer, &v4, &[]))
                    .union(addresses_relation(peer, &v6, &[]))
            }
            PeerClass::Pods { namespaces, pods } => self.pods_relation(peer, namespaces, pods),
            PeerClass::Addresses { cidr, except } => addresses_relation(peer, cidr, except),
        }
    }

    pub(super) fn pods_relation(
        &self,
        peer: &TierPeerKind,
        ns: &Namespaces,
        pods: &Selector,
    ) -> Relation {
        let (tns, tpods) = match peer {
            TierPeerKind::Namespaces { selector } => (selector, None),
            TierPeerKind::Pods {
                namespace_selector,
                pod_selector,
            } => (namespace_selector, Some(pod_selector)),
            // Pod addresses are unknown until the pod exists.
            TierPeerKind::Networks { cidrs } => {
                let all = |v6: bool| {
                    cidrs
                        .iter()
                        .any(|n| n.prefix_len() == 0 && matches!(n, IpNet::V6(_)) == v6)
                };
                return if all(false) && all(true) {
                    Relation::Covers
                } else {
                    Relation::Overlaps
                };
            }
            TierPeerKind::Nodes { .. } | TierPeerKind::DomainNames { .. } => {
                return Relation::Disjoint
            }
        };
        let ns_rel = match ns {
            Namespaces::Any => {
                Relation::of(&Space::of_namespace(&Selector::default()), &Space::of(tns))
            }
            Namespaces::Labelled { selector } => {
                Relation::of(&Space::of_namespace(selector), &Space::of(tns))
            }
            Namespaces::Named { name } | Namespaces::Own { name } => {
                let mut fallback = Labels::new();
                fallback.insert(NAMESPACE_NAME_LABEL.to_string(), name.clone());
                let labels = self.cluster.namespace_labels(name).unwrap_or(&fallback);
                if tns.matches(labels) {
                    Relation::Covers
                } else {
                    Relation::Disjoint
                }
            }
        };
        let pod_rel = match tpods {
            None => Relation::Covers,
            Some(p) => Relation::of(&Space::of(pods), &Space::of(p)),
        };
        ns_rel.and(pod_rel)
    }
}

/// A cluster-scoped peer against the addresses of `cidr` minus `except` (not pods').
pub(super) fn addresses_relation(peer: &TierPeerKind, cidr: &IpNet, except: &[IpNet]) -> Relation {
    match peer {
        TierPeerKind::Networks { cidrs } => {
            if cidrs.iter().any(|n| n.contains(cidr)) {
                Relation::Covers
            } else if cidrs.iter().all(|n| {
                !(n.contains(cidr) || cidr.contains(n)) || except.iter().any(|e| e.contains(n))
            }) {
                Relation::Disjoint
            } else {
                Relation::Overlaps
            }
        }
        // A node's address may be among them (nodes may join).
        TierPeerKind::Nodes { .. } => Relation::Overlaps,
        _ => Relation::Disjoint,
    }
}
