//! The reader toolkit every loader shares (NetworkPolicy, cluster-scoped, Calico): the
//! diagnostic context of one document, field paths, strings as the API decodes them,
//! label maps, selectors and CIDRs read strictly.

use super::*;

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
                d.replacement = Some(sug.to_string());
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

/// An unquoted `y`, `Y`, `n` or `N` where a string is required. go-yaml v2 (kubectl)
/// reads these single letters as YAML 1.1 booleans, and kubectl would refuse the object;
/// every other YAML reader (YAML 1.2, PyYAML and most 1.1 readers) sees the letter, and
/// generated manifests write namespaces `x`, `y`, `z` unquoted. Read as the letter, with
/// a warning that kubectl disagrees: a diagnostic, never a silent difference.
pub(super) fn letter_boolean(cx: &mut Cx<'_>, node: &Node, path: &str) -> Option<String> {
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

pub(super) fn read_labels(cx: &mut Cx<'_>, node: &Node, path: &str) -> Labels {
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
                            d.replacement = Some(s.to_string());
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
}
