//! API-server validation parity: every fixture in `tests/validation/` is one
//! NetworkPolicy (the rules in `tests/validation/RULES.md`), and its `.expected` snapshot
//! holds the diagnostics it gives (`ok` when none; `UPDATE_EXPECT=1` rewrites them).

mod common;

#[test]
fn validation_fixtures() {
    common::check_validation_snapshots("tests/validation", 40, |c| !c.policies.is_empty());
}
