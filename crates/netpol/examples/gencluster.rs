//! Writes a generated cluster to stdout: `cargo run --release -p netpol --example gencluster -- PODS POLICIES NAMESPACES SEED`
//! (`KUBECTL=1` for the `kubectl get -o yaml` form; `ADMIN=N` adds N cluster-scoped
//! policies: AdminNetworkPolicies, a BaselineAdminNetworkPolicy, ClusterNetworkPolicies).
use netpol::gen::GenOptions;

fn main() {
    let defaults = GenOptions {
        pods: 100,
        policies: 20,
        namespaces: 10,
        seed: 1,
    };
    let opts = GenOptions::from_args(std::env::args().skip(1), defaults);
    print!("{}", opts.text(std::env::var_os("KUBECTL").is_some()));
    let admin: usize = std::env::var("ADMIN")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for doc in netpol::gen::admin_policies(&opts, admin) {
        print!("---\n{doc}");
    }
}
