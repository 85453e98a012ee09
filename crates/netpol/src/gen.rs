//! A deterministic generator of realistic clusters (namespaces, pods and workloads with
//! labels from a small vocabulary, named ports, policies using every selector, peer and
//! port feature), for property tests and benchmarks. Output is manifest text, so the
//! loader is exercised too. [`dump`] writes realistic `kubectl get -o yaml` / `-o json`
//! dumps of large clusters for the loading benchmarks.

pub mod dump;

/// xorshift64*: small, deterministic, good enough for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
pub struct GenOptions {
    pub namespaces: usize,
    pub pods: usize,
    pub policies: usize,
    pub seed: u64,
}

impl GenOptions {
    /// From command-line words `PODS POLICIES NAMESPACES SEED`, each optional, with
    /// `defaults` for the missing ones (the examples' argument parsing).
    pub fn from_args(args: impl IntoIterator<Item = String>, defaults: GenOptions) -> GenOptions {
        let n: Vec<usize> = args.into_iter().filter_map(|a| a.parse().ok()).collect();
        let get = |i: usize, d: usize| n.get(i).copied().unwrap_or(d);
        GenOptions {
            pods: get(0, defaults.pods),
            policies: get(1, defaults.policies),
            namespaces: get(2, defaults.namespaces),
            seed: get(3, defaults.seed as usize) as u64,
        }
    }

    /// The generated cluster as text: `kubectl get -o yaml` style when `kubectl`, else
    /// compact multi-document YAML.
    pub fn text(&self, kubectl: bool) -> String {
        if kubectl {
            kubectl_dump(self)
        } else {
            cluster(self).join("---\n")
        }
    }
}

const APPS: &[&str] = &[
    "web", "api", "db", "cache", "worker", "auth", "frontend", "backend", "queue", "metrics",
];
const TIERS: &[&str] = &["front", "back", "data"];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const TEAMS: &[&str] = &["payments", "search", "platform", "ops"];
const PORT_NAMES: &[(&str, u16, &str)] = &[
    ("http", 8080, "TCP"),
    ("https", 8443, "TCP"),
    ("grpc", 9000, "TCP"),
    ("dns", 53, "UDP"),
    ("metrics", 9090, "TCP"),
    ("sctp-feed", 7000, "SCTP"),
];

/// A cluster as multi-document YAML. Documents are returned separately so tests can
/// reorder them.
pub fn cluster(opts: &GenOptions) -> Vec<String> {
    let mut r = Rng::new(opts.seed);
    let mut docs = Vec::new();
    let ns_names: Vec<String> = (0..opts.namespaces.max(1))
        .map(|i| format!("ns{i}"))
        .collect();
    for ns in &ns_names {
        let mut labels = format!("team: {}", r.pick(TEAMS));
        if r.chance(60) {
            labels.push_str(&format!(", env: {}", r.pick(ENVS)));
        }
        docs.push(format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: {ns}, labels: {{{labels}}}}}\n"
        ));
    }
    for i in 0..opts.pods {
        let ns = r.pick(&ns_names).clone();
        let app = r.pick(APPS);
        let mut labels = format!("app: {app}, tier: {}", r.pick(TIERS));
        if r.chance(30) {
            labels.push_str(", canary: \"true\"");
        }
        let mut ports = String::new();
        for (name, port, proto) in PORT_NAMES {
            if r.chance(35) {
                ports.push_str(&format!(
                    "{{name: {name}, containerPort: {port}, protocol: {proto}}}, "
                ));
            }
        }
        let ip = format!("10.{}.{}.{}", 1 + i / 65536, (i / 256) % 256, i % 256);
        if r.chance(80) {
            docs.push(format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: {app}-{i}, namespace: {ns}, labels: {{{labels}}}}}\nspec: {{containers: [{{name: c, ports: [{ports}]}}]}}\nstatus: {{podIP: {ip}}}\n"
            ));
        } else {
            docs.push(format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {app}-{i}, namespace: {ns}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: {app}}}}}\n  template:\n    metadata: {{labels: {{{labels}}}}}\n    spec: {{containers: [{{name: c, ports: [{ports}]}}]}}\n"
            ));
        }
    }
    for i in 0..opts.policies {
        docs.push(policy(&mut r, &ns_names, i));
    }
    docs
}

fn selector(r: &mut Rng, kind: &str) -> String {
    match r.below(6) {
        0 => "{}".into(),
        1 | 2 => match kind {
            "pod" => format!("{{matchLabels: {{app: {}}}}}", r.pick(APPS)),
            _ => format!("{{matchLabels: {{team: {}}}}}", r.pick(TEAMS)),
        },
        3 => match kind {
            "pod" => format!(
                "{{matchExpressions: [{{key: tier, operator: In, values: [{}, {}]}}]}}",
                r.pick(TIERS),
                r.pick(TIERS)
            ),
            _ => format!(
                "{{matchExpressions: [{{key: env, operator: NotIn, values: [{}]}}]}}",
                r.pick(ENVS)
            ),
        },
        4 => match kind {
            "pod" => "{matchExpressions: [{key: canary, operator: Exists}]}".into(),
            _ => "{matchExpressions: [{key: env, operator: DoesNotExist}]}".into(),
        },
        _ => match kind {
            "pod" => format!("{{matchLabels: {{tier: {}}}}}", r.pick(TIERS)),
            _ => format!(
                "{{matchLabels: {{kubernetes.io/metadata.name: ns{}}}}}",
                r.below(4)
            ),
        },
    }
}

fn peer(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("{{podSelector: {}}}", selector(r, "pod")),
        1 => format!("{{namespaceSelector: {}}}", selector(r, "ns")),
        2 => format!(
            "{{namespaceSelector: {}, podSelector: {}}}",
            selector(r, "ns"),
            selector(r, "pod")
        ),
        3 => {
            let net = r.below(2) + 1;
            let except = if r.chance(50) {
                format!(", except: [10.{net}.{}.0/24]", r.below(4))
            } else {
                String::new()
            };
            format!("{{ipBlock: {{cidr: 10.{net}.0.0/16{except}}}}}")
        }
        _ => "{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}".into(),
    }
}

fn ports(r: &mut Rng) -> String {
    let mut items = Vec::new();
    for _ in 0..r.below(3) + 1 {
        items.push(match r.below(5) {
            0 => format!("{{port: {}}}", r.pick(&[80u16, 443, 8080, 53, 9090])),
            1 => {
                let (name, _, proto) = r.pick(PORT_NAMES);
                format!("{{port: {name}, protocol: {proto}}}")
            }
            2 => "{port: 8000, endPort: 8999}".into(),
            3 => format!("{{protocol: {}}}", r.pick(&["UDP", "SCTP", "TCP"])),
            _ => "{port: 53, protocol: UDP}".into(),
        });
    }
    format!("[{}]", items.join(", "))
}

fn rules(r: &mut Rng, peers_key: &str) -> String {
    let mut out = String::new();
    for _ in 0..r.below(3) {
        out.push_str("  - ");
        let mut parts = Vec::new();
        if r.chance(75) {
            let n = r.below(2) + 1;
            let ps: Vec<String> = (0..n).map(|_| peer(r)).collect();
            parts.push(format!("{peers_key}: [{}]", ps.join(", ")));
        }
        if r.chance(60) {
            parts.push(format!("ports: {}", ports(r)));
        }
        out.push_str(&format!("{{{}}}\n", parts.join(", ")));
    }
    out
}

fn policy(r: &mut Rng, ns_names: &[String], i: usize) -> String {
    let ns = r.pick(ns_names);
    let types = match r.below(4) {
        0 => "",
        1 => "  policyTypes: [Ingress]\n",
        2 => "  policyTypes: [Egress]\n",
        _ => "  policyTypes: [Ingress, Egress]\n",
    };
    let ingress = rules(r, "from");
    let egress = rules(r, "to");
    let mut spec = format!("  podSelector: {}\n{types}", selector(r, "pod"));
    if !ingress.is_empty() || r.chance(30) {
        spec.push_str(&format!(
            "  ingress:{}\n{ingress}",
            if ingress.is_empty() { " []" } else { "" }
        ));
    }
    if !egress.is_empty() || r.chance(20) {
        spec.push_str(&format!(
            "  egress:{}\n{egress}",
            if egress.is_empty() { " []" } else { "" }
        ));
    }
    format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p{i}, namespace: {ns}}}\nspec:\n{spec}")
}

/// Cluster-scoped policies over the namespaces and labels of [`cluster`]:
/// AdminNetworkPolicies, the BaselineAdminNetworkPolicy `default` (from 3 policies on)
/// and ClusterNetworkPolicies of both tiers, with every subject, peer, port and action
/// kind, priorities that sometimes tie. For property tests of the tier chain.
pub fn admin_policies(opts: &GenOptions, count: usize) -> Vec<String> {
    let mut r = Rng::new(opts.seed ^ 0xA5A5_5A5A);
    let mut docs = Vec::new();
    for i in 0..count {
        let (api, kind, tier) = match i % 4 {
            0 | 1 => ("v1alpha1", "AdminNetworkPolicy", None),
            2 if i == 2 => ("v1alpha1", "BaselineAdminNetworkPolicy", None),
            _ => (
                "v1alpha2",
                "ClusterNetworkPolicy",
                Some(if r.chance(50) { "Admin" } else { "Baseline" }),
            ),
        };
        let cnp = tier.is_some();
        let banp = kind == "BaselineAdminNetworkPolicy";
        let name = if banp {
            "default".to_string()
        } else {
            format!("c{i}")
        };
        let mut spec = String::new();
        if let Some(t) = tier {
            spec.push_str(&format!("  tier: {t}\n"));
        }
        if !banp {
            spec.push_str(&format!("  priority: {}\n", r.below(12)));
        }
        let subject = if r.chance(50) {
            format!("{{namespaces: {}}}", selector(&mut r, "ns"))
        } else {
            format!(
                "{{pods: {{namespaceSelector: {}, podSelector: {}}}}}",
                selector(&mut r, "ns"),
                selector(&mut r, "pod")
            )
        };
        spec.push_str(&format!("  subject: {subject}\n"));
        let actions: &[&str] = match (cnp, banp) {
            (true, _) => &["Accept", "Deny", "Pass"],
            (false, true) => &["Allow", "Deny"],
            (false, false) => &["Allow", "Deny", "Pass"],
        };
        for (field, peers) in [("ingress", "from"), ("egress", "to")] {
            let n = r.below(4);
            if n == 0 {
                continue;
            }
            spec.push_str(&format!("  {field}:\n"));
            for k in 0..n {
                let mut ps = Vec::new();
                let mut networks = false;
                for _ in 0..r.below(2) + 1 {
                    let kind = r.below(if field == "egress" { 3 } else { 2 });
                    networks |= kind == 2;
                    ps.push(match kind {
                        0 => format!("{{namespaces: {}}}", selector(&mut r, "ns")),
                        1 => format!(
                            "{{pods: {{namespaceSelector: {}, podSelector: {}}}}}",
                            selector(&mut r, "ns"),
                            selector(&mut r, "pod")
                        ),
                        _ => format!(
                            "{{networks: [{}]}}",
                            r.pick(&["10.1.0.0/16", "10.2.0.0/24", "0.0.0.0/0", "10.1.0.0/28"])
                        ),
                    });
                }
                spec.push_str(&format!(
                    "  - {{name: r{k}, action: {}, {peers}: [{}]",
                    r.pick(actions),
                    ps.join(", ")
                ));
                if r.chance(60) {
                    let mut items = Vec::new();
                    for _ in 0..r.below(2) + 1 {
                        let (pname, _, _) = r.pick(PORT_NAMES);
                        let proto = *r.pick(&["TCP", "UDP", "SCTP"]);
                        let port = *r.pick(&[80u16, 53, 8080, 9090]);
                        // The API refuses named ports in a rule with `networks` peers.
                        let form = match r.below(3) {
                            1 if networks => 0,
                            f => f,
                        };
                        items.push(match (form, cnp) {
                            (0, false) => {
                                format!("{{portNumber: {{protocol: {proto}, port: {port}}}}}")
                            }
                            (1, false) => format!("{{namedPort: {pname}}}"),
                            (_, false) => format!(
                                "{{portRange: {{protocol: {proto}, start: 8000, end: 9100}}}}"
                            ),
                            (0, true) => format!(
                                "{{{}: {{destinationPort: {{number: {port}}}}}}}",
                                proto.to_ascii_lowercase()
                            ),
                            (1, true) => format!("{{destinationNamedPort: {pname}}}"),
                            (_, true) => format!(
                                "{{{}: {{destinationPort: {{range: {{start: 8000, end: 9100}}}}}}}}",
                                proto.to_ascii_lowercase()
                            ),
                        });
                    }
                    let field = if cnp { "protocols" } else { "ports" };
                    spec.push_str(&format!(", {field}: [{}]", items.join(", ")));
                }
                spec.push_str("}\n");
            }
        }
        docs.push(format!(
            "apiVersion: policy.networking.k8s.io/{api}\nkind: {kind}\nmetadata: {{name: {name}}}\nspec:\n{spec}"
        ));
    }
    docs
}

/// Calico policies over the namespaces and labels of [`cluster`]: a Tier, then
/// GlobalNetworkPolicies and namespaced projectcalico.org NetworkPolicies with label,
/// namespace and ServiceAccount selectors, nets and notNets, numeric, ranged and named
/// ports, every action and both directions. For property tests of the Calico chain.
pub fn calico_policies(opts: &GenOptions, count: usize) -> Vec<String> {
    let mut r = Rng::new(opts.seed ^ 0x0C0C_01C0);
    // The tier's default action: Deny, or Pass (then the next tier decides).
    let default_action = if opts.seed % 2 == 1 {
        ", defaultAction: Pass"
    } else {
        ""
    };
    let mut docs = vec![format!(
        "apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {{name: security}}\nspec: {{order: 100{default_action}}}\n"
    )];
    let expr = |r: &mut Rng| -> String {
        match r.below(7) {
            0 => "all()".into(),
            1 => format!("app == '{}'", r.pick(APPS)),
            2 => format!("tier in {{'{}', '{}'}}", r.pick(TIERS), r.pick(TIERS)),
            3 => "has(canary)".into(),
            4 => format!("app != '{}' && !has(canary)", r.pick(APPS)),
            5 => format!("tier == '{}' || app == '{}'", r.pick(TIERS), r.pick(APPS)),
            _ => format!("projectcalico.org/namespace == 'ns{}'", r.below(4)),
        }
    };
    for i in 0..count {
        let global = r.chance(60);
        let tier = if r.chance(40) { "security" } else { "default" };
        let name = if tier == "security" {
            format!("security.c{i}")
        } else {
            format!("c{i}")
        };
        let mut spec = format!("  tier: {tier}\n");
        if r.chance(70) {
            spec.push_str(&format!("  order: {}\n", r.below(20) * 10));
        }
        spec.push_str(&format!("  selector: \"{}\"\n", expr(&mut r)));
        if global && r.chance(30) {
            spec.push_str(&format!(
                "  namespaceSelector: \"team == '{}'\"\n",
                r.pick(TEAMS)
            ));
        }
        let types = *r.pick(&["[Ingress]", "[Egress]", "[Ingress, Egress]"]);
        spec.push_str(&format!("  types: {types}\n"));
        for (field, side) in [("ingress", "source"), ("egress", "destination")] {
            if !types.contains(if field == "ingress" {
                "Ingress"
            } else {
                "Egress"
            }) {
                continue;
            }
            let n = r.below(3);
            if n == 0 {
                continue;
            }
            spec.push_str(&format!("  {field}:\n"));
            for _ in 0..n {
                let action = *r.pick(&["Allow", "Deny", "Pass", "Allow", "Log"]);
                let mut rule = format!("  - action: {action}\n");
                let proto = *r.pick(&["TCP", "UDP", "", "ICMP"]);
                if !proto.is_empty() {
                    rule.push_str(&format!("    protocol: {proto}\n"));
                }
                let mut entity = Vec::new();
                match r.below(5) {
                    0 => entity.push(format!("selector: \"{}\"", expr(&mut r))),
                    1 => entity.push(format!("nets: [10.{}.0.0/16]", 1 + r.below(2))),
                    2 => entity.push("notNets: [10.1.0.0/24]".into()),
                    3 => {
                        entity.push(format!("selector: \"{}\"", expr(&mut r)));
                        entity.push(format!(
                            "namespaceSelector: \"team == '{}'\"",
                            r.pick(TEAMS)
                        ));
                    }
                    _ => {}
                }
                // Ports go on the destination (Calico needs a protocol for them).
                let mut dst = Vec::new();
                if matches!(proto, "TCP" | "UDP") && r.chance(60) {
                    let ports = match r.below(3) {
                        0 => format!("[{}]", r.pick(&[80u16, 53, 8080, 9090])),
                        1 => "[\"8000:9100\"]".to_string(),
                        _ => format!("[{}]", r.pick(&["http", "dns", "metrics"])),
                    };
                    dst.push(format!("ports: {ports}"));
                }
                if side == "destination" {
                    dst.extend(entity);
                } else if !entity.is_empty() {
                    rule.push_str(&format!("    source: {{{}}}\n", entity.join(", ")));
                }
                if !dst.is_empty() {
                    rule.push_str(&format!("    destination: {{{}}}\n", dst.join(", ")));
                }
                spec.push_str(&rule);
            }
        }
        let (kind, meta) = if global {
            ("GlobalNetworkPolicy", format!("{{name: {name}}}"))
        } else {
            (
                "NetworkPolicy",
                format!(
                    "{{name: {name}, namespace: ns{}}}",
                    r.below(opts.namespaces.max(1))
                ),
            )
        };
        docs.push(format!(
            "apiVersion: projectcalico.org/v3\nkind: {kind}\nmetadata: {meta}\nspec:\n{spec}"
        ));
    }
    docs
}

/// The same cluster as [`cluster`], written the way `kubectl get -o yaml` prints it:
/// block style, with the server-side fields (uids, managedFields, the last-applied
/// annotation, status conditions) that make real dumps about 2 KB per pod.
pub fn kubectl_dump(opts: &GenOptions) -> String {
    use serde_yaml::{Mapping, Value};
    let s = |t: &str| Value::String(t.to_string());
    let mut items = Vec::new();
    for (i, doc) in cluster(opts).iter().enumerate() {
        let Ok(mut v) = serde_yaml::from_str::<Value>(doc) else {
            continue;
        };
        let last_applied = serde_json::to_string(&v).unwrap_or_default();
        if let Some(meta) = v.get_mut("metadata").and_then(Value::as_mapping_mut) {
            meta.insert(
                s("uid"),
                s(&format!(
                    "{:08x}-7d10-4cb8-b1bc-{:012x}",
                    (i as u64).wrapping_mul(2_654_435_761) % (1u64 << 32),
                    i
                )),
            );
            meta.insert(s("resourceVersion"), s(&(96244 + i).to_string()));
            meta.insert(s("creationTimestamp"), s("2026-06-20T20:13:09Z"));
            meta.insert(s("generation"), Value::from(1));
            let mut ann = Mapping::new();
            ann.insert(
                s("kubectl.kubernetes.io/last-applied-configuration"),
                s(&format!("{last_applied}\n")),
            );
            meta.insert(s("annotations"), Value::Mapping(ann));
            let managed: Value = serde_yaml::from_str(
                "- apiVersion: v1\n  fieldsType: FieldsV1\n  fieldsV1:\n    f:metadata:\n      f:annotations:\n        .: {}\n        f:kubectl.kubernetes.io/last-applied-configuration: {}\n      f:labels:\n        .: {}\n    f:spec:\n      f:containers: {}\n  manager: kubectl-client-side-apply\n  operation: Update\n  time: \"2026-06-20T20:13:09Z\"\n- apiVersion: v1\n  fieldsType: FieldsV1\n  fieldsV1:\n    f:status:\n      f:conditions: {}\n      f:podIP: {}\n  manager: kubelet\n  operation: Update\n  subresource: status\n  time: \"2026-06-20T20:13:12Z\"\n",
            )
            .unwrap_or(Value::Null);
            meta.insert(s("managedFields"), managed);
        }
        if v.get("kind").and_then(Value::as_str) == Some("Pod") {
            if let Some(spec) = v.get_mut("spec").and_then(Value::as_mapping_mut) {
                for (k, val) in [
                    ("dnsPolicy", "ClusterFirst"),
                    ("restartPolicy", "Always"),
                    ("schedulerName", "default-scheduler"),
                    ("serviceAccountName", "default"),
                    ("nodeName", "kubenode1.acme.es"),
                ] {
                    spec.insert(s(k), s(val));
                }
                let extra: Value = serde_yaml::from_str("- {effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300}\n- {effect: NoExecute, key: node.kubernetes.io/unreachable, operator: Exists, tolerationSeconds: 300}\n").unwrap_or(Value::Null);
                spec.insert(s("tolerations"), extra);
            }
            if let Some(status) = v.get_mut("status").and_then(Value::as_mapping_mut) {
                let conditions: Value = serde_yaml::from_str("- {lastProbeTime: null, lastTransitionTime: \"2026-06-20T20:13:09Z\", status: \"True\", type: Initialized}\n- {lastProbeTime: null, lastTransitionTime: \"2026-06-20T20:13:12Z\", status: \"True\", type: Ready}\n- {lastProbeTime: null, lastTransitionTime: \"2026-06-20T20:13:12Z\", status: \"True\", type: ContainersReady}\n- {lastProbeTime: null, lastTransitionTime: \"2026-06-20T20:13:09Z\", status: \"True\", type: PodScheduled}\n").unwrap_or(Value::Null);
                status.insert(s("conditions"), conditions);
                status.insert(s("phase"), s("Running"));
                status.insert(s("hostIP"), s("192.168.1.11"));
                status.insert(s("qosClass"), s("BestEffort"));
                status.insert(s("startTime"), s("2026-06-20T20:13:09Z"));
            }
        }
        items.push(v);
    }
    let mut list = Mapping::new();
    list.insert(s("apiVersion"), s("v1"));
    list.insert(s("items"), Value::Sequence(items));
    list.insert(s("kind"), s("List"));
    serde_yaml::to_string(&Value::Mapping(list)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_args_and_determinism() {
        let d = GenOptions {
            pods: 1,
            policies: 2,
            namespaces: 3,
            seed: 4,
        };
        let o = GenOptions::from_args(["10".to_string(), "x".into(), "5".into()], d);
        assert_eq!((o.pods, o.policies, o.namespaces, o.seed), (10, 5, 3, 4));
        assert_eq!(o.text(false), o.text(false));
        assert!(o.text(true).starts_with("apiVersion: v1\nitems:"));
    }
}
