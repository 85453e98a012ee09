//! The browser benchmark (issue 5): the criterion benches of `crates/netpol/benches/engine.rs`
//! timed in WebAssembly, called from `tests/e2e/bench.spec.js` through `scripts/bench-web.sh`.
//! Only in builds with the `bench` feature, so the page people load does not carry it.
//! It reports numbers; it never judges them.

use std::fmt::Write as _;

use netpol::eval::{Engine, PortQuery, Target};
use netpol::gen::{cluster, GenOptions};
use netpol::{Direction, QueryProtocol};
use wasm_bindgen::prelude::*;

use crate::state::Tab;
use crate::storage::now_ms;

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    netpol::sort::by(&mut s, f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

fn samples(name: &str, v: &[f64], out: &mut String) {
    let list: Vec<String> = v.iter().map(|x| format!("{x:.3}")).collect();
    let _ = write!(
        out,
        ",\"{name}_median_ms\":{:.4},\"{name}_ms\":[{}]",
        median(v),
        list.join(",")
    );
}

/// Times, on a cluster from `netpol::gen::cluster` (seed 7, as the criterion benches):
/// `load+index` (parse, load, index), the one-port `matrix` (TCP 8080), and one `query`
/// with its explanation (batches of 1,000 queries over varying pairs, per query; the
/// browser's clock is coarse). `runs` samples each. Returns JSON with every sample and the medians, in milliseconds.
#[wasm_bindgen]
pub fn bench(pods: usize, policies: usize, namespaces: usize, runs: u32) -> String {
    let runs = runs.max(1);
    let text = cluster(&GenOptions {
        pods,
        policies,
        namespaces,
        seed: 7,
    })
    .join("---\n");
    let mut load = Vec::new();
    for _ in 0..runs {
        let t0 = now_ms();
        let loaded = netpol::load(&text);
        let n = Engine::new(loaded.cluster)
            .selecting(0, Direction::Ingress)
            .len();
        load.push(now_ms() - t0);
        std::hint::black_box(n);
    }
    let engine = Engine::new(netpol::load(&text).cluster);
    let n = engine.cluster.endpoints.len().max(1);
    let mut matrix = Vec::new();
    for _ in 0..runs {
        let t0 = now_ms();
        let m = engine.matrix(QueryProtocol::TCP, &PortQuery::Number(8080), &[]);
        matrix.push(now_ms() - t0);
        std::hint::black_box(m);
    }
    const BATCH: usize = 1000;
    let mut query = Vec::new();
    let mut k = 0usize;
    for _ in 0..runs.max(10) {
        let t0 = now_ms();
        for _ in 0..BATCH {
            k += 1;
            let d = engine.query(
                Target::Endpoint(k * 7 % n),
                Target::Endpoint(k * 13 % n),
                QueryProtocol::TCP,
                Some(&PortQuery::Number(8080)),
            );
            std::hint::black_box(d);
        }
        query.push((now_ms() - t0) / BATCH as f64);
    }
    let mut out = format!(
        "{{\"pods\":{pods},\"policies\":{policies},\"namespaces\":{namespaces},\"endpoints\":{},\"yaml_bytes\":{},\"runs\":{runs}",
        engine.cluster.endpoints.len(),
        text.len()
    );
    samples("load_index", &load, &mut out);
    samples("matrix", &matrix, &mut out);
    samples("query", &query, &mut out);
    out.push('}');
    out
}

/// The text of `netpol::gen::cluster` (seed 7) for the page benchmarks (typing with
/// 5,000 pods pasted).
#[wasm_bindgen]
pub fn gen_text(pods: usize, policies: usize, namespaces: usize) -> String {
    cluster(&GenOptions {
        pods,
        policies,
        namespaces,
        seed: 7,
    })
    .join("---\n")
}

/// The work the worker does between the debounce and refreshed verdicts, for a built-in
/// example (`seed/14-conclusion-per-namespace`): load and lint the text, then evaluate
/// every lesson row (`analyzer::handle`, here on the main thread, without the messages).
/// Rendering is measured by the spec in the page itself.
#[wasm_bindgen]
pub fn bench_refresh(example: &str, runs: u32) -> String {
    let Some(info) = crate::examples::index_of(example).and_then(crate::examples::info) else {
        return format!("{{\"error\":\"no example {example:?}\"}}");
    };
    let text = crate::examples::start_text(&info);
    let mut times = Vec::new();
    for run in 0..runs.max(1) {
        let t0 = now_ms();
        let r = crate::analyzer::handle(
            crate::wire::Request {
                revision: u64::from(run) + 1_000_000,
                view: crate::wire::ViewRequest {
                    lang: netpol::Lang::En,
                    tab: Tab::Lesson,
                    query: crate::state::Query::default(),
                    lesson: Some(info.id.clone()),
                    lesson_query: false,
                    checked: false,
                    matrix_port: "80".into(),
                    matrix_protocol: "TCP".into(),
                    matrix_filter: String::new(),
                    steps: None,
                    matrix_pods: false,
                    graph: Default::default(),
                    graph_ask: None,
                    baseline: None,
                    trace: None,
                },
                crash: false,
                lesson_source: None,
                parse: None,
                baseline: None,
            },
            Some(text.clone()),
        );
        times.push(now_ms() - t0);
        std::hint::black_box(r);
    }
    let mut out = format!(
        "{{\"example\":{example:?},\"rows\":{},\"bytes\":{}",
        info.rows.len(),
        text.len()
    );
    samples("refresh_compute", &times, &mut out);
    out.push('}');
    out
}

/// The Graph tab's work in the worker (`graph_layout`), on `netpol::gen::cluster` (seed 7)
/// with its pods put in workloads of `replicas` (`netpol::group::gen`, 5% mid-rollout):
/// the whole view with the page's limits, one namespace, and the whole view past the
/// limits when it has at most `max_nodes` workloads. Each: groups, nodes and edges drawn,
/// the total (edges + layout) and the layout alone, medians of `runs`, in milliseconds.
#[wasm_bindgen]
pub fn bench_graph(
    pods: usize,
    policies: usize,
    namespaces: usize,
    replicas: usize,
    max_nodes: usize,
    runs: u32,
) -> String {
    use crate::analyzer::graph_layout::{graph_within, MAX_EDGES, MAX_NODES};
    use crate::wire::GraphRequest;
    let opts = GenOptions {
        pods,
        policies,
        namespaces,
        seed: 7,
    };
    let text = netpol::group::gen::with_workloads(&opts, replicas.max(1), 5);
    let core = netpol::Analysis::from_text(&text);
    let groups = core.workloads(&[]).groups.len();
    let first_ns = core
        .cluster()
        .namespaces
        .first()
        .map(|n| n.name.clone())
        .unwrap_or_default();
    let services = netpol::services::Options::default();
    let mut out = format!(
        "{{\"pods\":{pods},\"policies\":{policies},\"namespaces\":{namespaces},\"replicas\":{replicas},\"endpoints\":{},\"groups\":{groups}",
        core.cluster().endpoints.len()
    );
    let cases: [(&str, GraphRequest, (usize, usize)); 3] = [
        (
            "page",
            GraphRequest {
                protocol: "All".into(),
                ..GraphRequest::default()
            },
            (MAX_NODES, MAX_EDGES),
        ),
        (
            "namespace",
            GraphRequest {
                protocol: "All".into(),
                namespace: first_ns,
                ..GraphRequest::default()
            },
            (MAX_NODES, MAX_EDGES),
        ),
        (
            "unlimited",
            GraphRequest {
                protocol: "All".into(),
                ..GraphRequest::default()
            },
            (max_nodes, usize::MAX),
        ),
    ];
    for (name, req, limits) in cases {
        if name == "unlimited" && groups > max_nodes {
            let _ = write!(out, ",\"{name}\":null");
            continue;
        }
        let mut total = Vec::new();
        let mut layout = Vec::new();
        let mut last = None;
        for _ in 0..runs.max(1) {
            let t0 = now_ms();
            let g = graph_within(&core, &req, &[], &services, netpol::Lang::En, None, limits);
            total.push(now_ms() - t0);
            layout.push(g.millis);
            last = Some(g);
        }
        let g = last.unwrap_or_default();
        let _ = write!(
            out,
            ",\"{name}\":{{\"too_big\":{},\"nodes\":{},\"edges\":{}",
            g.too_big,
            g.nodes.len(),
            g.edges.len()
        );
        samples("total", &total, &mut out);
        samples("layout", &layout, &mut out);
        out.push('}');
    }
    out.push('}');
    out
}

/// The worker's first analysis of `text`, step by step (`analyzer::phases`), in
/// milliseconds, as JSON.
#[wasm_bindgen]
pub fn worker_phases(text: &str) -> String {
    crate::analyzer::phases(text, netpol::Lang::En)
}
