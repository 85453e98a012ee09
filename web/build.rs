//! Generates the built-in lessons' bundle, `lessons.bin` (`lessons::Bundle` in postcard's
//! encoding, as the page-worker messages), from the files of
//! `examples/seed/`, `examples/recipes/` and `examples/exercises/`, sorted by name. It is
//! a file of the site, not part of the .wasm (issue 12's size budget): `web/loader.js`
//! and `web/worker.js` fetch it before they start the WebAssembly (`src/examples.rs`).
//!
//! - `lessons`: each scenario as the page shows it (`lessons::LessonInfo`), made here with
//!   the real parser, so the page reads it without parsing a scenario;
//! - `sources`: each scenario's text (without `description:`), for the worker, which
//!   evaluates the rows and grades the exercises;
//! - `files`: the other `.yaml` files of those directories (the manifests scenarios
//!   name), by `group/name`.
//!
//! It is written to `$OUT_DIR/lessons.bin` (the component tests include it) and to
//! `web/generated/lessons.bin`, which Trunk's post-build hook copies into the site
//! (Trunk.toml). A new example file appears in the page without touching the code; a
//! scenario that does not parse fails the build.

use std::path::{Path, PathBuf};
use std::{env, fs};

#[path = "src/lessons.rs"]
#[allow(dead_code)]
mod lessons;

const GROUPS: &[&str] = &["seed", "exercises", "recipes"];

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let examples = manifest_dir.join("../examples");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=src/lessons.rs");
    let mut lessons_list = Vec::new();
    let mut sources = Vec::new();
    let mut files = Vec::new();
    for &group in GROUPS {
        let dir = examples.join(group);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut names: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        netpol::sort::ord(&mut names);
        for path in names {
            println!("cargo:rerun-if-changed={}", path.display());
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let stem = stem(&path);
            match netpol::scenario::detect(&text) {
                netpol::scenario::Detected::Scenario(parsed) => {
                    let s =
                        parsed.unwrap_or_else(|d| panic!("{}: {}", path.display(), d[0].message));
                    let id = format!("{group}/{stem}");
                    let resolve =
                        |p: &str| lessons::join(group, p).unwrap_or_else(|| p.to_string());
                    let info = lessons::from_scenario(&id, group, &s, &resolve);
                    lessons_list.push(info);
                    // The page never shows `description:` (maintainers' notes): leave it
                    // out of what the page downloads.
                    sources.push((id, without_description(&text)));
                }
                netpol::scenario::Detected::NotScenario => {
                    files.push((format!("{group}/{stem}.yaml"), text));
                }
            }
        }
    }
    let bundle = lessons::Bundle {
        lessons: lessons_list,
        sources,
        files,
    };
    let bytes = postcard::to_allocvec(&bundle).expect("lessons bundle");
    let out = out_dir.join("lessons.bin");
    fs::write(&out, &bytes).unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
    // For the site (Trunk's post-build hook). Written only when it changes, so that
    // `trunk serve` does not see a new file on every build.
    let site = manifest_dir.join("generated/lessons.bin");
    if fs::read(&site).ok().as_deref() != Some(bytes.as_slice()) {
        let _ = fs::create_dir_all(manifest_dir.join("generated"));
        fs::write(&site, &bytes).unwrap_or_else(|e| panic!("writing {}: {e}", site.display()));
    }
}

/// The scenario without its top-level `description:` key (the key line and every line
/// after it up to the next top-level key). Other keys, comments and manifests are kept
/// byte for byte.
fn without_description(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '\n', '\r', '#', '-']);
        if top_level {
            skipping = line.starts_with("description:");
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
