//! Endpoint names to endpoints: pods, workloads (kind-qualified when names are shared;
//! pod by pod when a rolling update makes them differ), addresses.

use super::*;

impl Engine {
    /// Resolves an endpoint name: `NAMESPACE/NAME` (pod or workload), a workload whose
    /// pods were pasted (its first pod), a bare name when unique, or an IP address.
    pub fn resolve(&self, text: &str) -> Result<Target, String> {
        let c = &self.cluster;
        let text = text.trim();
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(match c.endpoint_by_ip(&ip) {
                Some(i) => Target::Endpoint(i),
                None => Target::External(ip),
            });
        }
        if let Some(i) = c.endpoint_index(text) {
            return Ok(Target::Endpoint(i));
        }
        if let Some((key, pods)) = self.find_workload(text) {
            return self.workload_target(key, pods);
        }
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            // NAMESPACE/KIND/NAME names any endpoint, qualified or not.
            [ns, kind, name] => {
                if let Some(kind) = EndpointKind::parse_word(kind) {
                    if let Some(i) = c
                        .endpoints
                        .iter()
                        .position(|e| e.namespace == *ns && e.kind == kind && e.name == *name)
                    {
                        return Ok(Target::Endpoint(i));
                    }
                }
            }
            // NAMESPACE/NAME shared by several kinds: say which.
            [ns, name] => {
                let mut found: Vec<String> = c
                    .endpoints
                    .iter()
                    .filter(|e| e.qualified && e.namespace == *ns && e.name == *name)
                    .map(Endpoint::full_name)
                    .collect();
                found.extend(
                    c.workload_pods
                        .keys()
                        .filter(|k| {
                            k.strip_prefix(ns)
                                .and_then(|r| r.strip_prefix('/'))
                                .and_then(|r| r.split_once('/'))
                                .is_some_and(|(_, n)| n == *name)
                        })
                        .cloned(),
                );
                if !found.is_empty() {
                    crate::sort::ord(&mut found);
                    let names: Vec<String> = found.iter().map(|n| format!("`{n}`")).collect();
                    return Err(format!(
                        "`{text}` is ambiguous: {} share the name; say which",
                        names.join(", ")
                    ));
                }
            }
            _ => {}
        }
        if !text.contains('/') {
            let found: Vec<usize> = c
                .endpoints
                .iter()
                .enumerate()
                .filter(|(_, e)| e.name == text)
                .map(|(i, _)| i)
                .collect();
            if let [only] = *found.as_slice() {
                return Ok(Target::Endpoint(only));
            }
            if found.len() > 1 {
                let names: Vec<String> = found
                    .iter()
                    .filter_map(|&i| Some(format!("`{}`", c.endpoints.get(i)?.full_name())))
                    .collect();
                return Err(format!("`{text}` is ambiguous: {}", names.join(", ")));
            }
        }
        let names: Vec<String> = c
            .endpoints
            .iter()
            .map(Endpoint::full_name)
            .chain(c.workload_pods.keys().cloned())
            .collect();
        let mut msg = format!("unknown endpoint `{text}`");
        if let Some(s) = did_you_mean(text, names.iter().map(String::as_str)) {
            msg.push_str(&format!("; did you mean `{s}`?"));
        } else if names.is_empty() {
            msg.push_str("; the input has no pods or workloads");
        } else {
            msg.push_str(" (use NAMESPACE/NAME or an IP address)");
        }
        Err(msg)
    }

    /// The pods of workload `text` when the policies tell them apart (then no one pod
    /// can answer for the workload, see [`Engine::resolve`]); None for anything else.
    pub fn differing_pods(&self, text: &str) -> Option<&[usize]> {
        let (_, pods) = self.find_workload(text.trim())?;
        let first = *pods.first()?;
        (!pods.iter().all(|&p| self.alike(first, p))).then_some(pods.as_slice())
    }

    /// A workload whose pods were pasted, by its name (`NS/NAME`, or `NS/KIND/NAME`).
    pub(super) fn find_workload(&self, text: &str) -> Option<(&str, &Vec<usize>)> {
        let c = &self.cluster;
        if let Some((k, pods)) = c.workload_pods.get_key_value(text) {
            return Some((k.as_str(), pods));
        }
        let [ns, kind, name] = text.split('/').collect::<Vec<_>>()[..] else {
            return None;
        };
        let kind = EndpointKind::parse_word(kind)?;
        let qualified = format!("{ns}/{}/{name}", kind.word());
        if let Some((k, pods)) = c.workload_pods.get_key_value(&qualified) {
            return Some((k.as_str(), pods));
        }
        let (k, pods) = c.workload_pods.get_key_value(&format!("{ns}/{name}"))?;
        (c.workload_kinds.get(k) == Some(&kind)).then_some((k.as_str(), pods))
    }

    /// A workload whose pods were pasted stands for its pods when no policy can tell them
    /// apart; pods that differ (a rolling update relabelled them) are asked about one by
    /// one, so the answer is never that of the first pod alone.
    pub(super) fn workload_target(&self, name: &str, pods: &[usize]) -> Result<Target, String> {
        let c = &self.cluster;
        let Some(&first) = pods.first() else {
            return Err(format!("workload `{name}` has no pods"));
        };
        if pods.iter().all(|&p| self.alike(first, p)) {
            return Ok(Target::Endpoint(first));
        }
        let list: Vec<String> = pods
            .iter()
            .filter_map(|&p| {
                let e = c.endpoints.get(p)?;
                let labels: Vec<String> =
                    e.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                Some(format!("`{}` ({})", e.full_name(), labels.join(",")))
            })
            .collect();
        Err(format!(
            "the pods of `{name}` differ in what the policies see (a rolling update?), so one pod cannot answer for all: ask about each of {}",
            list.join(", ")
        ))
    }

    /// Can no policy tell endpoints `a` and `b` apart? Same namespace, ports, host
    /// network and service account, and in every selector's set or in none (with
    /// cluster-scoped policies, which the index does not cover: the same labels).
    pub fn alike(&self, a: usize, b: usize) -> bool {
        let c = &self.cluster;
        let (Some(ea), Some(eb)) = (c.endpoints.get(a), c.endpoints.get(b)) else {
            return false;
        };
        if ea.namespace != eb.namespace
            || ea.ports != eb.ports
            || ea.host_network != eb.host_network
            || ea.service_account != eb.service_account
        {
            return false;
        }
        if c.has_tiers() {
            // The labels controllers set per pod or per revision tell no policy anything
            // a person writes; every other label must agree.
            const PER_POD: &[&str] = &[
                "pod-template-hash",
                "controller-revision-hash",
                "pod-template-generation",
                "statefulset.kubernetes.io/pod-name",
                "apps.kubernetes.io/pod-index",
            ];
            fn meaningful(e: &Endpoint) -> Vec<(&String, &String)> {
                e.labels
                    .iter()
                    .filter(|(k, _)| !PER_POD.contains(&k.as_str()))
                    .collect()
            }
            return meaningful(ea) == meaningful(eb);
        }
        self.index.sets.iter().all(|s| s.get(a) == s.get(b))
    }

    pub fn name(&self, t: Target) -> String {
        match t {
            Target::Endpoint(i) => self
                .cluster
                .endpoints
                .get(i)
                .map_or_else(|| format!("#{i}"), Endpoint::full_name),
            Target::External(ip) => ip.to_string(),
        }
    }
}
