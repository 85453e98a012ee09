//! What one document builds, kept with its reading between versions of an input
//! ([`Loader`]), so that an edit builds again only the documents it changed (issue 17).
//!
//! A document's objects are built alone, into a builder of their own (a [`Fragment`]),
//! and that builder is poured into the input's: the same objects, in the same order,
//! with the same diagnostics, as building the document in place, because building an
//! object reads nothing of the other documents but which (kind, namespace, name)s came
//! before. So a fragment is used only where none of its objects was defined earlier in
//! the input; a redefinition (the earlier object replaced, a warning) is built in place.
//! A fragment kept from an earlier version whose document moved (another document
//! index, other byte offsets, another source) has its positions moved as it is poured.

use super::*;

/// Where a document's objects are built: its source, its index and the delta added to
/// its tree's positions (`yaml::CachedDocument::delta`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub(super) source: usize,
    pub(super) doc: usize,
    pub(super) delta: isize,
}

/// One document's objects, built alone, and where.
pub(crate) struct Fragment {
    built: ClusterBuilder,
    place: Place,
    /// The (kind, namespace, name)s it defines ([`seen_key`]), each with its
    /// [`key_hash`]: the loader finds the names that more than one document defines
    /// from the hashes alone (`Loader::load`).
    keys: Vec<(u64, String)>,
}

impl Fragment {
    /// Builds a document alone.
    pub(super) fn build(items: &[Node], root: Option<&Node>, place: Place) -> Fragment {
        let mut built = ClusterBuilder::default();
        let mut diags = Vec::new();
        built.build(items, root, place, &mut diags);
        built.diags = diags;
        let keys = std::mem::take(&mut built.seen)
            .into_keys()
            .map(|k| (key_hash(&k), k))
            .collect();
        Fragment { built, place, keys }
    }

    /// The hashes of the names it defines.
    pub(super) fn key_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.keys.iter().map(|(h, _)| *h)
    }
}

/// A [`seen_key`]'s hash (std's SipHash with its fixed keys: the same in every run).
pub(super) fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

/// The hashes that occur more than once in `hashes`, sorted: the names (or hash
/// collisions) that more than one document of the input defines.
pub(super) fn shared_hashes(mut hashes: Vec<u64>) -> Vec<u64> {
    crate::sort::ord(&mut hashes);
    let mut shared: Vec<u64> = Vec::new();
    for pair in hashes.windows(2) {
        if let [a, b] = pair {
            if a == b && shared.last() != Some(a) {
                shared.push(*a);
            }
        }
    }
    shared
}

impl ClusterBuilder {
    /// Builds a document's List items, then its root, at `place`, its diagnostics into
    /// `diags`.
    pub(super) fn build(
        &mut self,
        items: &[Node],
        root: Option<&Node>,
        place: Place,
        diags: &mut Vec<Diagnostic>,
    ) {
        let mut cx = Cx {
            source: place.source,
            doc: place.doc,
            diags,
            object: String::new(),
            delta: place.delta,
        };
        for item in items {
            self.object(&mut cx, item, None);
        }
        if let Some(root) = root {
            self.document(&mut cx, root);
        }
    }

    /// Adds a fragment's objects at `place`, its diagnostics to `diags`; false (nothing
    /// added) when one of its objects was defined before: that document is built in
    /// place instead. With `shared` (the [`key_hash`]es of the names more than one
    /// document of the input defines, sorted: [`shared_hashes`]) only those names are
    /// looked up and remembered, as no other can have been defined before or be defined
    /// again; without it, every name.
    pub(super) fn pour(
        &mut self,
        f: &Fragment,
        place: Place,
        diags: &mut Vec<Diagnostic>,
        shared: Option<&[u64]>,
    ) -> bool {
        let b = &f.built;
        let is_shared = |h: &u64| shared.is_none_or(|s| s.binary_search(h).is_ok());
        if f.keys
            .iter()
            .any(|(h, k)| is_shared(h) && self.seen.contains_key(k))
        {
            return false;
        }
        let m = Move {
            place,
            by: place.delta - f.place.delta,
            moved: place != f.place,
        };
        fn add<T: Clone + Moved>(to: &mut Vec<T>, from: &[T], m: &Move) {
            to.extend(from.iter().map(|x| {
                let mut x = x.clone();
                if m.moved {
                    x.moved(m);
                }
                x
            }));
        }
        add(diags, &b.diags, &m);
        add(&mut self.objects, &b.objects, &m);
        add(&mut self.namespaces, &b.namespaces, &m);
        // A run of objects of one namespace adds it once, across documents too.
        let first_new = match (self.referenced.last(), b.referenced.first()) {
            (Some((last, _)), Some((first, _))) if last == first => 1,
            _ => 0,
        };
        add(
            &mut self.referenced,
            b.referenced.get(first_new..).unwrap_or_default(),
            &m,
        );
        add(&mut self.workloads, &b.workloads, &m);
        add(&mut self.services, &b.services, &m);
        add(&mut self.ingresses, &b.ingresses, &m);
        add(&mut self.routes, &b.routes, &m);
        add(&mut self.policies, &b.policies, &m);
        add(&mut self.cluster_policies, &b.cluster_policies, &m);
        add(&mut self.nodes, &b.nodes, &m);
        add(&mut self.calico.tiers, &b.calico.tiers, &m);
        add(&mut self.calico.policies, &b.calico.policies, &m);
        self.calico
            .service_accounts
            .extend(b.calico.service_accounts.iter().cloned());
        for (_, k) in f.keys.iter().filter(|(h, _)| is_shared(h)) {
            self.seen.insert(k.clone(), 0);
        }
        true
    }
}

/// Where a fragment's positions go: another place, its byte offsets moved by `by`.
struct Move {
    place: Place,
    by: isize,
    moved: bool,
}

/// Something built of a document whose positions move with it.
trait Moved {
    fn moved(&mut self, m: &Move);
}

impl Moved for Location {
    fn moved(&mut self, m: &Move) {
        let at = |p: usize| (p as isize + m.by).max(0) as usize;
        self.source = m.place.source;
        self.doc = m.place.doc;
        self.range = at(self.range.start)..at(self.range.end);
    }
}

impl<T: Moved> Moved for Option<T> {
    fn moved(&mut self, m: &Move) {
        if let Some(x) = self {
            x.moved(m);
        }
    }
}

impl<T: Moved> Moved for Vec<T> {
    fn moved(&mut self, m: &Move) {
        for x in self {
            x.moved(m);
        }
    }
}

/// `Moved` for types whose positions are the listed fields.
macro_rules! moved {
    ($($t:ty => $($field:ident),+;)+) => {
        $(impl Moved for $t {
            fn moved(&mut self, m: &Move) {
                $(self.$field.moved(m);)+
            }
        })+
    };
}

moved! {
    Diagnostic => location, related;
    ObjectInfo => location;
    Namespace => location;
    Endpoint => location;
    RawWorkload => endpoint;
    Service => location;
    Ingress => location;
    Route => location;
    Policy => location, ingress, egress;
    Rule => location, peers, ports;
    Peer => location;
    PortRule => location;
    crate::tiers::ClusterPolicy => location, ingress, egress;
    crate::tiers::TierRule => location, peers, ports;
    crate::tiers::TierPeer => location;
    crate::tiers::TierPort => location;
    crate::tiers::NodeInfo => location;
    crate::tiers::calico::CalicoTier => location;
    crate::tiers::calico::CalicoPolicy => location, ingress, egress;
    crate::tiers::calico::CalicoRule => location;
}

impl Moved for (String, Location) {
    fn moved(&mut self, m: &Move) {
        self.1.moved(m);
    }
}
