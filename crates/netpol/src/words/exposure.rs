//! Exposures in words, English and Spanish: lowercase, user input in backticks; the
//! connection sets in `connlist`'s wording (`TCP 80,443; UDP 53`).

use super::Lang;
use crate::exposure::{
    Certainty, DirectionExposure, Exposure, Grant, NamedPort, Namespaces, PeerClass, Ports,
    TierRuleRef, WorkloadExposure,
};
use crate::model::{Direction, Selector, NAMESPACE_NAME_LABEL};

fn pick(lang: Lang, en: &str, es: &str) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Es => es.to_string(),
    }
}

/// `namespace `utils`` for a selector that is only a name label, else none.
fn name_only(s: &Selector) -> Option<&str> {
    match (s.match_labels.as_slice(), s.match_expressions.is_empty()) {
        ([(k, v)], true) if k == NAMESPACE_NAME_LABEL => Some(v),
        _ => None,
    }
}

/// Who: `any pod in any namespace`, `pods labelled `app=web` in namespaces labelled
/// `team=a``, `the internet except `10.0.0.0/8``, ...
pub fn peer(p: &PeerClass, lang: Lang) -> String {
    match p {
        PeerClass::NotIsolated => pick(
            lang,
            "any pod anywhere and any address (not isolated)",
            "cualquier pod de cualquier sitio y cualquier dirección (sin aislar)",
        ),
        PeerClass::Everyone => pick(
            lang,
            "any pod in any namespace and any address",
            "cualquier pod de cualquier namespace y cualquier dirección",
        ),
        PeerClass::Pods { namespaces, pods } => {
            let who = if pods.is_empty() {
                pick(lang, "any pod", "cualquier pod")
            } else {
                match lang {
                    Lang::En => format!("pods labelled `{pods}`"),
                    Lang::Es => format!("los pods etiquetados `{pods}`"),
                }
            };
            let place = match (namespaces, lang) {
                (Namespaces::Any, Lang::En) => "in any namespace".to_string(),
                (Namespaces::Any, Lang::Es) => "de cualquier namespace".to_string(),
                (Namespaces::Labelled { selector }, _) => match (name_only(selector), lang) {
                    (Some(n), Lang::En) => format!("in a namespace named `{n}`"),
                    (Some(n), Lang::Es) => format!("de un namespace llamado `{n}`"),
                    (None, Lang::En) => format!("in namespaces labelled `{selector}`"),
                    (None, Lang::Es) => format!("de los namespaces etiquetados `{selector}`"),
                },
                (Namespaces::Named { name }, Lang::En) => format!("in namespace `{name}`"),
                (Namespaces::Named { name }, Lang::Es) => format!("del namespace `{name}`"),
                (Namespaces::Own { name }, Lang::En) => {
                    format!("in its own namespace `{name}`")
                }
                (Namespaces::Own { name }, Lang::Es) => {
                    format!("de su propio namespace `{name}`")
                }
            };
            format!("{who} {place}")
        }
        PeerClass::Addresses { cidr, except } => {
            let mut s = if cidr.prefix_len() == 0 {
                match lang {
                    Lang::En => format!("the internet (`{cidr}`)"),
                    Lang::Es => format!("internet (`{cidr}`)"),
                }
            } else {
                match lang {
                    Lang::En => format!("the addresses in `{cidr}`"),
                    Lang::Es => format!("las direcciones de `{cidr}`"),
                }
            };
            if !except.is_empty() {
                let list: Vec<String> = except.iter().map(|e| format!("`{e}`")).collect();
                s.push_str(&match lang {
                    Lang::En => format!(" except {}", list.join(", ")),
                    Lang::Es => format!(" salvo {}", list.join(", ")),
                });
            }
            s
        }
    }
}

fn named(n: &NamedPort, lang: Lang) -> String {
    match (n.protocol, lang) {
        (Some(p), Lang::En) => format!("the {p} port named `{}`", n.name),
        (Some(p), Lang::Es) => format!("el puerto {p} llamado `{}`", n.name),
        (None, Lang::En) => format!("the port named `{}`", n.name),
        (None, Lang::Es) => format!("el puerto llamado `{}`", n.name),
    }
}

/// `TCP 80`, `every port and protocol`, `TCP 80 and the TCP port named `http``.
pub fn ports(p: &Ports, lang: Lang) -> String {
    let mut parts = Vec::new();
    if p.set.is_all() {
        parts.push(pick(
            lang,
            "every port and protocol",
            "cualquier puerto y protocolo",
        ));
    } else if !p.set.is_empty() {
        parts.push(p.set.to_string());
    }
    parts.extend(p.named.iter().map(|n| named(n, lang)));
    let and = pick(lang, " and ", " y ");
    parts.join(&and)
}

/// `NetworkPolicy `shop/allow-web` `spec.ingress[0].from[1]``.
pub fn grant(g: &Grant, lang: Lang) -> String {
    let path = g.path().unwrap_or_default();
    match g {
        Grant::NetworkPolicy {
            namespace, name, ..
        } => format!("NetworkPolicy `{namespace}/{name}` `{path}`"),
        Grant::ClusterPolicy {
            kind,
            name,
            rule_name,
            ..
        } => match rule_name {
            Some(r) => format!("{kind} `{name}` `{path}` (`{r}`)"),
            None => format!("{kind} `{name}` `{path}`"),
        },
        Grant::NoPolicy { direction } => match lang {
            Lang::En => format!("no NetworkPolicy selects it for {}", direction.as_str()),
            Lang::Es => format!(
                "ninguna NetworkPolicy lo selecciona para {}",
                direction.as_str()
            ),
        },
    }
}

fn tier_rule(r: &TierRuleRef) -> String {
    let field = r.direction.as_str();
    match &r.rule_name {
        Some(n) => format!(
            "`{}` `spec.{field}[{}]` (`{n}`, {})",
            r.policy,
            r.rule,
            r.action.as_str()
        ),
        None => format!(
            "`{}` `spec.{field}[{}]` ({})",
            r.policy,
            r.rule,
            r.action.as_str()
        ),
    }
}

/// `on TCP 80 from pods labelled `app=web` in any namespace` (ingress) or `pods
/// labelled ... on TCP 80` (egress): one exposure without its verb.
fn reach(e: &Exposure, dir: Direction, lang: Lang) -> String {
    let who = peer(&e.peer, lang);
    let on = ports(&e.ports, lang);
    match (dir, lang) {
        (Direction::Ingress, Lang::En) => format!("on {on} from {who}"),
        (Direction::Ingress, Lang::Es) => format!("en {on} desde {who}"),
        (Direction::Egress, Lang::En) => format!("{who} on {on}"),
        (Direction::Egress, Lang::Es) => format!("{who} en {on}"),
    }
}

fn verb(dir: Direction, certainty: Certainty, lang: Lang) -> &'static str {
    match (dir, certainty, lang) {
        (Direction::Ingress, Certainty::Certain, Lang::En) => "reachable",
        (Direction::Ingress, Certainty::May, Lang::En) => "may be reachable",
        (Direction::Egress, Certainty::Certain, Lang::En) => "can reach",
        (Direction::Egress, Certainty::May, Lang::En) => "may reach",
        (Direction::Ingress, Certainty::Certain, Lang::Es) => "accesible",
        (Direction::Ingress, Certainty::May, Lang::Es) => "puede ser accesible",
        (Direction::Egress, Certainty::Certain, Lang::Es) => "puede alcanzar",
        (Direction::Egress, Certainty::May, Lang::Es) => "quizá alcance",
    }
}

/// What of the input the peer matches now: `now matches `a`, `b` and 2 more`, or
/// `matches nothing in the input yet`; None for everyone.
pub fn existing(e: &Exposure, lang: Lang) -> Option<String> {
    let any_pod =
        matches!(&e.peer, PeerClass::Pods { namespaces: Namespaces::Any, pods } if pods.is_empty());
    if e.peer.is_everyone() || ((e.peer.is_internet() || any_pod) && e.existing.is_empty()) {
        return None;
    }
    let addresses = matches!(e.peer, PeerClass::Addresses { .. });
    if e.existing.is_empty() {
        return Some(if addresses {
            pick(
                lang,
                "no pod of the input has an address in it",
                "ningún pod de la entrada tiene una dirección ahí",
            )
        } else {
            pick(
                lang,
                "matches nothing in the input yet",
                "aún no coincide con nada de la entrada",
            )
        });
    }
    let mut names: Vec<String> = e
        .existing
        .iter()
        .take(3)
        .map(|n| format!("`{n}`"))
        .collect();
    let more = e.existing.len().saturating_sub(3);
    let list = match (names.len(), more, lang) {
        (_, 0, _) if names.len() == 1 => names.remove(0),
        (_, 0, Lang::En) => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
        (_, 0, Lang::Es) => {
            let last = names.pop().unwrap_or_default();
            format!("{} y {last}", names.join(", "))
        }
        (_, m, Lang::En) => format!("{} and {m} more", names.join(", ")),
        (_, m, Lang::Es) => format!("{} y {m} más", names.join(", ")),
    };
    Some(match (addresses, lang) {
        (false, Lang::En) => format!("now matches {list}"),
        (false, Lang::Es) => format!("ahora coincide con {list}"),
        (true, Lang::En) => format!("also holds the addresses of {list}"),
        (true, Lang::Es) => format!("también contiene las direcciones de {list}"),
    })
}

/// One exposure in a line: `reachable on TCP 80 from any pod in any namespace (now
/// matches ...)`, with why it is "may" and for which pods.
pub fn exposure(e: &Exposure, dir: Direction, lang: Lang) -> String {
    let mut s = format!("{} {}", verb(dir, e.certainty, lang), reach(e, dir, lang));
    let mut notes = Vec::new();
    notes.extend(existing(e, lang));
    if e.some_pods {
        notes.push(pick(
            lang,
            "only some of its pods",
            "solo algunos de sus pods",
        ));
    }
    if !e.may_deny.is_empty() {
        let rules: Vec<String> = e.may_deny.iter().map(tier_rule).collect();
        notes.push(match lang {
            Lang::En => format!(
                "a cluster-scoped rule may deny some of them: {}",
                rules.join(", ")
            ),
            Lang::Es => format!(
                "una regla de clúster puede denegar a parte de ellos: {}",
                rules.join(", ")
            ),
        });
    } else if e.certainty == Certainty::May {
        notes.push(pick(
            lang,
            "Calico policies are not analysed for peers that do not exist",
            "las políticas de Calico no se analizan para pares que no existen",
        ));
    }
    if !notes.is_empty() {
        s.push_str(&format!(" ({})", notes.join("; ")));
    }
    s
}

/// `rule:` / `regla:`.
pub fn rule_word(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "rule:",
        Lang::Es => "regla:",
    }
}

/// The direction as a heading: `ingress` / `egress` (the API's words in both).
pub fn direction(dir: Direction) -> &'static str {
    dir.as_str()
}

/// `a, b and c`.
fn list(items: &[String], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    }
}

fn join(parts: &[String], lang: Lang) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => match lang {
            Lang::En => format!("{}, and {last}", rest.join(", ")),
            Lang::Es => format!("{} y {last}", rest.join(", ")),
        },
    }
}

/// One sentence for a workload and direction: ``webapp-balanced/webapp-balanced[Deployment]`
/// is reachable on TCP 80 from any pod in namespaces labelled `team=web`, and on TCP
/// 443 from the internet (`0.0.0.0/0`)`.
pub fn summary(w: &WorkloadExposure, dir: Direction, lang: Lang) -> String {
    direction_summary(&w.workload, w.direction(dir), lang)
}

/// [`summary`] for any name.
pub fn direction_summary(name: &str, d: &DirectionExposure, lang: Lang) -> String {
    let dir = d.direction;
    // The exposures on the same ports said once: `on TCP 80 from A and from B`.
    let parts = |c: Certainty| -> Vec<String> {
        let mut groups: Vec<(&Ports, Vec<String>)> = Vec::new();
        for e in d.exposures.iter().filter(|e| e.certainty == c) {
            let who = peer(&e.peer, lang);
            match groups.iter_mut().find(|(p, _)| **p == e.ports) {
                Some((_, list)) => {
                    if !list.contains(&who) {
                        list.push(who);
                    }
                }
                None => groups.push((&e.ports, vec![who])),
            }
        }
        groups
            .into_iter()
            .map(|(p, who)| {
                let on = ports(p, lang);
                let and = pick(lang, " and ", " y ");
                match (dir, lang) {
                    (Direction::Ingress, Lang::En) => {
                        let from: Vec<String> = who.iter().map(|w| format!("from {w}")).collect();
                        format!("on {on} {}", list(&from, &and))
                    }
                    (Direction::Ingress, Lang::Es) => {
                        let from: Vec<String> = who.iter().map(|w| format!("desde {w}")).collect();
                        format!("en {on} {}", list(&from, &and))
                    }
                    (Direction::Egress, Lang::En) => format!("{} on {on}", list(&who, &and)),
                    (Direction::Egress, Lang::Es) => format!("{} en {on}", list(&who, &and)),
                }
            })
            .collect()
    };
    let (certain, may) = (parts(Certainty::Certain), parts(Certainty::May));
    if certain.is_empty() && may.is_empty() {
        return match (dir, lang) {
            (Direction::Ingress, Lang::En) => {
                format!("`{name}` is reachable from nothing beyond the input")
            }
            (Direction::Ingress, Lang::Es) => {
                format!("`{name}` no es accesible desde nada fuera de la entrada")
            }
            (Direction::Egress, Lang::En) => {
                format!("`{name}` can reach nothing beyond the input")
            }
            (Direction::Egress, Lang::Es) => {
                format!("`{name}` no puede alcanzar nada fuera de la entrada")
            }
        };
    }
    let mut s = format!("`{name}`");
    let be = match (dir, lang) {
        (Direction::Ingress, Lang::En) => " is",
        (Direction::Ingress, Lang::Es) => " es",
        (Direction::Egress, _) => "",
    };
    if !certain.is_empty() {
        s.push_str(&format!(
            "{be} {} {}",
            verb(dir, Certainty::Certain, lang),
            join(&certain, lang)
        ));
    }
    if !may.is_empty() {
        if !certain.is_empty() {
            s.push_str(&pick(lang, "; it", "; y"));
        }
        s.push_str(&format!(
            " {} {}",
            verb(dir, Certainty::May, lang),
            join(&may, lang)
        ));
    }
    s
}
