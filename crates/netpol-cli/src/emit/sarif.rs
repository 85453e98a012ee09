//! `netpol lint --format sarif`: SARIF 2.1.0 (OASIS), what code-scanning services read.
//!
//! One run; `tool.driver.rules` are every lint of the registry (summary, explanation,
//! the fix and its before/after example as help, `helpUri` to the lint's entry in
//! `docs/lints.md`), the loader's common codes, and any other code a result uses, so
//! every result's `ruleIndex` points at its rule. Locations are the byte ranges of the
//! core as line and column (`columnKind: unicodeCodePoints`: columns count characters,
//! as `LineIndex` does), with the byte offset and length too. Severities: error ->
//! `error`, warning -> `warning`, info -> `note`. The output is checked against the
//! SARIF 2.1.0 JSON schema by `scripts/check-reports.sh` (a pinned validator).

use std::io::{self, Write};

use netpol::lint::registry::LOADER_CODES;
use netpol::{Diagnostic, Lang, Location, Severity};
use serde_json::{json, Map, Value};

use super::{Ctx, Emitter, Report};

pub struct Sarif;

/// The schema the output declares (the one code-scanning services accept).
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: `/` kept, everything outside RFC 3986's unreserved
/// characters percent-encoded; an absolute path becomes a `file://` URI.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The help of a lint as text and Markdown: the fix, then the example before and after.
fn help(info: &netpol::lint::LintInfo) -> (String, String) {
    let fix = info.fix(Lang::En);
    let text = format!(
        "{}\n\nFix: {fix}\n\nBefore (gives the lint):\n{}\nAfter:\n{}",
        info.explanation(Lang::En),
        info.bad,
        info.good
    );
    let md = format!(
        "{}\n\n**Fix.** {fix}\n\nBefore (gives the lint):\n\n```yaml\n{}```\n\nAfter:\n\n```yaml\n{}```\n",
        info.explanation(Lang::En),
        info.bad,
        info.good
    );
    (text, md)
}

/// `tool.driver.rules`: the lints, the loader's codes, then codes only the results
/// name (in order of appearance); and the index of each code.
fn rules(diags: &[Diagnostic], docs: &str) -> (Vec<Value>, Vec<&'static str>) {
    let mut rules = Vec::new();
    let mut ids: Vec<&'static str> = Vec::new();
    for info in netpol::lint::registry() {
        let code = info.code.as_str();
        let (text, markdown) = help(info);
        rules.push(json!({
            "id": code,
            "shortDescription": {"text": info.summary(Lang::En)},
            "fullDescription": {"text": info.explanation(Lang::En)},
            "help": {"text": text, "markdown": markdown},
            "helpUri": format!("{docs}#{code}"),
            "defaultConfiguration": {"level": level(info.severity)},
            "properties": {"tags": ["lint"], "appliesTo": info.applies_to(Lang::En)},
        }));
        ids.push(code);
    }
    for (code, [en, _]) in LOADER_CODES {
        rules.push(json!({
            "id": code,
            "shortDescription": {"text": en},
            "help": {"text": en},
            "helpUri": docs,
            "properties": {"tags": ["loader"]},
        }));
        ids.push(code);
    }
    for d in diags {
        if !ids.contains(&d.code) {
            rules.push(json!({
                "id": d.code,
                "shortDescription": {"text": format!("diagnostic `{}` of the loader", d.code)},
                "helpUri": docs,
                "properties": {"tags": ["loader"]},
            }));
            ids.push(d.code);
        }
    }
    (rules, ids)
}

/// A physical location (file, region); `None` for standard input, which has no URI.
fn location(loc: &Location, ctx: &Ctx<'_>) -> Option<Value> {
    let r = ctx.set.region(loc)?;
    if r.file == "<stdin>" {
        return None;
    }
    Some(json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(r.file)},
            "region": {
                "startLine": r.start.0,
                "startColumn": r.start.1,
                "endLine": r.end.0,
                "endColumn": r.end.1,
                "byteOffset": loc.range.start,
                "byteLength": loc.range.end.saturating_sub(loc.range.start),
            },
        }
    }))
}

fn result(d: &Diagnostic, index: usize, ctx: &Ctx<'_>) -> Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.code));
    r.insert("ruleIndex".into(), json!(index));
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({ "text": text }));
    if let Some(l) = location(&d.location, ctx) {
        r.insert("locations".into(), json!([l]));
    }
    if let Some(l) = d.related.as_ref().and_then(|l| location(l, ctx)) {
        let mut l = l;
        if let Some(o) = l.as_object_mut() {
            o.insert("id".into(), json!(0));
            o.insert("message".into(), json!({"text": "related location"}));
        }
        r.insert("relatedLocations".into(), json!([l]));
    }
    let mut props = Map::new();
    if let Some(p) = &d.path {
        props.insert("path".into(), json!(p));
    }
    if let Some(o) = &d.object {
        props.insert("object".into(), json!(o));
    }
    if !props.is_empty() {
        r.insert("properties".into(), Value::Object(props));
    }
    Value::Object(r)
}

impl Emitter for Sarif {
    fn reports(&self) -> &'static [Report] {
        &[Report::Lint]
    }

    fn diagnostics(
        &self,
        out: &mut dyn Write,
        diags: &[Diagnostic],
        ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        let (rules, ids) = rules(diags, ctx.docs_url);
        let results: Vec<Value> = diags
            .iter()
            .map(|d| {
                let index = ids.iter().position(|c| *c == d.code).unwrap_or(0);
                result(d, index, ctx)
            })
            .collect();
        let mut driver = json!({
            "name": "netpol",
            "version": env!("CARGO_PKG_VERSION"),
            "rules": rules,
        });
        // `informationUri` must be absolute; the default docs address is relative.
        if ctx.docs_url.contains("://") {
            if let Some(d) = driver.as_object_mut() {
                d.insert("informationUri".into(), json!(ctx.docs_url));
            }
        }
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": driver},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("policies/web app.yaml"), "policies/web%20app.yaml");
        assert_eq!(uri("/tmp/a#b.yaml"), "file:///tmp/a%23b.yaml");
        assert_eq!(uri("ñ.yaml"), "%C3%B1.yaml");
    }
}
