//! Decisions in words, in English or Spanish.

use crate::eval::{Caveat, Decision, MissReason, RuleRef, Side, SideVerdict, Verdict};
use crate::model::Direction;
use crate::tiers::{StepOutcome, TierStep};

pub use super::Lang;

/// `ALLOWED`, `DENIED` or `UNKNOWN` (translated).
pub fn verdict_word(v: Verdict, lang: Lang) -> &'static str {
    match (v, lang) {
        (Verdict::Allowed, Lang::En) => "ALLOWED",
        (Verdict::Denied, Lang::En) => "DENIED",
        (Verdict::Unknown, Lang::En) => "COULD NOT EVALUATE",
        (Verdict::Allowed, Lang::Es) => "PERMITIDO",
        (Verdict::Denied, Lang::Es) => "DENEGADO",
        (Verdict::Unknown, Lang::Es) => "NO SE PUDO EVALUAR",
    }
}

/// `TCP 80`, `TCP 80 (http)`, `ICMP (ping)`.
pub fn connection_label(d: &Decision) -> String {
    match (d.port, &d.port_name) {
        (_, _) if d.protocol == crate::model::QueryProtocol::ICMP => "ICMP (ping)".into(),
        (Some(p), Some(n)) => format!("{} {p} ({n})", d.protocol),
        (Some(p), None) => format!("{} {p}", d.protocol),
        (None, Some(n)) => format!("{} {n}", d.protocol),
        (None, None) => d.protocol.to_string(),
    }
}

/// The headline: `utils/utils -> webapp-balanced/webapp-balanced TCP 80: DENIED`.
pub fn headline(d: &Decision, lang: Lang) -> String {
    format!(
        "{} -> {} {}: {}",
        d.from,
        d.to,
        connection_label(d),
        verdict_word(d.verdict, lang)
    )
}

pub fn rule_label(r: &RuleRef) -> String {
    format!("{}/{} {}", r.policy.namespace, r.policy.name, r.path())
}

/// One paragraph per side plus caveats, each a line.
pub fn explain(d: &Decision, lang: Lang) -> Vec<String> {
    let mut out = vec![headline(d, lang)];
    if let Some(e) = &d.error {
        out.push(format!("  {}", e));
        return out;
    }
    if d.hairpin {
        out.push(format!(
            "  {}",
            lang.pick(
                "through a Service back to itself (hairpin): NetworkPolicy never blocks a pod from itself, but cluster-scoped policies apply (only a pod's own IP is exempt from them)",
                "a través de un Service de vuelta a sí mismo (hairpin): una NetworkPolicy nunca bloquea a un pod consigo mismo, pero las políticas de clúster sí se aplican (solo la IP propia del pod está exenta)"
            )
        ));
        for side in [&d.egress, &d.ingress] {
            out.extend(
                explain_side(side, lang)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
    } else if d.self_traffic {
        out.push(format!(
            "  {}",
            lang.pick(
                "a pod can always reach itself: NetworkPolicy never blocks traffic from a pod to itself",
                "un pod siempre puede conectarse a sí mismo: una NetworkPolicy nunca bloquea ese tráfico"
            )
        ));
    } else {
        for side in [&d.egress, &d.ingress] {
            out.extend(
                explain_side(side, lang)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
    }
    for c in &d.caveats {
        out.push(format!(
            "  {} {}",
            lang.pick("note:", "nota:"),
            caveat(c, lang)
        ));
    }
    out
}

fn side_title(side: &Side, lang: Lang) -> String {
    match (side.direction, lang) {
        (Direction::Egress, Lang::En) => format!("egress of {}", side.endpoint),
        (Direction::Ingress, Lang::En) => format!("ingress of {}", side.endpoint),
        (Direction::Egress, Lang::Es) => format!("salida (egress) de {}", side.endpoint),
        (Direction::Ingress, Lang::Es) => format!("entrada (ingress) de {}", side.endpoint),
    }
}

/// One step of the tier chain: `[ANP allow-monitoring prio 10] Pass (rule ingress[0] `x`)`.
pub fn tier_step(step: &TierStep, dir: Direction, lang: Lang) -> Option<String> {
    let policy = step.policy.as_deref().unwrap_or("");
    let rule = match (step.rule, &step.rule_name) {
        (Some(i), Some(n)) => format!(
            " ({} {}[{i}] `{n}`)",
            lang.pick("rule", "regla"),
            dir.as_str()
        ),
        (Some(i), None) => format!(" ({} {}[{i}])", lang.pick("rule", "regla"), dir.as_str()),
        _ => String::new(),
    };
    Some(match step.outcome {
        StepOutcome::Matched(a) => format!("[{policy}] {}{rule}", a.as_str()),
        StepOutcome::NoRuleMatched => format!(
            "[{policy}] {}",
            lang.pick("no rule matched", "ninguna regla coincide")
        ),
        StepOutcome::NpAllowed => format!(
            "[NetworkPolicy {policy}] {}",
            lang.pick("a rule allows it", "una regla lo permite")
        ),
        StepOutcome::NpDenied => format!(
            "[NetworkPolicy {policy}] {}",
            lang.pick("no rule matched", "ninguna regla coincide")
        ),
        StepOutcome::NpNotIsolated => format!(
            "[NetworkPolicy] {}",
            lang.pick("not isolated", "no aislado")
        ),
        StepOutcome::DefaultAllow => return None,
        StepOutcome::CalicoMatched(a) => format!("[{policy}] {}{rule}", a.as_str()),
        StepOutcome::TierDefault(a) => format!(
            "[{policy}] {} {}",
            lang.pick(
                "no policy of the tier decided: its default action",
                "ninguna política del tier decidió: su acción por defecto"
            ),
            a.as_str()
        ),
    })
}

/// The whole chain of one side on one line, e.g. `[ANP allow-monitoring prio 10] Pass ->
/// [NetworkPolicy default-deny] no rule matched -> denied`.
pub fn tier_chain(side: &Side, lang: Lang) -> String {
    let mut parts: Vec<String> = side
        .tiers
        .iter()
        .filter_map(|s| tier_step(s, side.direction, lang))
        .collect();
    let by_default = side
        .tiers
        .last()
        .is_some_and(|s| s.outcome == StepOutcome::DefaultAllow);
    parts.push(
        match (side.allows(), by_default, lang) {
            (true, true, Lang::En) => "allowed by default",
            (true, true, Lang::Es) => "permitido por defecto",
            (true, false, Lang::En) => "allowed",
            (true, false, Lang::Es) => "permitido",
            (false, _, Lang::En) => "denied",
            (false, _, Lang::Es) => "denegado",
        }
        .to_string(),
    );
    parts.join(" -> ")
}

pub fn explain_side(side: &Side, lang: Lang) -> Vec<String> {
    if !side.tiers.is_empty() {
        let mut out = vec![format!(
            "{}: {}",
            side_title(side, lang),
            tier_chain(side, lang)
        )];
        let np_decided = side
            .tiers
            .iter()
            .any(|s| matches!(s.outcome, StepOutcome::NpAllowed | StepOutcome::NpDenied));
        if np_decided {
            let np = Side {
                tiers: Vec::new(),
                tier_verdict: None,
                ..side.clone()
            };
            out.extend(
                explain_side(&np, lang)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
        }
        return out;
    }
    let title = side_title(side, lang);
    let policies: Vec<String> = side
        .isolated_by
        .iter()
        .map(|p| format!("{}/{}", p.namespace, p.name))
        .collect();
    let mut out = Vec::new();
    match side.verdict {
        SideVerdict::NotApplicable => out.push(format!(
            "{title}: {}",
            lang.pick(
                "outside the cluster, no NetworkPolicy applies",
                "fuera del clúster, no se aplica ninguna NetworkPolicy"
            )
        )),
        SideVerdict::NotIsolated => out.push(format!(
            "{title}: {}",
            match (side.direction, lang) {
                (Direction::Egress, Lang::En) => "allowed: no NetworkPolicy with Egress selects it, so it is not isolated for egress",
                (Direction::Ingress, Lang::En) => "allowed: no NetworkPolicy with Ingress selects it, so it is not isolated for ingress",
                (Direction::Egress, Lang::Es) => "permitido: ninguna NetworkPolicy de tipo Egress lo selecciona, así que su salida no está aislada",
                (Direction::Ingress, Lang::Es) => "permitido: ninguna NetworkPolicy de tipo Ingress lo selecciona, así que su entrada no está aislada",
            }
        )),
        SideVerdict::AllowedByRule => {
            let rules: Vec<String> = side.allowed_by.iter().map(rule_label).collect();
            out.push(format!(
                "{title}: {} {} {}; {} {}",
                lang.pick("isolated by", "aislado por"),
                policies.join(", "),
                lang.pick("", ""),
                lang.pick("allowed by", "permitido por"),
                rules.join(lang.pick(" and ", " y "))
            )
            .replace("  ", " ")
            .replace(" ;", ";"));
        }
        SideVerdict::NoRuleMatched => {
            out.push(format!(
                "{title}: {} {}; {}",
                lang.pick("isolated by", "aislado por"),
                policies.join(", "),
                lang.pick("no rule allows this connection", "ninguna regla permite esta conexión")
            ));
            for m in &side.near_misses {
                let why = match &m.reason {
                    MissReason::Peer => lang
                        .pick(
                            "matches the port but none of its peers selects the other end",
                            "coincide en el puerto pero ninguno de sus peers selecciona el otro extremo",
                        )
                        .to_string(),
                    MissReason::PeerOwnNamespaceOnly { policy_namespace, other_namespace, peer } => match lang {
                        Lang::En => format!(
                            "its peer {peer} (a `podSelector` without `namespaceSelector`) matches the labels, but selects pods of namespace `{policy_namespace}` only, not `{other_namespace}`; add `namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {other_namespace}}}}}` to the same peer"
                        ),
                        Lang::Es => format!(
                            "su peer {peer} (un `podSelector` sin `namespaceSelector`) coincide con las etiquetas, pero solo selecciona pods del namespace `{policy_namespace}`, no de `{other_namespace}`; añade `namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {other_namespace}}}}}` al mismo peer"
                        ),
                    },
                    MissReason::Port { allows } => match lang {
                        Lang::En => format!("selects the other end but only allows {allows}"),
                        Lang::Es => format!("selecciona el otro extremo pero solo permite {allows}"),
                    },
                    MissReason::IcmpNeedsPortlessRule => lang
                        .pick(
                            "selects the other end but lists `ports`, so it does not allow ICMP",
                            "selecciona el otro extremo pero tiene `ports`, así que no permite ICMP",
                        )
                        .to_string(),
                };
                out.push(format!("  - {}: {why}", rule_label(&m.rule)));
            }
        }
    }
    out
}

pub fn caveat(c: &Caveat, lang: Lang) -> String {
    match (c, lang) {
        (Caveat::Icmp, Lang::En) => "ICMP is not part of NetworkPolicy; this follows Calico and most CNIs (a non-isolated direction allows ping; an isolated one only through a matching rule without `ports`)".into(),
        (Caveat::Icmp, Lang::Es) => "ICMP no forma parte de NetworkPolicy; se sigue el comportamiento de Calico y la mayoría de CNIs (una dirección no aislada permite ping; una aislada solo mediante una regla coincidente sin `ports`)".into(),
        (Caveat::IpBlockMatchesPodIp { policy }, Lang::En) => format!("an ipBlock of `{policy}` matched a pod IP; whether ipBlock applies to pod traffic depends on the CNI (the e2e suite expects it to)"),
        (Caveat::IpBlockMatchesPodIp { policy }, Lang::Es) => format!("un ipBlock de `{policy}` coincide con la IP de un pod; que ipBlock se aplique al tráfico entre pods depende del CNI (la suite e2e lo espera)"),
        (Caveat::AssignedAddress { endpoint, ip }, Lang::En) => format!("`{endpoint}` has no address in the input; the playground assigned `{ip}`"),
        (Caveat::AssignedAddress { endpoint, ip }, Lang::Es) => format!("`{endpoint}` no tiene dirección en la entrada; el playground le asignó `{ip}`"),
        (Caveat::HostNetwork { endpoint }, Lang::En) => format!("`{endpoint}` uses the host network; most CNIs do not apply NetworkPolicy to it"),
        (Caveat::HostNetwork { endpoint }, Lang::Es) => format!("`{endpoint}` usa la red del nodo; la mayoría de CNIs no le aplican NetworkPolicy"),
        (Caveat::Replicas { endpoint }, Lang::En) => format!("`{endpoint}` stands for several pods: only a pod to itself is always allowed; between replicas its policies apply"),
        (Caveat::Replicas { endpoint }, Lang::Es) => format!("`{endpoint}` representa varios pods: solo el tráfico de un pod a sí mismo está siempre permitido; entre réplicas se aplican sus políticas"),
    }
}

/// The heading of a suggested fix: which side it opens, and where the policy goes.
pub fn fix_title(f: &crate::fix::Fix, lang: Lang) -> String {
    let side = match (f.direction, lang) {
        (Direction::Egress, Lang::En) => "To allow the source's egress",
        (Direction::Ingress, Lang::En) => "To allow the destination's ingress",
        (Direction::Egress, Lang::Es) => "Para permitir la salida del origen",
        (Direction::Ingress, Lang::Es) => "Para permitir la entrada del destino",
    };
    format!("{side}: NetworkPolicy {}/{}", f.namespace, f.name)
}
