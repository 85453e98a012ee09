//! Reading scenario files: detection by parsing (never by a line match), the format's
//! keys and extensions, inline manifests kept as their author wrote them.

use super::*;

/// A port as scenario files and the CLI take it: a number from 1 to 65535, or a port
/// name (a container port's, or a Service port's: lowercase letters, digits and `-`).
/// Anything else (0, 70000, an empty string, `-1`) is an error, never a row that
/// silently cannot be evaluated.
pub fn parse_port(text: &str) -> Result<PortQuery, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("the port is empty: give a number from 1 to 65535 or a port name".into());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.parse::<u16>() {
            Ok(n) if n > 0 => Ok(PortQuery::Number(n)),
            _ => Err(format!(
                "port `{t}` is out of range: a port number is from 1 to 65535"
            )),
        };
    }
    if crate::names::dns1123_label(t).is_empty() && t.bytes().any(|b| b.is_ascii_lowercase()) {
        return Ok(PortQuery::Name(t.to_string()));
    }
    Err(format!(
        "`{t}` is neither a port number (1 to 65535) nor a port name (lowercase letters, digits and `-`, such as `http`)"
    ))
}

/// Whether a text is a scenario file, and if so the scenario (or why it is invalid).
#[derive(Clone, Debug)]
pub enum Detected {
    /// Not a scenario: no document is a mapping with an `expect` key (a manifest, a
    /// validation fixture, ...).
    NotScenario,
    Scenario(Result<Box<Scenario>, Vec<Diagnostic>>),
}

/// Decides whether `text` is a scenario by parsing it, never by matching lines: a
/// document whose root is a mapping with an `expect` key, in any style (block, flow,
/// quoted keys, JSON, after a byte order mark). When the YAML does not parse, a line
/// that looks like an `expect` key outside comments makes it a scenario, so a broken
/// scenario file is reported as invalid instead of being skipped (a false green is the
/// worst failure a test runner can have).
pub fn detect(text: &str) -> Detected {
    let (body, bom) = strip_bom(text);
    let (docs, errors) = yaml::parse(body, &Limits::default());
    let has_expect = docs.iter().any(|d| {
        d.root
            .as_ref()
            .and_then(Node::as_map)
            .is_some_and(|entries| entries.iter().any(|(k, _)| k.text() == Some("expect")))
    });
    if has_expect || (!errors.is_empty() && looks_like_expect_key(body)) {
        Detected::Scenario(
            from_docs(body, &docs, errors)
                .map(Box::new)
                .map_err(|d| shift(d, bom)),
        )
    } else {
        Detected::NotScenario
    }
}

/// Without a leading UTF-8 byte order mark, and the mark's length.
pub(super) fn strip_bom(text: &str) -> (&str, usize) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, text.len() - rest.len()),
        None => (text, 0),
    }
}

/// Diagnostics located in the text after a byte order mark, located in the whole text.
pub(super) fn shift(mut diags: Vec<Diagnostic>, by: usize) -> Vec<Diagnostic> {
    if by > 0 {
        for d in &mut diags {
            d.location.range = d.location.range.start + by..d.location.range.end + by;
        }
    }
    diags
}

/// A line with `expect:` as a key (`expect:`, `"expect":`, `{expect: ...`, `- expect:`),
/// comments left out: the fallback of [`detect`] for text whose YAML does not parse.
pub(super) fn looks_like_expect_key(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split_once(" #").map_or(line, |(code, _)| code);
        if code.trim_start().starts_with('#') {
            return false;
        }
        code.match_indices("expect").any(|(i, word)| {
            let before = code.get(..i).and_then(|s| s.chars().next_back());
            let after = code
                .get(i + word.len()..)
                .unwrap_or_default()
                .trim_start_matches(['"', '\'']);
            before.is_none_or(|c| matches!(c, ' ' | '\t' | '{' | ',' | '"' | '\'' | '-'))
                && after.trim_start().starts_with(':')
        })
    })
}

/// Parses a scenario file. Errors are diagnostics with locations in `text`.
pub fn parse(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    let (body, bom) = strip_bom(text);
    let (docs, errors) = yaml::parse(body, &Limits::default());
    from_docs(body, &docs, errors).map_err(|d| shift(d, bom))
}

pub(super) fn from_docs(
    text: &str,
    docs: &[yaml::Document],
    errors: Vec<yaml::SyntaxError>,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut diags: Vec<Diagnostic> = errors
        .into_iter()
        .map(|e| {
            Diagnostic::new(
                Severity::Error,
                "yaml-syntax",
                e.message,
                Location {
                    source: 0,
                    doc: e.doc,
                    range: e.span,
                },
            )
        })
        .collect();
    let root = docs.iter().find_map(|d| d.root.as_ref());
    let Some(root) = root.filter(|r| r.as_map().is_some()) else {
        if diags.is_empty() {
            diags.push(Diagnostic::new(
                Severity::Error,
                "scenario",
                "a scenario file must be a mapping with `name`, `manifests` and `expect`",
                Location::default(),
            ));
        }
        return Err(diags);
    };
    let mut err = |node: &Node, msg: String| {
        diags.push(Diagnostic::new(
            Severity::Error,
            "scenario",
            msg,
            Location {
                source: 0,
                doc: 0,
                range: node.span.clone(),
            },
        ));
    };
    let name = match root.get("name").and_then(Node::text) {
        Some(n) => n.to_string(),
        None => {
            err(root, "missing `name`".into());
            String::new()
        }
    };
    let text_field = |key: &str| -> Option<Text> { root.get(key).map(text_of) };
    let title = text_field("title");
    let lesson = text_field("lesson");
    let description = root
        .get("description")
        .and_then(Node::text)
        .map(str::to_string);
    let options = scenario_options(root, &mut err);
    let mut manifests = Vec::new();
    match root.get("manifests").and_then(Node::as_seq) {
        Some(list) => {
            for m in list {
                match &m.kind {
                    NodeKind::Scalar { value, .. } => manifests.push(Manifest::Path(value.clone())),
                    NodeKind::Map(_) => manifests.push(Manifest::Inline(inline_text(text, m))),
                    NodeKind::Seq(_) => {
                        err(m, "a manifest is a file path or an inline object".into())
                    }
                }
            }
        }
        None => err(
            root,
            "missing `manifests` (a list of file paths and/or inline objects)".into(),
        ),
    }
    let mut expect = Vec::new();
    match root.get("expect").and_then(Node::as_seq) {
        Some(list) if !list.is_empty() => {
            expect.extend(list.iter().filter_map(|e| expectation(e, &mut err)));
        }
        _ => err(root, "missing `expect` (at least one entry)".into()),
    }
    let exercise = match root.get("exercise") {
        None => None,
        Some(x) => match parse_exercise(x) {
            Ok(x) => Some(x),
            Err(problems) => {
                for (node, msg) in problems {
                    err(node, msg);
                }
                None
            }
        },
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Scenario {
        name,
        description,
        title,
        lesson,
        manifests,
        expect,
        options,
        exercise,
    })
}

/// `hosts`, `ingressController` and `nodeCidr`: how routed endpoints are read.
#[inline(always)]
fn scenario_options(root: &Node, err: &mut dyn FnMut(&Node, String)) -> services::Options {
    let mut options = services::Options::default();
    if let Some(h) = root.get("hosts") {
        match h.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    let host = k.text().unwrap_or("");
                    let ip = v.text().unwrap_or("");
                    if let Err(e) = options.add_host(&format!("{host}={ip}")) {
                        err(v, format!("`hosts`: {e}"));
                    }
                }
            }
            None => err(
                h,
                "`hosts` maps hostnames to addresses: `{www.google.com: 142.250.201.68}`".into(),
            ),
        }
    }
    if let Some(c) = root.get("ingressController") {
        match (c.text(), c.as_seq()) {
            (Some(t), _) => options.ingress_controller.push(t.to_string()),
            (None, Some(list)) => options
                .ingress_controller
                .extend(list.iter().filter_map(Node::text).map(str::to_string)),
            _ => err(
                c,
                "`ingressController` is NAMESPACE/NAME or a list of them".into(),
            ),
        }
    }
    if let Some(n) = root.get("nodeCidr") {
        match n.text().and_then(|t| t.parse().ok()) {
            Some(net) => options.node_cidr = net,
            None => err(n, "`nodeCidr` must be a CIDR such as 192.168.0.0/24".into()),
        }
    }
    options
}

/// `backends: {NAMESPACE/POD: true|false}`.
#[inline(always)]
fn expected_backends(b: &Node, err: &mut dyn FnMut(&Node, String)) -> Vec<(String, bool)> {
    let mut backends = Vec::new();
    for (k, v) in b.as_map().unwrap_or(&[]) {
        match (k.text(), v.scalar()) {
            (Some(pod), Some(yaml::Scalar::Bool(ok))) => backends.push((pod.to_string(), ok)),
            _ => err(v, "`backends` maps NAMESPACE/POD to true or false".into()),
        }
    }
    if b.as_map().is_none() {
        err(b, "`backends` maps NAMESPACE/POD to true or false".into());
    }
    backends
}

/// One entry of `expect`: a connection or a matrix (None, reported, when it is wrong).
#[inline(always)]
fn expectation(e: &Node, err: &mut dyn FnMut(&Node, String)) -> Option<Expectation> {
    let protocol_text = e.get("protocol").and_then(Node::text).unwrap_or("TCP");
    let Some(protocol) = QueryProtocol::parse(protocol_text) else {
        err(
            e.get("protocol").unwrap_or(e),
            format!("unknown protocol `{protocol_text}` (TCP, UDP, SCTP or ICMP)"),
        );
        return None;
    };
    let port = match e.get("port") {
        None => None,
        Some(p) => match parse_port(p.text().unwrap_or("")) {
            Ok(port) => Some(port),
            Err(msg) => {
                err(p, format!("`port`: {msg}"));
                return None;
            }
        },
    };
    if let Some(m) = e.get("matrix") {
        let Some(port) = port else {
            err(e, "a matrix needs a `port`".into());
            return None;
        };
        return match parse_matrix(m.text().unwrap_or("")) {
            Ok((columns, rows)) => Some(Expectation::Matrix(MatrixExpect {
                port,
                protocol,
                columns,
                rows,
            })),
            Err(msg) => {
                err(m, msg);
                None
            }
        };
    }
    let from = e.get("from").and_then(Node::text);
    // From an Ingress, `to` may be left out: every backend of the Ingress.
    let to = e.get("to").and_then(Node::text).or_else(|| {
        from.filter(|f| f.trim().starts_with("ingress:"))
            .map(|_| "")
    });
    let outcome = match e.get("outcome") {
        None => None,
        Some(o) => match o.text().and_then(Outcome::parse) {
            Some(x) => Some(x),
            None => {
                err(
                    o,
                    "`outcome` is allowed, denied, partial, no-backends or unknown".into(),
                );
                return None;
            }
        },
    };
    let allowed = match e.get("allowed").and_then(|a| a.scalar()) {
        Some(yaml::Scalar::Bool(b)) => Some(b),
        _ => outcome.map(|o| o == Outcome::Allowed),
    };
    let backends = e
        .get("backends")
        .map(|b| expected_backends(b, err))
        .unwrap_or_default();
    let hidden = match e.get("hidden").map(|h| h.scalar()) {
        None => false,
        Some(Some(yaml::Scalar::Bool(b))) => b,
        Some(_) => {
            err(
                e.get("hidden").unwrap_or(e),
                "`hidden` is true or false".into(),
            );
            return None;
        }
    };
    let recorded = match e.get("recorded") {
        None => None,
        Some(r) => match parse_recorded(r) {
            Ok(r) => Some(r),
            Err(msg) => {
                err(r, msg);
                return None;
            }
        },
    };
    match (from, to, allowed) {
        (Some(from), Some(to), Some(allowed)) => {
            let portless = protocol == QueryProtocol::ICMP
                || from.trim().starts_with("ingress:")
                || to.trim().starts_with("svc:")
                || matches!(to.trim(), "dns" | "dns:");
            if port.is_none() && !portless {
                err(
                    e,
                    "a connection needs a `port` (or `protocol: ICMP`)".into(),
                );
                return None;
            }
            Some(Expectation::Connection(Connection {
                from: from.to_string(),
                to: to.to_string(),
                port,
                protocol,
                allowed,
                command: e.get("command").and_then(Node::text).map(str::to_string),
                outcome,
                backends,
                goal: e.get("goal").map(text_of),
                hidden,
                recorded,
            }))
        }
        _ => {
            err(e, "an expectation needs `from`, `to` and `allowed: true|false`, or `port` and `matrix`".into());
            None
        }
    }
}

/// `{en: ..., es: ...}` or one text for both languages (Spanish falls back to English).
pub(super) fn text_of(n: &Node) -> Text {
    if let Some(s) = n.text() {
        return Text {
            en: s.to_string(),
            es: s.to_string(),
        };
    }
    let en = n.get("en").and_then(Node::text).unwrap_or("").to_string();
    let es = n
        .get("es")
        .and_then(Node::text)
        .map(str::to_string)
        .unwrap_or_else(|| en.clone());
    Text { en, es }
}

/// `recorded: {allowed: true, output: "...", note: {en, es}}` on an `expect` entry.
fn parse_recorded(r: &Node) -> Result<Recorded, String> {
    if r.as_map().is_none() {
        return Err(
            "`recorded` is a mapping: `{allowed: true|false, output: TEXT, note: {en, es}}`".into(),
        );
    }
    let allowed = match r.get("allowed").and_then(Node::scalar) {
        Some(yaml::Scalar::Bool(b)) => b,
        _ => {
            return Err(
                "`recorded` needs `allowed: true|false` (what the recorded output shows)".into(),
            )
        }
    };
    Ok(Recorded {
        allowed,
        output: r.get("output").and_then(Node::text).map(str::to_string),
        note: r.get("note").map(text_of),
    })
}

/// The `exercise:` key: `hints`, `constraints`, `solution`. Problems are located.
fn parse_exercise(x: &Node) -> Result<Exercise, Vec<(&Node, String)>> {
    let mut problems: Vec<(&Node, String)> = Vec::new();
    let mut ex = Exercise::default();
    let Some(entries) = x.as_map() else {
        return Err(vec![(
            x,
            "`exercise` is a mapping with `hints`, `constraints` and `solution`".into(),
        )]);
    };
    for (k, v) in entries {
        match k.text().unwrap_or("") {
            "hints" => match v.as_seq() {
                Some(list) => ex.hints = list.iter().map(text_of).collect(),
                None => problems.push((v, "`hints` is a list of `{en, es}` texts".into())),
            },
            "solution" => match (v.text(), v.as_seq()) {
                (Some(one), _) => ex.solution.push(one.to_string()),
                (None, Some(list)) => {
                    for item in list {
                        match item.text() {
                            Some(p) => ex.solution.push(p.to_string()),
                            None => {
                                problems.push((item, "a `solution` entry is a file path".into()))
                            }
                        }
                    }
                }
                _ => problems.push((v, "`solution` is a file path or a list of them".into())),
            },
            "constraints" => match v.as_seq() {
                Some(list) => {
                    for c in list {
                        match parse_constraint(c) {
                            Ok(mut cs) => ex.constraints.append(&mut cs),
                            Err(msg) => problems.push((c, msg)),
                        }
                    }
                }
                None => problems.push((v, "`constraints` is a list".into())),
            },
            other => {
                let mut msg = format!("unknown key `{other}` in `exercise`");
                if let Some(s) =
                    crate::diag::did_you_mean(other, ["hints", "constraints", "solution"])
                {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                } else {
                    msg.push_str(" (hints, constraints, solution)");
                }
                problems.push((k, msg));
            }
        }
    }
    if problems.is_empty() {
        Ok(ex)
    } else {
        Err(problems)
    }
}

/// `{unchanged: Namespace}` (or a list of kinds), `{maxPolicies: 1, namespace: utils}`.
fn parse_constraint(c: &Node) -> Result<Vec<Constraint>, String> {
    const USAGE: &str = "a constraint is `{unchanged: Namespace}` (Namespace, Pod, Service) or `{maxPolicies: N}` with an optional `namespace`";
    if let Some(u) = c.get("unchanged") {
        let kinds: Vec<&str> = match (u.text(), u.as_seq()) {
            (Some(t), _) => vec![t],
            (None, Some(list)) => list.iter().filter_map(Node::text).collect(),
            _ => return Err(USAGE.into()),
        };
        return kinds
            .iter()
            .map(|k| {
                ObjectKind::parse(k)
                    .map(|kind| Constraint::Unchanged { kind })
                    .ok_or_else(|| {
                        format!(
                            "`unchanged: {k}`: the kinds compared are Namespace, Pod and Service"
                        )
                    })
            })
            .collect();
    }
    if let Some(m) = c.get("maxPolicies") {
        let count = match m.scalar() {
            Some(yaml::Scalar::Int(n)) if n >= 0 => usize::try_from(n).unwrap_or(usize::MAX),
            _ => return Err("`maxPolicies` is a number (0 or more)".into()),
        };
        let namespace = c.get("namespace").and_then(Node::text).map(str::to_string);
        return Ok(vec![Constraint::MaxPolicies { count, namespace }]);
    }
    Err(USAGE.into())
}

/// A matrix row: the source and one cell per column (`None` for `-`).
pub type Row = (String, Vec<Option<bool>>);

pub(super) fn parse_matrix(text: &str) -> Result<(Vec<String>, Vec<Row>), String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().ok_or("empty matrix")?;
    let columns: Vec<String> = header
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for line in lines {
        let mut parts = line.split_whitespace();
        let src = parts.next().unwrap_or("").to_string();
        let cells: Result<Vec<Option<bool>>, String> = parts
            .map(|c| match c {
                "." => Ok(Some(true)),
                "X" | "x" => Ok(Some(false)),
                "-" => Ok(None),
                other => Err(format!(
                    "matrix cell `{other}` in row `{src}` must be `.` (allowed), `X` (denied) or `-` (not checked); a cell that cannot be evaluated fails either way"
                )),
            })
            .collect();
        let cells = cells?;
        if cells.len() != columns.len() {
            return Err(format!(
                "matrix row `{src}` has {} cells for {} columns",
                cells.len(),
                columns.len()
            ));
        }
        rows.push((src, cells));
    }
    Ok((columns, rows))
}

/// The text of an inline manifest, loaded like a file: the author's own lines (dedented
/// to the mapping's column), or, when that snippet does not stand alone (an alias to an
/// anchor outside it), the node written out as JSON, which is YAML too.
pub(super) fn inline_text(text: &str, node: &Node) -> String {
    let snippet = source_snippet(text, node);
    let (docs, errors) = yaml::parse(&snippet, &Limits::default());
    let same = errors.is_empty()
        && docs
            .iter()
            .find_map(|d| d.root.as_ref())
            .is_some_and(|root| same_tree(root, node));
    if same {
        snippet
    } else {
        let mut out = String::new();
        write_json(node, &mut out);
        out.push('\n');
        out
    }
}

pub(super) fn source_snippet(text: &str, node: &Node) -> String {
    let span = node.span.start.min(text.len())..node.span.end.min(text.len());
    let Some(slice) = text.get(span.clone()) else {
        return String::new();
    };
    let before = text.get(..span.start).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = before.get(line_start..).unwrap_or_default().chars().count();
    let mut out = String::with_capacity(slice.len());
    for (k, line) in slice.split_inclusive('\n').enumerate() {
        if k == 0 {
            out.push_str(line);
        } else {
            let strip = line.bytes().take(indent).take_while(|b| *b == b' ').count();
            // `strip` counts ASCII spaces: a character boundary.
            out.push_str(line.get(strip..).unwrap_or(line));
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Structural equality, ignoring where the nodes are.
pub(super) fn same_tree(a: &Node, b: &Node) -> bool {
    match (&a.kind, &b.kind) {
        (NodeKind::Scalar { .. }, NodeKind::Scalar { .. }) => a.scalar() == b.scalar(),
        (NodeKind::Seq(x), NodeKind::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_tree(p, q))
        }
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| same_tree(k1, k2) && same_tree(v1, v2))
        }
        _ => false,
    }
}

pub(super) fn write_json(node: &Node, out: &mut String) {
    match &node.kind {
        NodeKind::Scalar { value, .. } => match node.scalar() {
            Some(yaml::Scalar::Null) => out.push_str("null"),
            Some(yaml::Scalar::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
            Some(yaml::Scalar::Int(i)) => out.push_str(&i.to_string()),
            _ => {
                out.push('"');
                for c in value.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
        },
        NodeKind::Seq(items) => {
            out.push('[');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_json(item, out);
            }
            out.push(']');
        }
        NodeKind::Map(entries) => {
            out.push('{');
            for (k, (key, value)) in entries.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                let mut key_text = String::new();
                write_json(key, &mut key_text);
                if !key_text.starts_with('"') {
                    key_text = format!("\"{key_text}\"");
                }
                out.push_str(&key_text);
                out.push_str(": ");
                write_json(value, out);
            }
            out.push('}');
        }
    }
}
