//! `redundant-rule` and `rule-matches-nothing` (issue 13) against brute force: on
//! generated clusters, every NetworkPolicy rule is removed in turn and the connection
//! sets of every pair of pods (and of pods with addresses outside the cluster) compared,
//! and every rule is evaluated alone. A rule is reported redundant exactly when removing
//! it changes nothing and it allows something; reported as matching nothing only when
//! alone it allows nothing, and when it allows nothing and is not reported, another
//! lint names its peer or port.

use std::net::IpAddr;

use netpol::eval::{Engine, Target};
use netpol::gen::GenOptions;
use netpol::model::{Cluster, Direction, Protocol};
use netpol::{Analysis, PortQuery, QueryProtocol};

fn np_only(c: &Cluster) -> Cluster {
    let mut c = c.clone();
    c.cluster_policies.clear();
    c.calico = Default::default();
    c
}

/// Every ordered pair of different endpoints, and each endpoint with each address.
fn pairs(c: &Cluster, ips: &[IpAddr]) -> Vec<(Target, Target)> {
    let n = c.endpoints.len();
    let mut out = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if i != j {
                out.push((Target::Endpoint(i), Target::Endpoint(j)));
            }
        }
        for ip in ips {
            out.push((Target::Endpoint(i), Target::External(*ip)));
            out.push((Target::External(*ip), Target::Endpoint(i)));
        }
    }
    out
}

#[test]
fn rule_lints_agree_with_removing_each_rule() {
    // Addresses on both sides of the generator's ipBlocks.
    let ips: Vec<IpAddr> = ["10.1.0.7", "10.1.2.7", "10.2.3.7", "10.3.0.7", "8.8.8.8"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let (mut redundant, mut nothing, mut rules) = (0, 0, 0);
    for seed in 1..=6 {
        let opts = GenOptions {
            pods: 24,
            policies: 8,
            namespaces: 3,
            seed,
        };
        let text = netpol::group::gen::with_workloads(&opts, 2, 50);
        let a = Analysis::from_text(&text);
        let c = np_only(a.cluster());
        let lints = a.lints();
        let reported = |code: &str, obj: &str, path: &str| {
            lints.iter().any(|d| {
                d.code == code
                    && d.object.as_deref() == Some(obj)
                    && d.path.as_deref() == Some(path)
            })
        };
        assert!(
            !lints
                .iter()
                .any(|d| d.code == "redundant-rule" && d.path.is_none()),
            "seed {seed}: the check was skipped"
        );
        let full = Engine::new(c.clone());
        let all = pairs(&c, &ips);
        let base: Vec<_> = all.iter().map(|&(f, t)| full.connections(f, t)).collect();
        for (pi, p) in c.policies.iter().enumerate() {
            let selects = c
                .endpoints
                .iter()
                .any(|e| e.namespace == p.namespace && p.pod_selector.matches(&e.labels));
            for dir in [Direction::Ingress, Direction::Egress] {
                if !p.isolates(dir) || !selects {
                    continue;
                }
                for ri in 0..p.rules(dir).len() {
                    rules += 1;
                    let obj = format!("NetworkPolicy {}", p.full_name());
                    let path = format!("spec.{}[{ri}]", dir.as_str());
                    // Alone: the policy with only this rule, and no other policy.
                    let mut alone = c.clone();
                    let mut q = p.clone();
                    q.ingress.clear();
                    q.egress.clear();
                    q.ingress_isolating = dir == Direction::Ingress;
                    q.egress_isolating = dir == Direction::Egress;
                    match dir {
                        Direction::Ingress => q.ingress.push(p.ingress[ri].clone()),
                        Direction::Egress => q.egress.push(p.egress[ri].clone()),
                    }
                    alone.policies = vec![q];
                    let alone = Engine::new(alone);
                    let subject = |t: Target| match t {
                        Target::Endpoint(i) => {
                            let e = &c.endpoints[i];
                            e.namespace == p.namespace && p.pod_selector.matches(&e.labels)
                        }
                        Target::External(_) => false,
                    };
                    let allows_nothing = all.iter().all(|&(f, t)| {
                        let s = match dir {
                            Direction::Ingress => t,
                            Direction::Egress => f,
                        };
                        !subject(s) || alone.connections(f, t).is_empty()
                    });
                    let mut without = c.clone();
                    match dir {
                        Direction::Ingress => without.policies[pi].ingress.remove(ri),
                        Direction::Egress => without.policies[pi].egress.remove(ri),
                    };
                    let without = Engine::new(without);
                    let unchanged = all
                        .iter()
                        .zip(&base)
                        .all(|(&(f, t), b)| without.connections(f, t) == *b);
                    let red = reported("redundant-rule", &obj, &path);
                    let none = reported("rule-matches-nothing", &obj, &path);
                    assert_eq!(
                        red,
                        unchanged && !allows_nothing,
                        "seed {seed}: {obj} {path}: redundant-rule"
                    );
                    if none {
                        assert!(
                            allows_nothing,
                            "seed {seed}: {obj} {path}: rule-matches-nothing"
                        );
                    } else if allows_nothing {
                        let covered = lints.iter().any(|d| {
                            (d.code == "selector-matches-nothing"
                                || d.code == "named-port-undeclared")
                                && d.object.as_deref() == Some(obj.as_str())
                                && d.path
                                    .as_deref()
                                    .is_some_and(|x| x.starts_with(&format!("{path}.")))
                        });
                        assert!(
                            covered,
                            "seed {seed}: {obj} {path} allows nothing, unreported"
                        );
                    }
                    redundant += usize::from(red);
                    nothing += usize::from(none);
                }
            }
        }
    }
    assert!(
        redundant >= 3 && rules >= 40,
        "{redundant} redundant, {nothing} nothing, {rules} rules"
    );
    eprintln!("{rules} rules: {redundant} redundant, {nothing} match nothing");
}

// The page's provenance (`netpol::provenance`): from a policy, a rule or a peer to the
// connections it allows.

mod common;

use netpol::provenance::{Finding, Part, Provenance};

/// Every part of every NetworkPolicy: the policy, each rule, each peer of a rule.
fn parts(c: &Cluster) -> Vec<Part> {
    let mut out = Vec::new();
    for (pi, p) in c.policies.iter().enumerate() {
        out.push(Part::Policy { policy: pi });
        for dir in [Direction::Ingress, Direction::Egress] {
            for (ri, r) in p.rules(dir).iter().enumerate() {
                out.push(Part::Rule {
                    policy: pi,
                    direction: dir,
                    rule: ri,
                });
                for j in 0..r.peers.len() {
                    out.push(Part::Peer {
                        policy: pi,
                        direction: dir,
                        rule: ri,
                        peer: j,
                    });
                }
            }
        }
    }
    out
}

/// Each part's flows and finding, in English and Spanish.
fn render_provenance(a: &Analysis) -> String {
    let v = a.workloads(&[]);
    let c = a.cluster();
    let mut out = String::new();
    for part in parts(c) {
        let Some(pr) = Provenance::new(&v, part) else {
            continue;
        };
        let p = &c.policies[part.policy()];
        out.push_str(&format!("## {} {}\n", p.full_name(), part.path()).replace(" \n", "\n"));
        for f in &pr.flows {
            let (from, to) = (v.groups[f.from].label(), v.groups[f.to].label());
            if !f.allowed.is_empty() {
                out.push_str(&format!("  allows {from} -> {to}: {}\n", f.allowed));
            }
            if !f.blocked.is_empty() {
                out.push_str(&format!("  blocked {from} -> {to}: {}\n", f.blocked));
            }
        }
        for lang in [netpol::Lang::En, netpol::Lang::Es] {
            if let Some(m) = pr.message(lang) {
                out.push_str(&format!("  {lang:?}: {m}\n"));
            }
        }
    }
    out
}

#[test]
fn provenance_snapshots() {
    common::check_snapshots("tests/provenance", |text| {
        render_provenance(&Analysis::from_text(text))
    });
}

#[test]
fn provenance_of_every_seed_step() {
    common::check_seed_snapshots("tests/provenance/seed", render_provenance);
}

/// On generated clusters, for every policy, rule and peer, against brute force over
/// every pair of pods (and pods with addresses): a part is `Nothing` exactly when alone
/// it admits nothing, `Redundant` exactly when removing it changes no connection set;
/// what it allows is allowed by the whole input, and every connection removing it takes
/// away is one it admits; a rule's finding is the lints'.
#[test]
fn provenance_agrees_with_removing_each_part() {
    let ips: Vec<IpAddr> = ["10.1.0.7", "10.2.3.7", "8.8.8.8"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let (mut counts, mut total) = ([0usize; 3], 0usize);
    for seed in 1..=4 {
        let opts = GenOptions {
            pods: 16,
            policies: 6,
            namespaces: 3,
            seed,
        };
        let text = netpol::group::gen::with_workloads(&opts, 2, 50);
        let a = Analysis::from_text(&text);
        let v = a.workloads(&ips);
        let c = np_only(a.cluster());
        let full = Engine::new(c.clone());
        // Every range of the view (cut at every CIDR and `except`) by its first address.
        let mut addrs = ips.clone();
        addrs.extend(v.groups.iter().filter_map(|g| g.range.map(|r| r.first)));
        let all = pairs(&c, &addrs);
        let lints = a.lints();
        for part in parts(&c) {
            let pr = Provenance::new(&v, part).unwrap();
            let pi = part.policy();
            let mut without = c.clone();
            let wp = &mut without.policies[pi];
            match part {
                Part::Policy { .. } => {
                    wp.ingress.clear();
                    wp.egress.clear();
                }
                Part::Rule {
                    direction, rule, ..
                } => {
                    match direction {
                        Direction::Ingress => wp.ingress.remove(rule),
                        Direction::Egress => wp.egress.remove(rule),
                    };
                }
                Part::Peer {
                    direction,
                    rule,
                    peer,
                    ..
                } => {
                    let rules = match direction {
                        Direction::Ingress => &mut wp.ingress,
                        Direction::Egress => &mut wp.egress,
                    };
                    if rules[rule].peers.len() > 1 {
                        rules[rule].peers.remove(peer);
                    } else {
                        rules.remove(rule);
                    }
                }
            }
            let without = Engine::new(without);
            let mut admits_any = false;
            let mut unchanged = true;
            for &(f, t) in &all {
                let admitted = pr.admits(f, t);
                admits_any |= !admitted.is_empty();
                let (now, after) = (full.connections(f, t), without.connections(f, t));
                unchanged &= now == after;
                let lost = now.minus(&after);
                assert!(
                    lost.intersect(&admitted) == lost,
                    "seed {seed} {part:?} {f:?}->{t:?}: lost {lost}, admits {admitted}"
                );
            }
            let expected = match (admits_any, unchanged) {
                (false, _) => 2,
                (true, true) => 1,
                (true, false) => 0,
            };
            let got = match pr.finding {
                Finding::Needed => 0,
                Finding::Redundant { .. } => 1,
                Finding::Nothing => 2,
            };
            assert_eq!(got, expected, "seed {seed}: {part:?}");
            counts[got] += 1;
            total += 1;
            // A matrix cell is marked iff the flow's allowed set has that port.
            for f in 0..v.groups.len() {
                for t in 0..v.groups.len() {
                    let flow = pr.flows.iter().find(|x| x.from == f && x.to == t);
                    for port in [80u16, 443, 53] {
                        let want = flow.is_some_and(|x| x.allowed.contains(Protocol::TCP, port));
                        let got =
                            pr.allows_groups(f, t, QueryProtocol::TCP, &PortQuery::Number(port));
                        assert_eq!(
                            got,
                            want,
                            "seed {seed} {part:?}: cell {f}->{t} TCP {port} {} {} {} {}",
                            v.groups[f].label(),
                            v.groups[t].label(),
                            v.groups[f].source,
                            v.groups[t].destination
                        );
                    }
                }
            }
            for fl in &pr.flows {
                {
                    let (gu, gw) = (&v.groups[fl.from], &v.groups[fl.to]);
                    // Allowed flows are allowed by the whole input between some members.
                    let member = |g: &netpol::group::Group| -> Vec<Target> {
                        match g.range {
                            Some(r) => vec![Target::External(r.first)],
                            None => g.endpoints.iter().map(|&i| Target::Endpoint(i)).collect(),
                        }
                    };
                    if !fl.allowed.is_empty() {
                        let some = member(gu).iter().any(|&x| {
                            member(gw).iter().any(|&y| {
                                x != y && !full.connections(x, y).intersect(&fl.allowed).is_empty()
                            })
                        });
                        assert!(
                            some,
                            "seed {seed} {part:?}: {} -> {}",
                            gu.label(),
                            gw.label()
                        );
                    }
                }
            }
            if let Part::Rule {
                direction, rule, ..
            } = part
            {
                let p = &c.policies[pi];
                let obj = format!("NetworkPolicy {}", p.full_name());
                let path = format!("spec.{}[{rule}]", direction.as_str());
                let selects = !full.policy_selection(pi).is_empty();
                let red = lints.iter().any(|d| {
                    d.code == "redundant-rule"
                        && d.object.as_deref() == Some(obj.as_str())
                        && d.path.as_deref() == Some(path.as_str())
                });
                if selects && p.isolates(direction) {
                    assert_eq!(
                        red,
                        got == 1,
                        "seed {seed}: {obj} {path}: lint and provenance"
                    );
                }
            }
        }
    }
    assert!(
        counts.iter().all(|&n| n >= 2),
        "needed/redundant/nothing {counts:?} of {total}"
    );
    eprintln!("{total} parts: needed/redundant/nothing {counts:?}");
}
