//! Arbitrary bytes, read lossily as the CLI reads files, through loading and linting.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = netpol::load(&text);
    // Every diagnostic's range must lie inside the text on character boundaries, or the
    // CLI's file:line:col and the page's selections would panic.
    for d in &loaded.diagnostics {
        let r = &d.location.range;
        assert!(r.start <= r.end && r.end <= text.len(), "{d:?}");
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{d:?}"
        );
    }
    let _ = netpol::lint::lint(&loaded.cluster);
});
