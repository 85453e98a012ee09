//! "Pin as baseline", the worker's side: the pinned text's `netpol::Analysis`, and the
//! connectivity diff from it to the current text at the level of workloads, the same
//! pairs and causes as `netpol diff --by workload` (`netpol::diff::workload_pairs`,
//! `pair_causes`). The Changes tab lists them; the Graph and the Matrix mark what they
//! show that differs (`graph_layout::Since`, `analyzer::matrix`).

use std::cell::RefCell;
use std::rc::Rc;

use netpol::diff::{Cause, Counts, ObjectChange, PairDiff};
use netpol::Lang;

use crate::wire::{ChangeObject, ChangePair, ChangesData, Link};

/// The Changes tab lists at most this many pairs (the counts cover them all).
pub const MAX_PAIRS: usize = 500;

/// The diff of one (baseline, revision): owned, so the views reuse it.
pub struct Diff {
    pub pairs: Vec<PairDiff>,
    /// Per pair, its causes (indexes into `objects`).
    pub causes: Vec<Vec<Cause>>,
    pub objects: Vec<ObjectChange>,
}

type DiffCache = Option<((u64, u64), Rc<Diff>)>;

thread_local! {
    static BASELINE: RefCell<Option<(u64, netpol::Analysis)>> = const { RefCell::new(None) };
    static DIFF: RefCell<DiffCache> = const { RefCell::new(None) };
}

/// The page pinned `text` as baseline `id`.
pub fn set_baseline(id: u64, text: &str) {
    let core = netpol::Analysis::from_text(text);
    BASELINE.with(|b| *b.borrow_mut() = Some((id, core)));
    DIFF.with(|d| *d.borrow_mut() = None);
}

/// Runs `f` on baseline `id`, if this worker has it.
pub fn with_baseline<R>(id: u64, f: impl FnOnce(&netpol::Analysis) -> R) -> Option<R> {
    BASELINE.with(|b| {
        let b = b.borrow();
        let (have, core) = b.as_ref()?;
        (*have == id).then(|| f(core))
    })
}

/// The diff from baseline `id` to `current` (of `revision`), computed once per pair of
/// versions.
pub fn diff(id: u64, revision: u64, current: &netpol::Analysis) -> Option<Rc<Diff>> {
    if let Some(hit) = DIFF.with(|d| {
        d.borrow()
            .as_ref()
            .filter(|(k, _)| *k == (id, revision))
            .map(|(_, d)| d.clone())
    }) {
        return Some(hit);
    }
    let d = Rc::new(with_baseline(id, |before| compute(before, current))?);
    DIFF.with(|c| *c.borrow_mut() = Some(((id, revision), d.clone())));
    Some(d)
}

fn compute(before: &netpol::Analysis, after: &netpol::Analysis) -> Diff {
    let (eb, ea) = (before.engine(), after.engine());
    let causes = netpol::diff::Causes::new(eb, ea);
    let view_b = netpol::WorkloadView::cut_also_by(eb, &[], &[after.cluster()]);
    let view_a = netpol::WorkloadView::cut_also_by(ea, &[], &[before.cluster()]);
    let pairs = netpol::diff::workload_pairs(&view_b, &view_a, &causes);
    let (cb, ca) = (
        netpol::diff::WorkloadConnectivity::new(&view_b),
        netpol::diff::WorkloadConnectivity::new(&view_a),
    );
    let pair_causes = pairs
        .iter()
        .map(|p| netpol::diff::pair_causes(&causes, [&cb, &ca], p))
        .collect();
    Diff {
        pairs,
        causes: pair_causes,
        objects: causes.changes.clone(),
    }
}

/// Indexes by label (`ns/name[Kind]`, as the diff names its pairs): how a view finds
/// the groups, rows or columns of a pair of the diff.
pub struct ByLabel(Vec<(String, usize)>);

impl ByLabel {
    pub fn new(entries: impl Iterator<Item = (String, usize)>) -> ByLabel {
        let mut v: Vec<(String, usize)> = entries.collect();
        netpol::sort::ord(&mut v);
        ByLabel(v)
    }

    /// The index of `label` (the first, if several share it).
    pub fn get(&self, label: &str) -> Option<usize> {
        let k = self.0.partition_point(|(l, _)| l.as_str() < label);
        self.0.get(k).filter(|(l, _)| l == label).map(|&(_, i)| i)
    }
}

/// The Changes tab's data: the counts, the objects that differ (linked to the current
/// text through `link`, which makes editor positions of byte ranges), the pairs.
pub fn data(d: &Diff, lang: Lang, link: &dyn Fn(&std::ops::Range<usize>) -> Link) -> ChangesData {
    let mut counts = Counts::default();
    d.pairs.iter().for_each(|p| counts.add(p.change));
    let objects = d
        .objects
        .iter()
        .map(|c| {
            let rules: Vec<&netpol::diff::RuleChange> = c.rules.iter().collect();
            ChangeObject {
                text: netpol::words::diff::object(c, &rules, lang),
                title: format!("{} `{}`", c.kind, c.name),
                change: c.change.as_str().into(),
                policy: c.policy,
                link: c.location[1].as_ref().map(|l| link(&l.range)),
            }
        })
        .collect();
    let pairs = d
        .pairs
        .iter()
        .zip(&d.causes)
        .take(MAX_PAIRS)
        .map(|(p, causes)| ChangePair {
            from: p.from.clone(),
            to: p.to.clone(),
            change: p.change.as_str().into(),
            before: crate::i18n::connections(&p.before, lang),
            after: crate::i18n::connections(&p.after, lang),
            causes: causes
                .iter()
                .map(|c| (c.object, c.egress, c.ingress))
                .collect(),
        })
        .collect();
    ChangesData {
        summary: netpol::words::diff::counts(&counts, lang),
        added: counts.added,
        removed: counts.removed,
        changed: counts.changed,
        objects,
        pairs,
        more: d.pairs.len().saturating_sub(MAX_PAIRS),
        error: None,
    }
}
