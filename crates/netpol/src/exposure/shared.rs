//! What one workload exposure report shares between its rules and peers: the memo of what each peer matches, and the names of the workloads it lists once per group.

use super::*;

/// What a peer matches now: a list of endpoints ([`Shared::lists`]), without the
/// subject for a cluster-scoped grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Matched {
    pub(super) list: usize,
    pub(super) without: Option<usize>,
}

impl Matched {
    /// Nothing (everyone, and the parts of everyone).
    const NONE: Matched = Matched {
        list: 0,
        without: None,
    };
}

/// An exposure before what it matches now is named.
pub(super) struct Pending {
    pub(super) peer: PeerClass,
    pub(super) ports: Ports,
    pub(super) grant: Grant,
    pub(super) certainty: Certainty,
    pub(super) may_deny: Vec<TierRuleRef>,
    pub(super) matched: Matched,
}

/// One endpoint's exposures for one direction, before naming.
pub(super) struct Found {
    pub(super) isolated: bool,
    pub(super) exposures: Vec<Pending>,
}

/// A cluster-scoped peer of an Allow rule: its classes beyond the input and the list
/// of the endpoints it matches now.
pub(super) type TierPeerClasses = (std::rc::Rc<Vec<PeerClass>>, usize);

/// A peer of a rule: (policy, direction, rule, peer), indexes as in the policy.
pub(super) type PeerKey = (usize, Direction, usize, usize);

/// What the endpoints' exposures share: the pods' addresses, and per peer of a rule
/// (a NetworkPolicy's or a cluster-scoped Allow's) its class and what it matches now,
/// decided once, not once per endpoint the rule applies to.
pub(super) struct Shared<'e> {
    pub(super) engine: &'e Engine,
    pub(super) pod_ips: Vec<IpAddr>,
    /// Lists of endpoints (ascending); 0 is the empty list.
    pub(super) lists: Vec<Vec<usize>>,
    /// NetworkPolicy peers by (false, (policy, direction, rule, peer)): the class when
    /// it reaches beyond the input, and its list; admin peers by (true, (cluster policy,
    /// direction, rule, peer)). One table for both: one hash table type in the wasm.
    pub(super) memo: HashMap<(bool, PeerKey), Memo>,
}

/// What [`Shared`] remembers of a peer.
pub(super) enum Memo {
    Np(Option<(PeerClass, usize)>),
    Tier(TierPeerClasses),
}

impl<'e> Shared<'e> {
    pub(super) fn new(engine: &'e Engine) -> Self {
        Shared {
            engine,
            pod_ips: pod_ips(&engine.cluster),
            lists: vec![Vec::new()],
            memo: HashMap::new(),
        }
    }

    pub(super) fn list(&mut self, endpoints: Vec<usize>) -> usize {
        if endpoints.is_empty() {
            return 0;
        }
        self.lists.push(endpoints);
        self.lists.len() - 1
    }

    /// The endpoints of a [`Matched`].
    pub(super) fn endpoints(&self, m: Matched) -> Vec<usize> {
        let list = self.lists.get(m.list).map_or(&[][..], Vec::as_slice);
        match m.without {
            Some(i) if list.binary_search(&i).is_ok() => {
                list.iter().copied().filter(|&j| j != i).collect()
            }
            _ => list.to_vec(),
        }
    }

    /// Peer `k` of rule `ri` of NetworkPolicy `pi` for `dir`.
    pub(super) fn np_peer(
        &mut self,
        pi: usize,
        dir: Direction,
        ri: usize,
        k: usize,
        peer: &PeerKind,
    ) -> Option<(PeerClass, usize)> {
        if let Some(Memo::Np(found)) = self.memo.get(&(false, (pi, dir, ri, k))) {
            return found.clone();
        }
        let c = &self.engine.cluster;
        let found = match c.policies.get(pi) {
            Some(policy) => np_class(c, policy, peer, &self.pod_ips).map(|class| {
                let endpoints = self.engine.peer_endpoints(pi, dir, ri, k);
                (class, self.list(endpoints))
            }),
            None => None,
        };
        self.memo
            .insert((false, (pi, dir, ri, k)), Memo::Np(found.clone()));
        found
    }

    /// Peer `k` of rule `index` of cluster-scoped policy `policy` for `dir`.
    pub(super) fn tier_peer(
        &mut self,
        policy: usize,
        dir: Direction,
        index: usize,
        k: usize,
        peer: &tiers::TierPeer,
    ) -> TierPeerClasses {
        if let Some(Memo::Tier(found)) = self.memo.get(&(true, (policy, dir, index, k))) {
            return found.clone();
        }
        let c = &self.engine.cluster;
        let endpoints: Vec<usize> = (0..c.endpoints.len())
            .filter(|&j| tiers::peer_matches(c, peer, crate::eval::Target::Endpoint(j)))
            .collect();
        let classes = std::rc::Rc::new(tier_classes(c, &peer.kind, &self.pod_ips));
        let found = (classes, self.list(endpoints));
        self.memo
            .insert((true, (policy, dir, index, k)), Memo::Tier(found.clone()));
        found
    }

    /// The exposures of endpoint `i` for `dir`.
    pub(super) fn found(&mut self, i: usize, dir: Direction) -> Found {
        let engine = self.engine;
        let c = &engine.cluster;
        let selecting = engine.selecting(i, dir);
        let mut out = Found {
            isolated: !selecting.is_empty(),
            exposures: Vec::new(),
        };
        let Some(subject) = c.endpoints.get(i) else {
            return out;
        };
        let walker = Walker::new(c, i, subject, dir);
        let push = |out: &mut Vec<Pending>, peer, ports, grant, matched, until| {
            push_walked(&walker, out, peer, ports, grant, matched, until);
        };
        if selecting.is_empty() {
            push(
                &mut out.exposures,
                PeerClass::NotIsolated,
                Ports::all(),
                Grant::NoPolicy { direction: dir },
                Matched::NONE,
                Until::Default,
            );
        }
        for &pi in selecting {
            let Some(policy) = c.policies.get(pi) else {
                continue;
            };
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                let ports = np_ports(rule, subject, dir);
                if ports.is_empty() {
                    continue;
                }
                let grant = |peer: Option<usize>, location: &Location| Grant::NetworkPolicy {
                    namespace: policy.namespace.clone(),
                    name: policy.name.clone(),
                    direction: dir,
                    rule: ri,
                    peer,
                    location: location.clone(),
                };
                if rule.peers.is_empty() {
                    push(
                        &mut out.exposures,
                        PeerClass::Everyone,
                        ports.clone(),
                        grant(None, &rule.location),
                        Matched::NONE,
                        Until::NetworkPolicy,
                    );
                    continue;
                }
                for (k, peer) in rule.peers.iter().enumerate() {
                    let Some((class, list)) = self.np_peer(pi, dir, ri, k, &peer.kind) else {
                        continue;
                    };
                    let ports = without_names(&class, &ports);
                    if ports.is_empty() {
                        continue;
                    }
                    push(
                        &mut out.exposures,
                        class,
                        ports,
                        grant(Some(k), &peer.location),
                        Matched {
                            list,
                            without: None,
                        },
                        Until::NetworkPolicy,
                    );
                }
            }
        }
        // The admin tier's own grants (what they match now: the others).
        for (n, step) in walker.rules.iter().enumerate() {
            if step.tier != Tier::Admin || step.rule.action.decision() != Some(true) {
                continue;
            }
            let Some(cp) = c.cluster_policies.get(step.policy) else {
                continue;
            };
            let ports = tier_ports(step.rule, subject, dir);
            for (k, peer) in step.rule.peers.iter().enumerate() {
                let (classes, list) = self.tier_peer(step.policy, dir, step.index, k, peer);
                for class in classes.iter() {
                    push(
                        &mut out.exposures,
                        class.clone(),
                        ports.clone(),
                        Grant::ClusterPolicy {
                            kind: cp.api.kind().to_string(),
                            name: cp.name.clone(),
                            label: cp.label(),
                            direction: dir,
                            rule: step.index,
                            rule_name: step.rule.name.clone(),
                            peer: k,
                            location: peer.location.clone(),
                        },
                        Matched {
                            list,
                            without: Some(i),
                        },
                        Until::Rule(n),
                    );
                }
            }
        }
        out
    }
}

/// The workloads a list of endpoints is in, by label: each group's label made once,
/// each list's workloads found once.
pub(super) struct Names {
    /// Per group of the view: its label and its rank among the labels (sorted).
    pub(super) labels: Vec<String>,
    pub(super) rank: Vec<usize>,
    /// Groups by rank.
    pub(super) by_rank: Vec<usize>,
    /// Per endpoint: its group.
    pub(super) group_of: Vec<Option<usize>>,
    /// Per list (once asked for): its workloads.
    pub(super) lists: Vec<Option<ListNames>>,
}

/// The workloads of a list of endpoints.
pub(super) struct ListNames {
    /// Groups by rank, with how many of the list's endpoints each has.
    pub(super) groups: Vec<(usize, usize)>,
    /// Their labels (sorted, without repeats).
    pub(super) names: Existing,
}

impl Names {
    pub(super) fn new(view: &WorkloadView<'_>) -> Names {
        let labels: Vec<String> = view.groups.iter().map(|g| g.label()).collect();
        let mut by_rank: Vec<usize> = (0..labels.len()).collect();
        crate::sort::by(&mut by_rank, |&a, &b| labels.get(a).cmp(&labels.get(b)));
        let mut rank = vec![0; labels.len()];
        for (r, &g) in by_rank.iter().enumerate() {
            if let Some(x) = rank.get_mut(g) {
                *x = r;
            }
        }
        let n = view.engine().cluster.endpoints.len();
        Names {
            labels,
            rank,
            by_rank,
            group_of: (0..n).map(|j| view.group_of(j)).collect(),
            lists: Vec::new(),
        }
    }

    pub(super) fn label(&self, g: usize) -> &str {
        self.labels.get(g).map_or("", String::as_str)
    }

    /// The labels of the workloads of `m`'s endpoints, sorted, each once.
    pub(super) fn of(&mut self, shared: &Shared<'_>, m: Matched) -> Existing {
        if self.lists.len() <= m.list {
            self.lists.resize_with(m.list + 1, || None);
        }
        if self.lists.get(m.list).is_some_and(Option::is_none) {
            let endpoints = shared.lists.get(m.list).map_or(&[][..], Vec::as_slice);
            let mut ranks: Vec<usize> = endpoints
                .iter()
                .filter_map(|&j| self.group_of.get(j).copied().flatten())
                .filter(|&g| g < self.labels.len())
                .filter_map(|g| self.rank.get(g).copied())
                .collect();
            crate::sort::ord(&mut ranks);
            let mut groups: Vec<(usize, usize)> = Vec::new();
            for r in ranks {
                let g = self.by_rank.get(r).copied().unwrap_or(0);
                match groups.last_mut() {
                    Some((last, count)) if *last == g => *count += 1,
                    _ => groups.push((g, 1)),
                }
            }
            let names = Existing(std::sync::Arc::new(
                self.names(groups.iter().map(|&(g, _)| g)),
            ));
            if let Some(slot) = self.lists.get_mut(m.list) {
                *slot = Some(ListNames { groups, names });
            }
        }
        let Some(Some(ListNames { groups, names })) = self.lists.get(m.list) else {
            return Existing::default();
        };
        // Without the subject: its workload goes when no other endpoint of the list
        // is in it.
        let gone = m.without.and_then(|i| {
            let endpoints = shared.lists.get(m.list)?;
            endpoints.binary_search(&i).ok()?;
            let g = self.group_of.get(i).copied().flatten()?;
            groups
                .iter()
                .any(|&(h, count)| h == g && count == 1)
                .then_some(g)
        });
        match gone {
            None => names.clone(),
            Some(g) => Existing(std::sync::Arc::new(
                self.names(groups.iter().map(|&(h, _)| h).filter(|&h| h != g)),
            )),
        }
    }

    /// The labels of `groups` (in rank order), each once.
    pub(super) fn names(&self, groups: impl Iterator<Item = usize>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in groups {
            let label = self.label(g);
            if out.last().map(String::as_str) != Some(label) {
                out.push(label.to_string());
            }
        }
        out
    }
}

/// Walks the tiers for one grant and records what comes of it (for everyone, the pods
/// and the addresses apart, when a cluster-scoped rule decides only one of them).
#[inline(always)]
fn push_walked(
    walker: &Walker<'_>,
    out: &mut Vec<Pending>,
    peer: PeerClass,
    ports: Ports,
    grant: Grant,
    matched: Matched,
    until: Until,
) {
    let mut results = vec![(peer.clone(), walker.walk(&peer, &ports, until), matched)];
    let whole = matches!(
        results.first().map(|r| r.1.as_slice()),
        Some([(Certainty::Certain, p, _)]) if *p == ports
    );
    if peer.is_everyone() && !whole {
        // Said of the pods and of the addresses apart, a cluster-scoped rule that
        // matches one part only decides that part.
        results = everyone_parts()
            .into_iter()
            .map(|part| {
                let w = walker.walk(&part, &without_names(&part, &ports), until);
                (part, w, Matched::NONE)
            })
            .collect();
    }
    for (peer, list, matched) in results {
        for (certainty, ports, may_deny) in list {
            out.push(Pending {
                peer: peer.clone(),
                ports,
                grant: grant.clone(),
                certainty,
                may_deny,
                matched,
            });
        }
    }
}
