//! CRD validation parity for cluster-scoped policies: every fixture in
//! `tests/tiers/validation/` is one AdminNetworkPolicy, BaselineAdminNetworkPolicy or
//! ClusterNetworkPolicy with its expected diagnostics in `# expect:` header lines (the
//! format of `tests/validation/`).

mod common;

#[test]
fn cluster_policy_validation_fixtures() {
    common::run_fixtures("tests/tiers/validation", 12, |c| {
        !c.cluster_policies.is_empty()
    });
}
