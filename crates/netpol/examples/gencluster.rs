//! Writes a generated cluster to stdout: `cargo run --release -p netpol --example gencluster -- PODS POLICIES NAMESPACES SEED`.
fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let get = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let opts = netpol::gen::GenOptions {
        pods: get(0, 100),
        policies: get(1, 20),
        namespaces: get(2, 10),
        seed: get(3, 1) as u64,
    };
    if std::env::var_os("KUBECTL").is_some() {
        print!("{}", netpol::gen::kubectl_dump(&opts));
    } else {
        print!("{}", netpol::gen::cluster(&opts).join("---\n"));
    }
}
