//! Writes a realistic cluster dump (`netpol::gen::dump`) to stdout, as
//! `kubectl get namespaces,deployments,replicasets,pods,services,networkpolicies -A -o yaml`
//! prints it: `cargo run --release -p netpol --example dump -- PODS [yaml|json]`
//! (10% as many policies as pods, 100 pods per namespace; `POLICIES=N`, `NAMESPACES=N`,
//! `SEED=N` override; `MANAGED_FIELDS=0` leaves managedFields out, as kubectl does by
//! default since 1.21; `WORKLOADS=0` leaves out Deployments, ReplicaSets and Services:
//! `kubectl get namespaces,pods,networkpolicies -A`).
use std::io::Write;

use netpol::gen::dump::{dump_to, DumpOptions, Format};

fn main() {
    let mut args = std::env::args().skip(1);
    let pods = args.next().and_then(|a| a.parse().ok()).unwrap_or(5000);
    let format = args
        .next()
        .and_then(|f| Format::parse(&f))
        .unwrap_or(Format::Yaml);
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<usize>().ok());
    let mut opts = DumpOptions::sized(pods);
    if let Some(n) = env("POLICIES") {
        opts.policies = n;
    }
    if let Some(n) = env("NAMESPACES") {
        opts.namespaces = n;
    }
    if let Some(n) = env("SEED") {
        opts.seed = n as u64;
    }
    opts.managed_fields = env("MANAGED_FIELDS") != Some(0);
    opts.workloads = env("WORKLOADS") != Some(0);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = dump_to(&opts, format, &mut out).and_then(|()| out.flush());
}
