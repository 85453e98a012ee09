//! Reading inputs: files, directories (recursively), stdin, each read at most up to the
//! input limit; and turning byte ranges into file:line:col.
//!
//! Directories are walked without trusting them: a symbolic link loop, a second link to
//! a directory already read, a dangling link (an editor's `.#foo.yaml` lock), a FIFO,
//! socket or device, an unreadable entry: each is a warning naming the path, and every
//! other file still loads. Each real directory and file is read once (by device and
//! inode), in a deterministic order (names sorted byte-wise, depth first).

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use netpol::Limits;
use netpol::{Analysis, Diagnostic, LineIndex, LoadOptions, Severity, Source};

use crate::escape::eprintln_safe;
use crate::Inputs;

/// A location as lines and columns ([`InputSet::region`]).
pub struct Region<'a> {
    pub file: &'a str,
    pub start: (usize, usize),
    /// Exclusive: the position just after the range.
    pub end: (usize, usize),
}

pub struct InputSet {
    pub names: Vec<String>,
    pub texts: Vec<String>,
    /// The input loaded, linted and indexed: what every command asks.
    pub analysis: Analysis,
    /// One line index per text, built once (diagnostics can be many).
    lines: Vec<LineIndex>,
}

/// The CLI's limits: room for a real cluster dump (a 20,000-pod `kubectl get -o yaml`
/// is 100-300 MB, one List document of tens of millions of nodes); the page keeps
/// [`Limits::default`]. Each can be raised by a flag (`LimitArgs`).
pub fn cli_limits() -> Limits {
    Limits {
        max_depth: 64,
        max_nodes: 64_000_000,
        max_total_nodes: 64_000_000,
        max_alias_nodes: 4_000_000,
        max_input_bytes: 1 << 30,
        max_documents: 1_000_000,
        max_diagnostics: 1_000,
    }
}

/// `1 GiB`, `16 MiB`, `900 KiB`, `12 bytes`.
pub fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let tenths = bytes / (unit / 10);
            return if tenths.is_multiple_of(10) {
                format!("{} {name}", tenths / 10)
            } else {
                format!("{}.{} {name}", tenths / 10, tenths % 10)
            };
        }
    }
    format!("{bytes} bytes")
}

/// Identity of a file or directory: (device, inode); elsewhere its canonical path.
type Key = (u64, u64);

#[cfg(unix)]
fn identity(_path: &Path, m: &Metadata) -> Key {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(path: &Path, _m: &Metadata) -> Key {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .hash(&mut h);
    (0, h.finish())
}

/// What a path is, links followed; `None` for a regular file or directory.
fn special_kind(m: &Metadata) -> Option<&'static str> {
    let t = m.file_type();
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Files found under the paths given, and the warnings about what was skipped.
#[derive(Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub warnings: Vec<String>,
    /// Directories and files already taken, by identity.
    seen: HashSet<Key>,
    /// Where each directory or file was first taken (for the warning about a second
    /// visit).
    first_path: std::collections::HashMap<Key, PathBuf>,
}

impl Walk {
    /// Adds `path`: a file named on the command line is taken whatever its name or kind
    /// (a FIFO from `<(kubectl get ...)` too); a directory is walked for files ending
    /// in one of `exts`. A path that does not exist is an error.
    pub fn add(&mut self, path: &Path, exts: &[&str]) -> Result<(), String> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                return Err(if std::fs::symlink_metadata(path).is_ok() {
                    format!(
                        "`{}` is a symbolic link to nothing (dangling): {e}",
                        path.display()
                    )
                } else if e.kind() == std::io::ErrorKind::NotFound {
                    format!("no such file or directory: `{}`", path.display())
                } else {
                    format!("cannot read `{}`: {e}", path.display())
                })
            }
        };
        if !meta.is_dir() {
            // Named explicitly: read it even when it is the same file twice (the user
            // asked), but a regular file reached again through a directory is skipped.
            let id = identity(path, &meta);
            self.seen.insert(id);
            self.first_path
                .entry(id)
                .or_insert_with(|| path.to_path_buf());
            self.files.push(path.to_path_buf());
            return Ok(());
        }
        self.walk(path, meta, exts);
        Ok(())
    }

    fn warn(&mut self, msg: String) {
        self.warnings.push(msg);
    }

    /// Depth first with an explicit stack (no recursion: a deep tree cannot overflow it).
    fn walk(&mut self, root: &Path, meta: Metadata, exts: &[&str]) {
        let id = identity(root, &meta);
        if !self.seen.insert(id) {
            let first = self.first_path.get(&id).cloned().unwrap_or_default();
            self.warn(format!(
                "`{}` is the directory `{}` again: read once",
                root.display(),
                first.display()
            ));
            return;
        }
        self.first_path.insert(id, root.to_path_buf());
        // Directories to read, last first; each entry is a path already checked.
        let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let reader = match std::fs::read_dir(&dir) {
                Ok(r) => r,
                Err(e) => {
                    self.warn(format!(
                        "cannot read directory `{}`: {e}; skipped",
                        dir.display()
                    ));
                    continue;
                }
            };
            let mut entries: Vec<PathBuf> = Vec::new();
            for entry in reader {
                match entry {
                    Ok(e) => entries.push(e.path()),
                    Err(e) => self.warn(format!(
                        "cannot read an entry of directory `{}`: {e}; skipped",
                        dir.display()
                    )),
                }
            }
            netpol::sort::ord(&mut entries);
            let mut subdirs = Vec::new();
            for path in entries {
                let wanted = path
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| exts.contains(&x));
                let link = std::fs::symlink_metadata(&path)
                    .map(|m| m.file_type().is_symlink())
                    .unwrap_or(false);
                let meta = match std::fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        if link {
                            let target = std::fs::read_link(&path)
                                .map(|t| format!(" (to `{}`)", t.display()))
                                .unwrap_or_default();
                            self.warn(format!(
                                "`{}` is a symbolic link to nothing{target}: skipped",
                                path.display()
                            ));
                        } else {
                            self.warn(format!("cannot read `{}`: {e}; skipped", path.display()));
                        }
                        continue;
                    }
                };
                if meta.is_dir() {
                    let id = identity(&path, &meta);
                    if self.seen.contains(&id) {
                        let first = self.first_path.get(&id).cloned().unwrap_or_default();
                        // The link lives inside the directory it leads to: a loop.
                        self.warn(if link && dir.starts_with(&first) {
                            format!(
                                "`{}` is a symbolic link loop (back to `{}`): read once",
                                path.display(),
                                first.display()
                            )
                        } else {
                            format!(
                                "`{}` is the directory `{}` again: read once",
                                path.display(),
                                first.display()
                            )
                        });
                        continue;
                    }
                    self.seen.insert(id);
                    self.first_path.insert(id, path.clone());
                    subdirs.push(path);
                    continue;
                }
                if !wanted {
                    continue;
                }
                if let Some(kind) = special_kind(&meta) {
                    self.warn(format!(
                        "`{}` is {kind}, not a regular file: skipped",
                        path.display()
                    ));
                    continue;
                }
                let id = identity(&path, &meta);
                if !self.seen.insert(id) {
                    // The same file through another link: loading it twice would define
                    // every object twice.
                    let first = self.first_path.get(&id).cloned().unwrap_or_default();
                    self.warn(format!(
                        "`{}` is the file `{}` again: read once",
                        path.display(),
                        first.display()
                    ));
                    continue;
                }
                self.first_path.insert(id, path.clone());
                self.files.push(path);
            }
            stack.extend(subdirs.into_iter().rev());
        }
    }

    /// Prints the warnings on stderr.
    pub fn print_warnings(&self) {
        for w in &self.warnings {
            eprintln_safe!("warning: {w}");
        }
    }
}

/// Why a read failed.
pub enum ReadError {
    /// Over the limit: refused without reading on (the message says so).
    TooLarge(String),
    /// An I/O error (unreadable, a directory, ...).
    Io(String),
}

impl ReadError {
    pub fn message(self) -> String {
        match self {
            ReadError::TooLarge(m) | ReadError::Io(m) => m,
        }
    }
}

fn too_large(name: &str, limit: u64, known: Option<u64>) -> ReadError {
    ReadError::TooLarge(match known {
        Some(len) => format!(
            "the input `{name}` is {}, more than the limit of {} (raise it with --max-input-bytes); it was not read",
            size(len),
            size(limit)
        ),
        None => format!(
            "the input `{name}` is more than the limit of {} (raise it with --max-input-bytes); it was not read to the end",
            size(limit)
        ),
    })
}

/// Reads at most `limit + 1` bytes from `r` into a buffer that never grows past that
/// (no doubling to twice the limit): `/dev/zero` or an endless pipe are refused in
/// bounded time and memory.
fn read_limited(r: &mut impl Read, name: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    const CHUNK: usize = 64 * 1024;
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let want = CHUNK.min(cap - buf.len());
        if want == 0 {
            return Err(too_large(name, limit, None));
        }
        let n = match r.read(chunk.get_mut(..want).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ReadError::Io(format!("cannot read `{name}`: {e}"))),
        };
        if buf.capacity() - buf.len() < n {
            // Grow geometrically, but never past the cap.
            let grow = buf.capacity().max(CHUNK).min(cap - buf.len());
            buf.reserve_exact(grow.max(n));
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    Ok(buf)
}

/// A file's bytes, refused when over `limit`: a regular file by its length (without
/// reading), anything else (a FIFO, a device, `/proc`) by reading at most `limit + 1`.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let name = path.display().to_string();
    let mut f =
        File::open(path).map_err(|e| ReadError::Io(format!("cannot read `{name}`: {e}")))?;
    if let Ok(m) = f.metadata() {
        if m.is_dir() {
            return Err(ReadError::Io(format!("`{name}` is a directory")));
        }
        if m.is_file() && m.len() > limit {
            return Err(too_large(&name, limit, Some(m.len())));
        }
    }
    read_limited(&mut f, &name, limit)
}

/// Stdin's bytes, at most `limit`.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    read_limited(&mut std::io::stdin().lock(), "<stdin>", limit)
}

/// Bytes as text without a copy when they are UTF-8; UTF-16 with its byte order mark
/// (what Windows editors and PowerShell's `>` write) decoded as kubectl does (its reader
/// honours the BOM); lossily otherwise (a paste may hold invalid UTF-8).
pub fn text(bytes: Vec<u8>) -> String {
    let utf16 = |le: bool| {
        let units = bytes
            .get(2..)
            .unwrap_or_default()
            .chunks(2)
            .map(|c| match c {
                [a, b] if le => u16::from_le_bytes([*a, *b]),
                [a, b] => u16::from_be_bytes([*a, *b]),
                _ => 0xFFFD,
            });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    match bytes.get(..2) {
        Some([0xFF, 0xFE]) => return utf16(true),
        Some([0xFE, 0xFF]) => return utf16(false),
        _ => {}
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
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
    let limits = inputs.limits.limits()?;
    // The limit is on the whole input: each source gets what the others left.
    let total = limits.max_input_bytes as u64;
    let mut used = 0u64;
    let mut names = Vec::new();
    let mut texts = Vec::new();
    let mut walk = Walk::default();
    let mut order: Vec<Option<PathBuf>> = Vec::new();
    for f in &inputs.files {
        if f == "-" {
            order.push(None);
            continue;
        }
        let before = walk.files.len();
        walk.add(Path::new(f), &["yaml", "yml", "json"])?;
        order.extend(walk.files.iter().skip(before).cloned().map(Some));
    }
    walk.print_warnings();
    for item in order {
        let left = total.saturating_sub(used);
        let (name, bytes) = match item {
            None => (
                "<stdin>".to_string(),
                read_stdin(left).map_err(too_big_total(total, used))?,
            ),
            Some(p) => {
                let name = p.display().to_string();
                match read_file(&p, left) {
                    Ok(b) => (name, b),
                    Err(ReadError::TooLarge(m)) => {
                        return Err(too_big_total(total, used)(ReadError::TooLarge(m)))
                    }
                    Err(ReadError::Io(m)) if !inputs.files.iter().any(|f| Path::new(f) == p) => {
                        // Found in a directory: warn, load the rest.
                        eprintln_safe!("warning: {m}; skipped");
                        continue;
                    }
                    Err(e) => return Err(e.message()),
                }
            }
        };
        used += bytes.len() as u64;
        let t = text(bytes);
        if let Some(manifests) = scenario_manifests(&name, &t, total.saturating_sub(used))? {
            for (n, m) in manifests {
                used += m.len() as u64;
                names.push(n);
                texts.push(m);
            }
            continue;
        }
        names.push(name);
        texts.push(t);
    }
    let sources: Vec<Source<'_>> = names
        .iter()
        .zip(&texts)
        .map(|(n, t)| Source { name: n, text: t })
        .collect();
    let analysis = Analysis::new(&sources, &LoadOptions { pod_cidr, limits });
    let lines = texts.iter().map(|t| LineIndex::new(t)).collect();
    Ok(InputSet {
        names,
        texts,
        analysis,
        lines,
    })
}

/// A scenario file given where manifests are expected (`netpol diff step-02.yaml
/// step-10.yaml`, a lesson of the course): its manifests, paths read relative to the
/// scenario's directory (within what is `left` of the input limit), inline ones named
/// `FILE#manifests[i]`. `None` for anything that is not a scenario. Only a small file
/// that mentions `expect` is parsed to tell (a cluster dump is never read twice).
fn scenario_manifests(
    name: &str,
    source: &str,
    left: u64,
) -> Result<Option<Vec<(String, String)>>, String> {
    const MAX_SCENARIO: usize = 4 << 20;
    if source.len() > MAX_SCENARIO || !source.contains("expect") {
        return Ok(None);
    }
    let netpol::scenario::Detected::Scenario(Ok(s)) = netpol::scenario::detect(source) else {
        return Ok(None);
    };
    let dir = Path::new(name).parent().unwrap_or(Path::new(""));
    let budget = std::cell::Cell::new(left);
    let read = |p: &str| -> Result<String, String> {
        let bytes = read_file(&dir.join(p), budget.get()).map_err(ReadError::message)?;
        budget.set(budget.get().saturating_sub(bytes.len() as u64));
        Ok(text(bytes))
    };
    let (manifests, errors) = netpol::runner::load_manifests(&s, &read);
    if let Some(e) = errors.first() {
        return Err(format!("`{name}` is a scenario: {e}"));
    }
    eprintln_safe!(
        "note: `{name}` is a scenario: its {} manifest(s) are read",
        manifests.len()
    );
    Ok(Some(
        manifests
            .into_iter()
            .map(|(n, t)| {
                let n = if n.starts_with("manifests[") {
                    format!("{name}#{n}")
                } else {
                    dir.join(n).display().to_string()
                };
                (n, t)
            })
            .collect(),
    ))
}

/// A source over what the other sources left of the limit: say so.
fn too_big_total(total: u64, used: u64) -> impl Fn(ReadError) -> String {
    move |e| {
        let m = e.message();
        if used > 0 {
            format!(
                "{m} (the limit of {} is on the whole input; {} were read before it)",
                size(total),
                size(used)
            )
        } else {
            m
        }
    }
}

impl InputSet {
    /// Input `i`: its text, line index and name.
    fn source(&self, i: usize) -> Option<(&str, &LineIndex, &str)> {
        Some((
            self.texts.get(i)?.as_str(),
            self.lines.get(i)?,
            self.names.get(i)?.as_str(),
        ))
    }

    pub fn position(&self, loc: &netpol::Location) -> String {
        match self.line_col(loc) {
            Some((name, line, col)) => format!("{name}:{line}:{col}"),
            None => "<input>".into(),
        }
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

    /// (file, line, column) of a location, when its source is one of the inputs.
    pub fn line_col(&self, loc: &netpol::Location) -> Option<(&str, usize, usize)> {
        let (text, idx, name) = self.source(loc.source)?;
        let (line, col) = idx.line_col(text, loc.range.start);
        Some((name, line, col))
    }

    /// Where a location is as 1-based (line, column) of its first character and of the
    /// character after it (columns count characters), when its source is one of the
    /// inputs.
    pub fn region(&self, loc: &netpol::Location) -> Option<Region<'_>> {
        let (text, idx, file) = self.source(loc.source)?;
        let start = idx.line_col(text, loc.range.start);
        let end = idx.line_col(text, loc.range.end.max(loc.range.start));
        Some(Region { file, start, end })
    }

    /// Prints diagnostics at or above `min` to stderr.
    pub fn print_diagnostics(&self, min: Severity) {
        for d in self
            .analysis
            .diagnostics()
            .iter()
            .filter(|d| d.severity <= min)
        {
            eprintln_safe!("{}", self.format_diagnostic(d));
        }
    }

    /// Explanations mention policies; add where they are.
    pub fn with_positions(&self, lines: &[String]) -> Vec<String> {
        let mut out = lines.to_vec();
        for p in &self.analysis.cluster().policies {
            let needle = format!("{}/{}", p.namespace, p.name);
            if out.iter().any(|l| l.contains(&needle)) {
                out.push(format!("  {needle}: {}", self.position(&p.location)));
            }
        }
        out
    }
}
