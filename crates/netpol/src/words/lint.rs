//! The lints' messages and help in words, English and Spanish (`lint.rs`, `lint/rules.rs`,
//! `lint/tiers.rs`, `lint/calico.rs` decide what is checked and where; the words
//! are here). Each has one caller and is `#[inline(always)]`, and the names it quotes are
//! `impl Display` (the lint's own `&String` or `&str`, no conversion at the call): both
//! keep the page's wasm as it was with the words inline.

use super::Lang;
use crate::model::calico::Expr;
use crate::model::{Direction, Protocol, Selector, Tier, NAMESPACE_NAME_LABEL};
use std::fmt::Display;

// NetworkPolicies (`lint.rs`).

/// `selects-no-pod`: no pod of namespace `ns` matches the policy's `podSelector` `sel`
/// (`empty`: the input has no pod in `ns` at all).
#[inline(always)]
pub(crate) fn selects_no_pod(
    name: impl Display,
    ns: impl Display,
    sel: &Selector,
    empty: bool,
    lang: Lang,
) -> String {
    match (empty, lang) {
        (true, Lang::En) => {
            format!("`{name}` selects no pod: the input has no pods in namespace `{ns}`")
        }
        (true, Lang::Es) => format!(
            "`{name}` no selecciona ningún pod: la entrada no tiene pods en el namespace `{ns}`"
        ),
        (false, Lang::En) => format!(
            "`{name}` selects no pod: no pod in namespace `{ns}` matches `podSelector` `{sel}`"
        ),
        (false, Lang::Es) => format!(
            "`{name}` no selecciona ningún pod: ningún pod del namespace `{ns}` coincide con `podSelector` `{sel}`"
        ),
    }
}

/// `rules-ignored`: `field` rules while `policyTypes` lacks `ty`; the message and the
/// help (add `ty` to `policyTypes`, or remove the rules).
#[inline(always)]
pub(crate) fn rules_ignored(
    name: impl Display,
    field: impl Display,
    ty: impl Display,
    lang: Lang,
) -> (String, String) {
    match lang {
        Lang::En => (
            format!(
                "`{name}` has `{field}` rules but `policyTypes` lacks `{ty}`: they are ignored"
            ),
            format!("add `{ty}` to `policyTypes`, or remove the rules"),
        ),
        Lang::Es => (
            format!(
                "`{name}` tiene reglas `{field}` pero `policyTypes` no incluye `{ty}`: se ignoran"
            ),
            format!("añade `{ty}` a `policyTypes`, o elimina las reglas"),
        ),
    }
}

/// `duplicate-port-name`: pod `pod` names two container ports `name` (`first`, `second`).
#[inline(always)]
pub(crate) fn duplicate_port_name(
    pod: impl Display,
    name: impl Display,
    first: impl Display,
    second: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "`{pod}` declares the container port name `{name}` twice, as {first} and {second}: a NetworkPolicy's `port: {name}` means one of them (netpol takes the first of the protocol asked)"
        ),
        Lang::Es => format!(
            "`{pod}` declara dos veces el nombre de puerto de contenedor `{name}`, como {first} y {second}: el `port: {name}` de una NetworkPolicy designa uno de ellos (netpol toma el primero del protocolo pedido)"
        ),
    }
}

/// `duplicate-port-name`'s help: one name per container port.
#[inline(always)]
pub(crate) fn duplicate_port_name_help(lang: Lang) -> &'static str {
    lang.pick(
        "give each container port its own name",
        "da a cada puerto de contenedor su propio nombre",
    )
}

/// `selector-matches-nothing`: a peer's `namespaceSelector` matches no namespace.
#[inline(always)]
pub(crate) fn namespace_selector_matches_nothing(ns_sel: &Selector, lang: Lang) -> String {
    match lang {
        Lang::En => format!("`namespaceSelector` `{ns_sel}` matches no namespace"),
        Lang::Es => format!("`namespaceSelector` `{ns_sel}` no coincide con ningún namespace"),
    }
}

/// `selector-matches-nothing`, the seed's trap: namespace `v` exists without label `k=v`.
#[inline(always)]
pub(crate) fn namespace_label_missing(
    ns_sel: &Selector,
    k: impl Display,
    v: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!("`namespaceSelector` `{ns_sel}` matches no namespace: namespace `{v}` exists but has no label `{k}={v}`"),
        Lang::Es => format!("`namespaceSelector` `{ns_sel}` no coincide con ningún namespace: el namespace `{v}` existe pero no tiene la etiqueta `{k}={v}`"),
    }
}

/// The seed's trap's help: select the namespace's name label, or label the namespace.
#[inline(always)]
pub(crate) fn namespace_label_missing_help(k: impl Display, v: impl Display, lang: Lang) -> String {
    let name = NAMESPACE_NAME_LABEL;
    match lang {
        Lang::En => format!("a namespace only carries `{name}: {v}` unless you label it: select `{name}: {v}`, or run `kubectl label namespace {v} {k}={v}`"),
        Lang::Es => format!("un namespace solo lleva `{name}: {v}` salvo que lo etiquetes: selecciona `{name}: {v}`, o ejecuta `kubectl label namespace {v} {k}={v}`"),
    }
}

/// `selector-matches-nothing`: no pod matches `ps` in the selected namespaces `names`.
#[inline(always)]
pub(crate) fn no_pod_in_selected_namespaces(
    ps: &Selector,
    names: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => {
            format!("no pod matches `podSelector` `{ps}` in the selected namespaces ({names})")
        }
        Lang::Es => format!(
            "ningún pod coincide con `podSelector` `{ps}` en los namespaces seleccionados ({names})"
        ),
    }
}

/// `selector-matches-nothing`: a `podSelector` alone matches no pod of the policy's
/// namespace `ns`. (`*ps`, not `{ps}`: the selector's own `Display`, as the lint did.)
#[inline(always)]
pub(crate) fn pod_selector_matches_nothing(ps: &Selector, ns: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("`podSelector` `{}` matches no pod in namespace `{ns}`, the policy's own namespace", *ps),
        Lang::Es => format!("`podSelector` `{}` no coincide con ningún pod del namespace `{ns}`, el de la propia política", *ps),
    }
}

/// `selector-matches-nothing`, the seed's other trap: pods matching `ps` exist in other
/// namespaces (`list`), not in the policy's own `ns`.
#[inline(always)]
pub(crate) fn pod_selector_elsewhere(
    ps: &Selector,
    ns: impl Display,
    list: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!("a `podSelector` without `namespaceSelector` only selects pods in the policy's own namespace `{ns}`; pods matching `{}` exist in {list}", *ps),
        Lang::Es => format!("un `podSelector` sin `namespaceSelector` solo selecciona pods del namespace de la propia política, `{ns}`; hay pods que coinciden con `{}` en {list}", *ps),
    }
}

/// The other trap's help: add a `namespaceSelector` for namespace `first` to the peer.
#[inline(always)]
pub(crate) fn pod_selector_elsewhere_help(first: impl Display, lang: Lang) -> String {
    let name = NAMESPACE_NAME_LABEL;
    match lang {
        Lang::En => format!("to select them, add `namespaceSelector: {{matchLabels: {{{name}: {first}}}}}` to the same peer (no `-` before it)"),
        Lang::Es => format!("para seleccionarlos, añade `namespaceSelector: {{matchLabels: {{{name}: {first}}}}}` al mismo peer (sin `-` delante)"),
    }
}

/// `named-port-undeclared`: no selected (ingress) or destination (egress) pod declares
/// container port `name` for `proto`.
#[inline(always)]
pub(crate) fn named_port_undeclared(
    ingress: bool,
    proto: Protocol,
    name: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "no {} pod declares a {proto} container port named `{name}`, so this port entry matches nothing",
            if ingress { "selected" } else { "destination" }
        ),
        Lang::Es => format!(
            "ningún pod {} declara un puerto de contenedor {proto} llamado `{name}`, así que esta entrada de puerto no coincide con nada",
            if ingress { "seleccionado" } else { "de destino" }
        ),
    }
}

/// `egress-blocks-dns`: policy `name` isolates the egress of `shown` (and `rest` more
/// pods) with no way to DNS.
#[inline(always)]
pub(crate) fn egress_blocks_dns(
    name: impl Display,
    shown: impl Display,
    rest: usize,
    lang: Lang,
) -> String {
    let more = match (rest, lang) {
        (0, _) => String::new(),
        (n, Lang::En) => format!(" and {n} more"),
        (n, Lang::Es) => format!(" y {n} más"),
    };
    match lang {
        Lang::En => format!("`{name}` isolates egress of {shown}{more}, and no egress rule lets them reach DNS (UDP 53 to kube-system/kube-dns)"),
        Lang::Es => format!("`{name}` aísla la salida de {shown}{more}, y ninguna regla de salida les deja llegar al DNS (UDP 53 a kube-system/kube-dns)"),
    }
}

/// `egress-blocks-dns`'s help: the egress rule to add.
#[inline(always)]
pub(crate) fn egress_blocks_dns_help(lang: Lang) -> String {
    let to = "`to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]`";
    let ports = "`ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]`";
    match lang {
        Lang::En => format!("add an egress rule {to} with {ports}"),
        Lang::Es => format!("añade una regla de salida {to} con {ports}"),
    }
}

// NetworkPolicy rules that allow nothing, or nothing new (`lint/rules.rs`).

/// `redundant-rule`: rule `path` of `name` allows nothing new (`example`, also allowed by
/// the rules `by`).
#[inline(always)]
pub(crate) fn redundant_rule(
    name: impl Display,
    path: impl Display,
    example: impl Display,
    by: &[String],
    lang: Lang,
) -> String {
    let how = match (by.split_first(), lang) {
        (Some((first, [])), Lang::En) => format!(" (e.g. {first} allows it)"),
        (Some((first, [])), Lang::Es) => format!(" (p. ej., la permite {first})"),
        (Some((first, rest)), Lang::En) => {
            format!(" (e.g. {first} and {} more allow it)", rest.len())
        }
        (Some((first, rest)), Lang::Es) => {
            format!(" (p. ej., la permiten {first} y {} más)", rest.len())
        }
        (None, _) => String::new(),
    };
    match lang {
        Lang::En => format!("`{name}` {path} is redundant: every connection it allows is also allowed by other rules, such as {example}{how}; removing it changes no connection"),
        Lang::Es => format!("`{name}` {path} es redundante: toda conexión que permite la permiten también otras reglas, como {example}{how}; eliminarla no cambia ninguna conexión"),
    }
}

/// `redundant-rule`'s help: remove it, or narrow the broader rule.
#[inline(always)]
pub(crate) fn redundant_rule_help(lang: Lang) -> &'static str {
    lang.pick(
        "remove it (if it is the policy's last rule of its direction, keep that direction in `policyTypes`), or narrow the broader rule if this one says what was meant",
        "elimínala (si es la última regla de su dirección en la política, mantén esa dirección en `policyTypes`), o restringe la regla más amplia si esta dice lo que se quería",
    )
}

/// The rule checks skipped: `rules` rules over `cost` pairs is past `budget`.
#[inline(always)]
pub(crate) fn rule_checks_skipped(rules: usize, cost: usize, budget: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "the checks for rules that allow nothing or nothing new were skipped: {rules} rules over {cost} pairs of workloads is past their budget of {budget} pairs"
        ),
        Lang::Es => format!(
            "se omitieron las comprobaciones de reglas que no permiten nada o nada nuevo: {rules} reglas sobre {cost} pares de cargas de trabajo superan su presupuesto de {budget} pares"
        ),
    }
}

/// `rule-matches-nothing`: rule `path` of `name` (of direction `dir`) allows nothing.
#[inline(always)]
pub(crate) fn rule_matches_nothing(
    name: impl Display,
    path: impl Display,
    dir: Direction,
    lang: Lang,
) -> String {
    let what = match dir {
        Direction::Ingress => lang.pick(
            "no pod or address outside the cluster that it matches may send anything to the pods the policy selects",
            "ningún pod ni dirección fuera del clúster con los que coincide puede enviar nada a los pods que selecciona la política",
        ),
        Direction::Egress => lang.pick(
            "the pods the policy selects may send nothing through it to any pod or address outside the cluster",
            "los pods que selecciona la política no pueden enviar nada a través de ella a ningún pod ni dirección fuera del clúster",
        ),
    };
    match lang {
        Lang::En => format!("`{name}` {path} allows nothing: {what}"),
        Lang::Es => format!("`{name}` {path} no permite nada: {what}"),
    }
}

/// A policy none of whose rules lets anything through (the page's provenance).
#[inline(always)]
pub(crate) fn policy_allows_nothing(name: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("`{name}` allows nothing: none of its rules lets any connection through to or from the pods it selects; it only isolates them"),
        Lang::Es => format!("`{name}` no permite nada: ninguna de sus reglas deja pasar conexiones hacia o desde los pods que selecciona; solo los aísla"),
    }
}

/// `rule-matches-nothing`'s help: check its peers and ports.
#[inline(always)]
pub(crate) fn rule_matches_nothing_help(lang: Lang) -> &'static str {
    lang.pick(
        "check its peers (and their namespaces) and its ports against the pods of the input; `netpol query` shows near misses",
        "compara sus peers (y sus namespaces) y sus puertos con los pods de la entrada; `netpol query` muestra las reglas a las que les faltó poco",
    )
}

// Cluster-scoped policies (`lint/tiers.rs`).

/// `selects-no-pod`: no pod matches the cluster policy `name`'s `spec.subject`.
#[inline(always)]
pub(crate) fn subject_selects_no_pod(name: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("`{name}` selects no pod: no pod matches `spec.subject`"),
        Lang::Es => {
            format!("`{name}` no selecciona ningún pod: ningún pod coincide con `spec.subject`")
        }
    }
}

/// `equal-priority`: `a` and `b` share priority `n` in `tier` over the same pods.
#[inline(always)]
pub(crate) fn equal_priority(
    a: impl Display,
    b: impl Display,
    n: i32,
    tier: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!("`{a}` and `{b}` have the same priority {n} in the {tier} tier and select the same pods: which one applies first is undefined"),
        Lang::Es => format!("`{a}` y `{b}` tienen la misma prioridad {n} en el nivel {tier} y seleccionan los mismos pods: no está definido cuál se aplica primero"),
    }
}

/// `equal-priority`'s help: distinct priorities.
#[inline(always)]
pub(crate) fn equal_priority_help(lang: Lang) -> &'static str {
    lang.pick(
        "give the policies distinct priorities",
        "da a las políticas prioridades distintas",
    )
}

/// `shadowed-rule`: rule `this` is covered by the earlier rule `earlier` (actions
/// `first` and `then`, `same` when they are one).
#[inline(always)]
pub(crate) fn shadowed_rule(
    this: impl Display,
    earlier: impl Display,
    (first, then, same): (&str, &str, bool),
    lang: Lang,
) -> String {
    match (same, lang) {
        (true, Lang::En) => format!("{this} is redundant: the earlier rule {earlier} matches all its traffic with the same action `{first}`"),
        (true, Lang::Es) => format!("{this} es redundante: la regla anterior {earlier} coincide con todo su tráfico con la misma acción `{first}`"),
        (false, Lang::En) => format!("{this} never applies: the earlier rule {earlier} matches all its traffic first (`{first}` wins over `{then}`)"),
        (false, Lang::Es) => format!("{this} nunca se aplica: la regla anterior {earlier} coincide antes con todo su tráfico (`{first}` gana a `{then}`)"),
    }
}

/// `shadowed-rule`'s help: the first match wins.
#[inline(always)]
pub(crate) fn shadowed_rule_help(lang: Lang) -> &'static str {
    lang.pick(
        "rules are evaluated in order and the first match wins: move it up, or remove it",
        "las reglas se evalúan en orden y gana la primera que coincide: súbela, o elimínala",
    )
}

/// `pass-to-nothing`: a cluster policy's Pass rule `this` (tier `tier`, direction `d`)
/// with nothing below it.
#[inline(always)]
pub(crate) fn tier_pass_to_nothing(
    this: impl Display,
    tier: Tier,
    d: impl Display,
    lang: Lang,
) -> String {
    match (tier, lang) {
        (Tier::Baseline, Lang::En) => format!("{this} passes from the baseline tier, the last one: the traffic is allowed by default"),
        (Tier::Baseline, Lang::Es) => format!("{this} pasa desde el nivel baseline, el último: el tráfico se permite por defecto"),
        (Tier::Admin, Lang::En) => format!("{this} passes to NetworkPolicy, but no NetworkPolicy isolates the selected pods for {d} and no baseline policy selects them: the traffic is allowed"),
        (Tier::Admin, Lang::Es) => format!("{this} pasa a NetworkPolicy, pero ninguna NetworkPolicy aísla los pods seleccionados para {d} y ninguna política de base los selecciona: el tráfico se permite"),
    }
}

/// `pass-to-nothing`'s help for a cluster policy: write `allow` (`Accept` or `Allow`).
#[inline(always)]
pub(crate) fn tier_pass_to_nothing_help(allow: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("if you meant to allow it, write `{allow}`; Pass only matters when a NetworkPolicy or baseline policy applies"),
        Lang::Es => format!("si querías permitirlo, escribe `{allow}`; Pass solo importa cuando se aplica una NetworkPolicy o una política de base"),
    }
}

// Calico policies (`lint/calico.rs`).

/// `selects-no-pod`: no pod (of its namespace unless `global`) matches `sel`.
#[inline(always)]
pub(crate) fn calico_selects_no_pod(
    name: impl Display,
    sel: &Expr,
    global: bool,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!(
            "`{name}` selects no pod: no pod matches `spec.selector: {sel}`{}",
            if global { "" } else { " in its namespace" }
        ),
        Lang::Es => format!(
            "`{name}` no selecciona ningún pod: ningún pod{} coincide con `spec.selector: {sel}`",
            if global { "" } else { " de su namespace" }
        ),
    }
}

/// `unknown-tier`: tier `tier` is not defined in the input.
#[inline(always)]
pub(crate) fn unknown_tier(tier: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("tier `{tier}` is not defined here: Calico refuses a policy in a tier that does not exist; it is evaluated as a tier without `order` (after every other tier)"),
        Lang::Es => format!("el nivel (tier) `{tier}` no está definido aquí: Calico rechaza una política de un nivel que no existe; se evalúa como un nivel sin `order` (después de todos los demás)"),
    }
}

/// `unknown-tier`'s help: add the `Tier` object.
#[inline(always)]
pub(crate) fn unknown_tier_help(tier: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("add the `Tier` object `{tier}` with its `order`"),
        Lang::Es => format!("añade el objeto `Tier` `{tier}` con su `order`"),
    }
}

/// `service-account-unknown`: a `serviceAccountSelector` with no ServiceAccount loaded.
#[inline(always)]
pub(crate) fn service_account_unknown(lang: Lang) -> &'static str {
    lang.pick(
        "`serviceAccountSelector` looks at ServiceAccount labels, and the input has no ServiceAccount: only the `projectcalico.org/name` of each pod's account (its `serviceAccountName`, else `default`) is known",
        "`serviceAccountSelector` mira las etiquetas de las ServiceAccount, y la entrada no tiene ninguna ServiceAccount: solo se conoce el `projectcalico.org/name` de la cuenta de cada pod (su `serviceAccountName`, o si no, `default`)",
    )
}

/// `unreachable-rule`: rule `this` comes after `earlier`, which matches everything.
#[inline(always)]
pub(crate) fn unreachable_rule(
    this: impl Display,
    earlier: impl Display,
    action: impl Display,
    lang: Lang,
) -> String {
    match lang {
        Lang::En => format!("{this} never runs: {earlier} before it matches every connection (`{action}` without conditions)"),
        Lang::Es => format!("{this} nunca se ejecuta: {earlier}, antes que ella, coincide con toda conexión (`{action}` sin condiciones)"),
    }
}

/// `unreachable-rule`'s help: the first match decides.
#[inline(always)]
pub(crate) fn unreachable_rule_help(lang: Lang) -> &'static str {
    lang.pick(
        "rules run in order and the first match decides: move it up, or remove it",
        "las reglas se ejecutan en orden y decide la primera que coincide: súbela, o elimínala",
    )
}

/// `pass-to-nothing`: a Calico Pass rule `this` with no later tier for direction `d`.
#[inline(always)]
pub(crate) fn calico_pass_to_nothing(this: impl Display, d: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{this} passes to the next tier, but no later tier has a policy for the selected pods' {d}: the traffic is allowed"),
        Lang::Es => format!("{this} pasa al siguiente nivel, pero ningún nivel posterior tiene una política para el {d} de los pods seleccionados: el tráfico se permite"),
    }
}

/// `pass-to-nothing`'s help for a Calico rule: write `action: Allow`.
#[inline(always)]
pub(crate) fn calico_pass_to_nothing_help(lang: Lang) -> &'static str {
    lang.pick(
        "if you meant to allow it, write `action: Allow`",
        "si querías permitirlo, escribe `action: Allow`",
    )
}

/// `pass-to-nothing`: tier `tier`'s `defaultAction: Pass` with no later tier for `d`.
#[inline(always)]
pub(crate) fn default_pass_to_nothing(tier: impl Display, d: impl Display, lang: Lang) -> String {
    match lang {
        Lang::En => format!("tier `{tier}` has `defaultAction: Pass`, but no later tier has a policy for its pods' {d}: what its policies do not decide is allowed"),
        Lang::Es => format!("el nivel (tier) `{tier}` tiene `defaultAction: Pass`, pero ningún nivel posterior tiene una política para el {d} de sus pods: se permite lo que sus políticas no deciden"),
    }
}
