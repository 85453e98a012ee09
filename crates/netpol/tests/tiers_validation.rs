//! CRD validation parity for cluster-scoped policies: every fixture in
//! `tests/tiers/validation/` is one AdminNetworkPolicy, BaselineAdminNetworkPolicy or
//! ClusterNetworkPolicy, with its diagnostics in a `.expected` snapshot (the format of
//! `tests/validation/`).

mod common;

#[test]
fn cluster_policy_validation_fixtures() {
    common::check_validation_snapshots("tests/tiers/validation", 12, |c| {
        !c.cluster_policies.is_empty()
    });
}
