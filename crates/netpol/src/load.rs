//! Loading: text -> documents -> Kubernetes objects -> [`Cluster`], plus diagnostics.
//!
//! Loading never fails outright. Each problem becomes a [`Diagnostic`] that points at the
//! document and byte range it is about, and the rest of the input still loads.
//! NetworkPolicies are validated as strictly as the API server does; an invalid one is
//! reported and left out of every verdict, as the API server would refuse it. Everything
//! else is read leniently, because people paste `kubectl get -o yaml` output full of
//! server-side fields.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use ipnet::IpNet;

use crate::diag::{did_you_mean, Diagnostic, Location, Severity};
use crate::model::*;
use crate::names;
use crate::yaml::{self, Limits, Node, NodeKind, Scalar};

/// One input text (a file, stdin, the editor).
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Addresses are assigned from here to pods that have none.
    pub pod_cidr: IpNet,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            pod_cidr: "10.244.0.0/16"
                .parse()
                .unwrap_or_else(|_| IpNet::V4(Default::default())),
            limits: Limits::default(),
        }
    }
}

/// An object found in the input (whatever its kind), for outlines and navigation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ObjectInfo {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub location: Location,
}

#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub cluster: Cluster,
    pub diagnostics: Vec<Diagnostic>,
    pub objects: Vec<ObjectInfo>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Loads one text with default options.
pub fn load(text: &str) -> Loaded {
    load_sources(
        &[Source {
            name: "input",
            text,
        }],
        &LoadOptions::default(),
    )
}

/// Loads several texts as one cluster.
pub fn load_sources(sources: &[Source<'_>], opts: &LoadOptions) -> Loaded {
    let mut b = ClusterBuilder::default();
    let mut diags = Vec::new();
    let limits = &opts.limits;
    let mut budget = yaml::Budget::new(limits);
    let mut total_bytes = 0usize;
    for (si, source) in sources.iter().enumerate() {
        // Refused before any work: a source that brings the input past the size limit.
        total_bytes = total_bytes.saturating_add(source.text.len());
        if total_bytes > limits.max_input_bytes {
            let size = yaml::human_size(source.text.len());
            let limit = yaml::human_size(limits.max_input_bytes);
            let message = if total_bytes == source.text.len() {
                format!("the input is {size}, more than the limit of {limit}; it was not loaded")
            } else {
                format!("this input ({size}) brings the total past the limit of {limit}; it was not loaded")
            };
            let first = source.text.chars().next().map_or(0, char::len_utf8);
            let mut d = Diagnostic::new(
                Severity::Error,
                "input-too-large",
                message,
                Location {
                    source: si,
                    doc: 0,
                    range: 0..first,
                },
            );
            d.help = Some("load fewer objects, e.g. one namespace at a time".into());
            diags.push(d);
            continue;
        }
        let (docs, errors) = yaml::parse_within(source.text, limits, &mut budget);
        for e in errors {
            diags.push(Diagnostic::new(
                Severity::Error,
                if e.limit {
                    "input-limit"
                } else {
                    "yaml-syntax"
                },
                e.message,
                Location {
                    source: si,
                    doc: e.doc,
                    range: e.span,
                },
            ));
        }
        for doc in &docs {
            // What the YAML layer noticed about the text (duplicate keys, kubectl's view).
            diags.extend(doc.notes.iter().map(|n| n.diagnostic(si, doc.index)));
            let Some(root) = &doc.root else { continue };
            let mut cx = Cx {
                source: si,
                doc: doc.index,
                diags: &mut diags,
                object: String::new(),
            };
            match &root.kind {
                NodeKind::Seq(items) => {
                    for item in items {
                        b.object(&mut cx, item, None);
                    }
                }
                NodeKind::Map(_) => b.list_or_object(&mut cx, root, None, 0),
                NodeKind::Scalar { .. } => {
                    cx.diag(
                        Severity::Error,
                        "not-an-object",
                        root,
                        None,
                        format!(
                            "expected a Kubernetes object (a mapping), found {}",
                            root.type_name()
                        ),
                    );
                }
            }
        }
    }
    b.diags = diags;
    let mut loaded = b.finish(opts);
    cap_diagnostics(&mut loaded.diagnostics, limits.max_diagnostics);
    loaded
}

/// Keeps `max` diagnostics and sums up the rest in one, as severe as the worst of them: a
/// page or terminal listing hundreds of thousands of messages helps nobody. Kept first:
/// the limits hit (they explain what is missing), then errors, warnings, infos; the kept
/// ones stay in their order.
fn cap_diagnostics(diags: &mut Vec<Diagnostic>, max: usize) {
    if diags.len() <= max {
        return;
    }
    let rank = |d: &Diagnostic| match (d.code, d.severity) {
        ("input-too-large" | "input-limit", _) => 0,
        (_, Severity::Error) => 1,
        (_, Severity::Warning) => 2,
        (_, Severity::Info) => 3,
    };
    let mut order: Vec<usize> = (0..diags.len()).collect();
    order.sort_by_key(|&i| rank(&diags[i]));
    let mut keep = vec![false; diags.len()];
    for &i in &order[..max] {
        keep[i] = true;
    }
    let (mut kept, mut rest) = (Vec::new(), Vec::new());
    for (d, k) in std::mem::take(diags).into_iter().zip(keep) {
        if k {
            kept.push(d);
        } else {
            rest.push(d);
        }
    }
    *diags = kept;
    let severity = rest
        .iter()
        .map(|d| d.severity)
        .max_by_key(|s| match s {
            Severity::Error => 2,
            Severity::Warning => 1,
            _ => 0,
        })
        .unwrap_or(Severity::Info);
    let errors = rest
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut d = Diagnostic::new(
        severity,
        "too-many-diagnostics",
        format!(
            "{} more diagnostics ({errors} of them errors) are not shown (the limit is {max})",
            rest.len()
        ),
        rest[0].location.clone(),
    );
    d.help = Some("fix the problems above first".into());
    diags.push(d);
}

/// Diagnostic context for one document.
pub(crate) struct Cx<'d> {
    pub(crate) source: usize,
    pub(crate) doc: usize,
    pub(crate) diags: &'d mut Vec<Diagnostic>,
    /// e.g. `NetworkPolicy webapp-balanced/deny`.
    pub(crate) object: String,
}

impl Cx<'_> {
    pub(crate) fn loc(&self, node: &Node) -> Location {
        Location {
            source: self.source,
            doc: self.doc,
            range: node.span.clone(),
        }
    }

    pub(crate) fn diag(
        &mut self,
        severity: Severity,
        code: &'static str,
        node: &Node,
        path: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::new(severity, code, message, self.loc(node));
        if let Some(p) = path {
            d = d.with_path(p);
        }
        if !self.object.is_empty() {
            d = d.with_object(self.object.clone());
        }
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// Reports keys of `node` not in `known` as warnings with a suggestion.
    pub(crate) fn unknown_fields(
        &mut self,
        node: &Node,
        path: &str,
        known: &[&str],
        extra: impl Fn(&str) -> Option<String>,
    ) {
        let Some(entries) = node.as_map() else { return };
        for (k, _) in entries {
            let key = k.text().unwrap_or("");
            if known.contains(&key) {
                continue;
            }
            let full = join(path, key);
            let suggestion = did_you_mean(key, known.iter().copied());
            let mut msg = format!("unknown field `{key}`");
            if let Some(sug) = suggestion {
                msg.push_str(&format!(", did you mean `{sug}`?"));
            }
            msg.push_str(" (it is ignored");
            if let Some(more) = extra(key) {
                msg.push_str(&format!("; {more}"));
            }
            msg.push(')');
            let d = self.diag(Severity::Warning, "unknown-field", k, Some(&full), msg);
            if let Some(sug) = suggestion {
                d.help = Some(format!("rename it to `{sug}`"));
            }
        }
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

struct RawWorkload {
    endpoint: Endpoint,
    /// (kind, name) of the controller owner, from ownerReferences.
    owner: Option<(String, String)>,
}

#[derive(Default)]
struct ClusterBuilder {
    diags: Vec<Diagnostic>,
    objects: Vec<ObjectInfo>,
    namespaces: BTreeMap<String, Namespace>,
    /// namespace -> where it was first referenced.
    referenced: BTreeMap<String, Location>,
    workloads: Vec<RawWorkload>,
    services: Vec<Service>,
    ingresses: Vec<Ingress>,
    policies: Vec<Policy>,
    cluster_policies: Vec<crate::tiers::ClusterPolicy>,
    nodes: Vec<crate::tiers::NodeInfo>,
    calico: crate::tiers::calico::Calico,
    seen: HashMap<(String, String, String), Location>,
}

/// The kinds the loader reads (a near miss of one is an error, not a skipped object).
const KNOWN_KINDS: &[&str] = &[
    "Namespace",
    "NetworkPolicy",
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Service",
    "Ingress",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
    "GlobalNetworkPolicy",
    "Node",
    "Tier",
    "ServiceAccount",
    "List",
];

/// The kind and apiVersion a typed List (`PodList`, `NetworkPolicyList`...) gives its
/// items that name neither, as apimachinery's decoder does.
#[derive(Clone, Copy)]
struct ItemType<'n> {
    kind: &'n str,
    api_version: &'n str,
}

impl ClusterBuilder {
    /// A mapping with `items` is a list (as apimachinery decides: the key, not the kind):
    /// its items are read as objects, nested lists flattened. A typed list gives its
    /// items without `kind` and `apiVersion` its own item kind (`PodList` -> `Pod`).
    fn list_or_object(
        &mut self,
        cx: &mut Cx<'_>,
        node: &Node,
        inherited: Option<ItemType<'_>>,
        depth: usize,
    ) {
        let Some(items) = node.get("items") else {
            return self.object(cx, node, inherited);
        };
        let own = |key: &str| node.get(key).and_then(Node::as_str);
        let item_type = match (own("kind"), inherited) {
            (Some(kind), _) => ItemType {
                kind: kind.strip_suffix("List").unwrap_or(""),
                api_version: own("apiVersion").unwrap_or(""),
            },
            (None, Some(t)) => ItemType {
                kind: t.kind.strip_suffix("List").unwrap_or(""),
                api_version: t.api_version,
            },
            (None, None) => ItemType {
                kind: "",
                api_version: "",
            },
        };
        if items.is_null() {
            return;
        }
        let Some(items) = items.as_seq() else {
            cx.diag(
                Severity::Error,
                "not-a-list",
                items,
                Some("items"),
                format!(
                    "`items` must be a list of objects, found {}",
                    items.type_name()
                ),
            );
            return;
        };
        for item in items {
            if depth < 8 && item.get("items").is_some() {
                self.list_or_object(cx, item, Some(item_type), depth + 1);
            } else {
                self.object(cx, item, Some(item_type));
            }
        }
    }

    fn object(&mut self, cx: &mut Cx<'_>, node: &Node, inherited: Option<ItemType<'_>>) {
        if node.as_map().is_none() {
            cx.diag(
                Severity::Error,
                "not-an-object",
                node,
                None,
                format!(
                    "expected a Kubernetes object (a mapping), found {}",
                    node.type_name()
                ),
            );
            return;
        }
        // An item of a typed list that names neither its kind nor its apiVersion takes
        // the list's (apimachinery's `decodeToList`); one that names either keeps its own.
        let from_list = inherited.filter(|t| {
            !t.kind.is_empty() && node.get("kind").is_none() && node.get("apiVersion").is_none()
        });
        let (kind, api_version) = match from_list {
            Some(t) => (t.kind.to_string(), t.api_version.to_string()),
            None => {
                let Some(kind_node) = node.get("kind") else {
                    cx.diag(
                        Severity::Error,
                        "missing-kind",
                        node,
                        Some("kind"),
                        "object has no `kind`; it is skipped",
                    )
                    .help = Some(
                        "every Kubernetes object needs `apiVersion` and `kind` (items of a typed list such as `PodList` take the list's)".into(),
                    );
                    return;
                };
                let kind = kind_node.text().unwrap_or("").to_string();
                let api_version = node
                    .get("apiVersion")
                    .and_then(Node::text)
                    .unwrap_or("")
                    .to_string();
                (kind, api_version)
            }
        };
        let meta = node.get("metadata");
        // `name: 2024` or `namespace: yes` reach the API server as a number or a boolean,
        // which it cannot decode into a string: kubectl's apply fails for the object.
        for key in ["name", "namespace"] {
            if let Some(v) = meta.and_then(|m| m.get(key)) {
                if letter_boolean(cx, v, &format!("metadata.{key}")).is_some() {
                    continue;
                }
                if matches!(
                    v.scalar(),
                    Some(Scalar::Bool(_) | Scalar::Int(_) | Scalar::Float)
                ) {
                    let text = v.text().unwrap_or("");
                    cx.diag(
                        Severity::Error,
                        "not-a-string",
                        v,
                        Some(&format!("metadata.{key}")),
                        format!("`metadata.{key}` must be a string, but unquoted `{text}` is {}; the API server would refuse this `{kind}`, so it is skipped", v.type_name()),
                    )
                    .help = Some(format!("quote it: `{key}: \"{text}\"`"));
                    return;
                }
            }
        }
        let name = meta
            .and_then(|m| m.get("name"))
            .filter(|n| !n.is_null())
            .and_then(Node::text)
            .map(str::to_string);
        // An empty or null namespace is no namespace: the API server puts the object in
        // `default` (kubectl's `--namespace` aside).
        let namespace_given = meta
            .and_then(|m| m.get("namespace"))
            .filter(|n| !n.is_null())
            .and_then(Node::text)
            .filter(|ns| !ns.is_empty())
            .map(str::to_string);
        let cluster_scoped = matches!(
            kind.as_str(),
            "Namespace"
                | "Node"
                | "AdminNetworkPolicy"
                | "BaselineAdminNetworkPolicy"
                | "ClusterNetworkPolicy"
                | "GlobalNetworkPolicy"
                | "Tier"
        );
        let calico = crate::tiers::calico::load::is_calico(&api_version);
        let namespace = if cluster_scoped {
            None
        } else {
            Some(namespace_given.clone().unwrap_or_else(|| "default".into()))
        };

        let Some(name) = name.filter(|n| !n.is_empty()) else {
            cx.diag(
                Severity::Error,
                "missing-name",
                meta.unwrap_or(node),
                Some("metadata.name"),
                format!("name or generateName is required: this `{kind}` has no `metadata.name`, so it is skipped"),
            );
            return;
        };
        cx.object = match &namespace {
            Some(ns) => format!("{kind} {ns}/{name}"),
            None => format!("{kind} {name}"),
        };
        let location = cx.loc(node);
        self.objects.push(ObjectInfo {
            kind: kind.clone(),
            namespace: namespace.clone(),
            name: name.clone(),
            location: location.clone(),
        });

        // A Calico NetworkPolicy may share its name with a Kubernetes one.
        let key_kind = if calico && kind == "NetworkPolicy" {
            "NetworkPolicy.projectcalico.org".to_string()
        } else {
            kind.clone()
        };
        let key = (
            key_kind.clone(),
            namespace.clone().unwrap_or_default(),
            name.clone(),
        );
        let redefined = self.seen.contains_key(&key);
        let seen_at = location.clone();
        let (key_ns, key_name) = (namespace.clone().unwrap_or_default(), name.clone());
        if let Some(ns) = &namespace {
            if let Some(ns_node) = meta.and_then(|m| m.get("namespace")) {
                self.referenced
                    .entry(ns.clone())
                    .or_insert_with(|| cx.loc(ns_node));
            } else {
                self.referenced
                    .entry(ns.clone())
                    .or_insert_with(|| location.clone());
            }
        }
        let labels = meta
            .and_then(|m| m.get("labels"))
            .map(|l| read_labels(cx, l, "metadata.labels"))
            .unwrap_or_default();

        let before = self.stored();
        match kind.as_str() {
            "Namespace" => {
                let mut labels = labels;
                labels.insert(NAMESPACE_NAME_LABEL.into(), name.clone());
                self.namespaces.insert(
                    name.clone(),
                    Namespace {
                        name,
                        labels,
                        declared: true,
                        location: Some(location),
                    },
                );
            }
            "NetworkPolicy" => {
                let ns = namespace.unwrap_or_default();
                match api_version.as_str() {
                    "networking.k8s.io/v1" => {}
                    "extensions/v1beta1" | "networking.k8s.io/v1beta1" => {
                        cx.diag(
                            Severity::Warning,
                            "deprecated-api",
                            node.get("apiVersion").unwrap_or(node),
                            Some("apiVersion"),
                            format!("`{api_version}` NetworkPolicy was removed in Kubernetes 1.16; read as networking.k8s.io/v1"),
                        )
                        .help = Some("use `apiVersion: networking.k8s.io/v1`".into());
                    }
                    _ if calico => {}
                    _ => {
                        cx.diag(
                            Severity::Warning,
                            "unknown-api-version",
                            node.get("apiVersion").unwrap_or(node),
                            Some("apiVersion"),
                            format!("unexpected apiVersion `{api_version}` for NetworkPolicy; read as networking.k8s.io/v1"),
                        );
                    }
                }
                if calico {
                    if let Some(p) =
                        crate::tiers::calico::load::read_policy(cx, node, Some(&ns), &name)
                    {
                        self.calico.policies.push(p);
                    }
                } else if let Some(p) = read_policy(cx, node, &ns, &name, namespace_given.is_some())
                {
                    self.policies.push(p);
                }
            }
            "Pod"
            | "Deployment"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Job"
            | "CronJob" => {
                let Some(ep_kind) = EndpointKind::parse(&kind) else {
                    return;
                };
                let w = read_workload(
                    cx,
                    node,
                    ep_kind,
                    namespace.unwrap_or_default(),
                    name,
                    labels,
                    location,
                );
                self.workloads.push(w);
            }
            "Service" => {
                let s = read_service(cx, node, namespace.unwrap_or_default(), name, location);
                self.services.push(s);
            }
            "Ingress" => {
                let i = read_ingress(cx, node, namespace.unwrap_or_default(), name, location);
                self.ingresses.push(i);
            }
            "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy" => {
                if let Some(p) = crate::tiers::load::read_cluster_policy(cx, node, &kind, &name) {
                    self.cluster_policies.push(p);
                }
            }
            "Node" => self.nodes.push(crate::tiers::load::read_node(
                cx, node, name, labels, location,
            )),
            "GlobalNetworkPolicy" if calico => {
                if let Some(p) = crate::tiers::calico::load::read_policy(cx, node, None, &name) {
                    self.calico.policies.push(p);
                }
            }
            "Tier" if calico => {
                if let Some(t) = crate::tiers::calico::load::read_tier(cx, node, &name) {
                    self.calico.tiers.push(t);
                }
            }
            "ServiceAccount" => {
                self.calico
                    .service_accounts
                    .push((namespace.unwrap_or_default(), name, labels));
            }
            "List" => {}
            _ => {
                let at = node.get("kind").unwrap_or(node);
                // Kinds are case-sensitive: kubectl refuses `networkpolicy` ("no matches
                // for kind"), so a misspelt kind that matters is an error, not a note.
                // Only near misses: other real kinds (`Role`, `GlobalNetworkSet`) are
                // close to ours too, and they are rightly skipped.
                let near = KNOWN_KINDS.iter().copied().find(|known| {
                    let d = crate::diag::edit_distance(
                        &kind.to_ascii_lowercase(),
                        &known.to_ascii_lowercase(),
                    );
                    d == 0 || (d == 1 && known.len() >= 6) || (d == 2 && known.len() >= 10)
                });
                match near {
                    Some(known) => {
                        cx.diag(
                            Severity::Error,
                            "unknown-kind",
                            at,
                            Some("kind"),
                            format!("unknown kind `{kind}`, did you mean `{known}`? (kinds are case-sensitive; kubectl would refuse this object, so it is skipped)"),
                        )
                        .help = Some(format!("write `kind: {known}`"));
                    }
                    _ => {
                        cx.diag(
                            Severity::Info,
                            "skipped-kind",
                            at,
                            Some("kind"),
                            format!(
                                "`{kind}` objects do not affect NetworkPolicy verdicts; skipped"
                            ),
                        );
                    }
                }
            }
        }
        // A later definition replaces the earlier one only when the API server would
        // accept it; a refused one leaves the earlier in force.
        let accepted = self.stored() != before || kind == "Namespace";
        if redefined {
            let what = cx.object.clone();
            if accepted {
                self.remove_previous(&key_kind, &key_ns, &key_name);
                cx.diag(
                    Severity::Warning,
                    "duplicate-object",
                    node,
                    None,
                    format!("`{what}` is defined more than once; the later definition replaces the earlier one"),
                );
            } else {
                cx.diag(
                    Severity::Warning,
                    "duplicate-object",
                    node,
                    None,
                    format!("`{what}` is defined more than once and this later definition is invalid; the earlier one stays in force, as the API server would refuse the update"),
                );
            }
        }
        if accepted || !redefined {
            self.seen.insert(key, seen_at);
        }
    }

    /// How many objects are stored: a reader that refuses an object stores nothing.
    fn stored(&self) -> usize {
        self.namespaces.len()
            + self.workloads.len()
            + self.services.len()
            + self.ingresses.len()
            + self.policies.len()
            + self.cluster_policies.len()
            + self.nodes.len()
            + self.calico.policies.len()
            + self.calico.tiers.len()
            + self.calico.service_accounts.len()
    }

    /// Removes every earlier definition of an object, keeping the one just stored (the
    /// last).
    fn remove_previous(&mut self, kind: &str, ns: &str, name: &str) {
        fn keep_last<T>(items: &mut Vec<T>, same: impl Fn(&T) -> bool) {
            if let Some(last) = items.iter().rposition(&same) {
                let mut i = 0;
                items.retain(|x| {
                    let keep = i == last || !same(x);
                    i += 1;
                    keep
                });
            }
        }
        match kind {
            // A map: inserting replaced the earlier one already.
            "Namespace" => {}
            "NetworkPolicy" => {
                keep_last(&mut self.policies, |p| p.namespace == ns && p.name == name)
            }
            "Service" => keep_last(&mut self.services, |s| s.namespace == ns && s.name == name),
            "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy" => {
                keep_last(&mut self.cluster_policies, |p| {
                    p.api.kind() == kind && p.name == name
                })
            }
            "Node" => keep_last(&mut self.nodes, |n| n.name == name),
            "NetworkPolicy.projectcalico.org" | "GlobalNetworkPolicy" => {
                let global = kind == "GlobalNetworkPolicy";
                keep_last(&mut self.calico.policies, |p| {
                    p.global == global
                        && p.namespace.as_deref().unwrap_or("") == ns
                        && p.name == name
                })
            }
            "Tier" => keep_last(&mut self.calico.tiers, |t| t.name == name),
            "ServiceAccount" => keep_last(&mut self.calico.service_accounts, |(n, s, _)| {
                n == ns && s == name
            }),
            "Ingress" => keep_last(&mut self.ingresses, |i| i.namespace == ns && i.name == name),
            _ => keep_last(&mut self.workloads, |w| {
                w.endpoint.kind.as_str() == kind
                    && w.endpoint.namespace == ns
                    && w.endpoint.name == name
            }),
        }
    }

    fn finish(mut self, opts: &LoadOptions) -> Loaded {
        // Namespaces referenced but not declared exist implicitly.
        for (ns, loc) in std::mem::take(&mut self.referenced) {
            if !self.namespaces.contains_key(&ns) {
                let mut d = Diagnostic::new(
                    Severity::Info,
                    "implicit-namespace",
                    format!("namespace `{ns}` is not declared; it is assumed to exist with only the label `{NAMESPACE_NAME_LABEL}: {ns}`"),
                    loc.clone(),
                );
                d.path = Some("metadata.namespace".into());
                self.diags.push(d);
                let mut labels = Labels::new();
                labels.insert(NAMESPACE_NAME_LABEL.into(), ns.clone());
                self.namespaces.insert(
                    ns.clone(),
                    Namespace {
                        name: ns,
                        labels,
                        declared: false,
                        location: None,
                    },
                );
            }
        }

        let (endpoints, workload_pods) = resolve_ownership(self.workloads, &mut self.diags);
        let mut endpoints = endpoints;
        assign_ips(&mut endpoints, &opts.pod_cidr, &mut self.diags);

        let mut policies = self.policies;
        policies.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        let mut services = self.services;
        services.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        let mut ingresses = self.ingresses;
        ingresses.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

        // Index workload pods by final position.
        let index: HashMap<String, usize> = endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| (e.full_name(), i))
            .collect();
        let workload_pods = workload_pods
            .into_iter()
            .map(|(w, pods)| {
                (
                    w,
                    pods.iter().filter_map(|p| index.get(p).copied()).collect(),
                )
            })
            .collect();

        let mut cluster_policies = self.cluster_policies;
        cluster_policies.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let mut nodes = self.nodes;
        nodes.sort_by(|a, b| a.name.cmp(&b.name));
        let mut calico = self.calico;
        calico.sort();

        Loaded {
            cluster: Cluster {
                namespaces: self.namespaces.into_values().collect(),
                endpoints,
                services,
                ingresses,
                policies,
                workload_pods,
                cluster_policies,
                nodes,
                calico,
            },
            diagnostics: self.diags,
            objects: self.objects,
        }
    }
}

/// Decides which objects become endpoints: a workload whose pods were pasted too is
/// represented by those pods (each pod is shown once); a ReplicaSet or Job owned by a
/// pasted Deployment or CronJob is represented by its owner. Objects whose
/// ownerReferences form a cycle (or point at themselves) are all kept, with a warning.
/// Endpoints and workloads that share a namespace and name (a Pod `web` and a Deployment
/// `web`) are all kept, under kind-qualified names (`NS/pod/web`, `NS/deployment/web`).
fn resolve_ownership(
    raw: Vec<RawWorkload>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Endpoint>, BTreeMap<String, Vec<String>>) {
    // key: (namespace, kind, name) -> index
    let key = |w: &RawWorkload| {
        (
            w.endpoint.namespace.clone(),
            w.endpoint.kind.as_str().to_string(),
            w.endpoint.name.clone(),
        )
    };
    let by_key: HashMap<(String, String, String), usize> =
        raw.iter().enumerate().map(|(i, w)| (key(w), i)).collect();

    // The owner of each object, following ownerReferences, or name conventions for the
    // intermediate objects that were not pasted (ReplicaSet `<deployment>-<hash>`,
    // Job `<cronjob>-<n>`).
    let find = |ns: &str, kind: &str, name: &str| {
        by_key
            .get(&(ns.to_string(), kind.to_string(), name.to_string()))
            .copied()
    };
    let parent = |i: usize| -> Option<usize> {
        let w = &raw[i];
        let ns = &w.endpoint.namespace;
        let (okind, oname) = w.owner.as_ref()?;
        if let Some(j) = find(ns, okind, oname) {
            return Some(j);
        }
        let trimmed = oname.rsplit_once('-').map(|(a, _)| a)?;
        match okind.as_str() {
            "ReplicaSet" => find(ns, "Deployment", trimmed),
            "Job" => find(ns, "CronJob", trimmed),
            _ => None,
        }
    };
    let mut top_owner: Vec<Option<usize>> = vec![None; raw.len()];
    let mut cycles_reported: BTreeSet<Vec<usize>> = BTreeSet::new();
    for (i, slot) in top_owner.iter_mut().enumerate() {
        let mut chain = vec![i];
        let mut cycle = None;
        while let Some(p) = parent(chain[chain.len() - 1]) {
            if let Some(at) = chain.iter().position(|&c| c == p) {
                cycle = Some(chain[at..].to_vec());
                break;
            }
            chain.push(p);
        }
        if let Some(mut members) = cycle {
            // Kept as they are: nothing owns them for certain.
            members.sort_unstable();
            if cycles_reported.insert(members.clone()) {
                let names: Vec<String> = members
                    .iter()
                    .map(|&m| {
                        let e = &raw[m].endpoint;
                        format!("`{} {}/{}`", e.kind.as_str(), e.namespace, e.name)
                    })
                    .collect();
                let first = &raw[members[0]].endpoint;
                let message = if members.len() == 1 {
                    format!(
                        "{} names itself in `ownerReferences`; it is kept as it is",
                        names.join("")
                    )
                } else {
                    format!(
                        "the `ownerReferences` of {} form a cycle; each is kept as its own endpoint",
                        names.join(", ")
                    )
                };
                diags.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "owner-cycle",
                        message,
                        first.location.clone().unwrap_or_default(),
                    )
                    .with_path("metadata.ownerReferences"),
                );
            }
            continue;
        }
        let top = chain[chain.len() - 1];
        if top != i {
            *slot = Some(top);
        }
    }
    let mut hidden = vec![false; raw.len()];
    let mut pods_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, owner) in top_owner.iter().enumerate() {
        if let Some(o) = *owner {
            if raw[i].endpoint.kind == EndpointKind::Pod {
                // The owner is represented by this pod.
                hidden[o] = true;
                pods_of.entry(o).or_default().push(i);
            } else {
                // An intermediate controller (ReplicaSet, Job) is represented by its owner.
                hidden[i] = true;
            }
        }
    }
    // Names shared within a namespace by several of the named things (endpoints and the
    // workloads their pods stand for) are qualified by kind.
    let mut named: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, w) in raw.iter().enumerate() {
        if !hidden[i] || pods_of.contains_key(&i) {
            *named
                .entry((w.endpoint.namespace.as_str(), w.endpoint.name.as_str()))
                .or_default() += 1;
        }
    }
    let shared: Vec<bool> = raw
        .iter()
        .map(|w| {
            named
                .get(&(w.endpoint.namespace.as_str(), w.endpoint.name.as_str()))
                .is_some_and(|&n| n > 1)
        })
        .collect();
    drop(named);
    let display = |i: usize| {
        let e = &raw[i].endpoint;
        if shared[i] {
            format!("{}/{}/{}", e.namespace, e.kind.word(), e.name)
        } else {
            e.full_name()
        }
    };
    let pods_of: BTreeMap<String, Vec<String>> = pods_of
        .into_iter()
        .map(|(o, pods)| (display(o), pods.into_iter().map(display).collect()))
        .collect();
    let mut endpoints = Vec::new();
    for (i, mut w) in raw.into_iter().enumerate() {
        if hidden[i] {
            continue;
        }
        w.endpoint.ips.dedup();
        w.endpoint.qualified = shared[i];
        endpoints.push(w.endpoint);
    }
    endpoints.sort_by_cached_key(Endpoint::full_name);
    (endpoints, pods_of)
}

fn assign_ips(endpoints: &mut [Endpoint], cidr: &IpNet, diags: &mut Vec<Diagnostic>) {
    let used: BTreeSet<IpAddr> = endpoints
        .iter()
        .flat_map(|e| e.ips.iter().copied())
        .collect();
    let mut hosts = cidr.hosts().filter(|ip| !used.contains(ip));
    let mut exhausted = false;
    for e in endpoints
        .iter_mut()
        .filter(|e| e.ips.is_empty() && !e.host_network)
    {
        match hosts.next() {
            Some(ip) => {
                e.ips.push(ip);
                e.ip_assigned = true;
            }
            None => {
                if !exhausted {
                    exhausted = true;
                    diags.push(Diagnostic::new(
                        Severity::Warning,
                        "pod-cidr-exhausted",
                        format!("the pod CIDR `{cidr}` has no free address left; some pods have no IP and no ipBlock can match them"),
                        e.location.clone().unwrap_or_default(),
                    ));
                }
            }
        }
    }
}

/// An unquoted `y`, `Y`, `n` or `N` where a string is required. go-yaml v2 (kubectl)
/// reads these single letters as YAML 1.1 booleans, and kubectl would refuse the object;
/// every other YAML reader (YAML 1.2, PyYAML and most 1.1 readers) sees the letter, and
/// generated manifests write namespaces `x`, `y`, `z` unquoted. Read as the letter, with
/// a warning that kubectl disagrees: a diagnostic, never a silent difference.
fn letter_boolean(cx: &mut Cx<'_>, node: &Node, path: &str) -> Option<String> {
    let NodeKind::Scalar {
        value, plain: true, ..
    } = &node.kind
    else {
        return None;
    };
    if !matches!(node.scalar(), Some(Scalar::Bool(_)))
        || !matches!(value.as_str(), "y" | "Y" | "n" | "N")
    {
        return None;
    }
    let letter = value.clone();
    cx.diag(
        Severity::Warning,
        "yaml11-letter",
        node,
        Some(path),
        format!("unquoted `{letter}` is read here as the string `{letter}`, but kubectl (go-yaml v2, YAML 1.1) reads it as a boolean and the API server would refuse the object"),
    )
    .help = Some(format!("quote it: `\"{letter}\"`"));
    Some(letter)
}

fn read_labels(cx: &mut Cx<'_>, node: &Node, path: &str) -> Labels {
    let mut labels = Labels::new();
    if node.is_null() {
        return labels;
    }
    let Some(entries) = node.as_map() else {
        cx.diag(
            Severity::Warning,
            "invalid-field",
            node,
            Some(path),
            format!(
                "`{path}` should be a mapping of label keys to values, found {}",
                node.type_name()
            ),
        );
        return labels;
    };
    for (k, v) in entries {
        let key = k.text().unwrap_or("").to_string();
        let value = match v.scalar() {
            Some(Scalar::Str(s)) => s.to_string(),
            Some(Scalar::Null) => String::new(),
            _ if letter_boolean(cx, v, &format!("{path}.{key}")).is_some() => {
                v.text().unwrap_or("").to_string()
            }
            _ => {
                let text = v.text().unwrap_or("").to_string();
                // kubectl sends it as a JSON number or boolean, which the API server
                // refuses to decode into a label's string.
                cx.diag(
                    Severity::Error,
                    "label-not-string",
                    v,
                    Some(&format!("{path}.{key}")),
                    format!(
                        "label value `{text}` is {}; Kubernetes requires a string, so the API server refuses this object",
                        v.type_name()
                    ),
                )
                .help = Some(format!("quote it: `{key}: \"{text}\"`"));
                text
            }
        };
        labels.insert(key, value);
    }
    labels
}

fn read_container_ports(
    cx: &mut Cx<'_>,
    pod_spec: &Node,
    path: &str,
    out: &mut Vec<ContainerPort>,
) {
    for field in ["containers", "initContainers"] {
        let Some(containers) = pod_spec.get(field).and_then(Node::as_seq) else {
            continue;
        };
        for (ci, c) in containers.iter().enumerate() {
            let Some(ports) = c.get("ports").and_then(Node::as_seq) else {
                continue;
            };
            for (pi, p) in ports.iter().enumerate() {
                let ppath = format!("{path}.{field}[{ci}].ports[{pi}]");
                let port = p.get("containerPort").and_then(Node::as_int);
                let Some(port) = port.filter(|n| (1..=65535).contains(n)) else {
                    cx.diag(Severity::Warning, "invalid-field", p, Some(&format!("{ppath}.containerPort")), "`containerPort` must be a number between 1 and 65535; this port is ignored");
                    continue;
                };
                let protocol = match p.get("protocol").and_then(Node::text) {
                    None => Protocol::TCP,
                    Some(t) => match Protocol::parse(t) {
                        Some(pr) => pr,
                        None => {
                            cx.diag(
                                Severity::Warning,
                                "invalid-field",
                                p,
                                Some(&format!("{ppath}.protocol")),
                                format!("unsupported protocol `{t}`; this port is ignored"),
                            );
                            continue;
                        }
                    },
                };
                let name = p.get("name").and_then(Node::text).map(str::to_string);
                out.push(ContainerPort {
                    name,
                    port: port as u16,
                    protocol,
                });
            }
        }
    }
}

fn read_workload(
    cx: &mut Cx<'_>,
    node: &Node,
    kind: EndpointKind,
    namespace: String,
    name: String,
    labels: Labels,
    location: Location,
) -> RawWorkload {
    let spec = node.get("spec");
    let (labels, pod_spec, path) = if kind == EndpointKind::Pod {
        (labels, spec, "spec".to_string())
    } else {
        let template = if kind == EndpointKind::CronJob {
            spec.and_then(|s| s.get("jobTemplate"))
                .and_then(|j| j.get("spec"))
                .and_then(|s| s.get("template"))
        } else {
            spec.and_then(|s| s.get("template"))
        };
        let tpath = if kind == EndpointKind::CronJob {
            "spec.jobTemplate.spec.template"
        } else {
            "spec.template"
        };
        let tlabels = template
            .and_then(|t| t.get("metadata"))
            .and_then(|m| m.get("labels"))
            .map(|l| read_labels(cx, l, &format!("{tpath}.metadata.labels")))
            .unwrap_or_default();
        if template.is_none() {
            cx.diag(
                Severity::Warning,
                "missing-template",
                node,
                Some(tpath),
                format!(
                    "`{}` has no pod template; it stands for pods with no labels",
                    cx.object
                ),
            );
        }
        (
            tlabels,
            template.and_then(|t| t.get("spec")),
            format!("{tpath}.spec"),
        )
    };
    let mut ports = Vec::new();
    if let Some(ps) = pod_spec {
        read_container_ports(cx, ps, &path, &mut ports);
    }
    let host_network = pod_spec
        .and_then(|s| s.get("hostNetwork"))
        .and_then(|h| h.scalar())
        == Some(Scalar::Bool(true));
    // `serviceAccount` is the deprecated spelling; pods without either run as `default`.
    let service_account = Some(
        pod_spec
            .and_then(|s| {
                s.get("serviceAccountName")
                    .or_else(|| s.get("serviceAccount"))
            })
            .and_then(Node::text)
            .filter(|t| !t.is_empty())
            .unwrap_or("default")
            .to_string(),
    );
    let mut ips = Vec::new();
    if kind == EndpointKind::Pod {
        if let Some(status) = node.get("status") {
            let mut texts: Vec<&Node> = Vec::new();
            if let Some(ip) = status.get("podIP") {
                texts.push(ip);
            }
            if let Some(list) = status.get("podIPs").and_then(Node::as_seq) {
                texts.extend(list.iter().filter_map(|e| e.get("ip")));
            }
            for t in texts {
                let s = t.text().unwrap_or("");
                match s.parse::<IpAddr>() {
                    Ok(ip) => {
                        if !ips.contains(&ip) {
                            ips.push(ip)
                        }
                    }
                    Err(_) if s.is_empty() => {}
                    Err(_) => {
                        cx.diag(
                            Severity::Warning,
                            "invalid-ip",
                            t,
                            Some("status.podIP"),
                            format!("`{s}` is not an IP address; an address will be assigned"),
                        );
                    }
                }
            }
        }
    }
    let replicas = spec
        .and_then(|s| s.get("replicas"))
        .and_then(Node::as_int)
        .and_then(|r| u32::try_from(r).ok());
    let owner = node
        .get("metadata")
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Node::as_seq)
        .and_then(|refs| {
            let pick = refs
                .iter()
                .find(|r| r.get("controller").and_then(|c| c.scalar()) == Some(Scalar::Bool(true)))
                .or_else(|| refs.first())?;
            Some((
                pick.get("kind")?.text()?.to_string(),
                pick.get("name")?.text()?.to_string(),
            ))
        });
    let owner_text = owner.as_ref().map(|(k, n)| format!("{k} {n}"));
    RawWorkload {
        endpoint: Endpoint {
            namespace,
            name,
            kind,
            labels,
            ips,
            ip_assigned: false,
            ports,
            owner: owner_text,
            replicas,
            host_network,
            location: Some(location),
            service_account,
            qualified: false,
        },
        owner,
    }
}

fn read_service(
    cx: &mut Cx<'_>,
    node: &Node,
    namespace: String,
    name: String,
    location: Location,
) -> Service {
    let spec = node.get("spec");
    let get = |k: &str| spec.and_then(|s| s.get(k));
    let service_type = get("type")
        .and_then(Node::text)
        .unwrap_or("ClusterIP")
        .to_string();
    let cluster_ip_text = get("clusterIP").and_then(Node::text);
    let headless = cluster_ip_text == Some("None");
    let cluster_ip = cluster_ip_text.and_then(|t| t.parse().ok());
    let ips = |n: Option<&Node>| -> Vec<IpAddr> {
        n.and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(|x| x.text().and_then(|t| t.parse().ok()))
            .collect()
    };
    let external_ips = ips(get("externalIPs"));
    let mut load_balancer_ips: Vec<IpAddr> = get("loadBalancerIP")
        .and_then(Node::text)
        .and_then(|t| t.parse().ok())
        .into_iter()
        .collect();
    let lb_status = node
        .get("status")
        .and_then(|s| s.get("loadBalancer"))
        .and_then(|l| l.get("ingress"))
        .and_then(Node::as_seq)
        .unwrap_or(&[]);
    for i in lb_status {
        if let Some(ip) = i
            .get("ip")
            .and_then(Node::text)
            .and_then(|t| t.parse().ok())
        {
            if !load_balancer_ips.contains(&ip) {
                load_balancer_ips.push(ip);
            }
        }
    }
    let selector = get("selector").map(|s| read_labels(cx, s, "spec.selector"));
    let mut ports = Vec::new();
    if let Some(list) = get("ports").and_then(Node::as_seq) {
        for p in list {
            let Some(port) = p
                .get("port")
                .and_then(Node::as_int)
                .filter(|n| (1..=65535).contains(n))
            else {
                continue;
            };
            let protocol = p
                .get("protocol")
                .and_then(Node::text)
                .and_then(Protocol::parse)
                .unwrap_or(Protocol::TCP);
            let target_port = match p.get("targetPort") {
                Some(t) => match t.as_int() {
                    Some(n) if (1..=65535).contains(&n) => PortValue::Number(n as u16),
                    _ => PortValue::Name(t.text().unwrap_or("").to_string()),
                },
                None => PortValue::Number(port as u16),
            };
            ports.push(ServicePort {
                name: p.get("name").and_then(Node::text).map(str::to_string),
                port: port as u16,
                protocol,
                target_port,
                node_port: p
                    .get("nodePort")
                    .and_then(Node::as_int)
                    .and_then(|n| u16::try_from(n).ok()),
            });
        }
    }
    Service {
        namespace,
        name,
        service_type,
        cluster_ip,
        selector,
        ports,
        external_traffic_policy_local: get("externalTrafficPolicy").and_then(Node::text)
            == Some("Local"),
        headless,
        external_ips,
        load_balancer_ips,
        external_name: get("externalName").and_then(Node::text).map(str::to_string),
        location: Some(location),
    }
}

/// An Ingress backend: `service: {name, port: {number | name}}`. Resource backends
/// (`resource:`) name no Service and are left out.
fn read_ingress_backend(node: &Node) -> Option<IngressBackend> {
    let svc = node.get("service")?;
    let name = svc.get("name").and_then(Node::text)?.to_string();
    let port = svc.get("port").and_then(|p| {
        if let Some(n) = p
            .get("number")
            .and_then(Node::as_int)
            .and_then(|n| u16::try_from(n).ok())
        {
            Some(PortValue::Number(n))
        } else {
            p.get("name")
                .and_then(Node::text)
                .map(|s| PortValue::Name(s.to_string()))
        }
    });
    Some(IngressBackend {
        service: name,
        port,
    })
}

/// networking.k8s.io/v1 Ingress, read leniently (rules, paths, defaultBackend, class).
fn read_ingress(
    cx: &mut Cx<'_>,
    node: &Node,
    namespace: String,
    name: String,
    location: Location,
) -> Ingress {
    let api_version = node.get("apiVersion").and_then(Node::text).unwrap_or("");
    if api_version != "networking.k8s.io/v1" {
        cx.diag(
            Severity::Warning,
            "unknown-api-version",
            node.get("apiVersion").unwrap_or(node),
            Some("apiVersion"),
            format!("Ingress `{api_version}` is read as networking.k8s.io/v1 (`spec.rules[].http.paths[].backend.service`); older backends (`serviceName`) are not read"),
        );
    }
    let spec = node.get("spec");
    let class_name = spec
        .and_then(|s| s.get("ingressClassName"))
        .and_then(Node::text)
        .or_else(|| {
            node.get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get("kubernetes.io/ingress.class"))
                .and_then(Node::text)
        })
        .map(str::to_string);
    let default_backend = spec
        .and_then(|s| s.get("defaultBackend"))
        .and_then(read_ingress_backend);
    let mut paths = Vec::new();
    for rule in spec
        .and_then(|s| s.get("rules"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
    {
        let host = rule.get("host").and_then(Node::text).map(str::to_string);
        for p in rule
            .get("http")
            .and_then(|h| h.get("paths"))
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(backend) = p.get("backend").and_then(read_ingress_backend) {
                paths.push(IngressPath {
                    host: host.clone(),
                    path: p.get("path").and_then(Node::text).map(str::to_string),
                    backend,
                });
            }
        }
    }
    Ingress {
        namespace,
        name,
        class_name,
        default_backend,
        paths,
        location: Some(location),
    }
}

// ---------------------------------------------------------------------------------------
// NetworkPolicy: strict reading and validation (pkg/apis/networking/validation).

const POLICY_TOP: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];
const POLICY_SPEC: &[&str] = &["podSelector", "policyTypes", "ingress", "egress"];
const INGRESS_RULE: &[&str] = &["from", "ports"];
const EGRESS_RULE: &[&str] = &["to", "ports"];
const PEER: &[&str] = &["podSelector", "namespaceSelector", "ipBlock"];
const IP_BLOCK: &[&str] = &["cidr", "except"];
const PORT: &[&str] = &["protocol", "port", "endPort"];
const SELECTOR: &[&str] = &["matchLabels", "matchExpressions"];
const REQUIREMENT: &[&str] = &["key", "operator", "values"];

pub(crate) struct PolicyReader<'c, 'd> {
    pub(crate) cx: &'c mut Cx<'d>,
    pub(crate) errors: usize,
}

impl PolicyReader<'_, '_> {
    pub(crate) fn error(&mut self, node: &Node, path: &str, message: impl Into<String>) {
        self.errors += 1;
        self.cx
            .diag(Severity::Error, "invalid-field", node, Some(path), message);
    }

    /// Reads a node that must be a list (null = absent). Reports type errors.
    pub(crate) fn list<'n>(&mut self, node: Option<&'n Node>, path: &str) -> Option<&'n [Node]> {
        let node = node?;
        if node.is_null() {
            return None;
        }
        match node.as_seq() {
            Some(s) => Some(s),
            None => {
                self.error(
                    node,
                    path,
                    format!("must be a list, found {}", node.type_name()),
                );
                None
            }
        }
    }

    pub(crate) fn map<'n>(&mut self, node: Option<&'n Node>, path: &str) -> Option<&'n Node> {
        let node = node?;
        if node.is_null() {
            return None;
        }
        if node.as_map().is_some() {
            Some(node)
        } else {
            self.error(
                node,
                path,
                format!("must be a mapping, found {}", node.type_name()),
            );
            None
        }
    }

    pub(crate) fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        if let Some(letter) = letter_boolean(self.cx, node, path) {
            return Some(letter);
        }
        match node.scalar() {
            Some(Scalar::Str(s)) => Some(s.to_string()),
            // JSON null leaves a Go string at its zero value: `values: [null]` is `[""]`.
            Some(Scalar::Null) => Some(String::new()),
            other => {
                let text = node.text().unwrap_or("");
                self.error(
                    node,
                    path,
                    format!("must be a string, found {} `{text}`", node.type_name()),
                );
                // A YAML 1.1 boolean or number (`yes`, `1`) where a string was meant.
                if matches!(
                    other,
                    Some(Scalar::Bool(_) | Scalar::Int(_) | Scalar::Float)
                ) {
                    if let Some(d) = self.cx.diags.last_mut() {
                        d.help = Some(format!("quote it: `\"{text}\"`"));
                    }
                }
                None
            }
        }
    }

    pub(crate) fn selector(&mut self, node: &Node, path: &str) -> Selector {
        let mut sel = Selector::default();
        self.cx.unknown_fields(node, path, SELECTOR, |_| None);
        if let Some(ml) = self.map(node.get("matchLabels"), &join(path, "matchLabels")) {
            let mlpath = join(path, "matchLabels");
            for (k, v) in ml.as_map().unwrap_or(&[]) {
                let key = k.text().unwrap_or("").to_string();
                for e in names::qualified_name(&key) {
                    self.error(k, &mlpath, format!("invalid value `{key}`: {e}"));
                }
                let value = if v.is_null() {
                    Some(String::new())
                } else {
                    self.string(v, &format!("{mlpath}.{key}"))
                };
                let Some(value) = value else { continue };
                for e in names::label_value(&value) {
                    self.error(v, &mlpath, format!("invalid value `{value}`: {e}"));
                }
                sel.match_labels.push((key, value));
            }
        }
        let mepath = join(path, "matchExpressions");
        if let Some(exprs) = self.list(node.get("matchExpressions"), &mepath) {
            for (i, e) in exprs.iter().enumerate() {
                let epath = format!("{mepath}[{i}]");
                if e.as_map().is_none() {
                    self.error(
                        e,
                        &epath,
                        format!("must be a mapping, found {}", e.type_name()),
                    );
                    continue;
                }
                self.cx.unknown_fields(e, &epath, REQUIREMENT, |_| None);
                let key = match e.get("key") {
                    Some(k) => self.string(k, &join(&epath, "key")).unwrap_or_default(),
                    None => String::new(),
                };
                for msg in names::qualified_name(&key) {
                    self.error(
                        e.get("key").unwrap_or(e),
                        &join(&epath, "key"),
                        format!("invalid value `{key}`: {msg}"),
                    );
                }
                let op_text = e
                    .get("operator")
                    .and_then(Node::text)
                    .unwrap_or("")
                    .to_string();
                let values: Vec<String> = match self.list(e.get("values"), &join(&epath, "values"))
                {
                    Some(vs) => vs
                        .iter()
                        .filter_map(|v| self.string(v, &join(&epath, "values")))
                        .collect(),
                    None => Vec::new(),
                };
                let operator = match op_text.as_str() {
                    "In" => Some(Operator::In),
                    "NotIn" => Some(Operator::NotIn),
                    "Exists" => Some(Operator::Exists),
                    "DoesNotExist" => Some(Operator::DoesNotExist),
                    _ => None,
                };
                match operator {
                    Some(Operator::In | Operator::NotIn) if values.is_empty() => self.error(
                        e.get("values").unwrap_or(e),
                        &join(&epath, "values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ),
                    Some(Operator::Exists | Operator::DoesNotExist) if !values.is_empty() => self
                        .error(
                            e.get("values").unwrap_or(e),
                            &join(&epath, "values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                        ),
                    None => {
                        let node = e.get("operator").unwrap_or(e);
                        self.errors += 1;
                        let d = self.cx.diag(
                            Severity::Error,
                            "invalid-field",
                            node,
                            Some(&join(&epath, "operator")),
                            format!("invalid value `{op_text}`: not a valid selector operator"),
                        );
                        if let Some(s) =
                            did_you_mean(&op_text, ["In", "NotIn", "Exists", "DoesNotExist"])
                        {
                            d.help = Some(format!("did you mean `{s}`?"));
                        }
                    }
                    _ => {}
                }
                for (j, v) in values.iter().enumerate() {
                    let at = e
                        .get("values")
                        .and_then(Node::as_seq)
                        .and_then(|vs| vs.get(j))
                        .unwrap_or(e);
                    for msg in names::label_value(v) {
                        self.error(
                            at,
                            &format!("{epath}.values[{j}]"),
                            format!("invalid value `{v}`: {msg}"),
                        );
                    }
                }
                if let Some(operator) = operator {
                    sel.match_expressions.push(Requirement {
                        key,
                        operator,
                        values,
                    });
                }
            }
        }
        sel
    }

    pub(crate) fn cidr(&mut self, node: &Node, path: &str) -> Option<IpNet> {
        let text = self.string(node, path)?;
        match parse_cidr(&text) {
            Ok((n, canonical)) => {
                if let Some(c) = canonical {
                    self.cx.diag(
                        Severity::Info,
                        "non-standard-cidr",
                        node,
                        Some(path),
                        format!("non-standard CIDR value `{text}` will be considered invalid in a future Kubernetes release: use `{c}`"),
                    );
                }
                Some(n)
            }
            Err(_) => {
                let hint = if text.parse::<IpAddr>().is_ok() {
                    " (a CIDR needs a prefix length, e.g. `/32`)"
                } else {
                    ""
                };
                self.error(node, path, format!("invalid value `{text}`: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64){hint}"));
                None
            }
        }
    }

    fn peer(&mut self, node: &Node, path: &str) -> Option<Peer> {
        if node.as_map().is_none() {
            self.error(
                node,
                path,
                format!("must be a mapping, found {}", node.type_name()),
            );
            return None;
        }
        self.cx.unknown_fields(node, path, PEER, |k| match k {
            "cidr" | "except" => Some("`cidr` and `except` belong inside `ipBlock`".into()),
            "matchLabels" | "matchExpressions" => {
                Some("label selectors go inside `podSelector` or `namespaceSelector`".into())
            }
            _ => None,
        });
        let pod = self
            .map(node.get("podSelector"), &join(path, "podSelector"))
            .map(|s| self.selector(s, &join(path, "podSelector")));
        let ns = self
            .map(
                node.get("namespaceSelector"),
                &join(path, "namespaceSelector"),
            )
            .map(|s| self.selector(s, &join(path, "namespaceSelector")));
        let ipb_node = self.map(node.get("ipBlock"), &join(path, "ipBlock"));
        let count = usize::from(pod.is_some())
            + usize::from(ns.is_some())
            + usize::from(ipb_node.is_some());
        if count == 0 {
            self.error(node, path, "must specify a peer");
            return None;
        }
        if let Some(ib) = ipb_node {
            let ipath = join(path, "ipBlock");
            if count > 1 {
                self.error(node, path, "may not specify both ipBlock and another peer");
            }
            self.cx.unknown_fields(ib, &ipath, IP_BLOCK, |_| None);
            let cidr = match ib.get("cidr") {
                Some(c) if c.text().is_some_and(|t| !t.is_empty()) => {
                    self.cidr(c, &join(&ipath, "cidr"))
                }
                other => {
                    self.error(other.unwrap_or(ib), &join(&ipath, "cidr"), "Required value");
                    None
                }
            };
            let mut except = Vec::new();
            // The API server stops at a missing or unparsable `cidr`.
            let except_list = if cidr.is_some() {
                self.list(ib.get("except"), &join(&ipath, "except"))
            } else {
                None
            };
            if let Some(list) = except_list {
                for (i, e) in list.iter().enumerate() {
                    let epath = format!("{ipath}.except[{i}]");
                    let Some(ex) = self.cidr(e, &epath) else {
                        continue;
                    };
                    if let Some(c) = cidr {
                        let inside = c.trunc().contains(&ex.trunc().network())
                            && ex.prefix_len() > c.prefix_len();
                        if !inside {
                            self.error(
                                e,
                                &epath,
                                format!(
                                    "invalid value `{}`: must be a strict subset of `cidr`",
                                    e.text().unwrap_or("")
                                ),
                            );
                            continue;
                        }
                    }
                    except.push(ex);
                }
            }
            let cidr = cidr?;
            return Some(Peer {
                kind: PeerKind::IpBlock(IpBlock { cidr, except }),
                location: self.cx.loc(node),
            });
        }
        Some(Peer {
            kind: PeerKind::Pods {
                namespace_selector: ns,
                pod_selector: pod,
            },
            location: self.cx.loc(node),
        })
    }

    fn port(&mut self, node: &Node, path: &str) -> Option<PortRule> {
        // A null entry decodes to the zero NetworkPolicyPort: protocol TCP (defaulted),
        // every port, as `{}` does.
        if node.is_null() {
            return Some(PortRule {
                protocol: Protocol::TCP,
                port: None,
                end_port: None,
                location: self.cx.loc(node),
            });
        }
        if node.as_map().is_none() {
            self.error(
                node,
                path,
                format!("must be a mapping, found {}", node.type_name()),
            );
            return None;
        }
        self.cx.unknown_fields(node, path, PORT, |k| match k {
            "containerPort" | "targetPort" => Some("NetworkPolicy ports use `port`".into()),
            _ => None,
        });
        let protocol = match node.get("protocol").filter(|n| !n.is_null()) {
            None => Protocol::TCP,
            Some(p) => {
                let t = p.text().unwrap_or("").to_string();
                match Protocol::parse(&t) {
                    Some(pr) => pr,
                    None => {
                        self.errors += 1;
                        let d = self.cx.diag(
                            Severity::Error,
                            "invalid-field",
                            p,
                            Some(&join(path, "protocol")),
                            format!("unsupported value `{t}`: supported values: \"TCP\", \"UDP\", \"SCTP\""),
                        );
                        if let Some(s) = did_you_mean(&t, ["TCP", "UDP", "SCTP"]) {
                            d.help =
                                Some(format!("did you mean `{s}`? (protocols are upper case)"));
                        } else if t.eq_ignore_ascii_case("icmp") {
                            d.help = Some("NetworkPolicy cannot select ICMP; a rule without `ports` allows it on most CNIs".into());
                        }
                        Protocol::TCP
                    }
                }
            }
        };
        let ppath = join(path, "port");
        let port = match node.get("port").filter(|n| !n.is_null()) {
            None => None,
            Some(p) => match p.scalar() {
                Some(Scalar::Int(n)) => {
                    for e in names::port_number(n) {
                        self.error(p, &ppath, format!("invalid value `{n}`: {e}"));
                    }
                    u16::try_from(n)
                        .ok()
                        .filter(|n| *n > 0)
                        .map(PortValue::Number)
                }
                Some(Scalar::Str(s)) => {
                    let errs = names::port_name(s);
                    for e in &errs {
                        self.error(p, &ppath, format!("invalid value `{s}`: {e}"));
                    }
                    if errs.is_empty() {
                        Some(PortValue::Name(s.to_string()))
                    } else {
                        None
                    }
                }
                _ => {
                    self.error(
                        p,
                        &ppath,
                        format!(
                            "must be a port number or name, found {} `{}`",
                            p.type_name(),
                            p.text().unwrap_or("")
                        ),
                    );
                    None
                }
            },
        };
        let epath = join(path, "endPort");
        let end_port = match node.get("endPort").filter(|n| !n.is_null()) {
            None => None,
            Some(e) => match e.as_int() {
                None => {
                    self.error(
                        e,
                        &epath,
                        format!(
                            "must be a number, found {} `{}`",
                            e.type_name(),
                            e.text().unwrap_or("")
                        ),
                    );
                    None
                }
                Some(end) => {
                    match node.get("port").filter(|n| !n.is_null()).map(|p| p.scalar()) {
                        None => self.error(e, &epath, format!("invalid value `{end}`: may not be specified when `port` is not specified")),
                        Some(Some(Scalar::Int(start))) => {
                            if end < start {
                                self.error(e, &epath, format!("invalid value `{start}`: must be greater than or equal to `port`"));
                            }
                            for msg in names::port_number(end) {
                                self.error(e, &epath, format!("invalid value `{end}`: {msg}"));
                            }
                        }
                        Some(_) => self.error(e, &epath, format!("invalid value `{end}`: may not be specified when `port` is non-numeric")),
                    }
                    u16::try_from(end).ok()
                }
            },
        };
        Some(PortRule {
            protocol,
            port,
            end_port,
            location: self.cx.loc(node),
        })
    }

    fn rules(&mut self, spec: &Node, dir: Direction) -> Vec<Rule> {
        let (field, peers_field, known, other) = match dir {
            Direction::Ingress => ("ingress", "from", INGRESS_RULE, "to"),
            Direction::Egress => ("egress", "to", EGRESS_RULE, "from"),
        };
        let path = format!("spec.{field}");
        let mut rules = Vec::new();
        let Some(list) = self.list(spec.get(field), &path) else {
            return rules;
        };
        for (i, r) in list.iter().enumerate() {
            let rpath = format!("{path}[{i}]");
            if r.is_null() {
                rules.push(Rule {
                    peers: Vec::new(),
                    ports: Vec::new(),
                    location: self.cx.loc(r),
                });
                continue;
            }
            if r.as_map().is_none() {
                self.error(
                    r,
                    &rpath,
                    format!("must be a mapping, found {}", r.type_name()),
                );
                continue;
            }
            let has_peers = r.get(peers_field).is_some();
            self.cx.unknown_fields(r, &rpath, known, |k| {
                if k == other {
                    Some(format!(
                        "{field} rules use `{peers_field}`{}",
                        if has_peers {
                            ""
                        } else {
                            "; without it this rule matches every peer"
                        }
                    ))
                } else if PEER.contains(&k) {
                    Some(format!("peers go in a list under `{peers_field}`"))
                } else {
                    None
                }
            });
            let ppath = format!("{rpath}.{peers_field}");
            let peers = self
                .list(r.get(peers_field), &ppath)
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .filter_map(|(j, p)| self.peer(p, &format!("{ppath}[{j}]")))
                        .collect()
                })
                .unwrap_or_default();
            let portspath = format!("{rpath}.ports");
            let ports = self
                .list(r.get("ports"), &portspath)
                .map(|ps| {
                    ps.iter()
                        .enumerate()
                        .filter_map(|(j, p)| self.port(p, &format!("{portspath}[{j}]")))
                        .collect()
                })
                .unwrap_or_default();
            rules.push(Rule {
                peers,
                ports,
                location: self.cx.loc(r),
            });
        }
        rules
    }
}

/// Parses a CIDR the way the API server does by default: host bits may be set, and IPv4
/// octets may have leading zeros (read as decimal). Returns the canonical spelling when
/// the input was not canonical in the leading-zero sense.
pub(crate) fn parse_cidr(text: &str) -> Result<(IpNet, Option<String>), ()> {
    if let Ok(n) = text.parse::<IpNet>() {
        return Ok((n, None));
    }
    let (addr, prefix) = text.split_once('/').ok_or(())?;
    let octets: Vec<&str> = addr.split('.').collect();
    if octets.len() != 4
        || !octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(());
    }
    let fixed: Vec<String> = octets
        .iter()
        .map(|o| o.parse::<u16>().map(|v| v.to_string()))
        .collect::<Result<_, _>>()
        .map_err(|_| ())?;
    let prefix = prefix.parse::<u8>().map_err(|_| ())?;
    let canonical = format!("{}/{prefix}", fixed.join("."));
    canonical
        .parse::<IpNet>()
        .map(|n| (n, Some(canonical)))
        .map_err(|_| ())
}

fn read_policy(
    cx: &mut Cx<'_>,
    node: &Node,
    namespace: &str,
    name: &str,
    namespace_given: bool,
) -> Option<Policy> {
    cx.unknown_fields(node, "", POLICY_TOP, |_| None);
    let mut r = PolicyReader { cx, errors: 0 };
    let meta = node.get("metadata");
    if let Some(n) = meta.and_then(|m| m.get("name")) {
        for e in names::dns1123_subdomain(name) {
            r.error(n, "metadata.name", format!("invalid value `{name}`: {e}"));
        }
    }
    if namespace_given {
        if let Some(n) = meta.and_then(|m| m.get("namespace")) {
            for e in names::dns1123_label(namespace) {
                r.error(
                    n,
                    "metadata.namespace",
                    format!("invalid value `{namespace}`: {e}"),
                );
            }
        }
    }
    if let Some(labels) = meta.and_then(|m| m.get("labels")).and_then(Node::as_map) {
        for (k, v) in labels {
            let key = k.text().unwrap_or("");
            for e in names::qualified_name(key) {
                r.error(k, "metadata.labels", format!("invalid value `{key}`: {e}"));
            }
            let value = v.text().unwrap_or("");
            for e in names::label_value(value) {
                r.error(
                    v,
                    "metadata.labels",
                    format!("invalid value `{value}`: {e}"),
                );
            }
        }
    }
    let empty = Node {
        kind: NodeKind::Map(Vec::new()),
        span: node.span.clone(),
    };
    let spec = match r.map(node.get("spec"), "spec") {
        Some(s) => s,
        None => {
            if node.get("spec").is_none() {
                r.cx.diag(Severity::Warning, "missing-spec", node, Some("spec"), "NetworkPolicy has no `spec`: it selects every pod of its namespace and denies all their ingress")
                    .help = Some("add `spec.podSelector` and the rules you mean".into());
            }
            &empty
        }
    };
    r.cx.unknown_fields(spec, "spec", POLICY_SPEC, |k| match k {
        "from" | "to" | "ports" => Some("rules go in lists under `ingress` or `egress`".into()),
        "namespaceSelector" => Some("a policy always applies to pods in its own namespace; select other namespaces in `from`/`to` peers".into()),
        _ => None,
    });
    let pod_selector = match r.map(spec.get("podSelector"), "spec.podSelector") {
        Some(s) => r.selector(s, "spec.podSelector"),
        None => Selector::default(),
    };
    let mut explicit_types = false;
    let mut types = (false, false);
    if let Some(list) = r.list(spec.get("policyTypes"), "spec.policyTypes") {
        let too_many = list.len() > 2;
        if too_many {
            r.error(
                spec.get("policyTypes").unwrap_or(spec),
                "spec.policyTypes",
                "may not specify more than two policyTypes",
            );
        }
        explicit_types = !list.is_empty();
        for (i, t) in list.iter().enumerate().filter(|_| !too_many) {
            match t.text() {
                Some("Ingress") => types.0 = true,
                Some("Egress") => types.1 = true,
                other => {
                    let text = other.unwrap_or("");
                    r.errors += 1;
                    let d = r.cx.diag(
                        Severity::Error,
                        "invalid-field",
                        t,
                        Some(&format!("spec.policyTypes[{i}]")),
                        format!(
                            "unsupported value `{text}`: supported values: \"Ingress\", \"Egress\""
                        ),
                    );
                    if let Some(s) = did_you_mean(text, ["Ingress", "Egress"]) {
                        d.help = Some(format!("did you mean `{s}`?"));
                    }
                }
            }
        }
    }
    let ingress = r.rules(spec, Direction::Ingress);
    let egress = r.rules(spec, Direction::Egress);
    if !explicit_types {
        // SetDefaults_NetworkPolicySpec: Ingress always; Egress when egress rules exist.
        let has_egress = spec
            .get("egress")
            .and_then(Node::as_seq)
            .is_some_and(|l| !l.is_empty());
        types = (true, has_egress);
    }
    let errors = r.errors;
    if errors > 0 {
        // Point the first error of this object at the consequence.
        let object = cx.object.clone();
        if let Some(d) = cx
            .diags
            .iter_mut()
            .find(|d| d.severity == Severity::Error && d.object.as_deref() == Some(&object))
        {
            let note = "the API server would reject this NetworkPolicy, so it is left out of every verdict";
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h}; {note}"),
                None => note.to_string(),
            });
        }
        return None;
    }
    Some(Policy {
        namespace: namespace.to_string(),
        name: name.to_string(),
        pod_selector,
        ingress_isolating: types.0,
        egress_isolating: types.1,
        explicit_types,
        ingress,
        egress,
        location: cx.loc(node),
    })
}
