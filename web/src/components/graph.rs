//! The Graph tab: the workload view as an SVG drawn from the worker's coordinates
//! (`graph_layout/` lays it out off the main thread). Namespaces are labelled boxes;
//! node shapes tell workloads, address ranges, the ingress controller and DNS apart, and
//! isolation marks are a shield with text, not a colour alone. An arrow opens its
//! explanation (asked in the worker, drawn as in the Query tab); a node focuses the
//! graph on its ins and outs. Export: the SVG as a file, or a PNG drawn from it on a
//! canvas (nothing is fetched).

use std::fmt::Write as _;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::decision::select_button;
use super::query::outcome_view;
use super::use_results;
use crate::i18n::{graph_tr, tr, GraphTr};
use crate::state::{Action, Store};
use crate::wire::{GraphBox, GraphData, GraphEdge, GraphNode};
use netpol::words::Decimal;

/// An SVG path through dagre's points, smoothed as d3's `curveBasis` (dagre-d3 draws
/// its edges so).
pub fn edge_path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    match points {
        [] => {}
        [(x, y)] => {
            let _ = write!(d, "M{:.1},{:.1}", Decimal(*x), Decimal(*y));
        }
        [(x0, y0), (x1, y1)] => {
            let _ = write!(
                d,
                "M{:.1},{:.1}L{:.1},{:.1}",
                Decimal(*x0),
                Decimal(*y0),
                Decimal(*x1),
                Decimal(*y1)
            );
        }
        [first, second, rest @ ..] => {
            let (mut a, mut b) = (*first, *second);
            let _ = write!(d, "M{:.1},{:.1}", Decimal(a.0), Decimal(a.1));
            let _ = write!(
                d,
                "L{:.1},{:.1}",
                Decimal((5.0 * a.0 + b.0) / 6.0),
                Decimal((5.0 * a.1 + b.1) / 6.0)
            );
            for &p in rest {
                let _ = write!(
                    d,
                    "C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    Decimal((2.0 * a.0 + b.0) / 3.0),
                    Decimal((2.0 * a.1 + b.1) / 3.0),
                    Decimal((a.0 + 2.0 * b.0) / 3.0),
                    Decimal((a.1 + 2.0 * b.1) / 3.0),
                    Decimal((a.0 + 4.0 * b.0 + p.0) / 6.0),
                    Decimal((a.1 + 4.0 * b.1 + p.1) / 6.0)
                );
                a = b;
                b = p;
            }
            let _ = write!(
                d,
                "C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                Decimal((2.0 * a.0 + b.0) / 3.0),
                Decimal((2.0 * a.1 + b.1) / 3.0),
                Decimal((a.0 + 2.0 * b.0) / 3.0),
                Decimal((a.1 + 2.0 * b.1) / 3.0),
                Decimal(b.0),
                Decimal(b.1)
            );
        }
    }
    d
}

/// An SVG polygon's `points`: `x,y x,y ...`, one decimal.
fn points(pts: &[(f64, f64)]) -> String {
    let mut s = String::new();
    for (i, &(x, y)) in pts.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(s, "{sep}{:.1},{:.1}", Decimal(x), Decimal(y));
    }
    s
}

/// The outline of a node of `shape`, centred on (0, 0).
fn outline(shape: &str, w: f64, h: f64) -> Html {
    let (hw, hh) = (w / 2.0, h / 2.0);
    match shape {
        // A hexagon: addresses outside the cluster.
        "external" => {
            let k = 12.0;
            let pts = points(&[
                (-hw, 0.0),
                (-hw + k, -hh),
                (hw - k, -hh),
                (hw, 0.0),
                (hw - k, hh),
                (-hw + k, hh),
            ]);
            html! { <polygon class="g-shape" points={pts} /> }
        }
        // A gate: the ingress controller lets traffic in from the left.
        "ingress" => {
            let k = 12.0;
            let pts = points(&[
                (-hw, -hh),
                (hw - k, -hh),
                (hw, 0.0),
                (hw - k, hh),
                (-hw, hh),
                (-hw + k, 0.0),
            ]);
            html! { <polygon class="g-shape" points={pts} /> }
        }
        // A stadium with a second outline: DNS.
        "dns" => html! {
            <>
                <rect class="g-shape" x={format!("{:.1}", Decimal(-hw))} y={format!("{:.1}", Decimal(-hh))} width={format!("{:.1}", Decimal(w))} height={format!("{:.1}", Decimal(h))} rx={format!("{:.1}", Decimal(hh))} />
                <rect class="g-shape-inner" x={format!("{:.1}", Decimal(-hw + 4.0))} y={format!("{:.1}", Decimal(-hh + 4.0))} width={format!("{:.1}", Decimal(w - 8.0))} height={format!("{:.1}", Decimal(h - 8.0))} rx={format!("{:.1}", Decimal(hh - 4.0))} />
            </>
        },
        _ => html! {
            <rect class="g-shape" x={format!("{:.1}", Decimal(-hw))} y={format!("{:.1}", Decimal(-hh))} width={format!("{:.1}", Decimal(w))} height={format!("{:.1}", Decimal(h))} rx="6" />
        },
    }
}

/// A shield with a word: `in` (ingress isolated) or `out` (egress isolated).
fn mark(x: f64, y: f64, word: &str, class: &'static str, title: &str) -> Html {
    let w = 20.0 + word.chars().count() as f64 * 6.2;
    html! {
        <g class={classes!("g-mark", class)} transform={format!("translate({:.1},{:.1})", Decimal(x), Decimal(y))}>
            <title>{ title.to_string() }</title>
            <rect class="g-mark-bg" x="0" y="-8" width={format!("{:.1}", Decimal(w))} height="16" rx="8" />
            <path class="g-mark-icon" d="M10,-5.5 L14,-4 L14,0 C14,2.6 12.3,4.3 10,5.5 C7.7,4.3 6,2.6 6,0 L6,-4 Z" />
            <text class="g-mark-text" x="17" y="3.5">{ word.to_string() }</text>
        </g>
    }
}

fn node_view(store: &Store, gt: &GraphTr, n: &GraphNode, focused: bool) -> Html {
    let onclick = {
        let store = store.clone();
        let id = n.id.clone();
        Callback::from(move |_| {
            let again = store.graph.focus.as_deref() == Some(id.as_str());
            store.dispatch(Action::GraphFocus((!again).then(|| id.clone())))
        })
    };
    let onkeydown = key_click(onclick.clone());
    let (hw, hh) = (n.w / 2.0, n.h / 2.0);
    // The marks sit on the node's top edge, from its right end (the namespace's label
    // is on the left).
    let mut marks = Vec::new();
    let width = |w: &str| 20.0 + w.chars().count() as f64 * 6.2;
    let mut mx = hw - 6.0;
    if n.egress_isolated {
        mx -= width(gt.mark_out);
        marks.push(mark(mx, -hh, gt.mark_out, "out", gt.legend_eg_iso));
        mx -= 4.0;
    }
    if n.ingress_isolated {
        mx -= width(gt.mark_in);
        marks.push(mark(mx, -hh, gt.mark_in, "in", gt.legend_ing_iso));
    }
    let label = format!(
        "{} ({}){}{}",
        n.id,
        n.kind,
        if n.ingress_isolated {
            format!(", {}", gt.legend_ing_iso)
        } else {
            String::new()
        },
        if n.egress_isolated {
            format!(", {}", gt.legend_eg_iso)
        } else {
            String::new()
        }
    );
    html! {
        <g class={classes!("g-node", format!("shape-{}", n.shape), focused.then_some("focused"), n.split.then_some("split"))}
            data-id={n.id.clone()} data-shape={n.shape.clone()}
            data-ingress-isolated={n.ingress_isolated.to_string()} data-egress-isolated={n.egress_isolated.to_string()}
            transform={format!("translate({:.1},{:.1})", Decimal(n.x), Decimal(n.y))} tabindex="0" role="button" aria-label={label.clone()}
            {onclick} {onkeydown}>
            <title>{ label }</title>
            { outline(&n.shape, n.w, n.h) }
            <text class="g-name" x="0" y="-2">{ n.name.clone() }</text>
            <text class="g-sub" x="0" y="13">{ if n.split { format!("{} ≠", n.kind) } else { n.kind.clone() } }</text>
            { for marks }
        </g>
    }
}

fn key_click(cb: Callback<MouseEvent>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            if let Ok(m) = MouseEvent::new("click") {
                cb.emit(m);
            }
        }
    })
}

fn edge_view(store: &Store, e: &GraphEdge, open: bool, traced: bool) -> Html {
    let onclick = {
        let store = store.clone();
        let ask = e.ask.clone();
        Callback::from(move |_| {
            let again = store.graph_ask.as_ref() == Some(&ask);
            store.dispatch(Action::GraphAsk((!again).then(|| ask.clone())))
        })
    };
    let onkeydown = key_click(onclick.clone());
    let d = edge_path(&e.points);
    let arrow = if e.both { "↔" } else { "→" };
    // Since the pinned baseline: a symbol on the label and the baseline's connections
    // in the tooltip (colour is never the only sign).
    let (text, since, was) = if e.change.is_empty() {
        (e.label.clone(), None, String::new())
    } else {
        let ct = crate::i18n::changes_tr(store.lang);
        (
            format!("{} {}", super::changes::symbol(&e.change), e.label),
            Some(format!("since-{}", e.change)),
            format!(" · {} ({} {})", ct.change(&e.change), ct.was, e.before),
        )
    };
    let text = if traced { format!("◉ {text}") } else { text };
    let lw = text.chars().count() as f64 * 6.4 + 10.0;
    let was = if traced {
        format!("{was} · {}", crate::i18n::trace_tr(store.lang).legend)
    } else {
        was
    };
    let label = format!("{} {arrow} {}: {}{was}", e.from, e.to, e.label);
    let marker = match (e.denied, e.change.as_str()) {
        _ if traced => "url(#g-arrow-traced)",
        (true, _) => "url(#g-arrow-denied)",
        (false, "added") => "url(#g-arrow-added)",
        (false, "removed") => "url(#g-arrow-removed)",
        (false, "changed") => "url(#g-arrow-changed)",
        _ => "url(#g-arrow)",
    };
    html! {
        <g class={classes!("g-edge", e.denied.then_some("denied"), open.then_some("open"), traced.then_some("traced"), since)}
            data-from={e.from.clone()} data-to={e.to.clone()} data-label={e.label.clone()}
            data-connections={e.connections.clone()} data-denied={e.denied.to_string()} data-both={e.both.to_string()}
            data-change={e.change.clone()} data-traced={traced.to_string()}
            tabindex="0" role="button" aria-label={label.clone()} {onclick} {onkeydown}>
            <title>{ if e.connections.is_empty() { label.clone() } else { format!("{} {arrow} {}: {}{was}", e.from, e.to, e.connections) } }</title>
            <path class="g-hit" d={d.clone()} />
            <path class="g-line" d={d} marker-end={marker} marker-start={e.both.then_some(if traced { "url(#g-arrow-traced)" } else { "url(#g-arrow)" })} />
            <g class="g-elabel" transform={format!("translate({:.1},{:.1})", Decimal(e.label_x), Decimal(e.label_y))}>
                <rect x={format!("{:.1}", Decimal(-lw / 2.0))} y="-8" width={format!("{:.1}", Decimal(lw))} height="16" rx="4" />
                <text x="0" y="4">{ text }</text>
            </g>
        </g>
    }
}

fn box_view(b: &GraphBox) -> Html {
    html! {
        <g class="g-ns" data-namespace={b.name.clone()}>
            <rect x={format!("{:.1}", Decimal(b.x))} y={format!("{:.1}", Decimal(b.y))} width={format!("{:.1}", Decimal(b.w))} height={format!("{:.1}", Decimal(b.h))} rx="10" />
            <text x={format!("{:.1}", Decimal(b.x + 10.0))} y={format!("{:.1}", Decimal(b.y + 16.0))}>{ format!("namespace {}", b.name) }</text>
        </g>
    }
}

/// Whether the traced part allows the edge (either way of a two-way edge).
fn traced(store: &Store, e: &GraphEdge) -> bool {
    // A denied edge (a question asked and denied) is not one it allows.
    !e.denied
        && store.data.trace.as_ref().is_some_and(|t| {
            t.edges.iter().any(|(f, to)| {
                (*f == e.from && *to == e.to) || (e.both && *f == e.to && *to == e.from)
            })
        })
}

/// The picture itself.
fn svg_view(store: &Store, gt: &GraphTr, g: &GraphData, fit: bool) -> Html {
    let focus = store.graph.focus.clone();
    let open = store.graph_ask.clone();
    html! {
        <svg id="graph" class={classes!("graph", fit.then_some("fit"), store.data.trace.as_ref().filter(|t| !t.edges.is_empty()).map(|_| "tracing"))} xmlns="http://www.w3.org/2000/svg" role="group" aria-label={gt.graph_label}
            width={format!("{:.0}", Decimal(g.width))} height={format!("{:.0}", Decimal(g.height))}
            viewBox={format!("0 0 {:.0} {:.0}", Decimal(g.width), Decimal(g.height))}
            data-nodes={g.nodes.len().to_string()} data-edges={g.edges.len().to_string()}>
            <defs>
                <marker id="g-arrow" class="g-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" />
                </marker>
                <marker id="g-arrow-traced" class="g-arrow traced" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" />
                </marker>
                <marker id="g-arrow-denied" class="g-arrow denied" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" />
                </marker>
                if g.since != (0, 0, 0) {
                    { for ["added", "removed", "changed"].iter().map(|c| html! {
                        <marker id={format!("g-arrow-{c}")} class={classes!("g-arrow", format!("since-{c}"))} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" />
                        </marker>
                    }) }
                }
            </defs>
            <rect class="g-bg" x="0" y="0" width="100%" height="100%" />
            { for g.boxes.iter().map(box_view) }
            { for g.edges.iter().map(|e| edge_view(store, e, open.is_some() && (open == Some(e.ask.clone()) || open == e.back), traced(store, e))) }
            { for g.nodes.iter().map(|n| node_view(store, gt, n, focus.as_deref() == Some(n.id.as_str()))) }
        </svg>
    }
}

/// A small picture of a node shape for the legend.
fn legend_shape(shape: &str) -> Html {
    html! {
        <svg class="graph legend-icon" width="38" height="22" viewBox="-19 -11 38 22" aria-hidden="true">
            <g class={classes!("g-node", format!("shape-{shape}"))}>{ outline(shape, 34.0, 18.0) }</g>
        </svg>
    }
}

fn legend(
    gt: &GraphTr,
    pinned: Option<(netpol::Lang, (usize, usize, usize))>,
    traced: Option<&'static str>,
) -> Html {
    let since = pinned.map(|(lang, (a, r, c))| {
        let ct = crate::i18n::changes_tr(lang);
        let item = |change: &str, n: usize| html! {
            <li class="since-item"><svg class="graph legend-icon" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true"><g class={classes!("g-edge", format!("since-{change}"))}><path class="g-line" d="M2,6 L31,6" /><path class="g-head" d="M30,2 L38,6 L30,10 z" /></g></svg>
                { format!("{} {} ({n})", super::changes::symbol(change), ct.change(change)) }</li>
        };
        html! { <>{ item("added", a) }{ item("removed", r) }{ item("changed", c) }</> }
    });
    html! {
        <ul class="graph-legend" id="graph-legend" aria-label={gt.legend}>
            <li>{ legend_shape("workload") }{ gt.legend_workload }</li>
            <li>{ legend_shape("external") }{ gt.legend_external }</li>
            <li>{ legend_shape("ingress") }{ gt.legend_ingress }</li>
            <li>{ legend_shape("dns") }{ gt.legend_dns }</li>
            <li><svg class="graph legend-icon" width="44" height="20" viewBox="0 -10 44 20" aria-hidden="true">{ mark(0.0, 0.0, gt.mark_in, "in", gt.legend_ing_iso) }</svg>{ gt.legend_ing_iso }</li>
            <li><svg class="graph legend-icon" width="48" height="20" viewBox="0 -10 48 20" aria-hidden="true">{ mark(0.0, 0.0, gt.mark_out, "out", gt.legend_eg_iso) }</svg>{ gt.legend_eg_iso }</li>
            <li><svg class="graph legend-icon" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true"><g class="g-edge"><path class="g-line" d="M2,6 L31,6" /><path class="g-head" d="M30,2 L38,6 L30,10 z" /></g></svg>{ gt.legend_allowed }</li>
            <li><svg class="graph legend-icon" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true"><g class="g-edge denied"><path class="g-line" d="M2,6 L31,6" /><path class="g-head" d="M30,2 L38,6 L30,10 z" /></g></svg>{ gt.legend_denied }</li>
            <li><span class="legend-split" aria-hidden="true">{ "≠" }</span>{ gt.legend_split }</li>
            { for since }
            if let Some(word) = traced {
                <li class="trace-item"><svg class="graph legend-icon" width="40" height="12" viewBox="0 0 40 12" aria-hidden="true"><g class="g-edge traced"><path class="g-line" d="M2,6 L31,6" /><path class="g-head" d="M30,2 L38,6 L30,10 z" /></g></svg>{ word }</li>
            }
        </ul>
    }
}

/// The properties an exported SVG carries as presentation attributes (the page's CSS is
/// not in the file; a `style` attribute would break the page's CSP).
const EXPORT_PROPS: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "display",
    "visibility",
];

/// The graph as a standalone SVG document: a copy of `#graph` with every element's
/// computed style written as attributes (the theme's colours included).
pub fn export_svg_text() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let window = web_sys::window()?;
    let svg = doc.get_element_by_id("graph")?;
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    for i in 0..originals.length().min(copies.length()) {
        let (Some(o), Some(c)) = (originals.item(i), copies.item(i)) else {
            continue;
        };
        let (Ok(o), Ok(c)) = (
            o.dyn_into::<web_sys::Element>(),
            c.dyn_into::<web_sys::Element>(),
        ) else {
            continue;
        };
        let Ok(Some(style)) = window.get_computed_style(&o) else {
            continue;
        };
        for p in EXPORT_PROPS {
            if let Ok(v) = style.get_property_value(p) {
                if !v.is_empty() {
                    let _ = c.set_attribute(p, &v);
                }
            }
        }
        let _ = c.remove_attribute("tabindex");
        let _ = c.remove_attribute("class");
    }
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.remove_attribute("class");
    let text = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"
    ))
}

fn export_svg() {
    if let Some(blob) = export_svg_text()
        .as_deref()
        .and_then(|t| crate::download::text_blob(t, "image/svg+xml"))
    {
        crate::download::offer(&blob, "netpol-graph.svg");
    }
}

/// Draws the exported SVG on a canvas at twice its size and offers the PNG.
fn export_png(width: f64, height: f64) -> Option<()> {
    let doc = web_sys::window()?.document()?;
    let blob = crate::download::text_blob(&export_svg_text()?, "image/svg+xml")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let img = web_sys::HtmlImageElement::new().ok()?;
    let scale = (8_000.0 / width.max(height).max(1.0)).min(2.0);
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width((width * scale).ceil() as u32);
    canvas.set_height((height * scale).ceil() as u32);
    let onload = {
        let img = img.clone();
        let url = url.clone();
        Closure::once(move || {
            let _ = web_sys::Url::revoke_object_url(&url);
            let Some(ctx) = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
            else {
                return;
            };
            let _ = ctx.scale(scale, scale);
            let _ = ctx.draw_image_with_html_image_element(&img, 0.0, 0.0);
            let done = Closure::once(move |b: JsValue| {
                if let Ok(b) = b.dyn_into::<web_sys::Blob>() {
                    crate::download::offer(&b, "netpol-graph.png");
                }
            });
            let _ = canvas.to_blob(done.as_ref().unchecked_ref());
            done.forget();
        })
    };
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&url);
    Some(())
}

/// The focused node's panel: its ins and outs and the policies selecting it.
fn focus_panel(store: &Store, gt: &GraphTr, g: &GraphData) -> Html {
    let Some(f) = &g.focus else { return html! {} };
    let clear = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::GraphFocus(None)))
    };
    let policies = |ps: &[crate::wire::Link]| {
        if ps.is_empty() {
            html! { <span class="muted">{ gt.no_policy }</span> }
        } else {
            html! { <>{ for ps.iter().map(|p| select_button(store, p, "policy-link")) }</> }
        }
    };
    html! {
        <section class="graph-focus" id="graph-focus" data-id={f.id.clone()}>
            <h3>{ format!("{}: ", gt.focus_on) }<code>{ f.id.clone() }</code></h3>
            <p class="hint">{ format!("{} {} · {} {} · {}", f.ins, gt.ins, f.outs, gt.outs, gt.focus_hint) }</p>
            <dl>
                <dt>{ gt.selected_ingress }</dt><dd class="chips" id="graph-focus-ingress">{ policies(&f.ingress_policies) }</dd>
                <dt>{ gt.selected_egress }</dt><dd class="chips" id="graph-focus-egress">{ policies(&f.egress_policies) }</dd>
                if !f.pods.is_empty() { <dt>{ gt.its_pods }</dt><dd class="chips">{ for f.pods.iter().map(|p| html! { <code>{ p.clone() }</code> }) }</dd> }
            </dl>
            if let Some(note) = &f.note { <p class="hint split-note">{ note.clone() }</p> }
            <button type="button" class="btn small" id="graph-clear-focus" onclick={clear}>{ gt.clear_focus }</button>
        </section>
    }
}

/// The open edge's explanation, as the Query tab shows it.
fn explain_panel(store: &Store, gt: &GraphTr) -> Html {
    let Some(q) = store.graph_ask.clone() else {
        return html! {};
    };
    // A line drawn both ways: the question of the other way.
    let other = store.data.graph.as_ref().and_then(|g| {
        g.edges.iter().find_map(|e| match &e.back {
            Some(b) if e.ask == q => Some(b.clone()),
            Some(b) if *b == q => Some(e.ask.clone()),
            _ => None,
        })
    });
    let other_way = other.map(|o| {
        let store = store.clone();
        let onclick = Callback::from(move |_| store.dispatch(Action::GraphAsk(Some(o.clone()))));
        html! { <button type="button" class="btn small" id="graph-other-way" {onclick}>{ format!("⇄ {}", gt.other_way) }</button> }
    });
    let t = tr(store.lang);
    let close = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::GraphAsk(None)))
    };
    let to_query = {
        let store = store.clone();
        let q = q.clone();
        Callback::from(move |_| store.dispatch(Action::AskInQuery(q.clone())))
    };
    let what = if q.port.is_empty() {
        q.protocol.clone()
    } else {
        format!("{} {}", q.protocol, q.port)
    };
    html! {
        <section class="graph-explain" id="graph-explain" data-from={q.from.clone()} data-to={q.to.clone()}>
            <div class="graph-explain-head">
                <h3>{ format!("{}: ", gt.edge_title) }<code>{ q.from.clone() }</code>{ " → " }<code>{ q.to.clone() }</code>{ format!(" ({what})") }</h3>
                { for other_way }
                <button type="button" class="btn small" id="graph-to-query" onclick={to_query}>{ gt.open_in_query }</button>
                <button type="button" class="btn small" id="graph-close-explain" aria-label={gt.close} onclick={close}>{ "✕" }</button>
            </div>
            { outcome_view(store.data.query.as_ref(), t) }
        </section>
    }
}

/// The Graph tab.
#[component]
pub fn GraphView() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let gt = graph_tr(store.lang);
    let on_proto = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            store.dispatch(Action::GraphProtocol(
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    let on_port = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            store.dispatch(Action::GraphPort(
                e.target_unchecked_into::<HtmlInputElement>().value(),
            ))
        })
    };
    let on_ns = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            store.dispatch(Action::GraphNamespace(
                e.target_unchecked_into::<HtmlSelectElement>().value(),
            ))
        })
    };
    let on_focus = {
        let store = store.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let v = v.trim().to_string();
            store.dispatch(Action::GraphFocus((!v.is_empty()).then_some(v)))
        })
    };
    let g = store.data.graph.clone().unwrap_or_default();
    let (w, h) = (g.width, g.height);
    let actual = use_state(|| false);
    let on_zoom = {
        let actual = actual.clone();
        Callback::from(move |_| actual.set(!*actual))
    };
    let proto = store.graph.protocol.clone();
    let port_off = !matches!(proto.as_str(), "TCP" | "UDP" | "SCTP");
    let body = if store.data.graph.is_none() {
        html! { <p class="hint" id="graph-pending">{ t.analysing }</p> }
    } else if g.total == 0 {
        html! { <p class="hint" id="graph-empty">{ gt.empty }</p> }
    } else if g.too_big {
        html! { <p class="notice-inline" id="graph-too-big" role="status">{ format!("{} ({} {})", gt.too_big, g.total, gt.workloads) }</p> }
    } else {
        html! {
            <>
                <div class="graph-scroll">{ svg_view(&store, gt, &g, !*actual) }</div>
                if g.edges.is_empty() { <p class="hint" id="graph-no-edges">{ gt.no_edges }</p> }
                <p class="hint graph-status" id="graph-status">{ format!("{} {} / {} {} · {} · {} {:.0} ms", gt.showing, g.shown, g.total, gt.workloads, g.showing, gt.laid_out_in, Decimal(g.millis)) }</p>
            </>
        }
    };
    html! {
        <div class="graph-view" id="graph-view">
            <form class="query-form graph-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <fieldset class="picker small">
                    <legend>{ gt.connections }</legend>
                    <select id="graph-protocol" aria-label={gt.connections} onchange={on_proto}>
                        { for [("All", gt.all_ports), ("TCP", "TCP"), ("UDP", "UDP"), ("SCTP", "SCTP"), ("ICMP", "ICMP (ping)")].iter().map(|(v, l)| html! {
                            <option value={*v} selected={proto == *v}>{ *l }</option>
                        }) }
                    </select>
                </fieldset>
                <fieldset class="picker small">
                    <legend>{ t.port }</legend>
                    <input id="graph-port" type="text" aria-label={t.port} value={store.graph.port.clone()} disabled={port_off} oninput={on_port} />
                </fieldset>
                <fieldset class="picker">
                    <legend>{ gt.namespace }</legend>
                    <select id="graph-namespace" aria-label={gt.namespace} onchange={on_ns}>
                        <option value="" selected={store.graph.namespace.is_empty()}>{ gt.all_namespaces }</option>
                        { for g.namespaces.iter().map(|n| html! { <option value={n.clone()} selected={store.graph.namespace == *n}>{ n.clone() }</option> }) }
                    </select>
                </fieldset>
                <fieldset class="picker">
                    <legend>{ gt.focus_on }</legend>
                    <input id="graph-focus-input" type="search" list="graph-choices" aria-label={gt.focus_on}
                        value={store.graph.focus.clone().unwrap_or_default()} onchange={on_focus} />
                    <datalist id="graph-choices">{ for g.choices.iter().map(|c| html! { <option value={c.clone()} /> }) }</datalist>
                </fieldset>
                <div class="graph-export">
                    <button type="button" class="btn small" id="graph-zoom" aria-pressed={actual.to_string()} onclick={on_zoom}>{ if *actual { gt.fit } else { gt.actual_size } }</button>
                    <button type="button" class="btn small" id="graph-export-svg" disabled={g.nodes.is_empty()} onclick={Callback::from(|_| export_svg())}>{ gt.export_svg }</button>
                    <button type="button" class="btn small" id="graph-export-png" disabled={g.nodes.is_empty()} onclick={Callback::from(move |_| { export_png(w, h); })}>{ gt.export_png }</button>
                </div>
            </form>
            <p class="hint">{ gt.help }</p>
            if let Some(e) = &g.error { <p class="verdict-error" id="graph-error">{ e.clone() }</p> }
            { focus_panel(&store, gt, &g) }
            <super::trace::TraceBanner marked={g.edges.iter().filter(|e| traced(&store, e)).count()} graph=true />
            { body }
            { explain_panel(&store, gt) }
            { legend(gt, store.baseline.as_ref().map(|_| (store.lang, g.since)), store.data.trace.as_ref().map(|_| crate::i18n::trace_tr(store.lang).legend)) }
        </div>
    }
}
