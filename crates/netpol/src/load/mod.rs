//! Loading: text -> documents -> Kubernetes objects -> [`Cluster`], plus diagnostics.
//!
//! Loading never fails outright. Each problem becomes a [`Diagnostic`] that points at the
//! document and byte range it is about, and the rest of the input still loads.
//! NetworkPolicies are validated as strictly as the API server does; an invalid one is
//! reported and left out of every verdict, as the API server would refuse it. Everything
//! else is read leniently, because people paste `kubectl get -o yaml` output full of
//! server-side fields.

use std::collections::HashMap;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::diag::{did_you_mean, Diagnostic, Location, Severity};
use crate::model::*;
use crate::names;
use crate::yaml::{self, Limits, Node, NodeKind, Scalar};

pub(crate) mod calico;
pub(crate) mod cluster_policy;
mod networkpolicy;
mod reader;
pub mod schema;
mod services;
mod workloads;

use networkpolicy::*;
use reader::*;
pub(crate) use reader::{join, parse_cidr, Cx, PolicyReader};
use services::*;
use workloads::*;

mod builder;
mod fragment;

use builder::*;
use fragment::{Fragment, Place};

/// One input text (a file, stdin, the editor).
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Addresses are assigned from here to pods that have none.
    pub pod_cidr: IpNet,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            pod_cidr: "10.244.0.0/16"
                .parse()
                .unwrap_or_else(|_| IpNet::V4(Default::default())),
            limits: Limits::default(),
        }
    }
}

/// An object found in the input (whatever its kind), for outlines and navigation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ObjectInfo {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub location: Location,
}

#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub cluster: Cluster,
    pub diagnostics: Vec<Diagnostic>,
    pub objects: Vec<ObjectInfo>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads one text with default options.
pub fn load(text: &str) -> Loaded {
    load_sources(
        &[Source {
            name: "input",
            text,
        }],
        &LoadOptions::default(),
    )
}

/// Loads several texts as one cluster.
///
/// Each text is read document by document, and the objects of a large List (a
/// `kubectl get -o yaml` dump) one at a time as they are read, so the whole input never
/// exists as one tree; what the loader does not read of pods and workloads is not built.
pub fn load_sources(sources: &[Source<'_>], opts: &LoadOptions) -> Loaded {
    // The page's wasm carries one way of loading, its worker's (`Loader`, documents kept
    // between edits): the same result (`tests/yaml_readers.rs`), and the page's texts
    // (at most 16 MiB) are small enough for their trees to be built whole.
    #[cfg(target_arch = "wasm32")]
    return Loader {
        cache: Default::default(),
        once: true,
    }
    .load(sources, opts);
    #[cfg(not(target_arch = "wasm32"))]
    match load_reading(sources, opts, true, yaml::Reader::Auto) {
        Ok(loaded) => loaded,
        // A List that turned out not to load as a whole after some of its items were:
        // again, each document whole.
        Err(yaml::Unstream) => {
            load_reading(sources, opts, false, yaml::Reader::Auto).unwrap_or_default()
        }
    }
}

/// [`load_sources`] the plain way: libyaml only, every document built whole, nothing
/// pruned or streamed. What the fast path must equal (`tests/yaml_readers.rs`).
#[cfg(feature = "internals")]
pub fn load_sources_reference(sources: &[Source<'_>], opts: &LoadOptions) -> Loaded {
    load_reading(sources, opts, false, yaml::Reader::Libyaml).unwrap_or_default()
}

#[cfg_attr(
    any(
        target_arch = "wasm32",
        not(any(feature = "fast-reader", feature = "internals"))
    ),
    allow(
        dead_code,
        reason = "the fast path and the reference loading call it; the page loads through `Loader`"
    )
)]
fn load_reading(
    sources: &[Source<'_>],
    opts: &LoadOptions,
    stream: bool,
    reader: yaml::Reader,
) -> Result<Loaded, yaml::Unstream> {
    let mut b = ClusterBuilder::default();
    let mut diags = Vec::new();
    let limits = &opts.limits;
    let mut budget = yaml::Budget::new(limits);
    let mut total_bytes = 0usize;
    for (si, source) in sources.iter().enumerate() {
        // Refused before any work: a source that brings the input past the size limit.
        total_bytes = total_bytes.saturating_add(source.text.len());
        if let Some(d) = too_large(si, source, total_bytes, limits) {
            diags.push(d);
            continue;
        }
        // The syntax errors of a source come first, then each document's notes and
        // objects (the order of the diagnostics does not depend on streaming).
        let mut errors = Vec::new();
        let mut rest = Vec::new();
        // Diagnostics of the items streamed from the current document.
        let mut items: Vec<Diagnostic> = Vec::new();
        // The object named by the diagnostics of a document carries over from one object
        // to the next (as one context reads all of them).
        let mut object = String::new();
        let mut stopped = Stopped::default();
        let mut sink = |piece: yaml::Piece| match piece {
            yaml::Piece::Error(e) => errors.push(stopped.error(Diagnostic::new(
                Severity::Error,
                if e.limit {
                    "input-limit"
                } else {
                    "yaml-syntax"
                },
                e.message,
                Location {
                    source: si,
                    doc: e.doc,
                    range: e.span,
                },
            ))),
            yaml::Piece::Item { doc, .. } if stopped.skips(doc) => {}
            yaml::Piece::Item { doc, node } => {
                let mut cx = Cx {
                    source: si,
                    doc,
                    diags: &mut items,
                    object: std::mem::take(&mut object),
                    delta: 0,
                };
                b.object(&mut cx, &node, None);
                object = cx.object;
            }
            yaml::Piece::Document(doc) if stopped.skips(doc.index) => {
                stopped.skip(source.text, (si, doc.index), &doc.span, doc.root.is_some());
            }
            yaml::Piece::Document(doc) => {
                // What the YAML layer noticed about the text (duplicate keys, kubectl's
                // view), then the objects.
                rest.extend(doc.notes.iter().map(|n| n.diagnostic(si, doc.index)));
                rest.append(&mut items);
                let carried = std::mem::take(&mut object);
                if let Some(root) = &doc.root {
                    let mut cx = Cx {
                        source: si,
                        doc: doc.index,
                        diags: &mut rest,
                        object: carried,
                        delta: 0,
                    };
                    b.document(&mut cx, root);
                }
            }
        };
        // Without streaming no document is handed out early, so reading never asks to
        // start over.
        yaml::read_with(source.text, limits, &mut budget, stream, reader, &mut sink)?;
        diags.extend(errors);
        diags.extend(rest);
        diags.extend(stopped.diagnostic());
    }
    b.diags = diags;
    let mut loaded = b.finish(opts);
    cap_diagnostics(&mut loaded.diagnostics, limits.max_diagnostics);
    Ok(loaded)
}

/// kubectl reads a file as a stream and stops at the first document it cannot turn into
/// JSON (apimachinery `StreamVisitor`: "error parsing FILE: ..."): it applies the objects
/// before it and none after it. So the documents after a file's first YAML error are not
/// loaded either; one warning at the first of them says so. (Errors of the input limits
/// are not kubectl's and do not stop it.)
#[derive(Default)]
struct Stopped {
    /// The first document of the source with a YAML error.
    at: Option<usize>,
    /// The last document with an error (it counts as content).
    erred: Option<usize>,
    /// The documents left out after it that had content, and where the first is.
    skipped: usize,
    first: Option<Location>,
}

impl Stopped {
    fn error(&mut self, d: Diagnostic) -> Diagnostic {
        if d.code == "yaml-syntax" {
            self.at = self.at.or(Some(d.location.doc));
            self.erred = Some(d.location.doc);
        }
        d
    }

    fn skips(&self, doc: usize) -> bool {
        self.at.is_some_and(|at| doc > at)
    }

    fn skip(
        &mut self,
        text: &str,
        (source, doc): (usize, usize),
        span: &std::ops::Range<usize>,
        content: bool,
    ) {
        if !content && self.erred != Some(doc) {
            return;
        }
        self.skipped += 1;
        let len = text
            .get(span.start..)
            .and_then(|t| t.chars().next())
            .map_or(0, char::len_utf8);
        self.first.get_or_insert(Location {
            source,
            doc,
            range: span.start..span.start + len,
        });
    }

    fn diagnostic(self) -> Option<Diagnostic> {
        let first = self.first?;
        let mut d = Diagnostic::new(
            Severity::Warning,
            "kubectl-stops",
            match self.skipped {
                1 => "kubectl stops reading this file at the YAML error above (\"error parsing ...\"), so it does not apply this document; it is left out here too".to_string(),
                n => format!(
                    "kubectl stops reading this file at the YAML error above (\"error parsing ...\"), so it applies neither this document nor the {} after it; they are left out here too",
                    n - 1
                ),
            },
            first,
        );
        d.help = Some("fix the error above: the documents after it then load".into());
        Some(d)
    }
}

/// The error for a source that brings the input past [`Limits::max_input_bytes`].
fn too_large(
    si: usize,
    source: &Source<'_>,
    total_bytes: usize,
    limits: &Limits,
) -> Option<Diagnostic> {
    if total_bytes <= limits.max_input_bytes {
        return None;
    }
    let size = yaml::human_size(source.text.len());
    let limit = yaml::human_size(limits.max_input_bytes);
    let message = if total_bytes == source.text.len() {
        format!("the input is {size}, more than the limit of {limit}; it was not loaded")
    } else {
        format!("this input ({size}) brings the total past the limit of {limit}; it was not loaded")
    };
    let first = source.text.chars().next().map_or(0, char::len_utf8);
    let mut d = Diagnostic::new(
        Severity::Error,
        "input-too-large",
        message,
        Location {
            source: si,
            doc: 0,
            range: 0..first,
        },
    );
    d.help = Some("load fewer objects, e.g. one namespace at a time".into());
    Some(d)
}

/// Loads version after version of an input, keeping what reading made of each document
/// between them ([`yaml::ReadCache`]) and the objects it built (`fragment.rs`): a new
/// version reads and builds again only the documents whose text changed (a document that
/// moved is used as it was, its positions moved), then does the work across documents
/// (ownership, addresses, the assumed namespaces). What [`load_sources`] gives, cluster,
/// objects and diagnostics alike (`tests/yaml_readers.rs`).
#[derive(Default)]
pub struct Loader {
    cache: yaml::ReadCache<Option<Box<Fragment>>>,
    /// Loads one version only (the page's `load_sources`): nothing is kept of what the
    /// documents built, each is built in place.
    once: bool,
}

impl Loader {
    pub fn new() -> Self {
        Loader::default()
    }

    /// How many documents the last [`Loader::load`] read (the others it had kept).
    pub fn last_read(&self) -> usize {
        self.cache.last_read()
    }

    /// [`load_sources`], using and refreshing what the last loads kept.
    pub fn load(&mut self, sources: &[Source<'_>], opts: &LoadOptions) -> Loaded {
        let mut b = ClusterBuilder::default();
        let mut diags = Vec::new();
        let limits = &opts.limits;
        let mut budget = yaml::Budget::new(limits);
        let mut total_bytes = 0usize;
        let once = self.once;
        for (si, source) in sources.iter().enumerate() {
            total_bytes = total_bytes.saturating_add(source.text.len());
            if let Some(d) = too_large(si, source, total_bytes, limits) {
                diags.push(d);
                continue;
            }
            let mut errors = Vec::new();
            let mut rest = Vec::new();
            let mut stopped = Stopped::default();
            // A first look at every document (one source: the names of the others are
            // not known before they are read) builds what it has not built yet and
            // finds the names that more than one document defines: only those need
            // the redefinition check as the documents are poured.
            let mut look = Look::default();
            let first = !once && sources.len() == 1;
            yaml::read_cached_twice(
                source.text,
                limits,
                &mut budget,
                &mut self.cache,
                first,
                &mut |piece, last| match piece {
                    piece if !last => look.piece(piece, si),
                    yaml::CachedPiece::Error(e) => errors.push(stopped.error(Diagnostic::new(
                        Severity::Error,
                        if e.limit {
                            "input-limit"
                        } else {
                            "yaml-syntax"
                        },
                        e.message,
                        Location {
                            source: si,
                            doc: e.doc,
                            range: e.span,
                        },
                    ))),
                    yaml::CachedPiece::Document(doc) if stopped.skips(doc.index) => {
                        stopped.skip(
                            source.text,
                            (si, doc.index),
                            &doc.span,
                            doc.root.is_some() || !doc.items.is_empty(),
                        );
                    }
                    yaml::CachedPiece::Document(doc) => {
                        rest.extend(doc.notes.iter().map(|n| n.diagnostic(si, doc.index)));
                        let place = Place {
                            source: si,
                            doc: doc.index,
                            delta: doc.delta,
                        };
                        // What the document built when it was read, or built now and
                        // kept with its reading.
                        if let Some(slot) = doc.extra.filter(|_| !once) {
                            let f = slot.get_or_insert_with(|| {
                                Box::new(Fragment::build(doc.items, doc.root, place))
                            });
                            if b.pour(f, place, &mut rest, look.shared(first)) {
                                return;
                            }
                        }
                        b.build(doc.items, doc.root, place, &mut rest);
                    }
                },
            );
            diags.extend(errors);
            diags.extend(rest);
            diags.extend(stopped.diagnostic());
        }
        b.diags = diags;
        let mut loaded = b.finish(opts);
        cap_diagnostics(&mut loaded.diagnostics, limits.max_diagnostics);
        loaded
    }
}

/// What the loader's first look at a source's documents found: the hashes of the names
/// each defines (a document without a kept reading, its names unknown, makes every name
/// count as shared), then the shared ones.
#[derive(Default)]
struct Look {
    hashes: Vec<u64>,
    unknown: bool,
    /// The first document of the source with a YAML error: those after it are left out
    /// (`Stopped`), their names do not count.
    stop: Option<usize>,
    shared: Option<Vec<u64>>,
}

impl Look {
    fn piece(&mut self, piece: yaml::CachedPiece<'_, Option<Box<Fragment>>>, source: usize) {
        match piece {
            yaml::CachedPiece::Error(e) => {
                if !e.limit {
                    self.stop = self.stop.or(Some(e.doc));
                }
            }
            yaml::CachedPiece::Document(doc) if self.stop.is_some_and(|at| doc.index > at) => {}
            yaml::CachedPiece::Document(doc) => match doc.extra {
                Some(slot) => {
                    let place = Place {
                        source,
                        doc: doc.index,
                        delta: doc.delta,
                    };
                    let f = slot.get_or_insert_with(|| {
                        Box::new(Fragment::build(doc.items, doc.root, place))
                    });
                    self.hashes.extend(f.key_hashes());
                }
                None => self.unknown |= doc.root.is_some() || !doc.items.is_empty(),
            },
        }
    }

    /// The shared names' hashes, once the first look is over; None (every name checked)
    /// without a first look or where some document's names are unknown.
    fn shared(&mut self, looked: bool) -> Option<&[u64]> {
        if !looked || self.unknown {
            return None;
        }
        if self.shared.is_none() {
            self.shared = Some(fragment::shared_hashes(std::mem::take(&mut self.hashes)));
        }
        self.shared.as_deref()
    }
}

/// Keeps `max` diagnostics and sums up the rest in one, as severe as the worst of them: a
/// page or terminal listing hundreds of thousands of messages helps nobody. Kept first:
/// the limits hit (they explain what is missing), then errors, warnings, infos; the kept
/// ones stay in their order.
fn cap_diagnostics(diags: &mut Vec<Diagnostic>, max: usize) {
    if diags.len() <= max {
        return;
    }
    let rank = |d: &Diagnostic| match (d.code, d.severity) {
        ("input-too-large" | "input-limit", _) => 0u8,
        (_, Severity::Error) => 1,
        (_, Severity::Warning) => 2,
        (_, Severity::Info) => 3,
    };
    // (rank, position): sorted, the first `max` are kept.
    let mut order: Vec<(u8, usize)> = diags.iter().map(rank).zip(0..).collect();
    crate::sort::ord(&mut order);
    let mut keep = vec![false; diags.len()];
    for &(_, i) in order.iter().take(max) {
        if let Some(k) = keep.get_mut(i) {
            *k = true;
        }
    }
    let (mut kept, mut rest) = (Vec::new(), Vec::new());
    for (d, k) in std::mem::take(diags).into_iter().zip(keep) {
        if k {
            kept.push(d);
        } else {
            rest.push(d);
        }
    }
    *diags = kept;
    let severity = rest
        .iter()
        .map(|d| d.severity)
        .max_by_key(|s| match s {
            Severity::Error => 2,
            Severity::Warning => 1,
            _ => 0,
        })
        .unwrap_or(Severity::Info);
    let errors = rest
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut d = Diagnostic::new(
        severity,
        "too-many-diagnostics",
        format!(
            "{} more diagnostics ({errors} of them errors) are not shown (the limit is {max})",
            rest.len()
        ),
        rest.first().map(|d| d.location.clone()).unwrap_or_default(),
    );
    d.help = Some("fix the problems above first".into());
    diags.push(d);
}
