//! `connlist --format dot` and `--format mermaid` draw exactly the edges the text list
//! has: parsed back (node ids to the names they stand for), each gives the same
//! `from => to : connections` lines in the same order. Graphviz's `dot -Tsvg` must read
//! every DOT output: where `dot` is missing the check is skipped with a note, unless
//! `CI` is set (then it fails: `scripts/setup.sh` installs Graphviz).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn netpol(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "netpol {args:?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The edges of the text output (by pod it lists pairs with no connection too).
fn text_edges(args: &[&str]) -> Vec<String> {
    netpol(args)
        .lines()
        .filter(|l| !l.ends_with(" : No connections"))
        .map(str::to_string)
        .collect()
}

/// The contents of a DOT quoted string starting at `s` (after the opening quote), and
/// the rest after the closing quote.
fn dot_string(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, e)) => out.push(e),
                None => break,
            },
            '"' => return (out, &s[i + 1..]),
            c => out.push(c),
        }
    }
    panic!("unterminated DOT string: {s}")
}

/// `attr="value"` in a DOT attribute list.
fn dot_attr(line: &str, attr: &str) -> Option<String> {
    let at = line.find(&format!("{attr}=\""))?;
    Some(dot_string(&line[at + attr.len() + 2..]).0)
}

fn dot_edges(dot: &str) -> Vec<String> {
    assert!(
        dot.starts_with("digraph connlist {\n") && dot.ends_with("}\n"),
        "{dot}"
    );
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut edges = Vec::new();
    for line in dot.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix('"') else {
            continue;
        };
        let (id, rest) = dot_string(rest);
        if let Some(rest) = rest.strip_prefix(" -> \"") {
            let (to, attrs) = dot_string(rest);
            let set = dot_attr(attrs, "label").unwrap();
            edges.push((id, to, set));
        } else {
            let full = dot_attr(rest, "tooltip").unwrap();
            assert!(names.insert(id.clone(), full).is_none(), "node {id} twice");
        }
    }
    edges
        .into_iter()
        .map(|(f, t, set)| format!("{} => {} : {set}", names[&f], names[&t]))
        .collect()
}

fn mermaid_unescape(s: &str) -> String {
    s.replace("#quot;", "\"")
        .replace("#lt;", "<")
        .replace("#gt;", ">")
        .replace("#amp;", "&")
        .replace("#35;", "#")
}

/// A quoted Mermaid label at the start of `s`: its text and the rest.
fn mermaid_string(s: &str) -> (String, &str) {
    let s = s
        .strip_prefix('"')
        .unwrap_or_else(|| panic!("no label: {s}"));
    let end = s.find('"').unwrap();
    (mermaid_unescape(&s[..end]), &s[end + 1..])
}

fn mermaid_edges(mmd: &str, by_pod: bool) -> Vec<String> {
    let mut lines = mmd.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut edges = Vec::new();
    let mut namespace: Option<String> = None;
    for line in lines.map(str::trim) {
        if let Some(rest) = line.strip_prefix("subgraph ") {
            let open = rest.find('[').unwrap();
            namespace = Some(mermaid_string(&rest[open + 1..]).0);
            continue;
        }
        if line == "end" {
            namespace = None;
            continue;
        }
        let id_end = line.find(|c: char| !c.is_ascii_alphanumeric()).unwrap();
        let (id, rest) = line.split_at(id_end);
        if let Some(arrow) = rest.strip_prefix(" -->|").or(rest.strip_prefix(" -.->|")) {
            let (set, rest) = mermaid_string(arrow);
            let to = rest.strip_prefix("| ").unwrap();
            edges.push((id.to_string(), to.to_string(), set));
            continue;
        }
        let open = rest.find('"').unwrap();
        let (label, _) = mermaid_string(&rest[open..]);
        let label = label.replace("<br>", "");
        let full = match &namespace {
            Some(ns) => format!("{ns}/{label}"),
            None if by_pod || label.starts_with('{') => label,
            None => format!("{label}[External]"),
        };
        assert!(
            names.insert(id.to_string(), full).is_none(),
            "node {id} twice"
        );
    }
    edges
        .into_iter()
        .map(|(f, t, set)| format!("{} => {} : {set}", names[&f], names[&t]))
        .collect()
}

/// Graphviz reads it and draws every edge.
fn dot_renders(dot: &str, edges: usize) -> bool {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "Graphviz `dot` is needed in CI (scripts/setup.sh installs it): {e}"
            );
            eprintln!("note: Graphviz `dot` not found ({e}); DOT not rendered");
            return false;
        }
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "dot -Tsvg failed: {stderr}\n{dot}");
    let svg = String::from_utf8_lossy(&out.stdout);
    assert!(svg.contains("<svg"), "{svg}");
    assert_eq!(svg.matches("class=\"edge\"").count(), edges, "{svg}");
    true
}

#[test]
fn dot_and_mermaid_draw_exactly_the_connlist_edges() {
    let mut cases: Vec<Vec<String>> = [
        &["examples/seed/cluster.yaml"][..],
        &["examples/seed/cluster.yaml", "--focus", "utils/utils"],
        &["examples/seed/cluster.yaml", "--by", "pod"],
        &[
            "examples/seed/cluster.yaml",
            "--by",
            "pod",
            "--focus",
            "utils/utils",
        ],
        &["tests/scenarios/cluster.yaml", "--ip", "203.0.113.9"],
        &["tests/services/cluster.yaml"],
        &["crates/netpol-cli/tests/json/cluster.yaml", "--by", "pod"],
    ]
    .iter()
    .map(|a| a.iter().map(|s| s.to_string()).collect())
    .collect();
    // Every workload fixture (rolling updates, ranges, roles), both ways.
    let dir = root().join("tests/workloads");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    netpol::sort::ord(&mut fixtures);
    assert!(fixtures.len() >= 6, "{}", dir.display());
    for f in &fixtures {
        let f = f.to_string_lossy().into_owned();
        cases.push(vec![f.clone()]);
        cases.push(vec![f, "--by".into(), "pod".into()]);
    }
    let (mut rendered, mut edges) = (0, 0);
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let by_pod = args.contains(&"pod");
        let mut argv = vec!["connlist"];
        argv.extend(&args);
        let text = text_edges(&argv);
        assert!(by_pod || !text.is_empty(), "{argv:?}");
        edges += text.len();
        let dot = netpol(&[&argv[..], &["--format", "dot"]].concat());
        assert_eq!(dot_edges(&dot), text, "{argv:?} --format dot\n{dot}");
        let mmd = netpol(&[&argv[..], &["--format", "mermaid"]].concat());
        assert_eq!(
            mermaid_edges(&mmd, by_pod),
            text,
            "{argv:?} --format mermaid\n{mmd}"
        );
        if dot_renders(&dot, text.len()) {
            rendered += 1;
        }
    }
    assert!(edges > 300, "{edges} edges in all");
    eprintln!(
        "{rendered} of {} DOT outputs rendered by Graphviz",
        cases.len()
    );
}

/// Names cannot break out of a label: quotes, `#`, markup and backslashes are escaped.
#[test]
fn hostile_names_stay_inside_their_labels() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\\\"b#c<i>&\\\\d\", namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ok, namespace: x}\n";
    let dir = std::env::temp_dir().join(format!("netpol-graphs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hostile.yaml");
    std::fs::write(&file, yaml).unwrap();
    let f = file.to_string_lossy().into_owned();
    let text = text_edges(&["connlist", &f]);
    assert!(
        text.iter()
            .any(|l| l.starts_with("x/a\"b#c<i>&\\d[Pod] => ")),
        "{text:?}"
    );
    let dot = netpol(&["connlist", &f, "--format", "dot"]);
    assert_eq!(dot_edges(&dot), text);
    let mmd = netpol(&["connlist", &f, "--format", "mermaid"]);
    assert!(!mmd.contains("<i>") && mmd.contains("#lt;i#gt;"), "{mmd}");
    assert_eq!(mermaid_edges(&mmd, false), text);
    dot_renders(&dot, text.len());
    let _ = std::fs::remove_dir_all(&dir);
}
