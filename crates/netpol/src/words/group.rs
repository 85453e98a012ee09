//! The workload view's notes (`group`), English and Spanish.

use super::Lang;

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
