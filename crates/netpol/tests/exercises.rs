//! Every exercise of `examples/exercises/` (a scenario with `exercise:`): its reference
//! solution solves it, its starting manifests do not, and each wrong attempt
//! (`NN-name/wrong/`) does not, for the reasons snapshotted in
//! `tests/exercises/NN-name.expected` (`UPDATE_EXPECT=1` rewrites them).

mod common;

use std::path::{Path, PathBuf};

use netpol::runner::{self, Grade};
use netpol::scenario::{self, Scenario};
use netpol::{Analysis, Lang, LoadOptions, Source};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(base: &Path, p: &str) -> Result<String, String> {
    std::fs::read_to_string(base.join(p)).map_err(|e| format!("{p}: {e}"))
}

fn load(texts: &[(String, String)]) -> Analysis {
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    Analysis::new(&sources, &LoadOptions::default())
}

/// The files of a directory, sorted, as (path, text).
fn dir_files(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    netpol::sort::ord(&mut paths);
    paths
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).unwrap();
            (p.display().to_string(), t)
        })
        .collect()
}

/// Grades `submission` on exercise `s` (file at `base`).
fn grade(s: &Scenario, base: &Path, submission: Vec<(String, String)>) -> Grade {
    let (start, errors) = runner::load_manifests(s, &|p| read(base, p));
    assert!(errors.is_empty(), "{}: {errors:?}", s.name);
    let start_analysis = load(&start);
    let work = load(&runner::apply_submission(start, submission));
    runner::grade(s, start_analysis.cluster(), &work)
}

/// The grade as checklist lines: `✓`/`✗`, hidden, the goal's words; constraints.
fn render(s: &Scenario, g: &Grade) -> String {
    let mut out = String::new();
    for e in &g.errors {
        out.push_str(&format!("✗ error: {e}\n"));
    }
    for r in &g.goals {
        let e = &s.expect[r.index];
        out.push_str(&format!(
            "{} goal{}: {} (got {})\n",
            if r.passed { "✓" } else { "✗" },
            if r.hidden { " (hidden)" } else { "" },
            netpol::words::exercise::goal_words(e, Lang::En),
            r.got.map_or("-", |o| o.as_str()),
        ));
    }
    for c in &g.constraints {
        out.push_str(&format!(
            "{} constraint: {}{}\n",
            if c.passed { "✓" } else { "✗" },
            netpol::words::exercise::constraint_words(&c.constraint, Lang::En),
            c.detail
                .as_ref()
                .map(|d| {
                    let say = |lang| netpol::words::exercise::broken(d, lang);
                    format!(": {} / {}", say(Lang::En), say(Lang::Es))
                })
                .unwrap_or_default()
        ));
    }
    out
}

#[test]
fn every_exercise_is_solved_by_its_solution_and_not_by_a_wrong_attempt() {
    let dir = root().join("examples/exercises");
    let mut exercises = 0;
    let mut failures = Vec::new();
    for f in common::fixture_files("examples/exercises") {
        let text = std::fs::read_to_string(&f).unwrap();
        let scenario::Detected::Scenario(parsed) = scenario::detect(&text) else {
            continue;
        };
        let s = parsed.unwrap_or_else(|d| panic!("{}: {d:?}", f.display()));
        let x = s
            .exercise
            .clone()
            .unwrap_or_else(|| panic!("{}: not an exercise", f.display()));
        exercises += 1;
        assert!(
            x.hints.len() >= 2 && !s.expect.is_empty(),
            "{}: an exercise needs hints and goals",
            f.display()
        );
        for t in x.hints.iter().chain(s.title.iter()).chain(s.lesson.iter()) {
            assert!(
                !t.en.is_empty() && !t.es.is_empty() && t.en != t.es,
                "{}: every text in English and Spanish: {t:?}",
                f.display()
            );
        }
        // The reference solution solves it; the starting manifests alone do not.
        let solution: Vec<(String, String)> = x
            .solution
            .iter()
            .map(|p| (p.clone(), read(&dir, p).unwrap()))
            .collect();
        assert!(!solution.is_empty(), "{}: no solution", f.display());
        let good = grade(&s, &dir, solution);
        if !good.solved() {
            failures.push(format!(
                "{}: the solution does not solve it:\n{}",
                f.display(),
                render(&s, &good)
            ));
        }
        if grade(&s, &dir, Vec::new()).solved() {
            failures.push(format!("{}: already solved at the start", f.display()));
        }
        // Each wrong attempt fails, for the reasons in the snapshot.
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let wrong_dir = dir.join(&stem).join("wrong");
        let wrong = grade(&s, &dir, dir_files(&wrong_dir));
        if wrong.solved() {
            failures.push(format!("{}: the wrong attempt solves it", f.display()));
        }
        let snapshot = format!("wrong attempt ({stem}/wrong/):\n{}", render(&s, &wrong));
        let fixture = root().join("tests/exercises").join(format!("{stem}.yaml"));
        if let Err(e) = common::check_snapshot(&fixture, &snapshot) {
            failures.push(e);
        }
    }
    assert!(exercises >= 7, "{exercises} exercises");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A constraint is checked against the starting manifests, whatever the goals say.
#[test]
fn constraints_catch_a_relabelled_namespace_and_too_many_policies() {
    let dir = root().join("examples/exercises");
    let text = std::fs::read_to_string(dir.join("04-allow-from-one-namespace.yaml")).unwrap();
    let s = scenario::parse(&text).unwrap();
    // The tutorial's step 6 made to work by labelling the namespace, in a second policy.
    let relabel = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: utils\n  labels:\n    kubernetes.io/metadata.name: utils\n    name: utils\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: allow-utils, namespace: webapp-balanced}\nspec:\n  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {name: utils}}}]}]\n";
    let g = grade(&s, &dir, vec![("label.yaml".into(), relabel.into())]);
    assert!(
        g.goals.iter().filter(|r| !r.hidden).all(|r| r.passed),
        "{}",
        render(&s, &g)
    );
    assert!(!g.solved());
    assert_eq!(
        g.constraints
            .iter()
            .map(|c| {
                c.detail
                    .as_ref()
                    .map(|d| netpol::words::exercise::broken(d, Lang::En))
            })
            .collect::<Vec<_>>(),
        [
            Some("changed: `utils`".to_string()),
            Some("there are 2 NetworkPolicies".to_string())
        ]
    );
}

/// `unchanged` compares what the objects are, not where they are written: a pod
/// relabelled or a Service's port changed breaks it; the same objects written again in
/// another file, at other positions, do not.
#[test]
fn unchanged_pods_and_services_compare_the_objects_not_their_place() {
    let dir = root().join("examples/exercises");
    let text = std::fs::read_to_string(dir.join("07-and-vs-or-peers.yaml")).unwrap();
    let mut s = scenario::parse(&text).unwrap();
    if let Some(x) = s.exercise.as_mut() {
        x.constraints = vec![
            scenario::Constraint::Unchanged {
                kind: scenario::ObjectKind::Pod,
            },
            scenario::Constraint::Unchanged {
                kind: scenario::ObjectKind::Service,
            },
        ];
    }
    let cluster = std::fs::read_to_string(root().join("examples/seed/cluster.yaml")).unwrap();
    let object = |kind: &str, name: &str| {
        cluster
            .split("\n---\n")
            .find(|d| {
                d.contains(&format!("kind: {kind}\n")) && d.contains(&format!("  name: {name}\n"))
            })
            .unwrap_or_else(|| panic!("{kind} {name} in the seed cluster"))
            .to_string()
    };
    let pod = object("Pod", "utils-646c66795d-qdtg9");
    let svc = object("Service", "webapp-balanced");
    let broken = |submission: String| -> Vec<Option<String>> {
        grade(&s, &dir, vec![("extra.yaml".into(), submission)])
            .constraints
            .iter()
            .map(|c| {
                c.detail
                    .as_ref()
                    .map(|d| netpol::words::exercise::broken(d, Lang::En))
            })
            .collect()
    };
    assert_eq!(
        broken(format!("# moved\n{pod}\n---\n{svc}\n")),
        [None, None]
    );
    assert_eq!(
        broken(pod.replace("app: utils", "app: utils-2")),
        [
            Some("changed: `utils/utils-646c66795d-qdtg9`".to_string()),
            None
        ]
    );
    assert_eq!(
        broken(svc.replace("      port: 80", "      port: 81")),
        [
            None,
            Some("changed: `webapp-balanced/webapp-balanced`".to_string())
        ]
    );
}

#[test]
fn a_submitted_file_replaces_the_starting_file_of_the_same_name() {
    let start = vec![
        ("../seed/cluster.yaml".to_string(), "a".to_string()),
        ("policy.yaml".to_string(), "b".to_string()),
    ];
    let out = runner::apply_submission(
        start,
        vec![
            ("work/policy.yaml".into(), "c".into()),
            ("work/extra.yaml".into(), "d".into()),
        ],
    );
    let texts: Vec<&str> = out.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["a", "c", "d"]);
}
