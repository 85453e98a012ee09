//! The fast reader and libyaml read the same text the same way, and the loader's fast path
//! (fast reader, pruned pods and workloads, streamed List items) loads what the plain path
//! loads, diagnostics and their positions included.
//!
//! Inputs: every manifest and scenario file of the repository, generated clusters and
//! dumps (YAML and JSON), and deterministic mutations of all of them (bytes deleted,
//! YAML-significant characters inserted, lines duplicated, re-indented or swapped), which
//! exercise the places where the fast reader must give up rather than read differently.

use std::path::{Path, PathBuf};

use netpol::gen::dump::{dump, DumpOptions, Format};
use netpol::gen::{cluster, GenOptions, Rng};
use netpol::yaml::{parse_with_reader, Reader};
use netpol::{LoadOptions, Source};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
        {
            out.push(p);
        }
    }
}

/// The repository's fixtures and examples.
fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths = Vec::new();
    for d in ["tests", "examples"] {
        files(&root.join(d), &mut paths);
    }
    let mut out: Vec<(String, String)> = paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect();
    let small = DumpOptions {
        pods: 12,
        policies: 4,
        namespaces: 3,
        seed: 3,
        managed_fields: true,
        workloads: true,
    };
    out.push(("dump.yaml".into(), dump(&small, Format::Yaml)));
    out.push(("dump.json".into(), dump(&small, Format::Json)));
    out.push((
        "cluster.yaml".into(),
        cluster(&GenOptions {
            namespaces: 3,
            pods: 20,
            policies: 10,
            seed: 5,
        })
        .join("---\n"),
    ));
    out
}

/// Compares the readers on `text`; returns how many documents the fast reader read.
fn compare(name: &str, text: &str) -> usize {
    let (fast_docs, fast_errors) = parse_with_reader(text, Reader::Fast);
    let (lib_docs, lib_errors) = parse_with_reader(text, Reader::Libyaml);
    assert_eq!(fast_docs.len(), lib_docs.len(), "{name}: documents\n{text}");
    let gave_up: Vec<usize> = fast_errors
        .iter()
        .filter(|e| e.message == "fast reader gave up")
        .map(|e| e.doc)
        .collect();
    let mut read = 0;
    for (f, l) in fast_docs.iter().zip(&lib_docs) {
        if gave_up.contains(&f.index) {
            continue;
        }
        read += 1;
        let lib_error = lib_errors.iter().find(|e| e.doc == l.index);
        assert!(
            lib_error.is_none(),
            "{name}: the fast reader read document {} that libyaml refuses ({lib_error:?})\n{text}",
            f.index
        );
        assert_eq!(f.root, l.root, "{name}: document {}\n{text}", f.index);
        assert_eq!(
            f.notes, l.notes,
            "{name}: notes of document {}\n{text}",
            f.index
        );
    }
    read
}

/// `NETPOL_READER_MUTATIONS=N`: N times as many mutations (a longer hunt; the default
/// keeps the test quick).
fn scale() -> usize {
    std::env::var("NETPOL_READER_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// `NETPOL_READER_SEED=N`: other mutations than the default ones.
fn seed_offset() -> u64 {
    std::env::var("NETPOL_READER_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Deterministic mutations of `text`.
fn mutations(text: &str, seed: u64, count: usize) -> Vec<String> {
    let seed = seed.wrapping_add(seed_offset().wrapping_mul(0x9E37_79B9));
    const PIECES: &[&str] = &[
        " ", "\n", ":", ": ", "-", "- ", "#", " #", "\"", "'", "|", "|-", "|+", "{", "}", "[", "]",
        ",", "\\", "\\n", "a", "0", ".", "...", "---", "  ", "\n  ", "\n- ", "é", "''", "? ",
        "&a ", "*a", "!!str ", "<<: ", "~", "null", "\\u00e9", "\\x41",
    ];
    let mut r = Rng::new(seed);
    let mut out = Vec::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for _ in 0..count {
        let mut t = text.to_string();
        for _ in 0..1 + r.below(3) {
            if t.is_empty() {
                break;
            }
            let mut at = r.below(t.len());
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            match r.below(6) {
                0 => {
                    let mut end = (at + 1 + r.below(4)).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    t.replace_range(at..end, "");
                }
                1 | 2 => {
                    let piece: &&str = r.pick(PIECES);
                    t.insert_str(at, piece);
                }
                _ if lines.len() > 1 => {
                    // Whole lines: duplicated, indented, dedented or swapped.
                    let mut ls: Vec<String> = t.split_inclusive('\n').map(str::to_string).collect();
                    let i = r.below(ls.len());
                    match r.below(4) {
                        0 => {
                            let l = ls[i].clone();
                            ls.insert(i, l);
                        }
                        1 => ls[i].insert_str(0, "  "),
                        2 => {
                            if let Some(rest) = ls[i].strip_prefix(' ') {
                                ls[i] = rest.to_string();
                            }
                        }
                        _ => {
                            let j = r.below(ls.len());
                            ls.swap(i, j);
                        }
                    }
                    t = ls.concat();
                }
                _ => t.insert(at, '\n'),
            }
        }
        out.push(t);
    }
    out
}

#[test]
fn both_readers_read_the_same() {
    let corpus = corpus();
    let mut read = 0;
    let mut docs = 0;
    for (name, text) in &corpus {
        read += compare(name, text);
        docs += parse_with_reader(text, Reader::Libyaml).0.len();
    }
    // The fast reader reads most real files (not: tabs, CRs, BOMs, anchors, tags).
    assert!(
        read * 10 >= docs * 8,
        "fast reader read {read} of {docs} documents"
    );
}

#[test]
fn both_readers_read_mutations_the_same() {
    let mut read = 0;
    for (i, (name, text)) in corpus().iter().enumerate() {
        // Large files: a window around a random place, to keep the test quick.
        let text = if text.len() > 6000 {
            let mut r = Rng::new(i as u64);
            let mut at = r.below(text.len() - 4000);
            while !text.is_char_boundary(at) {
                at += 1;
            }
            let mut end = at + 4000;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            &text[at..end]
        } else {
            text.as_str()
        };
        for (k, m) in mutations(text, i as u64 * 7919 + 1, 12 * scale())
            .iter()
            .enumerate()
        {
            read += compare(&format!("{name} mutation {k}"), m);
        }
    }
    assert!(
        read > 1000,
        "the fast reader read only {read} mutated documents"
    );
}

#[test]
fn generated_dumps_are_read_by_the_fast_reader_whole() {
    for managed_fields in [true, false] {
        let opts = DumpOptions {
            pods: 40,
            policies: 8,
            namespaces: 4,
            seed: 9,
            managed_fields,
            workloads: managed_fields,
        };
        for format in [Format::Yaml, Format::Json] {
            let text = dump(&opts, format);
            let (_, errors) = parse_with_reader(&text, Reader::Fast);
            assert!(errors.is_empty(), "{format:?}: {errors:?}");
            assert_eq!(compare("dump", &text), 1);
        }
    }
}

/// The loader's fast path (fast reader, pruning, streaming) and the plain path give the
/// same cluster, objects and diagnostics.
fn same_load(name: &str, text: &str) {
    let sources = [Source { name, text }];
    let opts = LoadOptions::default();
    let fast = netpol::load_sources(&sources, &opts);
    let plain = netpol::load::load_sources_reference(&sources, &opts);
    assert_eq!(fast.cluster, plain.cluster, "{name}: cluster\n{text}");
    assert_eq!(fast.objects, plain.objects, "{name}: objects");
    assert_eq!(fast.diagnostics, plain.diagnostics, "{name}: diagnostics");
}

#[test]
fn the_fast_load_path_loads_the_same() {
    for (name, text) in corpus() {
        same_load(&name, &text);
    }
    let opts = DumpOptions {
        pods: 60,
        policies: 10,
        namespaces: 4,
        seed: 11,
        managed_fields: true,
        workloads: true,
    };
    for format in [Format::Yaml, Format::Json] {
        same_load("dump", &dump(&opts, format));
    }
}

#[test]
fn the_fast_load_path_loads_mutated_dumps_the_same() {
    // Mutations of a List dump hit streaming (items handed out, then the document
    // breaks), pruning (a pod's parts moved around) and the readers' fallbacks.
    let opts = DumpOptions {
        pods: 6,
        policies: 2,
        namespaces: 2,
        seed: 13,
        managed_fields: true,
        workloads: true,
    };
    for (f, format) in [Format::Yaml, Format::Json].into_iter().enumerate() {
        let text = dump(&opts, format);
        for (k, m) in mutations(&text, 100 + f as u64, 60 * scale())
            .iter()
            .enumerate()
        {
            same_load(&format!("dump {format:?} mutation {k}"), m);
        }
    }
    for (i, (name, text)) in corpus()
        .iter()
        .enumerate()
        .filter(|(_, (_, t))| t.len() < 4000)
    {
        for (k, m) in mutations(text, 500 + i as u64, 3).iter().enumerate() {
            same_load(&format!("{name} mutation {k}"), m);
        }
    }
}

/// What pruning leaves unbuilt is still read for its diagnostics, and what could make a
/// pruned part matter makes the document be read whole: each case loads as the plain
/// path loads it.
#[test]
fn pruned_parts_keep_their_diagnostics() {
    let pod = |body: &str| {
        format!(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: web\n    namespace: shop\n    labels: {{app: web}}\n{body}- apiVersion: v1\n  kind: Pod\n  metadata: {{name: db, namespace: shop}}\n"
        )
    };
    let cases = [
        // Duplicate keys (three times) in a container's env entry.
        "  spec:\n    containers:\n    - name: c\n      env:\n      - name: A\n        value: x\n        value: y\n        value: z\n",
        // A value kubectl cannot send, in the status.
        "  status:\n    conditions:\n    - {type: Ready, x: .inf}\n",
        // Keys that are not strings, a null key, a collection key.
        "  metadata:\n    annotations: {yes: 1, 0x10: 2}\n",
        "  spec:\n    volumes:\n    - ~: 1\n",
        "  spec:\n    containers:\n    - livenessProbe: {[a]: 1}\n",
        // Anchors and aliases, merge keys, a second `kind`.
        "  spec: &s\n    containers: [{name: c, ports: [{containerPort: 80}]}]\n  status: *s\n",
        "  spec:\n    containers:\n    - <<: {name: c}\n      env: []\n",
        "  spec:\n    containers: [{name: c, ports: [{name: http, containerPort: 80}]}]\n  kind: NetworkPolicy\n",
        // A syntax error after items were handed out.
        "  spec:\n    containers: [{name: c}\n",
        // A second `items` at the root.
        "items: []\n",
    ];
    let mut said = 0;
    for (k, body) in cases.iter().enumerate() {
        let text = pod(body);
        same_load(&format!("case {k}"), &text);
        said += usize::from(!netpol::load(&text).diagnostics.is_empty());
    }
    // All but the anchors and the merge key have something to say.
    assert!(said >= 8, "only {said} cases gave diagnostics");
}

/// Texts the mutations once found the fast reader reading differently from libyaml.
#[test]
fn found_by_mutations() {
    let cases = [
        // A document marker inside a flow collection: an error to libyaml.
        "{\n  \"a\": {\n...   \"b\": 1}\n}\n",
        "[1,\n---\n 2]\n",
        // Blanks before a line break inside double quotes are dropped.
        "a: \"x y \n  z\"\n",
        "a: \"x \\\n  z\"\n",
        // A collection used as a key in a part pruning leaves unbuilt.
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  x:\n    [a]: 1\n",
        // `replicas` in a pod's spec (the loader reads it of every spec).
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  replicas: 5\n  containers: []\n",
        // A key three times in a pruned part.
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nstatus:\n  x: 1\n  x: 2\n  x: 3\n",
    ];
    for (k, text) in cases.iter().enumerate() {
        compare(&format!("case {k}"), text);
        same_load(&format!("case {k}"), text);
    }
}

/// `Loader` (documents kept between versions of the input) loads every version as a
/// fresh load does: edits inside a document, documents added, removed and moved, text
/// before them (positions and lines shift), duplicate keys (notes that name lines).
#[test]
fn the_loader_loads_each_version_as_a_fresh_load() {
    let check = |loader: &mut netpol::Loader, name: &str, text: &str| {
        let sources = [Source { name, text }];
        let opts = LoadOptions::default();
        let kept = loader.load(&sources, &opts);
        let fresh = netpol::load_sources(&sources, &opts);
        assert_eq!(kept.cluster, fresh.cluster, "{name}: cluster\n{text}");
        assert_eq!(kept.objects, fresh.objects, "{name}: objects");
        assert_eq!(
            kept.diagnostics, fresh.diagnostics,
            "{name}: diagnostics\n{text}"
        );
    };
    let docs = cluster(&GenOptions {
        namespaces: 3,
        pods: 20,
        policies: 10,
        seed: 5,
    });
    let mut loader = netpol::Loader::new();
    let mut r = Rng::new(77);
    let mut current = docs.clone();
    for step in 0..60 {
        match r.below(6) {
            // Edit one document (sometimes breaking it).
            0 | 1 => {
                let i = r.below(current.len());
                if let Some(m) = mutations(&current[i], step, 1).pop() {
                    current[i] = m;
                }
            }
            // Add one (a copy: a duplicate object) or remove one.
            2 => {
                let i = r.below(current.len());
                let d = current[i].clone();
                current.insert(r.below(current.len()), d);
            }
            3 if current.len() > 2 => {
                current.remove(r.below(current.len()));
            }
            // Move one.
            4 => {
                let (i, j) = (r.below(current.len()), r.below(current.len()));
                current.swap(i, j);
            }
            // Text before everything: every position and line moves.
            _ => current.insert(0, format!("# edit {step}\n{}", "\n".repeat(r.below(3)))),
        }
        let text = current.join("---\n");
        check(&mut loader, &format!("step {step}"), &text);
    }
    // Duplicate keys: notes that name lines, in a document that moves.
    let dup = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, name: b}\n";
    let mut loader = netpol::Loader::new();
    check(&mut loader, "dup", dup);
    check(&mut loader, "dup moved", &format!("\n\n{dup}"));
    check(
        &mut loader,
        "dup moved again",
        &format!("# c\n---\n{dup}---\n{dup}"),
    );
    // A dump, then the same dump with one pod edited.
    let opts = DumpOptions {
        pods: 30,
        policies: 5,
        namespaces: 3,
        seed: 2,
        managed_fields: true,
        workloads: true,
    };
    let yaml = dump(&opts, Format::Yaml);
    let mut loader = netpol::Loader::new();
    check(&mut loader, "dump", &yaml);
    check(
        &mut loader,
        "dump edited",
        &yaml.replacen("app: web", "app: webx", 1),
    );
    // Documents kept: an edit of one of many reads that one again.
    let mut loader = netpol::Loader::new();
    let text = docs.join("---\n");
    check(&mut loader, "kept", &text);
    assert_eq!(loader.last_read(), docs.len());
    let mut edited = docs.clone();
    edited[3] = edited[3].replace("name: ", "name: x");
    check(&mut loader, "kept, one edited", &edited.join("---\n"));
    assert_eq!(loader.last_read(), 1);
    // A line before the first document: it joins that document's text (read again);
    // the others only move.
    check(
        &mut loader,
        "kept, moved",
        &format!("# moved\n{}", edited.join("---\n")),
    );
    assert_eq!(loader.last_read(), 1);
    for (k, m) in mutations(&yaml, 9, 10).iter().enumerate() {
        check(&mut loader, &format!("dump mutation {k}"), m);
    }
}
