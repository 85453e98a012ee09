//! The lints' registry in words: each lint's summary, explanation and fix in English and
//! Spanish (`[English, Spanish]`) with its YAML examples, and the loader's common codes.
//! `lint/registry.rs` keeps the codes, severities and the text built from these;
//! [`markdown`] is `docs/lints.md`.

use crate::codes::{LintCode, LintInfo};
use crate::diag::Severity;
use crate::explain::Lang;

/// Lint `code`'s entry: where it applies, its summary, explanation, fix and examples.
#[inline(always)]
#[allow(
    clippy::too_many_lines,
    reason = "the lints' registry: a table of words, data rather than logic"
)]
pub(crate) fn info(code: LintCode) -> &'static LintInfo {
    match code {
        LintCode::SelectsNoPod => &LintInfo {
            code: LintCode::SelectsNoPod,
            severity: Severity::Warning,
            applies_to: [
                "NetworkPolicy, AdminNetworkPolicy, ClusterNetworkPolicy, Calico NetworkPolicy and GlobalNetworkPolicy",
                "NetworkPolicy, AdminNetworkPolicy, ClusterNetworkPolicy, NetworkPolicy y GlobalNetworkPolicy de Calico",
            ],
            summary: [
                "The policy's selector matches no pod in the input, so the policy isolates nothing and allows nothing.",
                "El selector de la política no coincide con ningún pod de la entrada, así que la política no aísla ni permite nada.",
            ],
            explanation: [
                "A NetworkPolicy applies only to the pods its `podSelector` selects in the policy's own namespace (in AdminNetworkPolicy and ClusterNetworkPolicy, `spec.subject`; in Calico, `spec.selector`). When no pod matches, the policy does nothing at all: it isolates no pod, and its rules allow nothing. The usual causes are a label typo (`app: web` against pods labelled `app: webapp`) and a policy created in the wrong namespace. When the namespace has no pod at all in the input, this is only information (severity info): those pods may simply not be part of what you pasted.",
                "Una NetworkPolicy solo se aplica a los pods que su `podSelector` selecciona en el namespace de la propia política (en AdminNetworkPolicy y ClusterNetworkPolicy, `spec.subject`; en Calico, `spec.selector`). Si ningún pod coincide, la política no hace nada: no aísla ningún pod y sus reglas no permiten nada. Las causas habituales son una errata en una etiqueta (`app: web` frente a pods etiquetados `app: webapp`) y una política creada en el namespace equivocado. Si el namespace no tiene ningún pod en la entrada, es solo información (severidad info): puede que esos pods no formen parte de lo que has pegado.",
            ],
            fix: [
                "Select the labels the pods really carry (`kubectl get pods -n NAMESPACE --show-labels` shows them).",
                "Selecciona las etiquetas que llevan de verdad los pods (`kubectl get pods -n NAMESPACE --show-labels` las muestra).",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: webapp}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: webapp}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: webapp}}
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}}]
",
        },
        LintCode::RulesIgnored => &LintInfo {
            code: LintCode::RulesIgnored,
            severity: Severity::Warning,
            applies_to: [
                "NetworkPolicy",
                "NetworkPolicy",
            ],
            summary: [
                "`ingress` or `egress` rules in a policy whose `policyTypes` lacks that direction: the rules are ignored.",
                "Reglas `ingress` o `egress` en una política cuyo `policyTypes` no incluye esa dirección: las reglas se ignoran.",
            ],
            explanation: [
                "When `policyTypes` is written, it alone decides which directions the policy isolates, and the rules of a direction it does not list are ignored as if they were not there. A policy with `policyTypes: [Ingress]` and `egress` rules neither isolates the pods' egress nor allows anything with those rules. Without `policyTypes`, Kubernetes assumes `Ingress` always, and `Egress` when there are egress rules.",
                "Cuando se escribe `policyTypes`, solo él decide qué direcciones aísla la política, y las reglas de una dirección que no figura en la lista se ignoran como si no existieran. Una política con `policyTypes: [Ingress]` y reglas `egress` ni aísla la salida de los pods ni permite nada con esas reglas. Sin `policyTypes`, Kubernetes supone siempre `Ingress`, y también `Egress` cuando hay reglas de salida.",
            ],
            fix: [
                "Add the missing direction to `policyTypes`, or remove the rules you did not mean.",
                "Añade la dirección que falta a `policyTypes`, o elimina las reglas que no querías.",
            ],
            bad: "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
",
            good: "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
",
        },
        LintCode::SelectorMatchesNothing => &LintInfo {
            code: LintCode::SelectorMatchesNothing,
            severity: Severity::Warning,
            applies_to: [
                "NetworkPolicy (`from` and `to` peers)",
                "NetworkPolicy (peers de `from` y `to`)",
            ],
            summary: [
                "A `from`/`to` peer selects no pod: often a `podSelector` without `namespaceSelector` (it only looks in the policy's namespace) or a `namespaceSelector` on a label the namespace lacks.",
                "Un peer de `from`/`to` no selecciona ningún pod: a menudo un `podSelector` sin `namespaceSelector` (solo busca en el namespace de la política) o un `namespaceSelector` con una etiqueta que el namespace no tiene.",
            ],
            explanation: [
                "A peer with only a `podSelector` selects pods in the policy's own namespace, never in others, even when pods with those labels exist elsewhere. A `namespaceSelector` matches the labels of namespaces, and a namespace carries only `kubernetes.io/metadata.name: NAME` unless someone labels it: `namespaceSelector: {matchLabels: {name: utils}}` matches nothing on a fresh cluster. Either way the peer allows nothing, and the connection you meant to allow is denied. These are the two traps of the seed tutorial.",
                "Un peer que solo tiene `podSelector` selecciona pods del namespace de la propia política, nunca de otros, aunque en otros haya pods con esas etiquetas. Un `namespaceSelector` compara las etiquetas de los namespaces, y un namespace solo lleva `kubernetes.io/metadata.name: NOMBRE` salvo que alguien lo etiquete: `namespaceSelector: {matchLabels: {name: utils}}` no coincide con nada en un clúster recién creado. En ambos casos el peer no permite nada y la conexión que querías permitir queda denegada. Son las dos trampas del tutorial de partida.",
            ],
            fix: [
                "Put `namespaceSelector` and `podSelector` in the same peer (no `-` before the second), and select the namespace by `kubernetes.io/metadata.name`.",
                "Pon `namespaceSelector` y `podSelector` en el mismo peer (sin `-` delante del segundo), y selecciona el namespace por `kubernetes.io/metadata.name`.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: utils, namespace: utils, labels: {app: utils}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-utils, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: utils}}
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: utils, namespace: utils, labels: {app: utils}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-utils, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: utils}}
      podSelector: {matchLabels: {app: utils}}
",
        },
        LintCode::NamedPortUndeclared => &LintInfo {
            code: LintCode::NamedPortUndeclared,
            severity: Severity::Warning,
            applies_to: [
                "NetworkPolicy (`ports` of a rule)",
                "NetworkPolicy (`ports` de una regla)",
            ],
            summary: [
                "A `port: NAME` that no candidate pod declares as a container port: the port entry matches nothing.",
                "Un `port: NOMBRE` que ningún pod candidato declara como puerto de contenedor: esa entrada de puerto no coincide con nada.",
            ],
            explanation: [
                "A named port in a NetworkPolicy is resolved on each destination pod, through the `name` of its containers' `ports` with the same protocol. In an ingress rule the destinations are the pods the policy selects; in an egress rule, any pod. When none of them declares a port by that name, the entry allows no port at all. The usual causes are a typo (`htpp`), the name of the Service's port instead of the container's, and a protocol mismatch (`dns` declared for UDP, asked for TCP).",
                "Un puerto con nombre en una NetworkPolicy se resuelve en cada pod de destino mediante el `name` de los `ports` de sus contenedores con el mismo protocolo. En una regla de entrada, los destinos son los pods que selecciona la política; en una de salida, cualquier pod. Si ninguno declara un puerto con ese nombre, la entrada no permite ningún puerto. Las causas habituales son una errata (`htpp`), el nombre del puerto del Service en lugar del del contenedor, y un protocolo distinto (`dns` declarado para UDP y pedido para TCP).",
            ],
            fix: [
                "Use the name the container declares (`ports[].name` in the pod's containers), or the port number.",
                "Usa el nombre que declara el contenedor (`ports[].name` en los contenedores del pod), o el número de puerto.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - name: app
    ports: [{name: http, containerPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-http, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: web-http}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - name: app
    ports: [{name: http, containerPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-http, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: http}]
",
        },
        LintCode::EgressBlocksDns => &LintInfo {
            code: LintCode::EgressBlocksDns,
            severity: Severity::Warning,
            applies_to: [
                "NetworkPolicy",
                "NetworkPolicy",
            ],
            summary: [
                "A policy isolates egress and no egress rule lets the pods reach DNS (UDP 53 to kube-system/kube-dns): name lookups fail.",
                "Una política aísla la salida y ninguna regla de salida deja a los pods llegar al DNS (UDP 53 hacia kube-system/kube-dns): la resolución de nombres falla.",
            ],
            explanation: [
                "Once a pod is isolated for egress (a policy selects it with `Egress` in its `policyTypes`), everything it sends is denied unless an egress rule allows it, and that includes its DNS queries to kube-dns (CoreDNS) in `kube-system`. The pod can still connect to addresses, but every connection by name (`db.shop.svc`, `api.example.com`) fails first at the lookup, which usually looks like a timeout rather than a denial. When the input has no kube-dns pod, netpol assumes the usual one (namespace `kube-system`, label `k8s-app: kube-dns`).",
                "En cuanto un pod queda aislado para la salida (una política lo selecciona con `Egress` en su `policyTypes`), todo lo que envía se deniega salvo que una regla de salida lo permita, y eso incluye sus consultas DNS a kube-dns (CoreDNS) en `kube-system`. El pod aún puede conectarse a direcciones IP, pero toda conexión por nombre (`db.shop.svc`, `api.example.com`) falla antes, al resolver el nombre, y eso suele parecer un tiempo de espera agotado más que una denegación. Si la entrada no tiene ningún pod de kube-dns, netpol supone el habitual (namespace `kube-system`, etiqueta `k8s-app: kube-dns`).",
            ],
            fix: [
                "Add an egress rule to the kube-dns pods on port 53, UDP and TCP.",
                "Añade una regla de salida hacia los pods de kube-dns en el puerto 53, UDP y TCP.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
    ports: [{port: 443}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
    ports: [{port: 443}]
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
",
        },
        LintCode::DuplicatePortName => &LintInfo {
            code: LintCode::DuplicatePortName,
            severity: Severity::Warning,
            applies_to: [
                "Pods and workloads",
                "pods y cargas de trabajo",
            ],
            summary: [
                "A pod declares one container port name twice with different numbers: `port: NAME` in a policy means only one of them.",
                "Un pod declara el mismo nombre de puerto de contenedor dos veces con números distintos: `port: NOMBRE` en una política solo se refiere a uno de ellos.",
            ],
            explanation: [
                "The API server refuses a port name used twice in one container, but not in two containers of the same pod. A NetworkPolicy's `port: NAME` then resolves to one of the two numbers (netpol takes the first declared for the protocol asked; network plugins may differ), so that rule does not allow the other port, and which one wins is evident from neither manifest.",
                "El servidor de la API rechaza un nombre de puerto repetido dentro de un contenedor, pero no en dos contenedores del mismo pod. El `port: NOMBRE` de una NetworkPolicy se resuelve entonces a uno de los dos números (netpol toma el primero declarado para el protocolo pedido; los plugins de red pueden actuar de otro modo), así que esa regla no permite el otro puerto, y cuál gana no se deduce de ninguno de los dos manifiestos.",
            ],
            fix: [
                "Give each container port its own name, and name in the policy the one you mean.",
                "Da a cada puerto de contenedor su propio nombre, y usa en la política el del puerto que quieres.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - name: app
    ports: [{name: http, containerPort: 8080}]
  - name: sidecar
    ports: [{name: http, containerPort: 8081}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
  - name: app
    ports: [{name: http, containerPort: 8080}]
  - name: sidecar
    ports: [{name: http-sidecar, containerPort: 8081}]
",
        },
        LintCode::EqualPriority => &LintInfo {
            code: LintCode::EqualPriority,
            severity: Severity::Warning,
            applies_to: [
                "AdminNetworkPolicy, ClusterNetworkPolicy",
                "AdminNetworkPolicy, ClusterNetworkPolicy",
            ],
            summary: [
                "Two cluster-scoped policies in one tier have the same priority and select the same pods: which one applies first is undefined.",
                "Dos políticas de ámbito de clúster del mismo nivel (tier) tienen la misma prioridad y seleccionan los mismos pods: no está definido cuál se aplica primero.",
            ],
            explanation: [
                "AdminNetworkPolicies, and ClusterNetworkPolicies within a tier, are evaluated in order of `priority`, lowest first, and the first rule that matches decides. Two policies with the same priority over the same pods have no defined order: the API leaves the choice to each implementation, so when one allows and the other denies the same traffic, the verdict can differ from one network plugin to another.",
                "Las AdminNetworkPolicies, y las ClusterNetworkPolicies dentro de un nivel, se evalúan por orden de `priority`, de menor a mayor, y decide la primera regla que coincide. Dos políticas con la misma prioridad sobre los mismos pods no tienen un orden definido: la API deja la elección a cada implementación, así que si una permite y la otra deniega el mismo tráfico, el veredicto puede cambiar de un plugin de red a otro.",
            ],
            fix: [
                "Give the policies distinct priorities, the lower one to the policy that must win.",
                "Da a las políticas prioridades distintas, la más baja a la que debe ganar.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-monitoring}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
  - action: Allow
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-all}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: allow-monitoring}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
  - action: Allow
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-all}
spec:
  priority: 20
  subject: {namespaces: {}}
  ingress:
  - action: Deny
    from: [{namespaces: {}}]
",
        },
        LintCode::ShadowedRule => &LintInfo {
            code: LintCode::ShadowedRule,
            severity: Severity::Warning,
            applies_to: [
                "AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy",
                "AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy",
            ],
            summary: [
                "A rule never decides anything: an earlier rule of the same policy matches all its traffic.",
                "Una regla nunca decide nada: una regla anterior de la misma política coincide con todo su tráfico.",
            ],
            explanation: [
                "In AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy, a policy's rules are evaluated in order and the first that matches decides. A rule whose peers and ports an earlier rule all covers never gets a say: with the same action it is redundant; with another action it is dead code that looks as if it did something, typically an exception (`Deny` port 22) written after the broader rule it was meant to carve out of. The check is syntactic: it compares the peers and ports as written.",
                "En AdminNetworkPolicy, BaselineAdminNetworkPolicy y ClusterNetworkPolicy, las reglas de una política se evalúan en orden y decide la primera que coincide. Una regla cuyos peers y puertos cubre por completo una regla anterior nunca llega a decidir: con la misma acción sobra; con otra acción es código muerto que aparenta hacer algo, normalmente una excepción (`Deny` del puerto 22) escrita después de la regla más amplia de la que debía ser excepción. La comprobación es sintáctica: compara los peers y los puertos tal como están escritos.",
            ],
            fix: [
                "Move the narrower rule before the broader one, or remove it.",
                "Pon la regla más específica antes que la más amplia, o elimínala.",
            ],
            bad: "apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: monitoring}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
  - name: allow-monitoring
    action: Allow
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
  - name: no-ssh-from-monitoring
    action: Deny
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
    ports: [{portNumber: {protocol: TCP, port: 22}}]
",
            good: "apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: monitoring}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
  - name: no-ssh-from-monitoring
    action: Deny
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
    ports: [{portNumber: {protocol: TCP, port: 22}}]
  - name: allow-monitoring
    action: Allow
    from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
",
        },
        LintCode::PassToNothing => &LintInfo {
            code: LintCode::PassToNothing,
            severity: Severity::Warning,
            applies_to: [
                "AdminNetworkPolicy, ClusterNetworkPolicy, Calico policies and Tiers",
                "AdminNetworkPolicy, ClusterNetworkPolicy, políticas y Tiers de Calico",
            ],
            summary: [
                "A `Pass` with nothing below it to decide: no NetworkPolicy, baseline policy or later Calico tier applies, so the traffic is allowed.",
                "Un `Pass` sin nada debajo que decida: no se aplica ninguna NetworkPolicy, política de base ni nivel posterior de Calico, así que el tráfico se permite.",
            ],
            explanation: [
                "`Pass` does not deny: it skips the rest of its tier and hands the decision to the layers below, NetworkPolicy and then the baseline tier (in Calico, the next tier; a Tier's `defaultAction: Pass` does the same for what its policies leave undecided). When none of those layers applies to the selected pods, the traffic reaches the default, which is to allow; a `Pass` in the baseline tier goes there directly. `Pass` is often written to mean \"let NetworkPolicy decide\" while no NetworkPolicy isolates those pods, or to mean \"allow\": either way the traffic is allowed, whatever the author expected the lower layer to do.",
                "`Pass` no deniega: salta el resto de su nivel y cede la decisión a las capas de debajo, NetworkPolicy y después el nivel de base (en Calico, el nivel siguiente; el `defaultAction: Pass` de un Tier hace lo mismo con lo que sus políticas dejan sin decidir). Si ninguna de esas capas se aplica a los pods seleccionados, el tráfico llega al comportamiento por defecto, que es permitirlo; un `Pass` en el nivel de base va allí directamente. Se suele escribir `Pass` con la idea de «que decida NetworkPolicy» cuando ninguna NetworkPolicy aísla esos pods, o con la idea de «permitir»: en ambos casos el tráfico se permite, aunque el autor esperase otra cosa de la capa inferior.",
            ],
            fix: [
                "Write `Allow` (`Accept` in ClusterNetworkPolicy) if you meant to allow; if a lower layer should decide, add the NetworkPolicy that isolates those pods.",
                "Escribe `Allow` (`Accept` en ClusterNetworkPolicy) si querías permitir; si debe decidir una capa inferior, añade la NetworkPolicy que aísle esos pods.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop-from-anywhere}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
  - action: Pass
    from: [{namespaces: {}}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: shop-from-anywhere}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
  - action: Allow
    from: [{namespaces: {}}]
",
        },
        LintCode::UnknownTier => &LintInfo {
            code: LintCode::UnknownTier,
            severity: Severity::Warning,
            applies_to: [
                "Calico NetworkPolicy and GlobalNetworkPolicy",
                "NetworkPolicy y GlobalNetworkPolicy de Calico",
            ],
            summary: [
                "A Calico policy names a tier that the input does not define.",
                "Una política de Calico nombra un nivel (tier) que la entrada no define.",
            ],
            explanation: [
                "A Calico policy belongs to the tier in `spec.tier` (`default` when absent), and tiers run in their `order`. Calico refuses a policy whose tier does not exist, so either the `Tier` object is missing from what you pasted or its name has a typo. netpol still evaluates the policy, as if in a tier without `order`, after every other tier, which is probably not where you meant it.",
                "Una política de Calico pertenece al nivel indicado en `spec.tier` (`default` si no se indica), y los niveles se evalúan según su `order`. Calico rechaza una política cuyo nivel no existe, así que o falta el objeto `Tier` en lo que has pegado o su nombre tiene una errata. netpol evalúa la política igualmente, como si estuviera en un nivel sin `order`, después de todos los demás, y probablemente no es ahí donde la querías.",
            ],
            fix: [
                "Add the `Tier` object with its `order`, or correct the tier's name.",
                "Añade el objeto `Tier` con su `order`, o corrige el nombre del nivel.",
            ],
            bad: "apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.db-no-egress}
spec:
  tier: security
  order: 10
  selector: app == 'db'
  types: [Egress]
  egress:
  - action: Deny
",
            good: "apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.db-no-egress}
spec:
  tier: security
  order: 10
  selector: app == 'db'
  types: [Egress]
  egress:
  - action: Deny
",
        },
        LintCode::ServiceAccountUnknown => &LintInfo {
            code: LintCode::ServiceAccountUnknown,
            severity: Severity::Info,
            applies_to: [
                "Calico NetworkPolicy and GlobalNetworkPolicy",
                "NetworkPolicy y GlobalNetworkPolicy de Calico",
            ],
            summary: [
                "A Calico `serviceAccountSelector` while the input has no ServiceAccount: only the accounts' names are known.",
                "Un `serviceAccountSelector` de Calico cuando la entrada no tiene ningún ServiceAccount: solo se conocen los nombres de las cuentas.",
            ],
            explanation: [
                "`serviceAccountSelector` selects pods by the labels of their ServiceAccount, not of the pod. Without the ServiceAccount objects in the input, netpol knows of each account only its name (the pod's `serviceAccountName`, else `default`), as the label `projectcalico.org/name`; a selector on any other label matches no pod here, though it may in the cluster. This is information, not an error.",
                "`serviceAccountSelector` selecciona pods por las etiquetas de su ServiceAccount, no por las del pod. Sin los objetos ServiceAccount en la entrada, netpol solo conoce el nombre de cada cuenta (el `serviceAccountName` del pod o, si no lo tiene, `default`), como la etiqueta `projectcalico.org/name`; un selector sobre cualquier otra etiqueta no coincide aquí con ningún pod, aunque en el clúster sí pueda hacerlo. Es información, no un error.",
            ],
            fix: [
                "Include the ServiceAccounts (`kubectl get serviceaccounts -A -o yaml`), so the selector is evaluated as in the cluster.",
                "Incluye los ServiceAccounts (`kubectl get serviceaccounts -A -o yaml`), para que el selector se evalúe como en el clúster.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ci}
spec: {serviceAccountName: builder}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: builders-no-egress}
spec:
  serviceAccountSelector: role == 'builder'
  types: [Egress]
  egress:
  - action: Deny
",
            good: "apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: ci, labels: {role: builder}}
---
apiVersion: v1
kind: Pod
metadata: {name: runner, namespace: ci}
spec: {serviceAccountName: builder}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: builders-no-egress}
spec:
  serviceAccountSelector: role == 'builder'
  types: [Egress]
  egress:
  - action: Deny
",
        },
        LintCode::RuleMatchesNothing => &LintInfo {
            code: LintCode::RuleMatchesNothing,
            severity: Severity::Warning,
            applies_to: ["NetworkPolicy", "NetworkPolicy"],
            summary: [
                "A rule that allows nothing: no endpoint or address is both matched by its peers and served on its ports.",
                "Una regla que no permite nada: ningún endpoint ni dirección coincide a la vez con sus peers y con sus puertos.",
            ],
            explanation: [
                "Each rule of a NetworkPolicy allows the connections whose other end matches one of its peers and whose port matches one of its ports (a named port on the destination pod). A rule can be valid and still match nothing in the input: its peers select pods that do not serve the ports it lists (a named port those pods do not declare), or every peer selects only the policy's own pods (a pod to itself is always allowed anyway). netpol proves it: the policy with that rule alone, among the NetworkPolicies, lets no workload or address range through to or from the pods it selects. When a peer selects nothing at all, or no pod declares a named port, `selector-matches-nothing` or `named-port-undeclared` says so instead.",
                "Cada regla de una NetworkPolicy permite las conexiones cuyo otro extremo coincide con alguno de sus peers y cuyo puerto coincide con alguno de sus puertos (un puerto con nombre en el pod de destino). Una regla puede ser válida y aun así no coincidir con nada de la entrada: sus peers eligen pods que no sirven los puertos que enumera (un puerto con nombre que esos pods no declaran), o todos sus peers eligen solo los pods de la propia política (un pod siempre puede hablar consigo mismo). netpol lo demuestra: la política con esa regla sola, entre las NetworkPolicies, no deja pasar nada de ni hacia los pods que selecciona desde ninguna carga de trabajo ni rango de direcciones. Cuando un peer no elige nada en absoluto, o ningún pod declara un puerto con nombre, lo dicen `selector-matches-nothing` o `named-port-undeclared`.",
            ],
            fix: [
                "Make the ports those peers serve (a number, or a name they declare), or the peers the pods that serve those ports.",
                "Pon los puertos que sirven esos peers (un número, o un nombre que declaren), o como peers los pods que sirven esos puertos.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: pg, ports: [{containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 5432}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: pg, ports: [{containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
",
        },
        LintCode::RedundantRule => &LintInfo {
            code: LintCode::RedundantRule,
            severity: Severity::Info,
            applies_to: ["NetworkPolicy", "NetworkPolicy"],
            summary: [
                "A rule that allows nothing the other rules do not already allow: removing it changes no connection.",
                "Una regla que no permite nada que las demás no permitan ya: quitarla no cambia ninguna conexión.",
            ],
            explanation: [
                "NetworkPolicies are additive: a connection is allowed when any rule of any policy selecting the pod allows it. A rule whose every connection another rule (of the same policy or another) also allows adds nothing: it is harmless, but it makes the policies longer to read, and it often means one of the two is not what was meant (a broad rule written where a narrow one was intended, or a narrow one left behind after a broad one was added). netpol proves it: among the NetworkPolicies, removing the rule changes no connection set between the pods the policy selects and any workload or address range; the message names a connection it allows and a rule that allows it too. Only the input's pods and workloads are considered: a pod added later could make the rule matter.",
                "Las NetworkPolicies se suman: una conexión se permite cuando la permite alguna regla de alguna política que seleccione el pod. Una regla cuyas conexiones permite también otra regla (de la misma política o de otra) no añade nada: no hace daño, pero alarga las políticas, y a menudo significa que una de las dos no es la que se quería (una regla amplia escrita donde se pretendía una concreta, o una concreta que quedó tras añadir una amplia). netpol lo demuestra: entre las NetworkPolicies, quitar la regla no cambia ningún conjunto de conexiones entre los pods que la política selecciona y cualquier carga de trabajo o rango de direcciones; el mensaje nombra una conexión que permite y una regla que también la permite. Solo se tienen en cuenta los pods y cargas de trabajo de la entrada: un pod añadido más tarde podría hacer que la regla importe.",
            ],
            fix: [
                "Remove the rule, or narrow the broader rule if this one says what was meant.",
                "Quita la regla, o acota la regla más amplia si es esta la que dice lo que se quería.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: dev}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dev}}}]
    ports: [{port: 80}]
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: dev}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {}}]
    ports: [{port: 80}]
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: dev}}}]
    ports: [{port: 9090}]
",
        },
        LintCode::UnreachableRule => &LintInfo {
            code: LintCode::UnreachableRule,
            severity: Severity::Warning,
            applies_to: [
                "Calico NetworkPolicy and GlobalNetworkPolicy",
                "NetworkPolicy y GlobalNetworkPolicy de Calico",
            ],
            summary: [
                "A Calico rule after an unconditional `Allow`, `Deny` or `Pass` never runs.",
                "Una regla de Calico situada después de un `Allow`, `Deny` o `Pass` sin condiciones nunca se ejecuta.",
            ],
            explanation: [
                "Calico evaluates a policy's rules in order and the first rule that matches decides (a `Log` rule logs and goes on). A rule with no condition at all (no protocol, source or destination) matches every connection, so the rules after it are never reached. It usually means a catch-all written first, where the specific rules were meant to come before it.",
                "Calico evalúa las reglas de una política en orden y decide la primera que coincide (una regla `Log` registra y sigue). Una regla sin ninguna condición (sin protocolo, origen ni destino) coincide con todas las conexiones, así que las reglas que vienen detrás nunca se alcanzan. Suele indicar una regla general escrita primero, cuando las reglas específicas debían ir antes.",
            ],
            fix: [
                "Put the specific rules before the catch-all.",
                "Pon las reglas específicas antes de la regla general.",
            ],
            bad: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  selector: app == 'web'
  ingress:
  - action: Deny
  - action: Allow
    protocol: TCP
    destination: {ports: [80]}
",
            good: "apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  selector: app == 'web'
  ingress:
  - action: Allow
    protocol: TCP
    destination: {ports: [80]}
  - action: Deny
",
        },
    }
}

/// The labels of `netpol lint --explain`: `applies to`, `Fix`, `Before`, `After`.
#[inline(always)]
pub(crate) fn labels(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => ["applies to", "Fix", "Before", "After"],
        Lang::Es => ["se aplica a", "Corrección", "Antes", "Después"],
    }
}

/// The loader's most common diagnostic codes (not lints: they come from reading and
/// validating each object), with a summary in English and Spanish, for `docs/lints.md`.
/// A test checks that the loader gives each of them.
pub const LOADER_CODES: &[(&str, [&str; 2])] = &[
    ("yaml-syntax", [
        "A document is not valid YAML: it is skipped, and the other documents are still read.",
        "Un documento no es YAML válido: se omite, y los demás documentos se leen igualmente.",
    ]),
    ("input-limit", [
        "The input is over a limit (size, documents, nodes, aliases, depth); the CLI's `--max-*` flags raise them.",
        "La entrada supera un límite (tamaño, documentos, nodos, alias, profundidad); las opciones `--max-*` de la CLI los amplían.",
    ]),
    ("invalid-field", [
        "A value the API server would refuse; a NetworkPolicy with one is reported and not in force, as the server would not store it.",
        "Un valor que el servidor de la API rechazaría; una NetworkPolicy que lo contiene se señala y no entra en vigor, porque el servidor no la guardaría.",
    ]),
    ("unknown-field", [
        "A field the object's API does not define, often a typo (`podselector`); the help suggests the right name.",
        "Un campo que la API del objeto no define, a menudo una errata (`podselector`); la ayuda sugiere el nombre correcto.",
    ]),
    ("duplicate-key", [
        "A key written twice in one mapping: kubectl keeps the last value and drops the other.",
        "Una clave escrita dos veces en el mismo mapa: kubectl se queda con el último valor y descarta el otro.",
    ]),
    ("duplicate-object", [
        "The same object defined twice: the later definition replaces the earlier one.",
        "El mismo objeto definido dos veces: la definición posterior sustituye a la anterior.",
    ]),
    ("kubectl-split", [
        "A `---` that kubectl reads differently (a byte order mark before it, content on its line).",
        "Un `---` que kubectl lee de otra manera (una marca de orden de bytes delante, contenido en su misma línea).",
    ]),
    ("kubectl-stops", [
        "The documents after a file's first YAML error: kubectl stops reading the file there (\"error parsing FILE\") and applies none of them, so they are left out too (one warning at the first).",
        "Los documentos que siguen al primer error de YAML de un archivo: kubectl deja de leer el archivo ahí (\"error parsing FILE\") y no aplica ninguno, así que también se omiten (un aviso en el primero).",
    ]),
    ("unknown-kind", [
        "A near miss of a kind netpol reads (kinds are case-sensitive: `networkpolicy`); kubectl would refuse it, so it is skipped.",
        "Un kind casi igual a uno que netpol lee (distingue mayúsculas: `networkpolicy`); kubectl lo rechazaría, así que se omite.",
    ]),
    ("skipped-kind", [
        "A kind that does not affect NetworkPolicy verdicts (a ConfigMap, a Secret); skipped (info).",
        "Un kind que no influye en los veredictos de NetworkPolicy (un ConfigMap, un Secret); se omite (info).",
    ]),
    ("missing-name", [
        "An object without `metadata.name`: the API server refuses it, so it is skipped.",
        "Un objeto sin `metadata.name`: el servidor de la API lo rechaza, así que se omite.",
    ]),
    ("unserved-api-version", [
        "An object in an API version the API server does not serve (a removed one such as `extensions/v1beta1`, or none): kubectl refuses it, so it is skipped.",
        "Un objeto en una versión de la API que el servidor no sirve (una retirada como `extensions/v1beta1`, o ninguna): kubectl lo rechaza, así que se omite.",
    ]),
    ("implicit-namespace", [
        "A namespace that is used but not declared: it is assumed to carry only `kubernetes.io/metadata.name` (info).",
        "Un namespace que se usa pero no se declara: se supone que solo lleva `kubernetes.io/metadata.name` (info).",
    ]),
    ("invalid-selector", [
        "A Calico selector with a syntax error, located inside the string.",
        "Un selector de Calico con un error de sintaxis, señalado dentro de la cadena.",
    ]),
    ("ignored-rules", [
        "Calico rules of a direction that `types` does not list: never used (the Calico counterpart of `rules-ignored`).",
        "Reglas de Calico de una dirección que `types` no incluye: nunca se usan (el equivalente en Calico de `rules-ignored`).",
    ]),
];

/// `docs/lints.md`, both languages (a test keeps the file equal to this).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Lints\n\n\
         <!-- Generated from crates/netpol/src/words/lint_docs.rs: edit the table there, then run\n\
         `UPDATE_EXPECT=1 cargo test -p netpol --test lint` to rewrite this file. -->\n\n\
         Lints are checks across objects for likely mistakes that the API server accepts.\n\
         `netpol lint FILES` reports them with the loader's diagnostics (`--lang es`: the lints'\n\
         messages and help in Spanish, in every format; codes and places stay the same, and the\n\
         page shows them in its language); `netpol lint --explain CODE`\n\
         (`--lang es` in Spanish) prints one of these entries, and `netpol lint --explain` lists them.\n\
         Each entry's examples are tested: the first gives the lint, the second does not.\n\n\
         | code | severity | applies to | summary |\n| --- | --- | --- | --- |\n",
    );
    for r in LintCode::ALL.into_iter().map(info) {
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} | {3} |\n",
            r.code.as_str(),
            r.severity.as_str(),
            r.applies_to(Lang::En),
            r.summary(Lang::En)
        ));
    }
    out.push_str(
        "\nThe loader's most common diagnostics are not lints (they come from reading and \
         validating each object); for reference:\n\n| code | summary | resumen |\n| --- | --- | --- |\n",
    );
    for (code, [en, es]) in LOADER_CODES {
        out.push_str(&format!("| `{code}` | {en} | {es} |\n"));
    }
    for r in LintCode::ALL.into_iter().map(info) {
        out.push_str(&format!(
            "\n## {}\n\nSeverity: {}. Applies to: {}.\n\n{}\n\n{}\n\n**Fix.** {}\n\nBefore (gives the lint):\n\n```yaml\n{}```\n\nAfter:\n\n```yaml\n{}```\n\n**Español.** {}\n\n{}\n\n**Corrección.** {}\n",
            r.code.as_str(),
            r.severity.as_str(),
            r.applies_to(Lang::En),
            r.summary(Lang::En),
            r.explanation(Lang::En),
            r.fix(Lang::En),
            r.bad,
            r.good,
            r.summary(Lang::Es),
            r.explanation(Lang::Es),
            r.fix(Lang::Es),
        ));
    }
    out
}
