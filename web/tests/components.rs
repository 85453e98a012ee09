//! Component tests in headless Chromium:
//! `cargo test -p netpol-web --target wasm32-unknown-unknown` (runner: wasm-bindgen-test-runner,
//! CHROMEDRIVER from .cargo/config.toml).

use netpol_web::json::{self, Value};
use netpol_web::share;
use netpol_web::state::Query;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

// The editor bundle (web/editor, built by `node web/editor/build.mjs`, which Trunk's
// pre_build hook runs): importing it sets `globalThis.netpolEditor`, as web/loader.js
// does for the page.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(module = "/editor/dist/netpol-editor.js")]
extern "C" {
    #[wasm_bindgen(js_name = viewOf)]
    fn view_of(el: &Element) -> JsValue;
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(inline_js = "export function replace_text(view, text) {
  // One file first (a lesson opens as several files): the paste then replaces everything.
  const w = view.dom.netpolWorkspace;
  if (w && (w.files().length > 1 || w.files()[0].name !== null)) w.setText('');
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: 'input.paste' });
}")]
extern "C" {
    fn replace_text(view: &JsValue, text: &str);
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(inline_js = "export function keydown(el, key) {
  el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}")]
extern "C" {
    fn keydown(el: &Element, key: &str);
}
#[cfg(not(target_arch = "wasm32"))]
fn keydown(_: &Element, _: &str) {}

/// Replaces the editor's text as a paste would.
#[cfg(target_arch = "wasm32")]
fn paste(root: &Element, text: &str) {
    let view = view_of(&q(root, "#editor").expect("the editor"));
    assert!(!view.is_null(), "the editor is a CodeMirror view");
    replace_text(&view, text);
}
#[cfg(not(target_arch = "wasm32"))]
fn paste(_: &Element, _: &str) {}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// Lets the app render, then waits until the analysis answered for the current text and
/// view (`#eval-status[data-fresh]`; the analysis runs asynchronously, as in a worker).
async fn settle(root: &Element) {
    sleep(20).await;
    for _ in 0..500 {
        let fresh = root
            .query_selector("#eval-status")
            .unwrap()
            .and_then(|e| e.get_attribute("data-fresh"));
        if fresh.as_deref() == Some("true") {
            break;
        }
        sleep(20).await;
    }
    sleep(20).await;
}

fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn q(root: &Element, sel: &str) -> Option<Element> {
    root.query_selector(sel).unwrap()
}

/// A fresh app in its own element, with empty storage and no fragment.
async fn mount() -> (yew::AppHandle<netpol_web::App>, Element) {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    // The built-in lessons, as web/loader.js leaves them for the page (web/build.rs).
    js_sys::Reflect::set(
        &js_sys::global(),
        &netpol_web::examples::GLOBAL.into(),
        &js_sys::Uint8Array::from(&include_bytes!(concat!(env!("OUT_DIR"), "/lessons.bin"))[..])
            .into(),
    )
    .unwrap();
    // The test runner serves no worker script: the analysis answers on this thread,
    // through the same messages (`bridge::run_in_thread`).
    netpol_web::bridge::run_in_thread(netpol_web::analyzer::handle_message);
    let root = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<netpol_web::App>::with_root(root.clone()).render();
    settle(&root).await;
    (handle, root)
}

fn unmount(handle: yew::AppHandle<netpol_web::App>, root: Element) {
    handle.destroy();
    root.remove();
}

fn fire(el: &Element, kind: &str) {
    let ev = web_sys::Event::new_with_event_init_dict(kind, &{
        let i = web_sys::EventInit::new();
        i.set_bubbles(true);
        i
    })
    .unwrap();
    el.dispatch_event(&ev).unwrap();
}

fn set_select(root: &Element, sel: &str, value: &str) {
    let s: HtmlSelectElement = q(root, sel).unwrap().dyn_into().unwrap();
    s.set_value(value);
    fire(&s, "change");
}

fn click(root: &Element, sel: &str) {
    let el: HtmlElement = q(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into()
        .unwrap();
    el.click();
}

#[wasm_bindgen_test]
async fn editor_text_produces_diagnostics_with_lines() {
    let (h, root) = mount().await;
    paste(&root, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n  namespace: a\nspec:\n  podSelector: {}\n  policyTypes: [Ingres]\n");
    // The debounce (150 ms) passes before the analysis is asked for.
    sleep(250).await;
    settle(&root).await;
    let diag = q(&root, "#diagnostics button.diag.error").expect("an error diagnostic");
    assert_eq!(
        diag.get_attribute("data-line").as_deref(),
        Some("8"),
        "{}",
        diag.text_content().unwrap_or_default()
    );
    // The text is saved when it is analysed.
    let saved = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("netpol.text")
        .unwrap();
    assert!(saved.unwrap().contains("Ingres]"));
    unmount(h, root);
}

#[wasm_bindgen_test]
async fn query_gives_a_verdict() {
    let (h, root) = mount().await;
    let value = q(
        &root,
        "#examples option[data-id='seed/02-default-deny-ingress']",
    )
    .unwrap()
    .get_attribute("value")
    .unwrap();
    set_select(&root, "#examples", &value);
    settle(&root).await;
    click(&root, "#tab-query");
    settle(&root).await;
    set_select(&root, "#from", "utils/utils");
    settle(&root).await;
    set_select(&root, "#to", "webapp-balanced/webapp-balanced");
    settle(&root).await;
    let port: HtmlInputElement = q(&root, "#port").unwrap().dyn_into().unwrap();
    port.set_value("80");
    fire(&port, "input");
    settle(&root).await;
    let v = q(&root, "#verdict").expect("a verdict");
    assert_eq!(v.get_attribute("data-verdict").as_deref(), Some("denied"));
    assert!(v.text_content().unwrap().contains("DENIED"));
    // The egress side is open, so the answer is the ingress side's.
    assert!(q(&root, "#side-ingress .policy-link").is_some());
    set_select(&root, "#to", "kube-system/coredns");
    settle(&root).await;
    assert_eq!(
        q(&root, "#verdict")
            .unwrap()
            .get_attribute("data-verdict")
            .as_deref(),
        Some("allowed")
    );
    unmount(h, root);
}

fn attr(root: &Element, sel: &str, name: &str) -> String {
    q(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .get_attribute(name)
        .unwrap_or_default()
}

fn text(root: &Element, sel: &str) -> String {
    q(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_lesson_row_steps_through_to_the_evaluators_verdict() {
    let (h, root) = mount().await;
    let value = q(
        &root,
        "#examples option[data-id='seed/04-from-podselector-app-utils']",
    )
    .unwrap()
    .get_attribute("value")
    .unwrap();
    set_select(&root, "#examples", &value);
    settle(&root).await;
    click(&root, "#rows tr.row[data-row='1'] button.step-row");
    settle(&root).await;
    assert_eq!(attr(&root, "#steps", "data-total"), "8");
    assert_eq!(text(&root, "#steps-counter"), "1 / 8");
    assert!(text(&root, "#step-current").contains("not isolated"));
    // Next twice: the policy that isolates the destination, with its range in the editor.
    click(&root, "#steps-next");
    settle(&root).await;
    click(&root, "#steps-next");
    settle(&root).await;
    assert_eq!(text(&root, "#steps-counter"), "3 / 8");
    assert!(text(&root, "#step-current").contains("selects it"));
    assert!(!attr(&root, "#step-current", "data-from").is_empty());
    // The keys: End is the last step, the verdict, the same as the row's API verdict.
    keydown(&q(&root, "#steps").unwrap(), "End");
    settle(&root).await;
    assert_eq!(text(&root, "#steps-counter"), "8 / 8");
    assert!(text(&root, "#step-current").contains("verdict: DENIED"));
    assert_eq!(
        attr(&root, "#steps", "data-verdict"),
        attr(&root, "#rows tr.row[data-row='1']", "data-api")
    );
    keydown(&q(&root, "#steps").unwrap(), "k");
    settle(&root).await;
    assert_eq!(text(&root, "#steps-counter"), "7 / 8");
    keydown(&q(&root, "#steps").unwrap(), "Escape");
    settle(&root).await;
    assert!(q(&root, "#steps").is_none());
    unmount(h, root);
}

#[wasm_bindgen_test]
async fn matrix_cell_opens_its_explanation() {
    let (h, root) = mount().await;
    let value = q(
        &root,
        "#examples option[data-id='seed/02-default-deny-ingress']",
    )
    .unwrap()
    .get_attribute("value")
    .unwrap();
    set_select(&root, "#examples", &value);
    settle(&root).await;
    click(&root, "#tab-matrix");
    settle(&root).await;
    assert!(q(&root, "#matrix td.cell.allow").is_some());
    click(&root, "#matrix td.cell.deny button");
    settle(&root).await;
    assert!(q(&root, "#tab-query.active").is_some());
    assert_eq!(
        q(&root, "#verdict")
            .unwrap()
            .get_attribute("data-verdict")
            .as_deref(),
        Some("denied")
    );
    unmount(h, root);
}

#[wasm_bindgen_test]
async fn language_switch_translates_labels_and_explanations() {
    let (h, root) = mount().await;
    click(&root, "#tab-query");
    settle(&root).await;
    assert_eq!(
        q(&root, "#tab-query").unwrap().text_content().as_deref(),
        Some("Query")
    );
    set_select(&root, "#lang", "es");
    settle(&root).await;
    assert_eq!(
        q(&root, "#tab-query").unwrap().text_content().as_deref(),
        Some("Consulta")
    );
    let words = q(&root, "#explanation").unwrap().text_content().unwrap();
    assert!(
        words.contains("PERMITIDO") || words.contains("DENEGADO"),
        "{words}"
    );
    // Effects run after rendering: poll for the stored choice.
    let mut stored = None;
    for _ in 0..40 {
        stored = web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item("netpol.lang")
            .unwrap();
        if stored.as_deref() == Some("es") {
            break;
        }
        sleep(25).await;
    }
    assert_eq!(stored.as_deref(), Some("es"));
    unmount(h, root);
}

#[wasm_bindgen_test]
async fn share_links_round_trip_and_reject_garbage() {
    let query = Query {
        from: "utils/utils".into(),
        to: "10.0.0.1".into(),
        port: "http".into(),
        protocol: "TCP".into(),
    };
    let frag = share::encode("kind: Namespace\n", &query, None)
        .await
        .unwrap();
    let back = share::decode(&format!("#{frag}")).await.unwrap().unwrap();
    assert_eq!(back.text, "kind: Namespace\n");
    assert_eq!(back.query, query);
    assert_eq!(back.baseline, None);
    // A link made while a baseline was pinned carries it.
    let frag = share::encode("kind: Pod\n", &query, Some("kind: Namespace\n"))
        .await
        .unwrap();
    let back = share::decode(&format!("#{frag}")).await.unwrap().unwrap();
    assert_eq!(
        (back.text.as_str(), back.baseline.as_deref()),
        ("kind: Pod\n", Some("kind: Namespace\n"))
    );
    assert_eq!(share::decode("#other").await, Ok(None));
    assert_eq!(
        share::decode("#s=%%%").await,
        Err(share::ShareError::Malformed)
    );
    assert_eq!(
        share::decode("#s=AAAA").await,
        Err(share::ShareError::Malformed)
    );
    // A link made by the page before it used the browser's deflate (miniz_oxide, level 9).
    let old = "s=FYyxDkAwGIRfRW4WdJOudjEYLUUlgv5VJaTpu_ubW77vcrmAB1Lk8Pr1kNhWM8usVYe-rJr0YJDjvLX7IAMWRwdvVDly64lRVEWKYLfk0kFdJXbkaaKdvW86xPgD";
    let back = share::decode(old).await.unwrap().unwrap();
    assert_eq!(
        (back.text.as_str(), back.query.port.as_str()),
        ("kind: Namespace\n", "80")
    );
    // A deflate bomb (20 MiB of text in ~20 KB) stops at the 16 MiB cap: malformed.
    let bomb = share::encode(&"a".repeat(20 << 20), &query, None)
        .await
        .unwrap();
    assert!(bomb.len() < 100_000, "{}", bomb.len());
    assert_eq!(
        share::decode(&bomb).await,
        Err(share::ShareError::Malformed)
    );
}

#[wasm_bindgen_test]
fn json_round_trips_and_escapes() {
    let nasty = "a\"b\\c\nd\te\u{1}é😀</script>";
    let text = json::object(&[("text", nasty), ("k", "")]);
    let v = json::parse(&text).unwrap();
    assert_eq!(v.str("text").as_deref(), Some(nasty));
    assert_eq!(v.str("k").as_deref(), Some(""));
    let v = json::parse(
        r#" {"v": 1, "s": "\u00e9\ud83d\ude00\/", "a": [true, null, -2.5e1], "o": {}} "#,
    )
    .unwrap();
    assert_eq!(v.num("v"), Some(1.0));
    assert_eq!(v.str("s").as_deref(), Some("é😀/"));
    assert_eq!(
        v.get("a"),
        Some(&Value::Arr(vec![
            Value::Bool(true),
            Value::Null,
            Value::Num(-25.0)
        ]))
    );
    // What serde_json wrote for share links and the saved query is still read.
    let q =
        Query::from_json(r#"{"from":"a/b","to":"10.0.0.1","port":"80","protocol":"UDP"}"#).unwrap();
    assert_eq!((q.from.as_str(), q.protocol.as_str()), ("a/b", "UDP"));
    assert_eq!(Query::from_json(&q.to_json()), Some(q));
}

#[wasm_bindgen_test]
fn json_rejects_malformed_input() {
    for bad in [
        "",
        "{",
        "{\"a\"}",
        "{\"a\":1,}",
        "[1 2]",
        "\"\\ud800\"",
        "\"\\x\"",
        "\"a\nb\"",
        "{} x",
        "nul",
        "\"\\u12\"",
        "-",
    ] {
        assert_eq!(json::parse(bad), None, "{bad:?}");
    }
    assert_eq!(Query::from_json(r#"{"from":1}"#), None);
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert_eq!(json::parse(&deep), None);
}

/// The Graph tab (issue 13): the worker's layout drawn as SVG; an arrow opens its
/// explanation, a node focuses the graph on it, and the same text draws the same picture.
#[wasm_bindgen_test]
async fn graph_tab_draws_edges_opens_explanations_and_focuses() {
    let (h, root) = mount().await;
    let value = q(
        &root,
        "#examples option[data-id='seed/12-egress-allow-dns-and-webapp']",
    )
    .unwrap()
    .get_attribute("value")
    .unwrap();
    set_select(&root, "#examples", &value);
    settle(&root).await;
    click(&root, "#tab-graph");
    settle(&root).await;
    let svg = q(&root, "#graph").expect("the graph");
    // Where each node and arrow is (attribute order may change as classes come and go).
    let picture = |root: &Element| {
        let mut out = Vec::new();
        let all = root
            .query_selector_all("#graph g.g-node, #graph g.g-edge path.g-line")
            .unwrap();
        for i in 0..all.length() {
            let e: Element = all.item(i).unwrap().dyn_into().unwrap();
            out.push(format!(
                "{:?} {:?} {:?}",
                e.get_attribute("data-id"),
                e.get_attribute("transform"),
                e.get_attribute("d")
            ));
        }
        out
    };
    let before = picture(&root);
    let edge_sel = "#graph g.g-edge[data-from='utils/utils[Deployment]'][data-to='webapp-balanced/webapp-balanced[Deployment]']";
    let edge = q(&root, edge_sel).expect("utils -> webapp");
    assert_eq!(edge.get_attribute("data-label").as_deref(), Some("TCP 80"));
    assert_eq!(edge.get_attribute("data-denied").as_deref(), Some("false"));
    // Every node sits inside the picture; namespaces are boxes.
    let w: f64 = svg.get_attribute("width").unwrap().parse().unwrap();
    let nodes = root.query_selector_all("#graph g.g-node").unwrap();
    assert!(nodes.length() >= 5);
    assert!(q(&root, "#graph g.g-ns[data-namespace='utils']").is_some());
    assert!(q(&root, "#graph g.g-node[data-shape='dns']").is_some());
    assert!(q(&root, "#graph g.g-node[data-shape='ingress']").is_some());
    for i in 0..nodes.length() {
        let n: Element = nodes.item(i).unwrap().dyn_into().unwrap();
        let t = n.get_attribute("transform").unwrap();
        let x: f64 = t
            .trim_start_matches("translate(")
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(x > 0.0 && x < w, "{t} outside width {w}");
    }
    let utils = q(&root, "#graph g.g-node[data-id='utils/utils[Deployment]']").unwrap();
    assert_eq!(
        utils.get_attribute("data-egress-isolated").as_deref(),
        Some("true")
    );
    // An arrow: its explanation.
    fire(&edge, "click");
    settle(&root).await;
    assert_eq!(
        q(&root, "#graph-explain #verdict")
            .expect("the explanation")
            .get_attribute("data-verdict")
            .as_deref(),
        Some("allowed")
    );
    // A node: focus.
    let utils = q(&root, "#graph g.g-node[data-id='utils/utils[Deployment]']").unwrap();
    fire(&utils, "click");
    settle(&root).await;
    assert_eq!(
        q(&root, "#graph-focus")
            .expect("the focus panel")
            .get_attribute("data-id")
            .as_deref(),
        Some("utils/utils[Deployment]")
    );
    let edges = root.query_selector_all("#graph g.g-edge").unwrap();
    for i in 0..edges.length() {
        let e: Element = edges.item(i).unwrap().dyn_into().unwrap();
        let ends = [e.get_attribute("data-from"), e.get_attribute("data-to")];
        assert!(ends.contains(&Some("utils/utils[Deployment]".into())));
    }
    click(&root, "#graph-clear-focus");
    settle(&root).await;
    assert_eq!(picture(&root), before);
    unmount(h, root);
}

#[wasm_bindgen_test]
fn graph_edge_paths_start_and_end_at_dagre_points() {
    use netpol_web::components::graph::edge_path;
    assert_eq!(edge_path(&[]), "");
    assert_eq!(edge_path(&[(1.0, 2.0), (3.0, 4.0)]), "M1.0,2.0L3.0,4.0");
    let d = edge_path(&[(0.0, 0.0), (6.0, 6.0), (12.0, 0.0)]);
    assert!(d.starts_with("M0.0,0.0L1.0,1.0C"), "{d}");
    assert!(d.ends_with(" 12.0,0.0"), "{d}");
}

#[wasm_bindgen_test]
fn course_links_are_read_with_their_parameters() {
    use netpol_web::links::{decode, parse};
    let l = parse("#example=seed/04&embed", "");
    assert_eq!(l.lesson, Some((None, "seed/04".to_string())));
    assert!(l.embed);
    let l = parse("#exercise=01", "?embed");
    assert_eq!(l.lesson, Some((Some("exercises"), "01".to_string())));
    assert!(l.embed);
    assert_eq!(
        parse("#src=lessons%2Fmy-step.yaml", "").src.as_deref(),
        Some("lessons/my-step.yaml")
    );
    assert_eq!(decode("a%20b%zz"), "a b%zz");
}

#[wasm_bindgen_test]
fn only_plain_relative_paths_are_lesson_sources() {
    use netpol_web::links::{decode, safe_path, Refused};
    assert_eq!(
        safe_path("lessons/my-step.yaml").as_deref(),
        Ok("lessons/my-step.yaml")
    );
    for (p, why) in [
        ("", Refused::Empty),
        ("https://evil.example/x.yaml", Refused::NotRelative),
        ("//evil.example/x.yaml", Refused::NotRelative),
        ("/etc/passwd", Refused::NotRelative),
        ("C:\\x.yaml", Refused::NotRelative),
        ("lessons\\x.yaml", Refused::NotRelative),
        ("javascript:alert(1)", Refused::NotRelative),
        ("../secret.yaml", Refused::Escapes),
        ("lessons/../../x.yaml", Refused::Escapes),
        ("./x.yaml", Refused::Escapes),
        ("a//b.yaml", Refused::Escapes),
        ("x.yaml?y", Refused::Characters),
        ("x\n.yaml", Refused::Characters),
    ] {
        assert_eq!(safe_path(p), Err(why), "{p:?}");
    }
    // Escapes are decoded before the check.
    assert_eq!(safe_path(&decode("%2e%2e/x.yaml")), Err(Refused::Escapes));
    // Manifest paths of a lesson resolve inside the site, or not at all.
    use netpol_web::lessons::join;
    assert_eq!(
        join("lessons", "../cluster.yaml").as_deref(),
        Some("cluster.yaml")
    );
    assert_eq!(join("lessons", "../../x.yaml"), None);
    assert_eq!(
        join("exercises", "../seed/cluster.yaml").as_deref(),
        Some("seed/cluster.yaml")
    );
}

/// The first state is a plain function of what the browser holds (`state::Startup`, read
/// by `persist::use_app_state`): the saved language, theme preference, text and progress
/// are taken, and an unreadable saved query gives the default query and a message.
#[wasm_bindgen_test]
fn first_state_is_built_from_the_startup_snapshot() {
    use netpol_web::state::{Startup, State, Tab};
    let start = Startup {
        lang: Some("es".into()),
        prefers_dark: true,
        text: Some("kind: Namespace\n".into()),
        query: Some("{not json".into()),
        progress: Some(r#"{"seed/01": "solved", "x": 3}"#.into()),
        ..Startup::default()
    };
    let s = State::init(&start);
    assert_eq!(s.lang, netpol::Lang::Es);
    assert!(s.dark, "no saved theme: the browser's preference");
    assert_eq!(s.text.as_str(), "kind: Namespace\n");
    assert_eq!(s.query, Query::default());
    let notice = s
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert_eq!(notice, netpol_web::i18n::tr(netpol::Lang::Es).storage_bad);
    assert_eq!(
        s.progress.get("seed/01").map(String::as_str),
        Some("solved")
    );
    assert!(
        !s.progress.contains_key("x"),
        "a non-string mark is dropped"
    );
    assert_eq!(s.tab, Tab::Query);

    let light = State::init(&Startup {
        theme: Some("light".into()),
        prefers_dark: true,
        search: "?embed".into(),
        ..Startup::default()
    });
    assert!(!light.dark, "a saved theme wins over the browser's");
    assert!(light.embed);
    assert_eq!(light.tab, Tab::Lesson);
}

/// The endpoint pickers' options are one HTML string (`query::options_html`): names that
/// HTML would read as markup come back from the browser's parser as the same names, and
/// only the chosen one is selected.
#[wasm_bindgen_test]
fn endpoint_options_keep_odd_names_as_text() {
    let names = [
        "ns/a\"b".to_string(),
        "ns/<img src=x onerror=alert(1)>".to_string(),
        "ns/it's &amp; more".to_string(),
        "ns/plain".to_string(),
    ];
    let groups = vec![
        ("n<s>\"".to_string(), names[..2].to_vec()),
        ("ns".to_string(), names[2..].to_vec()),
    ];
    let html = netpol_web::components::query::options_html(&groups, &names[2]);
    let select: HtmlSelectElement = doc().create_element("select").unwrap().dyn_into().unwrap();
    select.set_inner_html(&html);
    let groups_seen: Vec<String> = (0..2)
        .map(|i| {
            select
                .query_selector_all("optgroup")
                .unwrap()
                .item(i)
                .unwrap()
                .dyn_into::<Element>()
                .unwrap()
                .get_attribute("label")
                .unwrap()
        })
        .collect();
    assert_eq!(groups_seen, ["n<s>\"", "ns"]);
    let options = select.query_selector_all("option").unwrap();
    assert_eq!(options.length(), 4);
    for (i, name) in names.iter().enumerate() {
        let o: Element = options.item(i as u32).unwrap().dyn_into().unwrap();
        assert_eq!(o.get_attribute("value").as_ref(), Some(name));
        assert_eq!(o.text_content().as_ref(), Some(name));
        assert_eq!(
            o.has_attribute("selected"),
            i == 2,
            "only the chosen name is selected"
        );
    }
    assert!(select.query_selector("img").unwrap().is_none());
    assert_eq!(select.value(), names[2]);
}
