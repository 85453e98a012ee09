//! What the page's main thread knows about a lesson (a tutorial step, a recipe, an
//! exercise, or a trainer's own step loaded with `#src=`): view-ready text and rows,
//! never a parser. Built-in lessons are made at build time (`web/build.rs` includes this
//! file and calls [`from_scenario`]); a `#src=` lesson is made by the worker, which has
//! the parser. The worker evaluates the rows and grades the exercises.

use serde::{Deserialize, Serialize};

/// The built-in lessons as `web/build.rs` writes them (`lessons.bin`, postcard): read by
/// `examples.rs`.
#[derive(Default, Serialize, Deserialize)]
pub struct Bundle {
    pub lessons: Vec<LessonInfo>,
    /// (id, scenario text)
    pub sources: Vec<(String, String)>,
    /// (group/name.yaml, text)
    pub files: Vec<(String, String)>,
}

/// English and Spanish.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub en: String,
    pub es: String,
}

impl Words {
    pub fn get(&self, lang: netpol::Lang) -> &str {
        match lang {
            netpol::Lang::En => &self.en,
            netpol::Lang::Es => &self.es,
        }
    }
}

/// A manifest of the lesson: a file (built in: `seed/cluster.yaml`; `#src=`: a path
/// relative to the site) or an inline object's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ManifestRef {
    File(String),
    Inline(String),
}

/// A single-connection row, as the lesson table shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowInfo {
    pub from: String,
    pub to: String,
    /// The port as written (empty for ICMP and portless forms).
    pub port: String,
    pub protocol: String,
    pub command: Option<String>,
    /// The expected outcome key: `allowed`, `denied`, `partial`, `no-backends`, `unknown`.
    pub expected: String,
    /// An exercise goal shown only after "Check".
    pub hidden: bool,
}

/// An expected truth table, as the scenario writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixInfo {
    pub port: String,
    pub protocol: String,
    pub text: String,
    pub rows: usize,
    pub columns: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExerciseInfo {
    pub hints: Vec<Words>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonInfo {
    /// `seed/04-from-podselector-app-utils`, `exercises/01-...`, `src:lessons/x.yaml`.
    pub id: String,
    /// `seed`, `recipes`, `exercises` or `src`.
    pub group: String,
    pub title: Words,
    pub lesson: Option<Words>,
    pub manifests: Vec<ManifestRef>,
    pub rows: Vec<RowInfo>,
    pub matrices: Vec<MatrixInfo>,
    pub exercise: Option<ExerciseInfo>,
}

impl LessonInfo {
    /// `04`: the number a step or exercise starts with (empty when none).
    pub fn number(&self) -> &str {
        let stem = self.id.rsplit('/').next().unwrap_or_default();
        let n = stem.bytes().take_while(u8::is_ascii_digit).count();
        stem.get(..n).unwrap_or_default()
    }
}

/// An expected matrix as the scenario writes it: `.` allowed, `X` denied, `-` not checked.
pub fn matrix_text(m: &netpol::scenario::MatrixExpect) -> String {
    let head = "from\\to";
    let w0 = m
        .rows
        .iter()
        .map(|(s, _)| s.chars().count())
        .chain([head.len()])
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = m.columns.iter().map(|c| c.chars().count()).collect();
    let mut out = format!("{head:<w0$}");
    for c in &m.columns {
        out.push_str("  ");
        out.push_str(c);
    }
    for (src, cells) in &m.rows {
        out.push('\n');
        out.push_str(&format!("{src:<w0$}"));
        for (cell, w) in cells.iter().zip(&widths) {
            let sym = match cell {
                Some(true) => ".",
                Some(false) => "X",
                None => "-",
            };
            out.push_str(&format!("  {sym:<w$}"));
        }
    }
    out
}

fn words(t: &netpol::scenario::Text) -> Words {
    Words {
        en: t.en.clone(),
        es: t.es.clone(),
    }
}

/// The lesson of a parsed scenario. `resolve(path)` names a manifest file the way the
/// page will look it up (built in: `seed/cluster.yaml`; `#src=`: a site path).
pub fn from_scenario(
    id: &str,
    group: &str,
    s: &netpol::scenario::Scenario,
    resolve: &dyn Fn(&str) -> String,
) -> LessonInfo {
    use netpol::scenario::{Expectation, Manifest};
    let rows = s
        .expect
        .iter()
        .filter_map(|e| match e {
            Expectation::Connection(c) => Some(RowInfo {
                from: c.from.clone(),
                to: c.to.clone(),
                port: c.port.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                protocol: c.protocol.as_str().to_string(),
                command: c.command.clone(),
                expected: c.expected_outcome().as_str().to_string(),
                hidden: c.hidden,
            }),
            Expectation::Matrix(_) => None,
        })
        .collect();
    let matrices = s
        .expect
        .iter()
        .filter_map(|e| match e {
            Expectation::Matrix(m) => Some(MatrixInfo {
                port: m.port.to_string(),
                protocol: m.protocol.as_str().to_string(),
                text: matrix_text(m),
                rows: m.rows.len(),
                columns: m.columns.len(),
            }),
            Expectation::Connection(_) => None,
        })
        .collect();
    LessonInfo {
        id: id.to_string(),
        group: group.to_string(),
        title: s.title.as_ref().map(words).unwrap_or_else(|| Words {
            en: s.name.clone(),
            es: s.name.clone(),
        }),
        lesson: s.lesson.as_ref().map(words),
        manifests: s
            .manifests
            .iter()
            .map(|m| match m {
                Manifest::Path(p) => ManifestRef::File(resolve(p)),
                Manifest::Inline(t) => ManifestRef::Inline(t.clone()),
            })
            .collect(),
        rows,
        matrices,
        exercise: s.exercise.as_ref().map(|x| ExerciseInfo {
            hints: x.hints.iter().map(words).collect(),
        }),
    }
}

/// `base` joined with the relative `path`, `..` and `.` resolved; None when the path is
/// absolute or climbs above the root (`base` is a directory, `""` for the root).
pub fn join(base: &str, path: &str) -> Option<String> {
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The editor text of a lesson: a workspace of files (`web/editor/workspace.js`), each
/// after Helm's marker (`---`, then `# Source: NAME`): a manifest file under its own
/// name, or under the names of the markers it already has (the seed's cluster splits
/// into `cluster/utils.yaml`, ...), and an inline object as `<metadata.name>.yaml`. The
/// last file (the step's own policy) is the one the editor opens. Files come from
/// `read`; an unreadable one is left out, reported by the caller.
pub fn compose(manifests: &[ManifestRef], read: &dyn Fn(&str) -> Option<String>) -> String {
    let mut text = String::new();
    let mut taken: Vec<String> = Vec::new();
    for m in manifests {
        let (name, part) = match m {
            ManifestRef::File(p) => match read(p) {
                Some(t) => (p.rsplit('/').next().unwrap_or(p).to_string(), t),
                None => continue,
            },
            ManifestRef::Inline(t) => (format!("{}.yaml", object_name(t)), t.clone()),
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        if !part.starts_with("---\n# Source: ") {
            let name = unique(&name, &taken);
            text.push_str("---\n# Source: ");
            text.push_str(&name);
            text.push('\n');
            taken.push(name);
        }
        text.push_str(&part);
        if !part.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

/// `metadata.name` of an object's YAML (the first `name:` indented under `metadata:`),
/// `manifest` when there is none.
fn object_name(yaml: &str) -> String {
    let mut in_metadata = false;
    for line in yaml.lines() {
        if line.starts_with("metadata:") {
            in_metadata = true;
        } else if in_metadata && !line.starts_with(' ') && !line.trim().is_empty() {
            in_metadata = false;
        } else if in_metadata {
            if let Some(v) = line.trim_start().strip_prefix("name:") {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                if !v.is_empty() && !v.contains(char::is_whitespace) {
                    return v.to_string();
                }
            }
        }
    }
    "manifest".to_string()
}

/// `name` made different from the names `taken` (`a.yaml`, `a-2.yaml`, ...), as the
/// editor does (`unique` in web/editor/workspace.js).
fn unique(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => name.split_at(i),
        _ => (name, ""),
    };
    (2..)
        .map(|n| format!("{stem}-{n}{ext}"))
        .find(|c| !taken.iter().any(|t| t == c))
        .unwrap_or_else(|| name.to_string())
}
