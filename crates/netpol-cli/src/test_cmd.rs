//! `netpol test`: runs scenario files and reports failing cells with explanations.

use std::path::{Path, PathBuf};

use netpol::scenario;
use netpol::{Lang, LineIndex};

use crate::input::collect_files;

fn is_scenario(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("expect:"))
}

/// (file, scenario name, passed cells, failure messages)
type Case = (String, String, usize, Vec<String>);

pub fn run(paths: &[String], junit: Option<&str>, lang: Lang) -> Result<u8, String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for p in paths {
        collect_files(Path::new(p), &["yaml", "yml"], &mut files)?;
    }
    let (mut passed, mut failed, mut scenarios) = (0usize, 0usize, 0usize);
    let mut cases: Vec<Case> = Vec::new();
    for file in files {
        // Bytes, read lossily: a directory may hold hostile fixtures that are not UTF-8.
        let bytes =
            std::fs::read(&file).map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // Directories also hold the manifests scenarios refer to: skip non-scenarios.
        if !is_scenario(&text) {
            continue;
        }
        scenarios += 1;
        let s = match scenario::parse(&text) {
            Ok(s) => s,
            Err(diags) => {
                let idx = LineIndex::new(&text);
                for d in diags {
                    let (l, c) = idx.line_col(&text, d.location.range.start);
                    eprintln!("{}:{l}:{c}: error: {}", file.display(), d.message);
                }
                failed += 1;
                cases.push((
                    file.display().to_string(),
                    String::new(),
                    0,
                    vec!["invalid scenario file".to_string()],
                ));
                continue;
            }
        };
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let read = |p: &str| std::fs::read_to_string(dir.join(p)).map_err(|e| e.to_string());
        let report = scenario::run(&s, &read);
        passed += report.passed;
        failed += report.failures.len();
        let mut msgs = Vec::new();
        for f in &report.failures {
            let mut m = format!(
                "{}: expected {}",
                f.what,
                if f.expected { "allowed" } else { "denied" }
            );
            if let Some(svc) = &f.service {
                // Through a Service, Ingress, NodePort or DNS: say what differed, then
                // the per-backend explanation.
                m = format!("{}: {}", f.what, f.detail.as_deref().unwrap_or(""));
                m.push('\n');
                m.push_str(&netpol::services::explain(svc, lang).join("\n"));
            } else if let Some(e) = &f.error {
                m.push_str(&format!(", but: {e}"));
            }
            if let Some(d) = &f.decision {
                m.push_str(&format!(
                    ", got {}\n",
                    netpol::explain::verdict_word(d.verdict, lang)
                ));
                m.push_str(&netpol::explain::explain(d, lang).join("\n"));
            }
            println!(
                "FAIL {} [{}]\n  {}",
                file.display(),
                s.name,
                m.replace('\n', "\n  ")
            );
            msgs.push(m);
        }
        cases.push((
            file.display().to_string(),
            s.name.clone(),
            report.passed,
            msgs,
        ));
    }
    if let Some(path) = junit {
        std::fs::write(path, junit_xml(&cases))
            .map_err(|e| format!("cannot write `{path}`: {e}"))?;
    }
    println!("{scenarios} scenario file(s)");
    println!("{passed} passed, {failed} failed");
    Ok(u8::from(failed > 0))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn junit_xml(cases: &[Case]) -> String {
    let failures: usize = cases.iter().map(|c| c.3.len()).sum();
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"netpol\" tests=\"{}\" failures=\"{failures}\">\n", cases.len());
    for (file, name, passed, msgs) in cases {
        s.push_str(&format!(
            "  <testcase classname=\"{}\" name=\"{}\" assertions=\"{}\">\n",
            esc(file),
            esc(name),
            passed + msgs.len()
        ));
        for m in msgs {
            s.push_str(&format!(
                "    <failure message=\"{}\">{}</failure>\n",
                esc(m.lines().next().unwrap_or("")),
                esc(m)
            ));
        }
        s.push_str("  </testcase>\n");
    }
    s.push_str("</testsuite>\n");
    s
}
