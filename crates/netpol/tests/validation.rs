//! API-server validation parity: every fixture in `tests/validation/` is one
//! NetworkPolicy with its expected diagnostics in `# expect:` header lines
//! (`# expect: ok`, or `# expect: error|warning <field path>: <message>`).

mod common;

#[test]
fn validation_fixtures() {
    common::run_fixtures("tests/validation", 40, |c| !c.policies.is_empty());
}
