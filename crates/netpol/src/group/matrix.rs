//! The truth table for one port between workloads: the pod matrix (the engine's bitset
//! fast path), read at each variant's representative and folded per group.

use std::net::IpAddr;

use serde::Serialize;

use super::WorkloadView;
use crate::eval::{Cell, PortQuery};
use crate::model::QueryProtocol;

/// One cell between two workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadCell {
    /// Every pod of the source may reach every pod of the destination.
    Allowed,
    Denied,
    /// Some pairs of pods may, others may not (the pods of a workload differ).
    Partial,
    /// Could not be evaluated for any allowed pair (the port does not resolve).
    Unknown,
}

impl WorkloadCell {
    /// Folds the cells of every pair of variants.
    fn fold(cells: impl IntoIterator<Item = Cell>) -> WorkloadCell {
        let (mut yes, mut no, mut unknown) = (false, false, false);
        for c in cells {
            match c {
                Some(true) => yes = true,
                Some(false) => no = true,
                None => unknown = true,
            }
        }
        match (yes, no || unknown) {
            (true, false) => WorkloadCell::Allowed,
            (true, true) => WorkloadCell::Partial,
            (false, _) if unknown => WorkloadCell::Unknown,
            (false, _) => WorkloadCell::Denied,
        }
    }
}

/// The workloads (every group but the address ranges and the assumed ingress
/// controller), then each extra address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkloadMatrix {
    pub port: PortQuery,
    pub protocol: QueryProtocol,
    /// [`super::Group::label`]s, then the addresses.
    pub names: Vec<String>,
    /// For each name: the group it is (None for an address).
    pub groups: Vec<Option<usize>>,
    /// `cells[from][to]`.
    pub cells: Vec<Vec<WorkloadCell>>,
}

impl WorkloadView<'_> {
    /// The one-port truth table between workloads and the `extra` addresses (outside
    /// the cluster). The diagonal is a workload to itself: its variants to each other,
    /// and a pod to itself (allowed where the port resolves).
    pub fn matrix(
        &self,
        protocol: QueryProtocol,
        port: &PortQuery,
        extra: &[IpAddr],
    ) -> WorkloadMatrix {
        let m = self.engine.matrix(protocol, port, extra);
        let n = self.engine.cluster.endpoints.len();
        // Per row/column: the indexes into the pod matrix that stand for it.
        let mut names = Vec::new();
        let mut groups = Vec::new();
        let mut reps: Vec<Vec<usize>> = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            // The assumed ingress controller is no pod the matrix can ask about.
            if group.is_external() || group.is_assumed() {
                continue;
            }
            names.push(group.label());
            groups.push(Some(g));
            reps.push(
                group
                    .variants
                    .iter()
                    .filter_map(|v| v.first().copied())
                    .collect(),
            );
        }
        for (k, ip) in extra.iter().enumerate() {
            names.push(ip.to_string());
            groups.push(None);
            reps.push(vec![n + k]);
        }
        let at = |i: usize, j: usize| -> Cell {
            m.allowed.get(i).and_then(|r| r.get(j)).copied().flatten()
        };
        let cells = reps
            .iter()
            .map(|from| {
                reps.iter()
                    .map(|to| {
                        WorkloadCell::fold(
                            from.iter().flat_map(|&i| to.iter().map(move |&j| at(i, j))),
                        )
                    })
                    .collect()
            })
            .collect();
        WorkloadMatrix {
            port: port.clone(),
            protocol,
            names,
            groups,
            cells,
        }
    }
}
