//! The cluster as objects are read: `ClusterBuilder` (one object at a time, each family of kinds in its own module), then `finish` (ownership, defaults, the assumed namespaces).

use super::*;

/// (kind, namespace, name) as one string, each part but the last after its length: no
/// two keys the same.
pub(super) fn seen_key(kind: &str, namespace: &str, name: &str) -> String {
    format!("{}:{kind}{}:{namespace}{name}", kind.len(), namespace.len())
}

#[derive(Default)]
pub(super) struct ClusterBuilder {
    pub(super) diags: Vec<Diagnostic>,
    pub(super) objects: Vec<ObjectInfo>,
    /// Declared namespaces in the order read (a later one of a name replaces the earlier
    /// one: `finish`). Vecs, not maps: no B-tree types of their own in the page's wasm.
    pub(super) namespaces: Vec<Namespace>,
    /// namespace -> where it was referenced (the first of a name counts: `finish`); a
    /// run of objects of one namespace adds it once.
    pub(super) referenced: Vec<(String, Location)>,
    pub(super) workloads: Vec<RawWorkload>,
    pub(super) services: Vec<Service>,
    pub(super) ingresses: Vec<Ingress>,
    pub(super) routes: Vec<Route>,
    pub(super) policies: Vec<Policy>,
    pub(super) cluster_policies: Vec<crate::tiers::ClusterPolicy>,
    pub(super) nodes: Vec<crate::tiers::NodeInfo>,
    pub(super) calico: crate::tiers::calico::Calico,
    /// The (kind, namespace, name)s stored, by [`seen_key`] (the value unused:
    /// `HashMap<String, usize>` is the YAML builder's type, so no hash table of its own).
    pub(super) seen: HashMap<String, usize>,
}

/// The kinds the loader reads (a near miss of one is an error, not a skipped object).
pub(super) const KNOWN_KINDS: &[&str] = &[
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
pub(super) struct ItemType<'n> {
    pub(super) kind: &'n str,
    pub(super) api_version: &'n str,
}

/// The apiVersion a current API server serves for each kind the loader reads from the
/// Kubernetes API itself (the cluster-scoped tiers and Calico check their own), and the
/// versions it served once: (kind, served, [(removed version, the release without it)]).
/// `networking.k8s.io/v1beta1` never had NetworkPolicy. Source: the Kubernetes
/// deprecated API migration guide (kubernetes.io/docs/reference/using-api/deprecation-guide).
pub(super) type ServedApi = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);
pub(super) const SERVED_API_VERSIONS: &[ServedApi] = &[
    ("Namespace", "v1", &[]),
    ("Pod", "v1", &[]),
    ("Service", "v1", &[]),
    ("ReplicationController", "v1", &[]),
    ("Node", "v1", &[]),
    ("ServiceAccount", "v1", &[]),
    (
        "Deployment",
        "apps/v1",
        &[
            ("extensions/v1beta1", "1.16"),
            ("apps/v1beta1", "1.16"),
            ("apps/v1beta2", "1.16"),
        ],
    ),
    (
        "StatefulSet",
        "apps/v1",
        &[("apps/v1beta1", "1.16"), ("apps/v1beta2", "1.16")],
    ),
    (
        "DaemonSet",
        "apps/v1",
        &[("extensions/v1beta1", "1.16"), ("apps/v1beta2", "1.16")],
    ),
    (
        "ReplicaSet",
        "apps/v1",
        &[("extensions/v1beta1", "1.16"), ("apps/v1beta2", "1.16")],
    ),
    ("Job", "batch/v1", &[]),
    (
        "CronJob",
        "batch/v1",
        &[("batch/v1beta1", "1.25"), ("batch/v2alpha1", "1.21")],
    ),
    (
        "NetworkPolicy",
        "networking.k8s.io/v1",
        &[("extensions/v1beta1", "1.16")],
    ),
    (
        "Ingress",
        "networking.k8s.io/v1",
        &[
            ("extensions/v1beta1", "1.22"),
            ("networking.k8s.io/v1beta1", "1.22"),
        ],
    ),
];

/// Whether the API server serves `kind` in `api_version`; if not, an error says so and
/// the object is skipped, as kubectl refuses it ("no matches for kind ... in version
/// ..."). A core kind (`v1`) written without `apiVersion` is read: kubectl maps a kind of
/// the core group without a version to its preferred one. Any other kind without one has
/// no group, so no API takes it.
pub(super) fn served_api_version(
    cx: &mut Cx<'_>,
    node: &Node,
    kind: &str,
    api_version: &str,
) -> bool {
    let Some(&(_, served, removed)) = SERVED_API_VERSIONS.iter().find(|(k, ..)| *k == kind) else {
        return true;
    };
    if api_version == served || (api_version.is_empty() && served == "v1") {
        return true;
    }
    let at = node.get("apiVersion").unwrap_or(node);
    let message = if api_version.is_empty() {
        format!("this `{kind}` has no `apiVersion`, so kubectl cannot tell which API it belongs to (no matches for kind \"{kind}\" in version \"\") and refuses it; it is skipped")
    } else if let Some((_, release)) = removed.iter().find(|(v, _)| *v == api_version) {
        format!("`{kind}` in `{api_version}` is no longer served (removed in Kubernetes {release}): kubectl refuses it (no matches for kind \"{kind}\" in version \"{api_version}\"), so it is skipped")
    } else {
        format!("the API server has no `{kind}` in `{api_version}`: kubectl refuses it (no matches for kind \"{kind}\" in version \"{api_version}\"), so it is skipped")
    };
    let d = cx.diag(
        Severity::Error,
        "unserved-api-version",
        at,
        Some("apiVersion"),
        message,
    );
    d.help = Some(format!("write `apiVersion: {served}`"));
    false
}

impl ClusterBuilder {
    /// A document's root: a List or an object. A bare list of objects is no object:
    /// kubectl cannot decode it ("cannot unmarshal array into Go value", kubernetes#8362)
    /// and creates none of them.
    pub(super) fn document(&mut self, cx: &mut Cx<'_>, root: &Node) {
        let (message, help) = match &root.kind {
            NodeKind::Map(_) => return self.list_or_object(cx, root, None, 0),
            NodeKind::Seq(items) => (
                format!(
                    "this document is a list of {} item(s), not a Kubernetes object: kubectl cannot decode it (\"cannot unmarshal array into Go value\") and creates none of them, so they are skipped",
                    items.len()
                ),
                Some("put the objects in a `kind: List` (`apiVersion: v1`, `items:`), or write each as its own document after a `---` line"),
            ),
            NodeKind::Scalar { .. } => (
                format!(
                    "expected a Kubernetes object (a mapping), found {}",
                    root.type_name()
                ),
                None,
            ),
        };
        cx.diag(Severity::Error, "not-an-object", root, None, message)
            .help = help.map(String::from);
    }

    /// A mapping with `items` is a list (as apimachinery decides: the key, not the kind):
    /// its items are read as objects, nested lists flattened. A typed list gives its
    /// items without `kind` and `apiVersion` its own item kind (`PodList` -> `Pod`).
    pub(super) fn list_or_object(
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

    pub(super) fn object(&mut self, cx: &mut Cx<'_>, node: &Node, inherited: Option<ItemType<'_>>) {
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
        let Some((kind, api_version)) = kind_and_version(cx, node, inherited) else {
            return;
        };
        let meta = node.get("metadata");
        if !names_are_strings(cx, meta, &kind) {
            return;
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
        let calico = crate::load::calico::is_calico(&api_version);
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
        // kubectl maps the object to an API by its group, version and kind before sending
        // it: a version the API server does not serve (removed, like `extensions/v1beta1`,
        // or never there) is "no matches for kind", and the object is not created.
        if !calico && !served_api_version(cx, node, &kind, &api_version) {
            return;
        }

        // A Calico NetworkPolicy may share its name with a Kubernetes one.
        let key_kind = if calico && kind == "NetworkPolicy" {
            "NetworkPolicy.projectcalico.org".to_string()
        } else {
            kind.clone()
        };
        let key = seen_key(&key_kind, namespace.as_deref().unwrap_or_default(), &name);
        let redefined = self.seen.contains_key(key.as_str());
        let (key_ns, key_name) = (namespace.clone().unwrap_or_default(), name.clone());
        if let Some(ns) = &namespace {
            if self.referenced.last().is_none_or(|(last, _)| last != ns) {
                let at = match meta.and_then(|m| m.get("namespace")) {
                    Some(ns_node) => cx.loc(ns_node),
                    None => location.clone(),
                };
                self.referenced.push((ns.clone(), at));
            }
        }
        let labels = meta
            .and_then(|m| m.get("labels"))
            .map(|l| read_labels(cx, l, "metadata.labels"))
            .unwrap_or_default();

        let before = self.stored();
        self.store(
            cx,
            node,
            Header {
                kind: &kind,
                api_version: &api_version,
                calico,
                namespace,
                namespace_given: namespace_given.is_some(),
                name,
                labels,
                location,
            },
        );
        // A later definition replaces the earlier one only when the API server would
        // accept it; a refused one leaves the earlier in force.
        let accepted = self.stored() != before || kind == "Namespace";
        if redefined {
            if accepted {
                self.remove_previous(&key_kind, &key_ns, &key_name);
            }
            redefinition_note(cx, node, accepted);
        }
        if accepted || !redefined {
            self.seen.insert(key, 0);
        }
    }

    /// Reads an object of a kind the playground knows into its list.
    #[inline(always)]
    fn store(&mut self, cx: &mut Cx<'_>, node: &Node, h: Header<'_>) {
        let Header {
            kind,
            api_version,
            calico,
            namespace,
            namespace_given,
            name,
            labels,
            location,
        } = h;
        match kind {
            "Namespace" => {
                let mut labels = labels;
                labels.insert(NAMESPACE_NAME_LABEL.into(), name.clone());
                self.namespaces.push(Namespace {
                    name,
                    labels,
                    declared: true,
                    location: Some(location),
                });
            }
            "NetworkPolicy" => {
                let ns = namespace.unwrap_or_default();
                if calico {
                    if let Some(p) = crate::load::calico::read_policy(cx, node, Some(&ns), &name) {
                        self.calico.policies.push(p);
                    }
                } else if let Some(p) = read_policy(cx, node, &ns, &name, namespace_given) {
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
                let Some(ep_kind) = EndpointKind::parse(kind) else {
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
                let i = read_ingress(node, namespace.unwrap_or_default(), name, location);
                self.ingresses.push(i);
            }
            "Route" if api_version.starts_with("route.openshift.io/") => {
                let r = read_route(node, namespace.unwrap_or_default(), name, location);
                self.routes.push(r);
            }
            "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy" => {
                if let Some(p) =
                    crate::load::cluster_policy::read_cluster_policy(cx, node, kind, &name)
                {
                    self.cluster_policies.push(p);
                }
            }
            "Node" => self.nodes.push(crate::load::cluster_policy::read_node(
                cx, node, name, labels, location,
            )),
            "GlobalNetworkPolicy" if calico => {
                if let Some(p) = crate::load::calico::read_policy(cx, node, None, &name) {
                    self.calico.policies.push(p);
                }
            }
            "Tier" if calico => {
                if let Some(t) = crate::load::calico::read_tier(cx, node, &name) {
                    self.calico.tiers.push(t);
                }
            }
            "ServiceAccount" => {
                self.calico
                    .service_accounts
                    .push((namespace.unwrap_or_default(), name, labels));
            }
            "List" => {}
            _ => unknown_kind(cx, node, kind),
        }
    }

    /// How many objects are stored: a reader that refuses an object stores nothing.
    pub(super) fn stored(&self) -> usize {
        self.namespaces.len()
            + self.workloads.len()
            + self.services.len()
            + self.ingresses.len()
            + self.routes.len()
            + self.policies.len()
            + self.cluster_policies.len()
            + self.nodes.len()
            + self.calico.policies.len()
            + self.calico.tiers.len()
            + self.calico.service_accounts.len()
    }

    /// Removes every earlier definition of an object, keeping the one just stored (the
    /// last).
    pub(super) fn remove_previous(&mut self, kind: &str, ns: &str, name: &str) {
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
            "Route" => keep_last(&mut self.routes, |r| r.namespace == ns && r.name == name),
            _ => keep_last(&mut self.workloads, |w| {
                w.endpoint.kind.as_str() == kind
                    && w.endpoint.namespace == ns
                    && w.endpoint.name == name
            }),
        }
    }

    pub(super) fn finish(mut self, opts: &LoadOptions) -> Loaded {
        // Namespaces referenced but not declared exist implicitly.
        // Declared ones by name, the last of a name kept (as a map's insert would).
        let mut declared = std::mem::take(&mut self.namespaces);
        crate::sort::by(&mut declared, |a, b| a.name.cmp(&b.name));
        let mut namespaces: Vec<Namespace> = Vec::with_capacity(declared.len());
        for n in declared {
            match namespaces.last_mut() {
                Some(last) if last.name == n.name => *last = n,
                _ => namespaces.push(n),
            }
        }
        // Referenced ones by name, the first of a name kept.
        let mut referenced = std::mem::take(&mut self.referenced);
        crate::sort::by(&mut referenced, |a, b| a.0.cmp(&b.0));
        referenced.dedup_by(|b, a| a.0 == b.0);
        let declared_count = namespaces.len();
        for (ns, loc) in referenced {
            let known = namespaces
                .get(..declared_count)
                .unwrap_or_default()
                .binary_search_by(|n| n.name.as_str().cmp(ns.as_str()))
                .is_ok();
            if !known {
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
                namespaces.push(Namespace {
                    name: ns,
                    labels,
                    declared: false,
                    location: None,
                });
            }
        }
        crate::sort::by(&mut namespaces, |a, b| a.name.cmp(&b.name));

        let (endpoints, workload_pods) = resolve_ownership(self.workloads, &mut self.diags);
        let mut endpoints = endpoints;
        assign_ips(&mut endpoints, &opts.pod_cidr, &mut self.diags);

        let mut policies = self.policies;
        crate::sort::by(&mut policies, |a, b| {
            (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
        });
        let mut services = self.services;
        crate::sort::by(&mut services, |a, b| {
            (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
        });
        let mut ingresses = self.ingresses;
        crate::sort::by(&mut ingresses, |a, b| {
            (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
        });
        let mut routes = self.routes;
        crate::sort::by(&mut routes, |a, b| {
            (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
        });

        // Index workload pods by final position: names sorted (stable), a repeated name's
        // last endpoint found, as collecting into a map would keep it.
        let mut names: Vec<(String, usize)> = endpoints
            .iter()
            .enumerate()
            .map(|(i, e)| (e.full_name(), i))
            .collect();
        crate::sort::by(&mut names, |a, b| a.0.cmp(&b.0));
        let position = |p: &String| {
            let end = names.partition_point(|(n, _)| n <= p);
            match names.get(end.checked_sub(1)?) {
                Some((n, i)) if n == p => Some(*i),
                _ => None,
            }
        };
        let workload_kinds = crate::sort::map(
            workload_pods
                .iter()
                .map(|(w, (kind, _))| (w.clone(), *kind)),
        );
        let workload_pods = crate::sort::map(
            workload_pods
                .into_iter()
                .map(|(w, (_, pods))| (w, pods.iter().filter_map(position).collect())),
        );

        let mut cluster_policies = self.cluster_policies;
        crate::sort::by(&mut cluster_policies, |a, b| {
            a.sort_key().cmp(&b.sort_key())
        });
        let mut nodes = self.nodes;
        crate::sort::by(&mut nodes, |a, b| a.name.cmp(&b.name));
        let mut calico = self.calico;
        calico.sort();

        Loaded {
            cluster: Cluster {
                namespaces,
                endpoints,
                services,
                ingresses,
                routes,
                policies,
                workload_pods,
                workload_kinds,
                cluster_policies,
                nodes,
                calico,
            },
            diagnostics: self.diags,
            objects: self.objects,
        }
    }
}

/// An object's kind and apiVersion: its own, or the typed list's for an item that names
/// neither (apimachinery's `decodeToList`); None, reported, without a kind.
#[inline(always)]
fn kind_and_version(
    cx: &mut Cx<'_>,
    node: &Node,
    inherited: Option<ItemType<'_>>,
) -> Option<(String, String)> {
    let from_list = inherited.filter(|t| {
        !t.kind.is_empty() && node.get("kind").is_none() && node.get("apiVersion").is_none()
    });
    Some(match from_list {
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
                return None;
            };
            let kind = kind_node.text().unwrap_or("").to_string();
            let api_version = node
                .get("apiVersion")
                .and_then(Node::text)
                .unwrap_or("")
                .to_string();
            (kind, api_version)
        }
    })
}

/// `name: 2024` or `namespace: yes` reach the API server as a number or a boolean,
/// which it cannot decode into a string: kubectl's apply fails for the object.
#[inline(always)]
fn names_are_strings(cx: &mut Cx<'_>, meta: Option<&Node>, kind: &str) -> bool {
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
                return false;
            }
        }
    }
    true
}

/// A kind the playground does not read: a near miss of one it reads is an error
/// (kinds are case-sensitive and kubectl refuses it), anything else is skipped.
#[inline(always)]
fn unknown_kind(cx: &mut Cx<'_>, node: &Node, kind: &str) {
    let at = node.get("kind").unwrap_or(node);
    // Kinds are case-sensitive: kubectl refuses `networkpolicy` ("no matches
    // for kind"), so a misspelt kind that matters is an error, not a note.
    // Only near misses: other real kinds (`Role`, `GlobalNetworkSet`) are
    // close to ours too, and they are rightly skipped.
    let near = KNOWN_KINDS.iter().copied().find(|known| {
        let d = crate::diag::edit_distance(&kind.to_ascii_lowercase(), &known.to_ascii_lowercase());
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
                format!("`{kind}` objects do not affect NetworkPolicy verdicts; skipped"),
            );
        }
    }
}

/// What is read of an object before its kind's reader: its names, labels and place.
struct Header<'a> {
    kind: &'a str,
    api_version: &'a str,
    calico: bool,
    namespace: Option<String>,
    namespace_given: bool,
    name: String,
    labels: Labels,
    location: Location,
}

/// The warning on an object defined again: the later definition replaces the earlier
/// one, or, refused, leaves it in force.
#[inline(always)]
fn redefinition_note(cx: &mut Cx<'_>, node: &Node, accepted: bool) {
    let what = cx.object.clone();
    let message = if accepted {
        format!("`{what}` is defined more than once; the later definition replaces the earlier one")
    } else {
        format!("`{what}` is defined more than once and this later definition is invalid; the earlier one stays in force, as the API server would refuse the update")
    };
    cx.diag(Severity::Warning, "duplicate-object", node, None, message);
}
