//! Reading inputs: files, directories (recursively), stdin; and turning byte ranges into
//! file:line:col.

use std::io::Read;
use std::path::{Path, PathBuf};

use netpol::{Diagnostic, LineIndex, LoadOptions, Loaded, Severity, Source};

use crate::Inputs;

pub struct InputSet {
    pub names: Vec<String>,
    pub texts: Vec<String>,
    pub loaded: Loaded,
    /// One line index per text, built once (diagnostics can be many).
    lines: Vec<LineIndex>,
}

/// Manifest files under a directory, sorted, for a stable order.
pub fn collect_files(path: &Path, exts: &[&str], out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read directory `{}`: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() {
                collect_files(&e, exts, out)?;
            } else if e
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
            {
                out.push(e);
            }
        }
        Ok(())
    } else if path.exists() {
        out.push(path.to_path_buf());
        Ok(())
    } else {
        Err(format!("no such file or directory: `{}`", path.display()))
    }
}

/// [`load`], then the errors among the diagnostics on stderr: what every command but
/// `lint` (which prints them all) starts with.
pub fn load_reporting_errors(inputs: &Inputs) -> Result<InputSet, String> {
    let set = load(inputs)?;
    set.print_diagnostics(netpol::Severity::Error);
    Ok(set)
}

pub fn load(inputs: &Inputs) -> Result<InputSet, String> {
    let pod_cidr = inputs.pod_cidr.parse().map_err(|_| {
        format!(
            "invalid `--pod-cidr` `{}`: expected a CIDR such as 10.244.0.0/16",
            inputs.pod_cidr
        )
    })?;
    let mut names = Vec::new();
    let mut texts = Vec::new();
    for f in &inputs.files {
        if f == "-" {
            // Bytes, read lossily like files: a paste may hold invalid UTF-8.
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            names.push("<stdin>".to_string());
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
            continue;
        }
        let mut files = Vec::new();
        collect_files(Path::new(f), &["yaml", "yml", "json"], &mut files)?;
        for p in files {
            let bytes =
                std::fs::read(&p).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
            names.push(p.display().to_string());
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    let sources: Vec<Source<'_>> = names
        .iter()
        .zip(&texts)
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let loaded = netpol::load_sources(
        &sources,
        &LoadOptions {
            pod_cidr,
            ..Default::default()
        },
    );
    let lines = texts.iter().map(|t| LineIndex::new(t)).collect();
    Ok(InputSet {
        names,
        texts,
        loaded,
        lines,
    })
}

impl InputSet {
    pub fn position(&self, loc: &netpol::Location) -> String {
        let Some(text) = self.texts.get(loc.source) else {
            return "<input>".into();
        };
        let (line, col) = self.lines[loc.source].line_col(text, loc.range.start);
        format!("{}:{line}:{col}", self.names[loc.source])
    }

    pub fn format_diagnostic(&self, d: &Diagnostic) -> String {
        let mut s = format!(
            "{}: {}: {}",
            self.position(&d.location),
            d.severity.as_str(),
            d.message
        );
        if let Some(p) = &d.path {
            s.push_str(&format!(" [{p}]"));
        }
        if let Some(h) = &d.help {
            s.push_str(&format!("\n  help: {h}"));
        }
        s
    }

    pub fn diagnostic_json(&self, d: &Diagnostic) -> serde_json::Value {
        let mut v = serde_json::to_value(d).unwrap_or_default();
        if let (Some(text), Some(obj)) = (self.texts.get(d.location.source), v.as_object_mut()) {
            let idx = &self.lines[d.location.source];
            let (line, col) = idx.line_col(text, d.location.range.start);
            obj.insert("file".into(), self.names[d.location.source].clone().into());
            obj.insert("line".into(), line.into());
            obj.insert("column".into(), col.into());
        }
        v
    }

    /// Prints diagnostics at or above `min` to stderr.
    pub fn print_diagnostics(&self, min: Severity) {
        for d in self.loaded.diagnostics.iter().filter(|d| d.severity <= min) {
            eprintln!("{}", self.format_diagnostic(d));
        }
    }

    /// Explanations mention policies; add where they are.
    pub fn with_positions(&self, lines: &[String]) -> Vec<String> {
        let mut out = lines.to_vec();
        for p in &self.loaded.cluster.policies {
            let needle = format!("{}/{}", p.namespace, p.name);
            if out.iter().any(|l| l.contains(&needle)) {
                out.push(format!("  {needle}: {}", self.position(&p.location)));
            }
        }
        out
    }
}
