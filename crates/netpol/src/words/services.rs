//! Routed decisions in words, English and Spanish.

use super::{explain, Lang};
use crate::eval::Verdict;
use crate::model::QueryProtocol;
use crate::services::*;

pub(super) fn pick(lang: Lang, en: &str, es: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Es => es.to_string(),
    }
}

/// `ALLOWED`, `DENIED`, `PARTIAL`, `NO BACKENDS`, `COULD NOT EVALUATE` (translated).
pub fn outcome_word(o: Outcome, lang: Lang) -> String {
    match o {
        Outcome::Allowed => explain::verdict_word(Verdict::Allowed, lang).into(),
        Outcome::Denied => explain::verdict_word(Verdict::Denied, lang).into(),
        Outcome::Unknown => explain::verdict_word(Verdict::Unknown, lang).into(),
        Outcome::Partial => pick(lang, "PARTIAL", "PARCIAL"),
        Outcome::NoBackends => pick(lang, "NO BACKENDS", "SIN BACKENDS"),
    }
}

/// One fact in words.
pub fn note(n: &Note, lang: Lang) -> String {
    match (n, lang) {
        (Note::HostMapped { host, ip }, Lang::En) => format!("`{host}` is `{ip}` (your mapping; the playground does not resolve names)"),
        (Note::HostMapped { host, ip }, Lang::Es) => format!("`{host}` es `{ip}` (según tu correspondencia; el playground no resuelve nombres)"),
        (Note::Dnat { service, cluster_ip, protocol, port, target_port }, Lang::En) => format!(
            "Service `{service}`{}: {protocol} port {port} is translated (DNAT) to port {target_port} of each backend pod; policies see the pod, not the Service address",
            cluster_ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()
        ),
        (Note::Dnat { service, cluster_ip, protocol, port, target_port }, Lang::Es) => format!(
            "el servicio `{service}`{}: el puerto {protocol} {port} se traduce (DNAT) al puerto {target_port} de cada pod backend; las políticas ven el pod, no la dirección del servicio",
            cluster_ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()
        ),
        (Note::Headless { service, port }, Lang::En) => format!("Service `{service}` is headless (`clusterIP: None`): DNS answers with the pods' addresses and the client connects to them directly (port {port}), without DNAT"),
        (Note::Headless { service, port }, Lang::Es) => format!("el servicio `{service}` es headless (`clusterIP: None`): el DNS devuelve las direcciones de los pods y el cliente se conecta a ellos directamente (puerto {port}), sin DNAT"),
        (Note::SourceNode { client, node, via }, Lang::En) => format!("{via} with `externalTrafficPolicy: Cluster`: the node SNATs the connection, so the pods see the node address {node}, not the client {client} (an ipBlock on client ranges does not apply; set `externalTrafficPolicy: Local` to keep it)"),
        (Note::SourceNode { client, node, via }, Lang::Es) => format!("{via} con `externalTrafficPolicy: Cluster`: el nodo hace SNAT, así que los pods ven la dirección del nodo {node}, no la del cliente {client} (un ipBlock con rangos de clientes no se aplica; `externalTrafficPolicy: Local` la conserva)"),
        (Note::SourceClient { client, via }, Lang::En) => format!("{via} with `externalTrafficPolicy: Local`: the pods see the client address {client} (no SNAT; only nodes running a backend answer)"),
        (Note::SourceClient { client, via }, Lang::Es) => format!("{via} con `externalTrafficPolicy: Local`: los pods ven la dirección del cliente {client} (sin SNAT; solo responden los nodos con un backend)"),
        (Note::Controller { pods, how }, lang) => {
            let pods: Vec<String> = pods.iter().map(|p| format!("`{p}`")).collect();
            match (how, lang) {
                (ControllerHow::Label { controller, label }, Lang::En) => format!("the ingress controller ({controller}, pods labelled {label}) is {}: it opens a normal pod-to-pod connection to each backend pod", pods.join(", ")),
                (ControllerHow::Label { controller, label }, Lang::Es) => format!("el controlador de ingress ({controller}, pods con la etiqueta {label}) es {}: abre una conexión normal de pod a pod hacia cada pod backend", pods.join(", ")),
                (ControllerHow::Chosen, Lang::En) => format!("the ingress controller (as you named it) is {}: it opens a normal pod-to-pod connection to each backend pod", pods.join(", ")),
                (ControllerHow::Chosen, Lang::Es) => format!("el controlador de ingress (indicado por ti) es {}: abre una conexión normal de pod a pod hacia cada pod backend", pods.join(", ")),
            }
        }
        (Note::IngressRoute { ingress, service, port }, Lang::En) => format!("Ingress `{ingress}` routes to Service `{service}` port {port}; a denied backend is what the client sees as 502/503/504"),
        (Note::IngressRoute { ingress, service, port }, Lang::Es) => format!("el Ingress `{ingress}` envía al servicio `{service}` puerto {port}; un backend denegado es lo que el cliente ve como 502/503/504"),
        (Note::DnsDeclared { service, ip }, Lang::En) => format!("names are resolved by Service `{service}`{} over UDP 53 and TCP 53 (TCP for large answers)", ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()),
        (Note::DnsDeclared { service, ip }, Lang::Es) => format!("los nombres los resuelve el servicio `{service}`{} por UDP 53 y TCP 53 (TCP para respuestas grandes)", ip.as_ref().map(|i| format!(" ({i})")).unwrap_or_default()),
        (Note::DnsAssumed { found }, Lang::En) => format!("the input has no Service kube-system/kube-dns: assumed it is the usual one, in front of the {found} CoreDNS pod(s) labelled k8s-app=kube-dns in kube-system, on UDP 53 and TCP 53"),
        (Note::DnsAssumed { found }, Lang::Es) => format!("la entrada no tiene el servicio kube-system/kube-dns: se asume el habitual, delante de los {found} pod(s) de CoreDNS con la etiqueta k8s-app=kube-dns en kube-system, en UDP 53 y TCP 53"),
        (Note::DnsAssumedPod { name }, Lang::En) => format!("the input has neither kube-system/kube-dns nor CoreDNS pods: assumed one pod `{name}` labelled k8s-app=kube-dns, listening on UDP 53 and TCP 53, as in any cluster"),
        (Note::DnsAssumedPod { name }, Lang::Es) => format!("la entrada no tiene ni kube-system/kube-dns ni pods de CoreDNS: se asume un pod `{name}` con la etiqueta k8s-app=kube-dns, escuchando en UDP 53 y TCP 53, como en cualquier clúster"),
        (Note::PodsDiffer { workload, pods }, Lang::En) => format!("the {pods} pods of `{workload}` differ in what the policies see (a rolling update?), so each pod is asked on its own"),
        (Note::PodsDiffer { workload, pods }, Lang::Es) => format!("los {pods} pods de `{workload}` difieren en lo que ven las políticas (¿una actualización progresiva?), así que se pregunta por cada pod"),
        (Note::NoBackends { service, reason }, lang) => match (reason, lang) {
            (NoBackendsReason::SelectorMatchesNothing { selector, namespace }, Lang::En) => format!("Service `{service}` has no backends: its selector {selector} matches no pod of namespace `{namespace}`, so nothing answers (whatever the policies say)"),
            (NoBackendsReason::SelectorMatchesNothing { selector, namespace }, Lang::Es) => format!("el servicio `{service}` no tiene backends: su selector {selector} no coincide con ningún pod del namespace `{namespace}`, así que nadie responde (digan lo que digan las políticas)"),
            (NoBackendsReason::NoSelector, Lang::En) => format!("Service `{service}` has no selector: its endpoints are managed by hand (EndpointSlices), which the playground does not read"),
            (NoBackendsReason::NoSelector, Lang::Es) => format!("el servicio `{service}` no tiene selector: sus endpoints se gestionan a mano (EndpointSlices), y el playground no los lee"),
            (NoBackendsReason::NoPodDeclaresPort { name, protocol }, Lang::En) => format!("Service `{service}` has no backends for this port: no selected pod declares a {protocol} container port named `{name}`"),
            (NoBackendsReason::NoPodDeclaresPort { name, protocol }, Lang::Es) => format!("el servicio `{service}` no tiene backends para este puerto: ningún pod seleccionado declara un puerto {protocol} llamado `{name}`"),
        },
    }
}

/// The headline: `utils/utils -> svc:webapp-balanced/webapp-balanced TCP 80: DENIED (0 of 1 backends allowed)`.
pub fn headline(d: &ServiceDecision, lang: Lang) -> String {
    let (allowed, total) = d.counts();
    let conn = match (&d.port, d.protocol) {
        (_, QueryProtocol::ICMP) => "ICMP (ping)".to_string(),
        (Some(p), proto) => format!("{proto} {p}"),
        (None, proto) => proto.to_string(),
    };
    let conn = if d.via == Via::Dns {
        pick(lang, "DNS (UDP 53, TCP 53)", "DNS (UDP 53, TCP 53)")
    } else {
        conn
    };
    let to = if d.to.is_empty() {
        pick(lang, "(every backend)", "(todos los backends)")
    } else {
        d.to.clone()
    };
    let mut s = format!(
        "{} -> {to} {conn}: {}",
        d.from,
        outcome_word(d.outcome, lang)
    );
    if d.via != Via::Direct && total > 0 && d.outcome != Outcome::Unknown {
        s.push_str(&match lang {
            Lang::En => format!(" ({allowed} of {total} backend connections allowed)"),
            Lang::Es => format!(" ({allowed} de {total} conexiones a backends permitidas)"),
        });
    }
    s
}

/// The whole explanation: headline, facts, then each backend's explained decision.
pub fn explain(d: &ServiceDecision, lang: Lang) -> Vec<String> {
    let mut out = vec![headline(d, lang)];
    if let Some(e) = &d.error {
        out.push(format!("  {e}"));
    }
    for n in &d.notes {
        out.push(format!("  {}", note(n, lang)));
    }
    if d.via == Via::Direct {
        // One pod-level decision: its own explanation, without repeating the headline.
        if let Some(dec) = d.backends.first().and_then(|b| b.decision.as_ref()) {
            out.extend(explain::explain(dec, lang).into_iter().skip(1));
        }
        return out;
    }
    for b in &d.backends {
        match (&b.decision, &b.not_serving) {
            (_, Some(why)) => out.push(format!(
                "  {} {}: {why}",
                pick(lang, "backend", "backend"),
                b.pod
            )),
            (Some(dec), None) => {
                for (i, l) in explain::explain(dec, lang).into_iter().enumerate() {
                    out.push(if i == 0 {
                        format!("  - {l}")
                    } else {
                        format!("  {l}")
                    });
                }
            }
            (None, None) => {}
        }
    }
    out
}
