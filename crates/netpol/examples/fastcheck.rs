//! Which documents of a file the fast YAML reader reads: `cargo run -p netpol --example fastcheck -- FILE...`
//! (`NETPOL_FAST_DEBUG=1` says where it gives up, in debug builds).
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (docs, errors) = netpol::yaml::parse_with_reader(&text, netpol::yaml::Reader::Fast);
        let gave_up = errors
            .iter()
            .filter(|e| e.message == "fast reader gave up")
            .count();
        println!(
            "{path}: {} documents, fast reader gave up on {gave_up}",
            docs.len()
        );
    }
}
