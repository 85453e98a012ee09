//! The front door: one [`Analysis`] per version of the input.
//!
//! It owns what loading made of the input (the cluster, its diagnostics, the objects
//! found), the lints, and the evaluator with its index, built once. Everything a person
//! can ask goes through [`Analysis::ask`]: pods, workloads and addresses, and the routed
//! forms (`svc:`, `ingress:`, `nodeport:`, `loadbalancer:`, `dns:`, hostnames). Which
//! kind of endpoint a question names, and so whether the evaluator answers alone or the
//! Service layer routes it, is decided here and nowhere else. The CLI, the page, the
//! scenario runner and the tests ask this type.

use crate::diag::{Diagnostic, Severity};
use crate::eval::{Decision, Engine, Matrix, PortQuery, Target, Verdict};
use crate::explain::Lang;
use crate::fix::{self, Fix};
use crate::group::WorkloadView;
use crate::load::{load_sources, LoadOptions, Loaded, Loader, ObjectInfo, Source};
use crate::model::{Cluster, QueryProtocol};
use crate::portset::PortSet;
use crate::services::{self, Outcome, ServiceDecision};

/// A question about one connection, as people write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// `NAMESPACE/NAME`, `NAMESPACE/KIND/NAME`, an address, `ingress:NS/NAME`, ...
    pub from: String,
    /// None (or empty): every backend of an Ingress source.
    pub to: Option<String>,
    pub protocol: QueryProtocol,
    /// None for ICMP, or to ask for every allowed connection between two endpoints.
    pub port: Option<PortQuery>,
}

impl Question {
    pub fn new(from: &str, to: &str, protocol: QueryProtocol, port: Option<PortQuery>) -> Self {
        let to = to.trim();
        Question {
            from: from.trim().to_string(),
            to: (!to.is_empty()).then(|| to.to_string()),
            protocol,
            port,
        }
    }
}

/// The answer to a [`Question`].
#[derive(Clone, Debug)]
pub enum Answer {
    /// Between two endpoints (pods, workloads, addresses) on one port, or a ping.
    Decision(Box<Decision>),
    /// Every connection allowed between two endpoints (the question named no port).
    Connections {
        from: Target,
        to: Target,
        set: PortSet,
    },
    /// Through a Service, an Ingress, a NodePort or LoadBalancer, or DNS: a verdict per
    /// backend.
    Routed(ServiceDecision),
    /// The question could not be asked (an unknown or ambiguous endpoint). Not "denied".
    Invalid(String),
}

impl Answer {
    /// Allowed, denied, partial, no backends, or unknown ("could not evaluate").
    pub fn outcome(&self) -> Outcome {
        match self {
            Answer::Decision(d) => match d.verdict {
                Verdict::Allowed => Outcome::Allowed,
                Verdict::Denied => Outcome::Denied,
                Verdict::Unknown => Outcome::Unknown,
            },
            Answer::Connections { set, .. } => {
                if set.is_empty() {
                    Outcome::Denied
                } else {
                    Outcome::Allowed
                }
            }
            Answer::Routed(d) => d.outcome,
            Answer::Invalid(_) => Outcome::Unknown,
        }
    }

    /// Why the answer is "could not evaluate", when it is.
    pub fn error(&self) -> Option<&str> {
        match self {
            Answer::Decision(d) => d.error.as_deref(),
            Answer::Routed(d) => d.error.as_deref(),
            Answer::Invalid(e) => Some(e),
            Answer::Connections { .. } => None,
        }
    }

    /// The decision, when the answer is one.
    pub fn decision(&self) -> Option<&Decision> {
        match self {
            Answer::Decision(d) => Some(d),
            _ => None,
        }
    }
}

/// The input, loaded, linted and indexed once.
pub struct Analysis {
    engine: Engine,
    diagnostics: Vec<Diagnostic>,
    /// Computed on first use, per language (English, Spanish): a query at 5,000 pods
    /// should not wait for the lints.
    lints: [std::sync::OnceLock<Vec<Diagnostic>>; 2],
    objects: Vec<ObjectInfo>,
}

impl Analysis {
    /// Loads `sources` as one cluster (see [`crate::load`]), lints it and indexes it.
    pub fn new(sources: &[Source<'_>], opts: &LoadOptions) -> Analysis {
        Analysis::from_loaded(load_sources(sources, opts))
    }

    /// [`Analysis::new`] through `loader`, which keeps what reading made of each document
    /// between versions of the input: an edit reads again only the documents it changed.
    /// The result is what [`Analysis::new`] gives. The page's worker analyses each edit
    /// through one.
    pub fn with_loader(
        loader: &mut Loader,
        sources: &[Source<'_>],
        opts: &LoadOptions,
    ) -> Analysis {
        Analysis::from_loaded(loader.load(sources, opts))
    }

    /// One text with the default (the page's) options.
    pub fn from_text(text: &str) -> Analysis {
        Analysis::from_loaded(crate::load(text))
    }

    pub fn from_loaded(loaded: Loaded) -> Analysis {
        Analysis {
            engine: Engine::new(loaded.cluster),
            diagnostics: loaded.diagnostics,
            lints: Default::default(),
            objects: loaded.objects,
        }
    }

    pub fn cluster(&self) -> &Cluster {
        &self.engine.cluster
    }

    /// The evaluator, for what the front door does not cover yet (the matrix's
    /// internals, per-pair sides).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// What loading said: syntax, validation, the objects read differently.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Cross-object checks on the loaded cluster (policies that select nothing, DNS
    /// blocked by egress isolation, ...).
    pub fn lints(&self) -> &[Diagnostic] {
        self.lints_in(Lang::En)
    }

    /// [`Analysis::lints`] with their messages and help in `lang`: the same diagnostics
    /// (codes, severities, ranges) whatever the language. Each language is linted once,
    /// when first asked.
    pub fn lints_in(&self, lang: Lang) -> &[Diagnostic] {
        let i = match lang {
            Lang::En => 0,
            Lang::Es => 1,
        };
        match self.lints.get(i) {
            Some(cell) => cell
                .get_or_init(|| crate::lint::lint_with(self.cluster(), Some(&self.engine), lang)),
            None => &[],
        }
    }

    /// Every object found in the input, whatever its kind, for outlines.
    pub fn objects(&self) -> &[ObjectInfo] {
        &self.objects
    }

    /// Does loading report an error (an object the API server would refuse)?
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Answers one question. The one place that decides whether an endpoint is direct
    /// (a pod, a workload, an address) or routed (a Service, an Ingress, a NodePort, DNS,
    /// a hostname).
    pub fn ask(&self, q: &Question, opts: &services::Options) -> Answer {
        let c = self.cluster();
        let to = q.to.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let routed =
            services::is_extended(c, &q.from) || to.is_none_or(|t| services::is_extended(c, t));
        if routed {
            return Answer::Routed(services::query(
                &self.engine,
                &q.from,
                to,
                q.protocol,
                q.port.as_ref(),
                opts,
            ));
        }
        if let Some(answer) = self.per_pod(q, to.unwrap_or("")) {
            return answer;
        }
        let ends = self
            .engine
            .resolve(&q.from)
            .and_then(|f| self.engine.resolve(to.unwrap_or("")).map(|t| (f, t)));
        let (from, to) = match ends {
            Ok(ends) => ends,
            Err(e) => return Answer::Invalid(e),
        };
        match (q.protocol, &q.port) {
            (QueryProtocol::ICMP, _) => Answer::Decision(Box::new(self.engine.query(
                from,
                to,
                QueryProtocol::ICMP,
                None,
            ))),
            (_, None) => Answer::Connections {
                from,
                to,
                set: self.engine.connections(from, to),
            },
            (protocol, Some(port)) => {
                Answer::Decision(Box::new(self.engine.query(from, to, protocol, Some(port))))
            }
        }
    }

    /// A workload whose pods the policies tell apart (a rolling update) is answered pod
    /// by pod, as a Service is backend by backend: allowed, denied or partial, never the
    /// first pod's answer for all. None when neither end is such a workload, or when the
    /// question names no port (the connection sets of each pod are asked one by one).
    fn per_pod(&self, q: &Question, to: &str) -> Option<Answer> {
        let e = &self.engine;
        let (from_pods, to_pods) = (e.differing_pods(&q.from), e.differing_pods(to));
        if from_pods.is_none() && to_pods.is_none() {
            return None;
        }
        if q.port.is_none() && q.protocol != QueryProtocol::ICMP {
            return None;
        }
        let ends = |name: &str, pods: Option<&[usize]>| -> Result<Vec<Target>, String> {
            match pods {
                Some(p) => Ok(p.iter().map(|&i| Target::Endpoint(i)).collect()),
                None => e.resolve(name).map(|t| vec![t]),
            }
        };
        let (froms, tos) = match (ends(&q.from, from_pods), ends(to, to_pods)) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(err), _) | (_, Err(err)) => return Some(Answer::Invalid(err)),
        };
        let mut backends = Vec::new();
        for &f in &froms {
            for &t in &tos {
                let d = e.query(f, t, q.protocol, q.port.as_ref());
                backends.push(services::Backend {
                    pod: e.name(t),
                    source: e.name(f),
                    protocol: q.protocol,
                    target_port: d.port,
                    target_port_name: d.port_name.clone(),
                    verdict: d.verdict,
                    decision: Some(d),
                    not_serving: None,
                });
            }
        }
        let notes = [(&q.from, from_pods), (&to.to_string(), to_pods)]
            .into_iter()
            .filter_map(|(name, pods)| {
                pods.map(|p| services::Note::PodsDiffer {
                    workload: name.trim().to_string(),
                    pods: p.len(),
                })
            })
            .collect();
        Some(Answer::Routed(ServiceDecision {
            from: q.from.clone(),
            to: to.to_string(),
            via: services::Via::Direct,
            protocol: q.protocol,
            port: q.port.as_ref().map(|p| p.to_string()),
            outcome: services::outcome_of(&backends),
            error: None,
            notes,
            backends,
        }))
    }

    /// For a denied answer, the NetworkPolicies that would allow it: one per denying side
    /// of a decision; through a Service, one per distinct suggestion over the denied
    /// backends (the replicas of one workload need one policy).
    pub fn fixes(&self, answer: &Answer) -> Vec<Fix> {
        match answer {
            Answer::Decision(d) => self.fixes_for([&**d]),
            Answer::Routed(s) => self.fixes_for(s.decisions()),
            Answer::Connections { .. } | Answer::Invalid(_) => Vec::new(),
        }
    }

    /// The distinct suggestions over several decisions (see [`Analysis::fixes`]).
    pub fn fixes_for<'d>(&self, decisions: impl IntoIterator<Item = &'d Decision>) -> Vec<Fix> {
        let mut out: Vec<Fix> = Vec::new();
        for d in decisions {
            for f in fix::suggest(&self.engine, d, d.source, d.destination) {
                if !out.iter().any(|g| g.yaml == f.yaml) {
                    out.push(f);
                }
            }
        }
        out
    }

    /// The truth table for one port (every endpoint, then `extra` addresses).
    pub fn matrix(
        &self,
        protocol: QueryProtocol,
        port: &PortQuery,
        extra: &[std::net::IpAddr],
    ) -> Matrix {
        self.engine.matrix(protocol, port, extra)
    }

    /// Every connection allowed from `from` to `to`.
    pub fn connections(&self, from: Target, to: Target) -> PortSet {
        self.engine.connections(from, to)
    }

    /// The workload-level view: endpoints grouped by the workload that owns them
    /// (replicas collapsed where they agree), address ranges outside the cluster cut
    /// at the policies' CIDRs and at `extra`; its edges are computed as they are asked
    /// for ([`WorkloadView::edges`], [`WorkloadView::graph`]).
    pub fn workloads(&self, extra: &[std::net::IpAddr]) -> WorkloadView<'_> {
        WorkloadView::new(&self.engine, extra)
    }

    /// Who could reach each workload, and whom it could reach, beyond the objects of
    /// the input (issue 15): per workload and direction, the rules whose peers would
    /// also match pods, namespaces or addresses that were not pasted. `focus`: only the
    /// workloads a `--focus` names ([`WorkloadView::find`]); an unknown name is an error.
    pub fn exposure(&self, focus: Option<&str>) -> Result<crate::exposure::ExposureReport, String> {
        let view = self.workloads(&[]);
        let groups = focus.map(|f| view.find(f)).transpose()?;
        Ok(crate::exposure::report(&view, groups.as_deref()))
    }

    /// Resolves an endpoint name to a pod, a workload's pod or an address.
    pub fn resolve(&self, name: &str) -> Result<Target, String> {
        self.engine.resolve(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: &str = "
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: dev}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
";

    /// `check(from, to, protocol, port, expected)`: the kind of answer and its outcome.
    fn check(from: &str, to: &str, protocol: QueryProtocol, port: Option<&str>, expected: &str) {
        let a = Analysis::from_text(CLUSTER);
        let q = Question::new(from, to, protocol, port.map(PortQuery::parse));
        let answer = a.ask(&q, &services::Options::default());
        let kind = match &answer {
            Answer::Decision(_) => "decision",
            Answer::Connections { .. } => "connections",
            Answer::Routed(_) => "routed",
            Answer::Invalid(_) => "invalid",
        };
        let got = format!("{kind} {}", answer.outcome().as_str());
        assert_eq!(got, expected, "{from} -> {to}: {:?}", answer.error());
    }

    #[test]
    fn one_dispatch_for_every_endpoint_form() {
        use QueryProtocol::*;
        check("dev/tool", "shop/web", TCP, Some("8080"), "decision denied");
        check(
            "shop/web",
            "dev/tool",
            TCP,
            Some("8080"),
            "decision allowed",
        );
        check(
            "dev/tool",
            "shop/web",
            TCP,
            Some("nope"),
            "decision unknown",
        );
        check("dev/tool", "shop/web", ICMP, None, "decision denied");
        check(
            "203.0.113.9",
            "dev/tool",
            UDP,
            Some("53"),
            "decision allowed",
        );
        check("dev/tool", "shop/web", TCP, None, "connections denied");
        check("shop/web", "dev/tool", TCP, None, "connections allowed");
        check("dev/tool", "svc:shop/web", TCP, Some("80"), "routed denied");
        check(
            "dev/tool",
            "web.shop.svc.cluster.local",
            TCP,
            Some("80"),
            "routed denied",
        );
        check("dev/tool", "dns:", UDP, None, "routed allowed");
        check("dev/tool", "shop/nope", TCP, Some("80"), "invalid unknown");
        check(
            "dev/tool",
            "svc:shop/nope",
            TCP,
            Some("80"),
            "routed unknown",
        );
    }

    #[test]
    fn fixes_come_from_the_answer_with_its_endpoints() {
        let a = Analysis::from_text(CLUSTER);
        let opts = services::Options::default();
        let direct = a.ask(
            &Question::new(
                "dev/tool",
                "shop/web",
                QueryProtocol::TCP,
                Some(PortQuery::Number(8080)),
            ),
            &opts,
        );
        let routed = a.ask(
            &Question::new(
                "dev/tool",
                "svc:shop/web",
                QueryProtocol::TCP,
                Some(PortQuery::Number(80)),
            ),
            &opts,
        );
        let (d, r) = (a.fixes(&direct), a.fixes(&routed));
        assert_eq!(d.len(), 1, "{d:?}");
        // Through the Service the backend is the same pod on the same port: one policy.
        assert_eq!(
            r.iter().map(|f| &f.yaml).collect::<Vec<_>>(),
            d.iter().map(|f| &f.yaml).collect::<Vec<_>>()
        );
        assert!(a.fixes(&Answer::Invalid("x".into())).is_empty());
    }
}
