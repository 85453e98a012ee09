//! What the worker sends once per text (`Base`): the diagnostics with their fixes, the
//! completion vocabulary, the endpoints by namespace.

use super::*;

/// The loader's diagnostics and the lints (their words in `lang`), as the editor and
/// the Problems list show them.
pub(super) fn diagnostics(
    core: &netpol::Analysis,
    text: &str,
    lang: netpol::Lang,
) -> Vec<DiagView> {
    let t = tr(lang);
    let index = LineIndex::new(text);
    let all: Vec<&netpol::Diagnostic> = core
        .diagnostics()
        .iter()
        .chain(core.lints_in(lang).iter())
        .collect();
    // The seed's traps: fixes made on the text (`netpol::quickfix`).
    let suggested = netpol::quickfix::edits(text, &all);
    let mut out: Vec<DiagView> = all
        .iter()
        .zip(suggested)
        .map(|(d, edit)| {
            let r = &d.location.range;
            let (line, col) = index.line_col(text, r.start);
            let (start, end) = (pos(r.start), pos(r.end.max(r.start)));
            let mut fixes: Vec<EditView> = d
                .replacement
                .iter()
                .map(|insert| EditView {
                    label: crate::i18n::fill(t.ed.replace_with, 0, insert, ""),
                    from: start as u32,
                    to: end as u32,
                    insert: insert.clone(),
                    selects: None,
                })
                .collect();
            if let (Some(e), Some(s)) = (edit, &d.suggestion) {
                let selects = match s {
                    netpol::quickfix::Suggestion::SelectNamespace { namespace } => {
                        (namespace.clone(), false)
                    }
                    netpol::quickfix::Suggestion::UseNameLabel { namespace, .. } => {
                        (namespace.clone(), true)
                    }
                };
                fixes.push(EditView {
                    label: crate::i18n::fix_label(t, &e.insert, Some(&selects)),
                    from: pos(e.range.start) as u32,
                    to: pos(e.range.end) as u32,
                    insert: e.insert,
                    selects: Some(selects),
                });
            }
            DiagView {
                severity: d.severity.as_str().to_string(),
                code: d.code.to_string(),
                message: d.message.clone(),
                help: d.help.clone(),
                object: d.object.clone(),
                line,
                col,
                start,
                end,
                fixes,
            }
        })
        .collect();
    netpol::sort::by_key(&mut out, |d| (d.line, d.col));
    out
}

/// Label keys and values, namespaces and port names of the cluster, for completion
/// (bounded: at most `MAX_VOCAB` keys, and as many values per key).
pub(super) fn vocab(c: &netpol::Cluster) -> Vocab {
    const MAX_VOCAB: usize = 200;
    // Sorted Vecs rather than B-trees of their own (each map type is a copy of the
    // B-tree code in the .wasm): keys in order, their values in order, both bounded.
    fn list<'a>(mut pairs: Vec<(&'a str, &'a str)>) -> Vec<(String, Vec<String>)> {
        netpol::sort::ord(&mut pairs);
        pairs.dedup();
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (k, v) in pairs {
            let full = out.len() >= MAX_VOCAB;
            match out.last_mut() {
                Some((key, vs)) if key == k => {
                    if vs.len() < MAX_VOCAB {
                        vs.push(v.to_string());
                    }
                }
                _ if full => break,
                _ => out.push((k.to_string(), vec![v.to_string()])),
            }
        }
        out
    }
    let pods: Vec<(&str, &str)> = c
        .endpoints
        .iter()
        .flat_map(|e| e.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    let nss: Vec<(&str, &str)> = c
        .namespaces
        .iter()
        .flat_map(|n| n.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .collect();
    let mut ports: Vec<&str> = c
        .endpoints
        .iter()
        .flat_map(|e| e.ports.iter().filter_map(|p| p.name.as_deref()))
        .collect();
    netpol::sort::ord(&mut ports);
    ports.dedup();
    Vocab {
        namespaces: c.namespaces.iter().map(|n| n.name.clone()).collect(),
        pod_labels: list(pods),
        namespace_labels: list(nss),
        ports: ports
            .into_iter()
            .take(MAX_VOCAB)
            .map(str::to_string)
            .collect(),
    }
}

/// Names a query may use, grouped by namespace: workloads whose pods were pasted, then
/// endpoints. Sorted, without duplicates.
pub fn endpoint_groups(c: &netpol::Cluster) -> Vec<(String, Vec<String>)> {
    let mut names: Vec<(String, String)> = c
        .endpoints
        .iter()
        .map(|e| (e.namespace.clone(), e.full_name()))
        .collect();
    for w in c.workload_pods.keys() {
        let ns = w.split('/').next().unwrap_or_default().to_string();
        names.push((ns, w.clone()));
    }
    netpol::sort::ord(&mut names);
    names.dedup();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (ns, name) in names {
        match groups.last_mut() {
            Some((n, v)) if *n == ns => v.push(name),
            _ => groups.push((ns, vec![name])),
        }
    }
    let services = netpol::services::targets(c);
    if !services.is_empty() {
        groups.push(("Services, Ingress, DNS".to_string(), services));
    }
    groups
}
