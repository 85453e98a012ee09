//! The diff in words, English and Spanish (the connection sets stay in connlist's
//! wording: `TCP 80,443; UDP 53`, `All connections`, `No connections`).

use super::Lang;
use crate::diff::cause::{CauseKind, ObjectChange, RuleChange};
use crate::diff::{Change, Counts};
use crate::model::Labels;

/// `added`, `removed`, `changed` (es: `nueva`, `eliminada`, `cambiada`: a connection).
pub fn change(c: Change, lang: Lang) -> &'static str {
    match (lang, c) {
        (Lang::En, _) => c.as_str(),
        (Lang::Es, Change::Added) => "nueva",
        (Lang::Es, Change::Removed) => "eliminada",
        (Lang::Es, Change::Changed) => "cambiada",
    }
}

fn verb(k: CauseKind, lang: Lang) -> &'static str {
    match (lang, k) {
        (Lang::En, _) => k.as_str(),
        (Lang::Es, CauseKind::Added) => "se añadió",
        (Lang::Es, CauseKind::Removed) => "se eliminó",
        (Lang::Es, CauseKind::Edited) => "se modificó",
        (Lang::Es, CauseKind::Relabelled) => "se reetiquetó",
    }
}

/// `a=1, b=2`, or `no labels`.
pub fn labels(l: &Labels, lang: Lang) -> String {
    if l.is_empty() {
        return match lang {
            Lang::En => "no labels".into(),
            Lang::Es => "sin etiquetas".into(),
        };
    }
    l.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `spec.ingress[1] added` / `se añadió spec.ingress[1]`.
pub fn rule(r: &RuleChange, lang: Lang) -> String {
    match lang {
        Lang::En => format!("`{}` {}", r.path(), r.change.as_str()),
        Lang::Es => format!("{} `{}`", verb(r.change, lang), r.path()),
    }
}

/// One object change in words, with the parts given (for a policy, the rules that bear
/// on the pair; all of them in a summary):
/// `NetworkPolicy `shop/web` edited: `spec.ingress[0]` edited`,
/// `Namespace `web` relabelled: `team=a` -> `team=b``.
pub fn object(c: &ObjectChange, rules: &[&RuleChange], lang: Lang) -> String {
    let what = format!("{} `{}`", c.kind, c.name);
    let mut s = match lang {
        Lang::En => format!("{what} {}", verb(c.change, lang)),
        Lang::Es => format!("{} {what}", verb(c.change, lang)),
    };
    if !rules.is_empty() {
        let parts: Vec<String> = rules.iter().map(|r| rule(r, lang)).collect();
        s.push_str(": ");
        s.push_str(&parts.join(", "));
    }
    if let Some([b, a]) = &c.labels {
        s.push_str(&format!(": `{}` -> `{}`", labels(b, lang), labels(a, lang)));
    }
    let others: Vec<&str> = c
        .fields
        .iter()
        .copied()
        .filter(|f| *f != "labels")
        .collect();
    if !others.is_empty() {
        s.push_str(&format!(" ({})", others.join(", ")));
    }
    s
}

/// `because:` / `motivo:`.
pub fn because(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "because:",
        Lang::Es => "motivo:",
    }
}

/// A line for a pair no listed object explains (it should not happen).
pub fn unexplained(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "no object change found that selects either endpoint",
        Lang::Es => {
            "no se encontró ningún cambio de objeto que seleccione a alguno de los extremos"
        }
    }
}

/// `3 pairs changed: 1 added, 1 removed, 1 changed` / `no connectivity change`.
pub fn counts(c: &Counts, lang: Lang) -> String {
    if c.total() == 0 {
        return match lang {
            Lang::En => "no connectivity change".into(),
            Lang::Es => "ningún cambio de conectividad".into(),
        };
    }
    match lang {
        Lang::En => format!(
            "{} pair(s) changed: {} added, {} removed, {} changed",
            c.total(),
            c.added,
            c.removed,
            c.changed
        ),
        Lang::Es => format!(
            "{} par(es) con cambios: {} nueva(s), {} eliminada(s), {} cambiada(s)",
            c.total(),
            c.added,
            c.removed,
            c.changed
        ),
    }
}

/// Headings and labels of the text and Markdown reports.
pub struct Headings {
    pub objects: &'static str,
    pub no_objects: &'static str,
    pub title: &'static str,
    pub namespace: &'static str,
    pub change: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub why: &'static str,
    pub graph: &'static str,
    pub more: &'static str,
    pub no_graph: &'static str,
}

pub fn headings(lang: Lang) -> Headings {
    match lang {
        Lang::En => Headings {
            objects: "objects that differ",
            no_objects: "no object differs",
            title: "Connectivity diff",
            namespace: "namespace",
            change: "change",
            from: "from",
            to: "to",
            before: "before",
            after: "after",
            why: "why",
            graph: "changed edges",
            more: "more pair(s) not shown",
            no_graph: "too many changed edges for a graph",
        },
        Lang::Es => Headings {
            objects: "objetos que difieren",
            no_objects: "ningún objeto difiere",
            title: "Diferencias de conectividad",
            namespace: "namespace",
            change: "cambio",
            from: "origen",
            to: "destino",
            before: "antes",
            after: "después",
            why: "por qué",
            graph: "conexiones cambiadas",
            more: "par(es) más sin mostrar",
            no_graph: "demasiadas conexiones cambiadas para un grafo",
        },
    }
}
