//! The workload view's notes (`group`), English and Spanish.

use super::Lang;
use crate::group::{Differ, SplitVariants, WorkloadView};

impl WorkloadView<'_> {
    /// For a group whose pods differ in what the policies see: which pods are alike, and
    /// what the listed connections mean for them.
    pub fn split_note(&self, g: usize, lang: Lang) -> Option<String> {
        self.split_variants(g).map(|s| split_note(&s, lang))
    }
}

/// [`WorkloadView::split_note`] from the variants.
fn split_note(s: &SplitVariants, lang: Lang) -> String {
    let variants: Vec<String> = s
        .variants
        .iter()
        .map(|v| {
            let mut names: Vec<String> = v.names.iter().map(|n| format!("`{n}`")).collect();
            if v.more > 0 {
                names.push(more(lang, v.more));
            }
            let what = match &v.differ {
                Some((what, value)) => differ(lang, *what, value),
                None => v
                    .labels
                    .iter()
                    .map(|(k, v)| match v {
                        Some(v) => format!("{k}={v}"),
                        None => format!("no {k}"),
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            format!("{} ({what})", names.join(", "))
        })
        .collect();
    self::variants(lang, &s.label, &variants.join("; "))
}

/// `3 more` (names left out of a list).
#[inline(always)]
pub(crate) fn more(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("{n} more"),
        Lang::Es => format!("{n} más"),
    }
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
