//! The built-in examples, embedded at compile time: every seed step in order, then the recipes.

use netpol::scenario::{self, Connection, Expectation, Scenario};
use netpol::Lang;

pub struct Example {
    pub id: &'static str,
    pub seed: bool,
    pub source: &'static str,
}

pub static EXAMPLES: &[Example] = &[
    Example {
        id: "seed/01-default-allow-all",
        seed: true,
        source: include_str!("../../examples/seed/01-default-allow-all.yaml"),
    },
    Example {
        id: "seed/02-default-deny-ingress",
        seed: true,
        source: include_str!("../../examples/seed/02-default-deny-ingress.yaml"),
    },
    Example {
        id: "seed/03-allow-all-ingress",
        seed: true,
        source: include_str!("../../examples/seed/03-allow-all-ingress.yaml"),
    },
    Example {
        id: "seed/04-from-podselector-app-utils",
        seed: true,
        source: include_str!("../../examples/seed/04-from-podselector-app-utils.yaml"),
    },
    Example {
        id: "seed/05-fix-namespace-and-pod-selector",
        seed: true,
        source: include_str!("../../examples/seed/05-fix-namespace-and-pod-selector.yaml"),
    },
    Example {
        id: "seed/06-namespaceselector-name-utils",
        seed: true,
        source: include_str!("../../examples/seed/06-namespaceselector-name-utils.yaml"),
    },
    Example {
        id: "seed/07-namespace-labelled-name-utils",
        seed: true,
        source: include_str!("../../examples/seed/07-namespace-labelled-name-utils.yaml"),
    },
    Example {
        id: "seed/08-fix-namespaceselector-metadata-name",
        seed: true,
        source: include_str!("../../examples/seed/08-fix-namespaceselector-metadata-name.yaml"),
    },
    Example {
        id: "seed/09-deny-all-ingress-503",
        seed: true,
        source: include_str!("../../examples/seed/09-deny-all-ingress-503.yaml"),
    },
    Example {
        id: "seed/10-allow-port-80-tcp",
        seed: true,
        source: include_str!("../../examples/seed/10-allow-port-80-tcp.yaml"),
    },
    Example {
        id: "seed/11-egress-default-deny-utils",
        seed: true,
        source: include_str!("../../examples/seed/11-egress-default-deny-utils.yaml"),
    },
    Example {
        id: "seed/12-egress-allow-dns-and-webapp",
        seed: true,
        source: include_str!("../../examples/seed/12-egress-allow-dns-and-webapp.yaml"),
    },
    Example {
        id: "seed/13-egress-ipblock-google",
        seed: true,
        source: include_str!("../../examples/seed/13-egress-ipblock-google.yaml"),
    },
    Example {
        id: "seed/14-conclusion-per-namespace",
        seed: true,
        source: include_str!("../../examples/seed/14-conclusion-per-namespace.yaml"),
    },
    Example {
        id: "recipes/01-deny-all-ingress",
        seed: false,
        source: include_str!("../../examples/recipes/01-deny-all-ingress.yaml"),
    },
    Example {
        id: "recipes/02-deny-all-ingress-and-egress",
        seed: false,
        source: include_str!("../../examples/recipes/02-deny-all-ingress-and-egress.yaml"),
    },
    Example {
        id: "recipes/03-allow-from-one-namespace",
        seed: false,
        source: include_str!("../../examples/recipes/03-allow-from-one-namespace.yaml"),
    },
    Example {
        id: "recipes/04-allow-external-https-ipblock",
        seed: false,
        source: include_str!("../../examples/recipes/04-allow-external-https-ipblock.yaml"),
    },
    Example {
        id: "recipes/05-deny-egress-keep-dns",
        seed: false,
        source: include_str!("../../examples/recipes/05-deny-egress-keep-dns.yaml"),
    },
    Example {
        id: "recipes/06-allow-same-namespace",
        seed: false,
        source: include_str!("../../examples/recipes/06-allow-same-namespace.yaml"),
    },
    Example {
        id: "recipes/07-port-range-endport",
        seed: false,
        source: include_str!("../../examples/recipes/07-port-range-endport.yaml"),
    },
    Example {
        id: "recipes/08-named-ports",
        seed: false,
        source: include_str!("../../examples/recipes/08-named-ports.yaml"),
    },
];

/// Manifest files the scenarios name, by group and path.
fn read(seed: bool, path: &str) -> Result<String, String> {
    let text = match (seed, path) {
        (true, "cluster-ns-utils-labelled.yaml") => {
            include_str!("../../examples/seed/cluster-ns-utils-labelled.yaml")
        }
        (true, "cluster.yaml") => include_str!("../../examples/seed/cluster.yaml"),
        (false, "cluster.yaml") => include_str!("../../examples/recipes/cluster.yaml"),
        _ => return Err(format!("no built-in file `{path}`")),
    };
    Ok(text.to_string())
}

pub struct Loaded {
    pub scenario: Scenario,
    /// The editor text: manifest files as they are and inline manifests, separated by `---`.
    pub text: String,
    /// The single-connection expectations, in order.
    pub rows: Vec<Connection>,
}

pub fn load(index: usize) -> Option<Loaded> {
    let ex = EXAMPLES.get(index)?;
    let scenario = scenario::parse(ex.source).ok()?;
    let (texts, _errors) = scenario::load_manifests(&scenario, &|p| read(ex.seed, p));
    let mut text = String::new();
    for (i, (_, t)) in texts.iter().enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(t);
        if !t.ends_with('\n') {
            text.push('\n');
        }
    }
    let rows = scenario
        .expect
        .iter()
        .filter_map(|e| match e {
            Expectation::Connection(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    Some(Loaded {
        scenario,
        text,
        rows,
    })
}

pub fn index_of(id: &str) -> Option<usize> {
    EXAMPLES.iter().position(|e| e.id == id)
}

/// The menu title in a language (falls back to the scenario name).
pub fn title(index: usize, lang: Lang) -> String {
    let Some(ex) = EXAMPLES.get(index) else {
        return String::new();
    };
    match scenario::parse(ex.source) {
        Ok(s) => match (s.title, lang) {
            (Some(t), Lang::En) => t.en,
            (Some(t), Lang::Es) => t.es,
            (None, _) => s.name,
        },
        Err(_) => ex.id.to_string(),
    }
}
