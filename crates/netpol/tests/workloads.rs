//! The workload view (`netpol::group`, issue 13).
//!
//! - Snapshots: every fixture of `tests/workloads/` (rolling updates, bare pods, a
//!   ReplicaSet without a Deployment, CronJob -> Job -> Pod, ipBlock with except,
//!   Deployments without pods, StatefulSet and DaemonSet, roles and IPv6) and every step
//!   of the seed tutorial (`examples/seed/`, scenario files: their manifests) render to
//!   their `.expected` file: the groups, the `connlist` lines, the per-pod parts where
//!   replicas differ, and the notes in English and Spanish.
//! - Properties on generated clusters (`netpol::group::gen`: the generator's pods put in
//!   workloads, some mid-rollout; with and without cluster-scoped policies): the view
//!   equals the pod-level connections, pair of pods by pair of pods, and the CLI's
//!   `edges_by_rows` equals `edges`.

mod common;

use std::net::IpAddr;
use std::path::Path;

use netpol::eval::{PortQuery, Target};
use netpol::gen::GenOptions;
use netpol::group::{WorkloadCell, WorkloadView};
use netpol::{Analysis, Lang, LoadOptions, QueryProtocol, Source};

fn variant_name(v: &WorkloadView<'_>, g: usize, variant: usize) -> String {
    let group = &v.groups[g];
    match group.variants.get(variant).and_then(|x| x.first()) {
        Some(&i) => format!("`{}`", v.engine().cluster.endpoints[i].full_name()),
        None => group.label(),
    }
}

fn render(a: &Analysis) -> String {
    let v = a.workloads(&[]);
    let c = a.cluster();
    let mut out = String::from("# groups\n");
    for g in &v.groups {
        let mut line = g.label();
        if g.is_external() {
            let dirs: Vec<&str> = [(g.source, "source"), (g.destination, "destination")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, w)| *w)
                .collect();
            line.push_str(&format!(" ({})", dirs.join(", ")));
        } else {
            line.push_str(&format!(" pods={}", g.pods));
            if let Some(r) = g.replicas {
                line.push_str(&format!(" replicas={r}"));
            }
            if let Some(role) = g.role {
                line.push_str(&format!(" role={role:?}"));
            }
            if g.is_split() {
                let variants: Vec<String> = g
                    .variants
                    .iter()
                    .map(|v| {
                        let names: Vec<String> =
                            v.iter().map(|&i| c.endpoints[i].full_name()).collect();
                        format!("[{}]", names.join(" "))
                    })
                    .collect();
                line.push_str(&format!(" variants={}", variants.join(" ")));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("# connections\n");
    for e in v.edges() {
        out.push_str(&format!(
            "{} => {} : {}\n",
            v.groups[e.from].label(),
            v.groups[e.to].label(),
            e.set
        ));
        if !e.uniform() {
            for p in &e.parts {
                out.push_str(&format!(
                    "    {} -> {} : {}\n",
                    variant_name(&v, e.from, p.from_variant),
                    variant_name(&v, e.to, p.to_variant),
                    p.set
                ));
            }
        }
    }
    let notes: Vec<String> = (0..v.groups.len())
        .flat_map(|g| [v.split_note(g, Lang::En), v.split_note(g, Lang::Es)])
        .flatten()
        .collect();
    if !notes.is_empty() {
        out.push_str("# notes\n");
        for n in notes {
            out.push_str(&n);
            out.push('\n');
        }
    }
    out
}

#[test]
fn workload_fixtures() {
    common::check_snapshots("tests/workloads", |text| render(&Analysis::from_text(text)));
}

#[test]
fn every_seed_step_by_workload() {
    common::check_seed_snapshots("tests/workloads/seed", render);
}

/// The generated clusters of the properties: workloads of 3 pods, 40% mid-rollout.
fn generated(seed: u64, admin: usize) -> String {
    let opts = GenOptions {
        pods: 90,
        policies: 30,
        namespaces: 4,
        seed,
    };
    let mut text = netpol::group::gen::with_workloads(&opts, 3, 40);
    for doc in netpol::gen::admin_policies(&opts, admin) {
        text.push_str("---\n");
        text.push_str(&doc);
    }
    text
}

/// Addresses inside a range: both ends and one between.
fn inside(first: IpAddr, last: IpAddr) -> Vec<IpAddr> {
    match (first, last) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let (a, b) = (u32::from(a), u32::from(b));
            [a, a + (b - a) / 2, b]
                .iter()
                .map(|&x| IpAddr::from(std::net::Ipv4Addr::from(x)))
                .collect()
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let (a, b) = (u128::from(a), u128::from(b));
            [a, a + (b - a) / 2, b]
                .iter()
                .map(|&x| IpAddr::from(std::net::Ipv6Addr::from(x)))
                .collect()
        }
        _ => vec![first],
    }
}

/// A workload edge exists iff some pair of its pods is allowed, and each pair of pods
/// gets exactly its variants' part (so pods that connect differently are never in one
/// variant: every disagreement is reported); every address of a range gets the range's
/// set; the workload matrix folds the pod matrix over all pods, not just representatives.
/// Checks one view against the pod-level connections; returns (pod pairs, range
/// addresses x pods, matrix cells) checked.
fn check_view(a: &Analysis, v: &WorkloadView<'_>, what: &str) -> (usize, usize, usize) {
    let mut checked = (0usize, 0usize, 0usize);
    let e = a.engine();
    let n = a.cluster().endpoints.len();
    // Endpoint -> (group, variant).
    let mut at = vec![(usize::MAX, usize::MAX); n];
    for (gi, g) in v.groups.iter().enumerate() {
        for (vi, var) in g.variants.iter().enumerate() {
            for &i in var {
                assert_eq!(at[i].0, usize::MAX, "{what}: endpoint {i} in two groups");
                at[i] = (gi, vi);
            }
        }
    }
    assert!(
        at.iter().all(|x| x.0 != usize::MAX),
        "{what}: an endpoint in no group"
    );
    let groups = v.groups.len();
    // The CLI's row-at-a-time edges are the same edges in the same order.
    assert!(
        v.edges_by_rows().eq(v.edges()),
        "{what}: edges_by_rows differs"
    );
    let mut edges = vec![vec![None; groups]; groups];
    for edge in v.edges() {
        assert_ne!(edge.from, edge.to);
        assert!(!(v.groups[edge.from].is_external() && v.groups[edge.to].is_external()));
        assert!(!edge.set.is_empty());
        let (f, t) = (edge.from, edge.to);
        edges[f][t] = Some(edge);
    }
    let mut union = vec![vec![netpol::PortSet::none(); groups]; groups];
    for p in 0..n {
        for q in 0..n {
            let ((gp, vp), (gq, vq)) = (at[p], at[q]);
            if gp == gq {
                continue;
            }
            let got = e.connections(Target::Endpoint(p), Target::Endpoint(q));
            union[gp][gq].union_with(&got);
            let part = match &edges[gp][gq] {
                None => netpol::PortSet::none(),
                Some(edge) if edge.parts.is_empty() => edge.set.clone(),
                Some(edge) => edge
                    .parts
                    .iter()
                    .find(|x| x.from_variant == vp && x.to_variant == vq)
                    .map(|x| x.set.clone())
                    .unwrap(),
            };
            assert_eq!(
                got,
                part,
                "{what}: {} -> {} (variants {vp} -> {vq})",
                e.name(Target::Endpoint(p)),
                e.name(Target::Endpoint(q))
            );
            checked.0 += 1;
        }
    }
    for f in 0..groups {
        for t in 0..groups {
            let (gf, gt) = (&v.groups[f], &v.groups[t]);
            // The assumed ingress controller is no pod of the input (its own fixtures
            // check it).
            if f == t || gf.is_external() || gt.is_external() || gf.is_assumed() {
                continue;
            }
            let want = &union[f][t];
            let got = edges[f][t].as_ref().map(|x| &x.set);
            assert_eq!(
                got.filter(|s| !s.is_empty()),
                (!want.is_empty()).then_some(want),
                "{what}: {} -> {}",
                gf.label(),
                gt.label()
            );
        }
    }
    // Ranges: every address inside gets the range's set.
    for (r, g) in v.groups.iter().enumerate() {
        let Some(range) = g.range else { continue };
        for ip in inside(range.first, range.last) {
            for (q, &(gq, vq)) in at.iter().enumerate() {
                let ext = Target::External(ip);
                let pod = Target::Endpoint(q);
                let cell = |from: usize, to: usize| {
                    edges[from][to]
                        .as_ref()
                        .map_or(netpol::PortSet::none(), |x| {
                            if x.parts.is_empty() {
                                x.set.clone()
                            } else {
                                x.parts
                                    .iter()
                                    .find(|p| {
                                        p.from_variant == if from == r { 0 } else { vq }
                                            && p.to_variant == if to == r { 0 } else { vq }
                                    })
                                    .map(|p| p.set.clone())
                                    .unwrap()
                            }
                        })
                };
                if g.source {
                    assert_eq!(e.connections(ext, pod), cell(r, gq), "{what}: {ip} -> {q}");
                }
                if g.destination {
                    assert_eq!(e.connections(pod, ext), cell(gq, r), "{what}: {q} -> {ip}");
                }
                checked.1 += 1;
            }
        }
    }
    // Focus: the edges touching a group are those of the whole list.
    let focus = [groups / 2, groups / 3];
    let all: Vec<(usize, usize)> = v
        .edges()
        .filter(|x| focus.contains(&x.from) || focus.contains(&x.to))
        .map(|x| (x.from, x.to))
        .collect();
    let touching: Vec<(usize, usize)> = v.edges_touching(&focus).map(|x| (x.from, x.to)).collect();
    assert_eq!(touching, all, "{what}");
    // The workload matrix folds every pod pair, not only the representatives.
    for port in [PortQuery::Number(8080), PortQuery::Name("http".into())] {
        let wm = v.matrix(QueryProtocol::TCP, &port, &[]);
        let pm = e.matrix(QueryProtocol::TCP, &port, &[]);
        for (i, gi) in wm.groups.iter().enumerate() {
            for (j, gj) in wm.groups.iter().enumerate() {
                let (gi, gj) = (gi.unwrap(), gj.unwrap());
                if gi == gj {
                    // A workload to itself is its pods to each other and a pod to
                    // itself: not folded from other pairs.
                    continue;
                }
                let mut cells: Vec<Option<bool>> = Vec::new();
                for &p in &v.groups[gi].endpoints {
                    for &q in &v.groups[gj].endpoints {
                        cells.push(pm.allowed[p][q]);
                    }
                }
                let want = fold(&cells);
                assert_eq!(
                    wm.cells[i][j], want,
                    "{what}: {} -> {}",
                    wm.names[i], wm.names[j]
                );
                checked.2 += 1;
            }
        }
    }
    checked
}

/// A workload edge exists iff some pair of its pods is allowed, and each pair of pods
/// gets exactly its variants' part (so pods that connect differently are never in one
/// variant: every disagreement is reported); every address of a range gets the range's
/// set; the workload matrix folds the pod matrix over all pods, not just representatives.
#[test]
fn workload_view_equals_the_pod_level_connections() {
    let mut checked = (0usize, 0usize, 0usize);
    for (seed, admin) in [(1, 0), (2, 0), (3, 0), (4, 6), (5, 10)] {
        let text = generated(seed, admin);
        let a = Analysis::from_text(&text);
        let v = a.workloads(&["10.1.0.7".parse().unwrap(), "8.8.8.8".parse().unwrap()]);
        assert!(
            v.groups.iter().any(|g| g.is_split()),
            "seed {seed}: no split"
        );
        assert!(v.groups.iter().any(|g| g.pods >= 2 && !g.is_split()));
        let c = check_view(&a, &v, &format!("seed {seed}"));
        checked = (checked.0 + c.0, checked.1 + c.1, checked.2 + c.2);
    }
    assert!(
        checked.0 > 10_000 && checked.1 > 1_000 && checked.2 > 1_000,
        "{checked:?}"
    );
}

/// The same on every cluster and scenario of the repository (NetworkPolicy semantics,
/// Services, cluster-scoped and Calico policies, the upstream e2e suite, the examples).
#[test]
fn workload_view_equals_the_pod_level_connections_on_every_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut dirs: Vec<std::path::PathBuf> = [
        "tests/scenarios",
        "tests/services",
        "tests/tiers",
        "tests/k8s-e2e",
        "tests/workloads",
        "examples",
    ]
    .iter()
    .map(|d| root.join(d))
    .collect();
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                files.push(p);
            }
        }
    }
    netpol::sort::ord(&mut files);
    let (mut clusters, mut pairs) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let dir = file.parent().unwrap();
        let analysis = match netpol::scenario::parse(&text) {
            Ok(scenario) => {
                let read =
                    |p: &str| std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string());
                let (texts, _) = netpol::runner::load_manifests(&scenario, &read);
                let sources: Vec<Source<'_>> = texts
                    .iter()
                    .map(|(n, t)| Source { name: n, text: t })
                    .collect();
                Analysis::new(&sources, &LoadOptions::default())
            }
            Err(_) => Analysis::from_text(&text),
        };
        if analysis.cluster().endpoints.is_empty() || analysis.cluster().endpoints.len() > 60 {
            continue;
        }
        let v = analysis.workloads(&["203.0.113.9".parse().unwrap()]);
        pairs += check_view(&analysis, &v, &file.display().to_string()).0;
        clusters += 1;
    }
    assert!(
        clusters > 150 && pairs > 10_000,
        "{clusters} clusters, {pairs} pairs"
    );
}

fn fold(cells: &[Option<bool>]) -> WorkloadCell {
    let yes = cells.contains(&Some(true));
    let all = cells.iter().all(|c| *c == Some(true));
    let unknown = cells.contains(&None);
    match (yes, all) {
        (true, true) => WorkloadCell::Allowed,
        (true, false) => WorkloadCell::Partial,
        (false, _) if unknown => WorkloadCell::Unknown,
        _ => WorkloadCell::Denied,
    }
}
