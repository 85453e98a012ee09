//! The editor's completion (on the main thread, called by the editor per request): field
//! names and values from the loader's tables (`netpol::schema`), label keys and
//! values, namespaces and port names from the pasted cluster (`wire::Vocab`, sent with
//! each analysis). The editor finds the YAML path at the cursor (`web/editor/main.js`).

use netpol::schema::{expect, Expect, LabelsOf, Shape};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::i18n::EditorWords;
use crate::wire::Vocab;

/// What the editor asks (`completionContext` in main.js).
#[derive(Debug, Default)]
pub struct Ask {
    pub kind: Option<String>,
    /// The document's `apiVersion` (Calico's NetworkPolicy shares Kubernetes' kind).
    pub api: Option<String>,
    pub path: Vec<String>,
    pub key: Option<String>,
}

/// One option, as the editor shows it.
#[derive(Debug, Serialize, PartialEq)]
pub struct Item {
    pub label: String,
    pub detail: &'static str,
    /// CodeMirror's completion type (its icon class): `property`, `enum`, `variable`...
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `map`, `list`, `scalar` (a field name: what follows it), or `value`.
    pub shape: &'static str,
}

fn labels(list: &[(String, Vec<String>)], key: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .filter(|(k, _)| key.is_none_or(|want| want == k))
        .flat_map(|(_, vs)| vs.iter().cloned())
        .collect();
    netpol::sort::ord(&mut out);
    out.dedup();
    out
}

impl Ask {
    /// The editor's request object (`{kind, api, path, key}`); missing or mistyped fields
    /// read as absent.
    pub fn from_js(v: &JsValue) -> Ask {
        let get = |k: &str| js_sys::Reflect::get(v, &JsValue::from_str(k)).ok();
        let text = |k: &str| get(k).and_then(|x| x.as_string());
        Ask {
            kind: text("kind"),
            api: text("api"),
            path: get("path")
                .and_then(|p| p.dyn_into::<js_sys::Array>().ok())
                .map(|a| a.iter().filter_map(|s| s.as_string()).collect())
                .unwrap_or_default(),
            key: text("key"),
        }
    }
}

/// The options for one request (the editor's object, [`Ask::from_js`]), as JSON of
/// `[Item]`.
pub fn complete(ask: &JsValue, vocab: &Vocab, w: &EditorWords) -> String {
    let items = items(&Ask::from_js(ask), vocab, w);
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".into())
}

pub fn items(ask: &Ask, vocab: &Vocab, w: &EditorWords) -> Vec<Item> {
    let path: Vec<&str> = ask.path.iter().map(String::as_str).collect();
    let Some(e) = expect(
        ask.kind.as_deref(),
        ask.api.as_deref(),
        &path,
        ask.key.as_deref(),
    ) else {
        return Vec::new();
    };
    let value = |label: String, detail: &'static str, kind: &'static str| Item {
        label,
        detail,
        kind,
        shape: "value",
    };
    let of = |o: LabelsOf| match o {
        LabelsOf::Pods => (&vocab.pod_labels, w.pod_label),
        LabelsOf::Namespaces => (&vocab.namespace_labels, w.namespace_label),
    };
    match e {
        Expect::Fields(fields) => fields
            .into_iter()
            .map(|(name, shape)| Item {
                label: name.to_string(),
                detail: w.field,
                kind: "property",
                shape: match shape {
                    Shape::Map => "map",
                    Shape::List => "list",
                    Shape::Scalar => "scalar",
                },
            })
            .collect(),
        Expect::Values(vs) => vs
            .iter()
            .map(|v| value(v.to_string(), w.value, "enum"))
            .collect(),
        Expect::LabelKeys(o) => {
            let (list, detail) = of(o);
            list.iter()
                .map(|(k, _)| Item {
                    label: k.clone(),
                    detail,
                    kind: "variable",
                    shape: "scalar",
                })
                .collect()
        }
        Expect::LabelValues(o, key) => {
            let (list, detail) = of(o);
            labels(list, key.as_deref())
                .into_iter()
                .map(|v| value(v, detail, "constant"))
                .collect()
        }
        Expect::Namespaces => vocab
            .namespaces
            .iter()
            .map(|n| value(n.clone(), w.namespace_name, "namespace"))
            .collect(),
        Expect::NamedPorts => vocab
            .ports
            .iter()
            .map(|p| value(p.clone(), w.named_port, "constant"))
            .collect(),
    }
}
