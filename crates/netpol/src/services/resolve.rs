//! Endpoint names of the routed forms: prefixes, Service addresses and DNS names,
//! mapped hostnames.

use super::*;

/// Does `text` need this module (a prefix, a hostname, a Service address), or is it a
/// plain endpoint of the base format (then [`Engine::resolve`] answers alone)?
pub fn is_extended(cluster: &Cluster, text: &str) -> bool {
    let t = text.trim();
    if t == "dns" || PREFIXES.iter().any(|p| t.starts_with(p)) {
        return true;
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return cluster.endpoint_by_ip(&ip).is_none() && service_by_ip(cluster, &ip).is_some();
    }
    // A hostname: mapped, a Service's DNS name, or an error that says how to map it.
    !t.contains('/') && t.contains('.') && !cluster.endpoints.iter().any(|e| e.name == t)
}

pub(super) fn service_by_ip(cluster: &Cluster, ip: &IpAddr) -> Option<(usize, bool)> {
    cluster.services.iter().enumerate().find_map(|(i, s)| {
        if s.cluster_ip.as_ref() == Some(ip) {
            Some((i, false))
        } else if s.external_ips.contains(ip) || s.load_balancer_ips.contains(ip) {
            Some((i, true))
        } else {
            None
        }
    })
}

pub(super) fn split_name(text: &str) -> Option<(&str, &str)> {
    let (ns, name) = text.split_once('/')?;
    (!ns.is_empty() && !name.is_empty()).then_some((ns, name))
}

pub(super) fn find_service(cluster: &Cluster, text: &str) -> Result<usize, String> {
    let found = split_name(text).and_then(|(ns, name)| {
        cluster
            .services
            .iter()
            .position(|s| s.namespace == ns && s.name == name)
    });
    found.ok_or_else(|| {
        let names: Vec<String> = cluster
            .services
            .iter()
            .map(|s| format!("{}/{}", s.namespace, s.name))
            .collect();
        let mut msg = format!("unknown Service `{text}`");
        match crate::diag::did_you_mean(text, names.iter().map(String::as_str)) {
            Some(s) => msg.push_str(&format!("; did you mean `svc:{s}`?")),
            None if names.is_empty() => msg.push_str("; the input has no Services"),
            None => msg.push_str(" (use svc:NAMESPACE/NAME)"),
        }
        msg
    })
}

/// Resolves an endpoint name (see the module documentation). The notes say how a
/// hostname was mapped.
pub fn resolve(engine: &Engine, text: &str, opts: &Options) -> Result<(Ref, Vec<Note>), String> {
    let c = &engine.cluster;
    let t = text.trim();
    let mut notes = Vec::new();
    if t == "dns" || t == "dns:" || t == "dns:kube-system/kube-dns" {
        return Ok((Ref::Dns, notes));
    }
    if let Some(rest) = t
        .strip_prefix("svc:")
        .or_else(|| t.strip_prefix("service:"))
    {
        return Ok((
            Ref::Service {
                index: find_service(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t.strip_prefix("nodeport:") {
        return Ok((
            Ref::NodePort {
                index: find_service(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t
        .strip_prefix("loadbalancer:")
        .or_else(|| t.strip_prefix("lb:"))
    {
        return Ok((
            Ref::LoadBalancer {
                index: find_service(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t.strip_prefix("ingress:") {
        return Ok((
            Ref::Ingress {
                index: find_ingress(c, rest)?,
            },
            notes,
        ));
    }
    if let Some(rest) = t.strip_prefix("external:") {
        let ip = external_address(rest, opts, &mut notes)?;
        return Ok((
            Ref::Direct {
                target: Target::External(ip),
            },
            notes,
        ));
    }
    let mut addr: Option<IpAddr> = t.parse().ok();
    if addr.is_none()
        && !t.contains('/')
        && t.contains('.')
        && !c.endpoints.iter().any(|e| e.name == t)
    {
        let lower = t.trim_end_matches('.').to_ascii_lowercase();
        // In-cluster DNS names of Services.
        let svc_name = lower
            .strip_suffix(".svc.cluster.local")
            .or_else(|| lower.strip_suffix(".svc"));
        if let Some((name, ns)) = svc_name.and_then(|s| s.split_once('.')) {
            return Ok((
                Ref::Service {
                    index: find_service(c, &format!("{ns}/{name}"))?,
                },
                notes,
            ));
        }
        match opts.hosts.get(&lower) {
            Some(ip) => {
                notes.push(Note::HostMapped {
                    host: t.to_string(),
                    ip: ip.to_string(),
                });
                addr = Some(*ip);
            }
            None => {
                return Err(format!(
                    "`{t}` is a hostname, and the playground does not resolve names: map it to an address (CLI `--host {t}=ADDRESS`, scenario `hosts: {{{t}: ADDRESS}}`)"
                ))
            }
        }
    }
    if let Some(ip) = addr {
        if c.endpoint_by_ip(&ip).is_none() {
            if let Some((index, external)) = service_by_ip(c, &ip) {
                return Ok((
                    if external {
                        Ref::LoadBalancer { index }
                    } else {
                        Ref::Service { index }
                    },
                    notes,
                ));
            }
        }
        return Ok((
            Ref::Direct {
                target: engine.resolve(&ip.to_string())?,
            },
            notes,
        ));
    }
    Ok((
        Ref::Direct {
            target: engine.resolve(t)?,
        },
        notes,
    ))
}

/// `ingress:NAMESPACE/NAME`.
#[inline(always)]
fn find_ingress(c: &Cluster, rest: &str) -> Result<usize, String> {
    let found = split_name(rest).and_then(|(ns, name)| {
        c.ingresses
            .iter()
            .position(|i| i.namespace == ns && i.name == name)
    });
    found.ok_or_else(|| {
        let names: Vec<String> = c.ingresses.iter().map(Ingress::full_name).collect();
        let mut msg = format!("unknown Ingress `{rest}`");
        match crate::diag::did_you_mean(rest, names.iter().map(String::as_str)) {
            Some(s) => msg.push_str(&format!("; did you mean `ingress:{s}`?")),
            None if names.is_empty() => msg.push_str("; the input has no Ingress"),
            None => msg.push_str(" (use ingress:NAMESPACE/NAME)"),
        }
        msg
    })
}

/// `external:ADDRESS`, or `external:HOST` for a host the options map.
#[inline(always)]
fn external_address(rest: &str, opts: &Options, notes: &mut Vec<Note>) -> Result<IpAddr, String> {
    if let Ok(ip) = rest.parse() {
        return Ok(ip);
    }
    match opts.hosts.get(&rest.to_ascii_lowercase()) {
        Some(ip) => {
            notes.push(Note::HostMapped {
                host: rest.to_string(),
                ip: ip.to_string(),
            });
            Ok(*ip)
        }
        None => Err(format!("`external:{rest}`: expected an IP address")),
    }
}
