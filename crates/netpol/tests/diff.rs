//! `netpol::diff` on generated clusters (`netpol::gen`) and random edits: the pairs it
//! yields are exactly the set difference of the two versions' connection lists (as
//! `connlist` computes them), each with the right kind of change, in name order; and
//! every changed pair has at least one cause; computing only the pairs the causes say
//! can change gives the same pairs.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use netpol::diff::{diff, diff_with_causes, Causes, Change, Connectivity, PodConnectivity};
use netpol::eval::{Engine, Target};
use netpol::gen::{cluster, GenOptions, Rng};

fn engine(docs: &[String]) -> Engine {
    Engine::new(netpol::load(&docs.join("---\n")).cluster)
}

/// `connlist`: every ordered pair of distinct endpoints and addresses, by name.
fn connlist(e: &Engine, ips: &[IpAddr]) -> BTreeMap<(String, String), String> {
    let mut targets: Vec<Target> = (0..e.cluster.endpoints.len())
        .map(Target::Endpoint)
        .collect();
    targets.extend(ips.iter().map(|ip| Target::External(*ip)));
    let mut out = BTreeMap::new();
    for f in &targets {
        for t in &targets {
            if f != t {
                out.insert((e.name(*f), e.name(*t)), e.connections(*f, *t).to_string());
            }
        }
    }
    out
}

/// One random edit of the documents: a policy removed, a rule added, a port changed, a
/// pod relabelled, a namespace relabelled, a pod copied under a new name, a pod removed.
fn edit(docs: &mut Vec<String>, r: &mut Rng) -> String {
    let find = |docs: &[String], kind: &str, r: &mut Rng| -> Option<usize> {
        let idx: Vec<usize> = (0..docs.len())
            .filter(|&i| docs[i].contains(&format!("kind: {kind}")))
            .collect();
        (!idx.is_empty()).then(|| idx[r.below(idx.len())])
    };
    match r.below(7) {
        0 => match find(docs, "NetworkPolicy", r) {
            Some(i) => {
                docs.remove(i);
                "policy removed".into()
            }
            None => "nothing".into(),
        },
        1 => match find(docs, "NetworkPolicy", r) {
            Some(i) => {
                let mut lines: Vec<String> = docs[i].lines().map(str::to_string).collect();
                match lines.iter().position(|l| l == "  ingress:") {
                    Some(k) => lines.insert(k + 1, "  - {ports: [{port: 8500}]}".into()),
                    None => {
                        lines.retain(|l| l != "  ingress: []");
                        lines.push("  ingress:".into());
                        lines.push("  - {ports: [{port: 8500}]}".into());
                    }
                }
                docs[i] = lines.join("\n") + "\n";
                "rule added".into()
            }
            None => "nothing".into(),
        },
        2 => match find(docs, "NetworkPolicy", r) {
            Some(i) => {
                docs[i] = docs[i]
                    .replacen("8080", "8443", 1)
                    .replacen("53", "5353", 1);
                "port changed".into()
            }
            None => "nothing".into(),
        },
        3 => match find(docs, "Pod", r) {
            Some(i) => {
                docs[i] = docs[i].replacen("app: ", "app: x", 1);
                "pod relabelled".into()
            }
            None => "nothing".into(),
        },
        4 => match find(docs, "Namespace", r) {
            Some(i) => {
                docs[i] = docs[i].replacen("team: ", "team: x", 1);
                "namespace relabelled".into()
            }
            None => "nothing".into(),
        },
        5 => match find(docs, "Pod", r) {
            Some(i) => {
                let copy = docs[i].replacen("name: ", "name: new-", 1);
                docs.push(copy);
                "pod added".into()
            }
            None => "nothing".into(),
        },
        _ => match find(docs, "Pod", r) {
            Some(i) => {
                docs.remove(i);
                "pod removed".into()
            }
            None => "nothing".into(),
        },
    }
}

#[test]
fn diff_is_the_set_difference_of_the_connection_lists() {
    let ips: Vec<IpAddr> = vec!["203.0.113.1".parse().unwrap()];
    let mut kinds = BTreeSet::new();
    let mut nonempty = 0;
    for seed in 0..80u64 {
        let opts = GenOptions {
            namespaces: 4,
            pods: 12,
            policies: 8,
            seed,
        };
        let before = cluster(&opts);
        let mut after = before.clone();
        let mut r = Rng::new(seed ^ 0x5eed);
        let edits: Vec<String> = (0..1 + r.below(3))
            .map(|_| edit(&mut after, &mut r))
            .collect();
        let (eb, ea) = (engine(&before), engine(&after));
        let (lb, la) = (connlist(&eb, &ips), connlist(&ea, &ips));
        let none = "No connections".to_string();
        let keys: BTreeSet<&(String, String)> = lb.keys().chain(la.keys()).collect();
        let mut expected = Vec::new();
        for k in keys {
            let (x, y) = (lb.get(k).unwrap_or(&none), la.get(k).unwrap_or(&none));
            if x != y {
                let change = if *x == none {
                    Change::Added
                } else if *y == none {
                    Change::Removed
                } else {
                    Change::Changed
                };
                expected.push((k.0.clone(), k.1.clone(), x.clone(), y.clone(), change));
            }
        }
        let (cb, ca) = (
            PodConnectivity::new(&eb, &ips),
            PodConnectivity::new(&ea, &ips),
        );
        let causes = Causes::new(&eb, &ea);
        let pairs: Vec<_> = diff(&cb, &ca).collect();
        let got: Vec<_> = pairs
            .iter()
            .map(|p| {
                (
                    p.from.clone(),
                    p.to.clone(),
                    p.before.to_string(),
                    p.after.to_string(),
                    p.change,
                )
            })
            .collect();
        assert_eq!(got, expected, "seed {seed}, edits {edits:?}");
        // Computing only the pairs the causes say can change gives the same pairs.
        let pruned: Vec<_> = diff_with_causes(&cb, &ca, &causes).collect();
        assert_eq!(
            pruned, pairs,
            "seed {seed}, edits {edits:?}: pruning lost a pair"
        );
        for p in &pairs {
            kinds.insert(p.change);
            fn m(c: &dyn Connectivity, ix: Option<usize>) -> &[usize] {
                ix.map_or(&[][..], |i| c.members(i))
            }
            let from = [m(&cb, p.from_index[0]), m(&ca, p.from_index[1])];
            let to = [m(&cb, p.to_index[0]), m(&ca, p.to_index[1])];
            assert!(
                !causes.for_pair(from, to).is_empty(),
                "seed {seed}, edits {edits:?}: no cause for {} -> {}",
                p.from,
                p.to
            );
        }
        nonempty += usize::from(!pairs.is_empty());
    }
    // The property means little if the edits changed nothing.
    assert!(
        nonempty >= 20,
        "only {nonempty} of 40 edits changed connectivity"
    );
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}
