//! What several commands share: `--fix` output, `--ip` addresses, rolling-update notes,
//! `--focus` by pod, the Service layer's options.

use super::*;

/// `--fix`: each suggested NetworkPolicy as a YAML document headed by a comment, and
/// nothing else, so `--fix >> fix.yaml` always appends valid YAML (the decision went to
/// stderr). Nothing to suggest: a note on stderr, no output.
pub(super) fn print_fixes(
    out: &mut impl Write,
    fixes: &[netpol::fix::Fix],
    lang: Lang,
    verdict_allowed: bool,
) -> Result<(), String> {
    if fixes.is_empty() {
        eprintln_safe!(
            "{}",
            if verdict_allowed {
                "nothing to fix: the connection is allowed"
            } else {
                "nothing to suggest: NetworkPolicy does not deny this connection (see the decision above)"
            }
        );
    }
    for f in fixes {
        // One comment line, whatever the title holds.
        let what = netpol::explain::fix_title(f, lang).replace(['\r', '\n'], " ");
        writeln!(out, "\n# {what}\n---\n{}", f.yaml).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Matrix and connlist `--ip`s: addresses outside the cluster, once each. An address
/// that belongs to a pod is that pod (as in `query`): it already has its row and column,
/// so it is reported and not added again; a Service's address is an error (traffic to
/// it is translated: ask `query --to svc:...`).
pub(super) fn outside_addresses(
    cluster: &netpol::Cluster,
    ips: &[IpAddr],
) -> Result<Vec<IpAddr>, String> {
    let mut out: Vec<IpAddr> = Vec::new();
    for ip in ips {
        if let Some(i) = cluster.endpoint_by_ip(ip) {
            eprintln_safe!(
                "note: `{ip}` is the address of `{}`: its row and column are that endpoint's",
                cluster
                    .endpoints
                    .get(i)
                    .map(|e| e.full_name())
                    .unwrap_or_default()
            );
        } else if netpol::services::is_extended(cluster, &ip.to_string()) {
            return Err(format!(
                "`{ip}` is the address of a Service, not of a pod or of something outside the cluster; \
                 ask `netpol query --to {ip}` for the connection through the Service"
            ));
        } else if out.contains(ip) {
            eprintln_safe!("note: `--ip {ip}` is given twice: one row and column");
        } else {
            out.push(*ip);
        }
    }
    Ok(out)
}

/// On stderr, for each workload whose pods differ in what the policies see (among
/// `only`, when given): which pods are alike.
pub(super) fn split_notes(view: &netpol::WorkloadView<'_>, only: Option<&[usize]>, lang: Lang) {
    for g in 0..view.groups.len() {
        if only.is_some_and(|o| !o.contains(&g)) {
            continue;
        }
        if let Some(note) = view.split_note(g, lang) {
            let by_pod = crate::words::by_pod(lang);
            eprintln_safe!("note: {note} ({by_pod})");
        }
    }
}

/// `connlist --by pod --focus`: the endpoints (then `--ip`s) to keep pairs of: the pod
/// named, else the endpoints of the workloads named (and the `--ip`s in a range named).
pub(super) fn pod_focus(
    view: &netpol::WorkloadView<'_>,
    ips: &[IpAddr],
    text: &str,
    groups: &[usize],
) -> Vec<bool> {
    let c = &view.engine().cluster;
    let n = c.endpoints.len();
    let mut marks = vec![false; n + ips.len()];
    let mut mark = |i: usize| {
        if let Some(m) = marks.get_mut(i) {
            *m = true;
        }
    };
    if let Some(i) = c.endpoint_index(text) {
        mark(i);
        return marks;
    }
    for group in groups.iter().filter_map(|&g| view.groups.get(g)) {
        group.endpoints.iter().for_each(|&i| mark(i));
        if let Some(r) = group.range {
            for (k, ip) in ips.iter().enumerate() {
                if r.contains(ip) {
                    mark(n + k);
                }
            }
        }
    }
    marks
}

/// `--node-cidr`, `--ingress-controller` and `--host` as the Service layer's options.
pub(super) fn service_options(
    node_cidr: &str,
    ingress_controller: Vec<String>,
    hosts: &[String],
) -> Result<netpol::services::Options, String> {
    let mut opts = netpol::services::Options {
        node_cidr: node_cidr.parse().map_err(|_| {
            format!("invalid `--node-cidr` `{node_cidr}`: expected a CIDR such as 192.168.0.0/24")
        })?,
        ingress_controller,
        ..Default::default()
    };
    for h in hosts {
        opts.add_host(h)?;
    }
    Ok(opts)
}

pub(super) fn io(e: std::io::Error) -> String {
    e.to_string()
}
