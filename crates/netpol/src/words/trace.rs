//! The step-through trace in words (`trace::words`), English and Spanish.

use super::Lang;
use crate::model::Direction;
use crate::trace::{Step, StepKind};

/// A step in words.
pub fn words(s: &Step, dir: Direction, lang: Lang) -> String {
    let yes_no = |b: bool, en_y: &str, en_n: &str, es_y: &str, es_n: &str| match (lang, b) {
        (Lang::En, true) => en_y.to_string(),
        (Lang::En, false) => en_n.to_string(),
        (Lang::Es, true) => es_y.to_string(),
        (Lang::Es, false) => es_n.to_string(),
    };
    let field = match dir {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    };
    let peers = match dir {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    match (&s.kind, lang) {
        (StepKind::Outside, Lang::En) => {
            "outside the cluster: no NetworkPolicy applies here".into()
        }
        (StepKind::Outside, Lang::Es) => {
            "fuera del clúster: aquí no se aplica ninguna NetworkPolicy".into()
        }
        (StepKind::SelfTraffic, Lang::En) => {
            "a pod can always reach itself: NetworkPolicy never blocks it".into()
        }
        (StepKind::SelfTraffic, Lang::Es) => {
            "un pod siempre puede conectarse a sí mismo: NetworkPolicy nunca lo bloquea".into()
        }
        (StepKind::NotIsolated, Lang::En) => format!(
            "no NetworkPolicy with {} selects it: not isolated, allowed",
            cap(field)
        ),
        (StepKind::NotIsolated, Lang::Es) => format!(
            "ninguna NetworkPolicy de tipo {} lo selecciona: no está aislado, se permite",
            cap(field)
        ),
        (StepKind::Selects { policy }, Lang::En) => {
            format!("`{policy}` selects it (its podSelector matches): isolated for {field}")
        }
        (StepKind::Selects { policy }, Lang::Es) => {
            format!("`{policy}` lo selecciona (su podSelector coincide): aislado para {field}")
        }
        (StepKind::NoRules { policy }, Lang::En) => {
            format!("`{policy}` has no {field} rules: by itself it allows nothing")
        }
        (StepKind::NoRules { policy }, Lang::Es) => {
            format!("`{policy}` no tiene reglas de {field}: por sí sola no permite nada")
        }
        (StepKind::Rule { policy, index }, _) => format!(
            "`{policy}` spec.{field}[{index}]: {}",
            yes_no(
                s.ok,
                "allows this connection",
                "does not allow it",
                "permite esta conexión",
                "no la permite"
            )
        ),
        (StepKind::AnyPeer, Lang::En) => format!("no `{peers}`: every peer"),
        (StepKind::AnyPeer, Lang::Es) => format!("sin `{peers}`: cualquier peer"),
        (
            StepKind::Peer {
                index,
                own_namespace,
                namespace,
                pods,
                ip_block,
            },
            _,
        ) => peer_words(
            s.ok,
            *index,
            [*own_namespace, *namespace, *pods, *ip_block],
            peers,
            lang,
        ),
        (StepKind::AnyPort, Lang::En) => "no `ports`: every port and protocol".into(),
        (StepKind::AnyPort, Lang::Es) => "sin `ports`: cualquier puerto y protocolo".into(),
        (StepKind::Port { index, text }, _) => format!(
            "ports[{index}] {text}: {}",
            yes_no(s.ok, "matches", "does not match", "coincide", "no coincide")
        ),
        (StepKind::IcmpNeedsPortlessRule, Lang::En) => {
            "a ping (ICMP) has no port: a rule with `ports` never matches it".into()
        }
        (StepKind::IcmpNeedsPortlessRule, Lang::Es) => {
            "un ping (ICMP) no tiene puerto: una regla con `ports` nunca coincide".into()
        }
        (StepKind::Tier(step), _) => super::explain::tier_step(step, dir, lang).unwrap_or_default(),
        (StepKind::Verdict, _) => super::explain::verdict_word(
            if s.ok {
                crate::Verdict::Allowed
            } else {
                crate::Verdict::Denied
            },
            lang,
        )
        .to_string(),
    }
}

/// A peer's step: each of its parts (the policy's own namespace, namespaceSelector,
/// podSelector, ipBlock), when the peer has it, and whether it matched.
#[inline(always)]
fn peer_words(
    ok: bool,
    index: usize,
    [own_namespace, namespace, pods, ip_block]: [Option<bool>; 4],
    peers: &str,
    lang: Lang,
) -> String {
    let yes_no = |b: bool, en_y: &str, en_n: &str, es_y: &str, es_n: &str| match (lang, b) {
        (Lang::En, true) => en_y.to_string(),
        (Lang::En, false) => en_n.to_string(),
        (Lang::Es, true) => es_y.to_string(),
        (Lang::Es, false) => es_n.to_string(),
    };
    let mut parts = Vec::new();
    let mark = |b: bool| if b { "✓" } else { "✗" };
    if let Some(b) = own_namespace {
        parts.push(match lang {
            Lang::En => format!(
                "{} in the policy's own namespace (no namespaceSelector)",
                mark(b)
            ),
            Lang::Es => format!(
                "{} en el namespace de la política (sin namespaceSelector)",
                mark(b)
            ),
        });
    }
    if let Some(b) = namespace {
        parts.push(format!("{} namespaceSelector", mark(b)));
    }
    if let Some(b) = pods {
        parts.push(format!("{} podSelector", mark(b)));
    }
    if let Some(b) = ip_block {
        parts.push(format!("{} ipBlock", mark(b)));
    }
    let and = match lang {
        Lang::En => " AND ",
        Lang::Es => " Y ",
    };
    format!(
        "{peers}[{index}]: {} → {}",
        parts.join(and),
        yes_no(
            ok,
            "matches (peers are OR-ed)",
            "does not match",
            "coincide (los peers se unen con O)",
            "no coincide"
        )
    )
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => std::iter::once(f.to_ascii_uppercase()).chain(c).collect(),
        None => String::new(),
    }
}
