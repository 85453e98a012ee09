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
use netpol::model::{Cluster, Direction};
use netpol::Analysis;

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
