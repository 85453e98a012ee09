//! Arbitrary bytes, read lossily as `netpol test` reads files, through the scenario
//! detector and parser, then (when it is a valid scenario) the runner with no files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netpol::scenario::{self, Detected};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let detected = scenario::detect(&text);
    let parsed = scenario::parse(&text);
    // No false "not a scenario": whatever the parser accepts, the detector finds (a
    // scenario skipped as a manifest is a green run that checked nothing).
    if parsed.is_ok() {
        assert!(matches!(detected, Detected::Scenario(Ok(_))), "{text:?}");
    }
    // Diagnostics lie inside the text on character boundaries (file:line:col).
    let diags = match &detected {
        Detected::Scenario(Err(d)) => d.as_slice(),
        _ => &[],
    };
    for d in diags.iter().chain(parsed.as_ref().err().into_iter().flatten()) {
        let r = &d.location.range;
        assert!(r.start <= r.end && r.end <= text.len(), "{d:?}");
        assert!(
            text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
            "{d:?}"
        );
    }
    if let Detected::Scenario(Ok(s)) = detected {
        let _ = scenario::run(&s, &|p: &str| Err(format!("no file `{p}` here")));
    }
});
