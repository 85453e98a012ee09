//! The workload view's notes (`group`), English and Spanish.

use super::Lang;
use crate::group::WorkloadView;
use crate::model::Endpoint;

// The note is words over the view's variants, so it lives here: `group` computes, `words`
// says (and `group` does not import `words`).
impl WorkloadView<'_> {
    /// For a group whose pods differ in what the policies see: which pods are alike, and
    /// what the listed connections mean for them.
    pub fn split_note(&self, g: usize, lang: Lang) -> Option<String> {
        let group = self.groups.get(g)?;
        if !group.is_split() {
            return None;
        }
        let c = &self.engine.cluster;
        // The labels whose values differ between the variants' pods.
        let reps: Vec<&Endpoint> = group
            .variants
            .iter()
            .filter_map(|v| v.first().and_then(|&i| c.endpoints.get(i)))
            .collect();
        let mut keys: Vec<&String> = reps.iter().flat_map(|e| e.labels.keys()).collect();
        crate::sort::ord(&mut keys);
        keys.dedup();
        keys.retain(|k| {
            reps.iter()
                .any(|e| e.labels.get(*k) != reps.first().and_then(|f| f.labels.get(*k)))
        });
        // A label that differs inside a variant is not what sets it apart.
        keys.retain(|k| {
            group.variants.iter().all(|v| {
                let first = v
                    .first()
                    .and_then(|&i| c.endpoints.get(i))
                    .and_then(|e| e.labels.get(*k));
                v.iter()
                    .all(|&i| c.endpoints.get(i).and_then(|e| e.labels.get(*k)) == first)
            })
        });
        // The revision hashes controllers add say nothing when another label differs.
        const REVISION: &[&str] = &["pod-template-hash", "controller-revision-hash"];
        if keys.iter().any(|k| !REVISION.contains(&k.as_str())) {
            keys.retain(|k| !REVISION.contains(&k.as_str()));
        }
        let variants: Vec<String> = group
            .variants
            .iter()
            .map(|v| {
                let mut names: Vec<String> = v
                    .iter()
                    .take(3)
                    .filter_map(|&i| c.endpoints.get(i).map(|e| format!("`{}`", e.full_name())))
                    .collect();
                if v.len() > 3 {
                    names.push(self::more(lang, v.len() - 3));
                }
                let rep = v.first().and_then(|&i| c.endpoints.get(i));
                let labels: Vec<String> = keys
                    .iter()
                    .map(|k| match rep.and_then(|e| e.labels.get(*k)) {
                        Some(v) => format!("{k}={v}"),
                        None => format!("no {k}"),
                    })
                    .collect();
                let what = if labels.is_empty() {
                    // Not labels: what else tells them apart, shown for this variant.
                    let differ = |f: &dyn Fn(&Endpoint) -> String| {
                        reps.iter()
                            .any(|e| Some(f(e)) != reps.first().map(|r| f(r)))
                    };
                    let ports = |e: &Endpoint| {
                        let p: Vec<String> = e
                            .ports
                            .iter()
                            .map(|p| format!("{}/{}", p.port, p.protocol))
                            .collect();
                        p.join(",")
                    };
                    let sa = |e: &Endpoint| e.service_account.clone().unwrap_or_default();
                    let (what, value) = if differ(&ports) {
                        (Differ::Ports, rep.map(ports))
                    } else if differ(&sa) {
                        (Differ::ServiceAccount, rep.map(sa))
                    } else if differ(&|e| e.host_network.to_string()) {
                        (Differ::HostNetwork, rep.map(|e| e.host_network.to_string()))
                    } else {
                        let ips = |e: &Endpoint| {
                            e.ips
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(",")
                        };
                        (Differ::Address, rep.map(ips))
                    };
                    self::differ(lang, what, &value.unwrap_or_default())
                } else {
                    labels.join(", ")
                };
                format!("{} ({what})", names.join(", "))
            })
            .collect();
        let label = group.label();
        Some(self::variants(lang, &label, &variants.join("; ")))
    }
}

/// `3 more` (names left out of a list).
#[inline(always)]
pub(crate) fn more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("{n} more"),
        Lang::Es => format!("{n} más"),
    }
}

/// What, besides labels, tells a workload's pods apart.
#[derive(Clone, Copy)]
pub(crate) enum Differ {
    Ports,
    ServiceAccount,
    HostNetwork,
    Address,
}

/// `ports 80/TCP`: what tells this variant apart, and its value.
#[inline(always)]
pub(crate) fn differ(lang: Lang, what: Differ, value: &str) -> String {
    let word = match what {
        Differ::Ports => lang.pick("ports", "puertos"),
        Differ::ServiceAccount => lang.pick("service account", "cuenta de servicio"),
        Differ::HostNetwork => "hostNetwork",
        Differ::Address => lang.pick("address", "dirección"),
    };
    format!("{word} {value}")
}

/// The pods of workload `label` differ in what the policies see; `variants` lists them.
#[inline(always)]
pub(crate) fn variants(lang: Lang, label: &str, variants: &str) -> String {
    match lang {
        Lang::En => format!(
            "the pods of `{label}` differ in what the policies see (a rolling update, or a policy that picks some of them): {variants}; each connection listed for it is allowed for some of its pods, not necessarily all"
        ),
        Lang::Es => format!(
            "los pods de `{label}` difieren en lo que ven las políticas (una actualización progresiva, o una política que elige algunos): {variants}; cada conexión que se lista para él la tiene alguno de sus pods, no necesariamente todos"
        ),
    }
}
