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
    /// Added to node positions: a document kept from an earlier version of the input
    /// (`yaml::ReadCache`) has the positions it had there.
    pub(crate) delta: isize,
}

impl Cx<'_> {
    pub(crate) fn loc(&self, node: &Node) -> Location {
        let at = |p: usize| (p as isize + self.delta).max(0) as usize;
        Location {
            source: self.source,
            doc: self.doc,
            range: at(node.span.start)..at(node.span.end),
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
        self.diags.push_mut(d)
    }

    /// Points the current object's first error at what follows from it: the API server
    /// would refuse the `kind`, so it is left out of every verdict.
    pub(crate) fn note_left_out(&mut self, kind: &str) {
        let note =
            format!("the API server would reject this {kind}, so it is left out of every verdict");
        let object = self.object.as_str();
        if let Some(d) = self
            .diags
            .iter_mut()
            .find(|d| d.severity == Severity::Error && d.object.as_deref() == Some(object))
        {
            d.help = Some(match d.help.take() {
                Some(h) => format!("{h}; {note}"),
                None => note,
            });
        }
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

/// A NetworkPolicy `ipBlock` CIDR as the API server parses it: `netutils.ParseCIDRSloppy`
/// (k8s.io/utils/net, Go 1.16's `net.ParseCIDR`), which `IsValidCIDRForLegacyField` uses
/// while the StrictIPCIDRValidation gate is off (the default). IPv4 parts and the prefix
/// length are decimal digits with any number of leading zeros (`010.0.0.0/08` is
/// 10.0.0.0/8; no sign, no spaces), an IPv6 group is up to 0xFFFF in any number of hex
/// digits and a `::` must stand for at least one zero group; an address without a
/// prefix, with a zone or in brackets is refused. Host bits may be set. Returns the network
/// and whether the text is "non-standard" (Go's `netip.ParsePrefix` would refuse it),
/// which the API server warns about (`GetWarningsForCIDR`).
pub(crate) fn parse_legacy_cidr(text: &str) -> Option<(IpNet, bool)> {
    let (addr, mask) = text.split_once('/')?;
    let (ip, bits) = match go_parse_ipv4(addr) {
        Some(v4) => (IpAddr::V4(v4), 32),
        None => (IpAddr::V6(go_parse_ipv6(addr)?), 128),
    };
    let (prefix, used) = go_dtoi(mask)?;
    if used != mask.len() || prefix > bits {
        return None;
    }
    let prefix = u8::try_from(prefix).ok()?;
    let net = IpNet::new(ip, prefix).ok()?;
    let leading_zero = |part: &str| part.len() > 1 && part.starts_with('0');
    let v4_part = addr.rsplit(':').next().unwrap_or(addr);
    let odd_v4 = v4_part.contains('.') && v4_part.split('.').any(leading_zero);
    let long_group = addr.contains(':')
        && addr
            .split(':')
            .any(|group| group.len() > 4 && !group.contains('.'));
    let standard = text.parse::<IpNet>().is_ok() && !leading_zero(mask) && !odd_v4 && !long_group;
    Some((net, !standard))
}

/// Go's `dtoi`: decimal digits from the start, (value, digits used); `None` without a
/// digit or at 0xFFFFFF.
fn go_dtoi(s: &str) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut used = 0;
    for b in s.bytes().take_while(u8::is_ascii_digit) {
        n = n * 10 + u32::from(b - b'0');
        if n >= 0xFF_FFFF {
            return None;
        }
        used += 1;
    }
    (used > 0).then_some((n, used))
}

/// Go's `xtoi`: hexadecimal digits from the start, as [`go_dtoi`].
fn go_xtoi(s: &str) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut used = 0;
    for c in s.chars() {
        let Some(d) = c.to_digit(16) else { break };
        n = n * 16 + d;
        if n >= 0xFF_FFFF {
            return None;
        }
        used += 1;
    }
    (used > 0).then_some((n, used))
}

/// Go 1.16's `parseIPv4` (leading zeros allowed, read as decimal).
fn go_parse_ipv4(mut s: &str) -> Option<std::net::Ipv4Addr> {
    let mut p = [0u8; 4];
    for (i, octet) in p.iter_mut().enumerate() {
        if i > 0 {
            s = s.strip_prefix('.')?;
        }
        let (n, used) = go_dtoi(s)?;
        *octet = u8::try_from(n).ok()?;
        s = s.get(used..)?;
    }
    s.is_empty().then_some(std::net::Ipv4Addr::from(p))
}

/// Go 1.16's `parseIPv6` (no zone; a trailing IPv4 part as [`go_parse_ipv4`]).
fn go_parse_ipv6(mut s: &str) -> Option<std::net::Ipv6Addr> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if let Some(rest) = s.strip_prefix("::") {
        ellipsis = Some(0);
        s = rest;
        if s.is_empty() {
            return Some(std::net::Ipv6Addr::UNSPECIFIED);
        }
    }
    let mut i = 0;
    while i < 16 {
        let (n, used) = go_xtoi(s)?;
        if n > 0xFFFF {
            return None;
        }
        if s.as_bytes().get(used) == Some(&b'.') {
            if (ellipsis.is_none() && i != 12) || i + 4 > 16 {
                return None;
            }
            let v4 = go_parse_ipv4(s)?.octets();
            ip.get_mut(i..i + 4)?.copy_from_slice(&v4);
            s = "";
            i += 4;
            break;
        }
        // `i` is even and below 16: both bytes are there.
        ip.get_mut(i..i + 2)?
            .copy_from_slice(&u16::try_from(n).ok()?.to_be_bytes());
        i += 2;
        s = s.get(used..)?;
        if s.is_empty() {
            break;
        }
        s = s.strip_prefix(':').filter(|rest| !rest.is_empty())?;
        if let Some(rest) = s.strip_prefix(':') {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = rest;
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        // Move what followed the `::` to the end.
        ip.get_mut(e..)?.rotate_right(n);
        for b in ip.iter_mut().skip(e).take(n) {
            *b = 0;
        }
    } else if ellipsis.is_some() {
        return None;
    }
    Some(std::net::Ipv6Addr::from(ip))
}

/// Whether `except` is inside `cidr` as `ValidateIPBlock` decides it with Go's
/// `IPNet.Contains(except.IP)`: an IPv4-mapped IPv6 address (`::ffff:10.1.0.0`) is the
/// IPv4 address, and an IPv4-mapped IPv6 network the IPv4 network under the last 32 bits
/// of its mask; then the prefix lengths as written must grow.
pub(crate) fn legacy_strict_subset(cidr: &IpNet, except: &IpNet) -> bool {
    let v4 = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    let (network, bits) = match (cidr, v4(cidr.network())) {
        (IpNet::V6(n), IpAddr::V4(a)) => (IpAddr::V4(a), n.prefix_len().saturating_sub(96)),
        (n, a) => (a, n.prefix_len()),
    };
    let inside = IpNet::new(network, bits).is_ok_and(|n| n.contains(&v4(except.network())));
    inside && cidr.prefix_len() < except.prefix_len()
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
        self.mapping(node, path)
    }

    /// `node` when it is a mapping; otherwise the error `must be a mapping, found ...`.
    pub(crate) fn mapping<'n>(&mut self, node: &'n Node, path: &str) -> Option<&'n Node> {
        if node.as_map().is_some() {
            return Some(node);
        }
        self.error(
            node,
            path,
            format!("must be a mapping, found {}", node.type_name()),
        );
        None
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
                if self.mapping(e, &epath).is_none() {
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
        match parse_legacy_cidr(&text) {
            Some((n, non_standard)) => {
                if non_standard {
                    self.cx.diag(
                        Severity::Info,
                        "non-standard-cidr",
                        node,
                        Some(path),
                        format!("non-standard CIDR value `{text}` will be considered invalid in a future Kubernetes release: use `{}`", n.trunc()),
                    );
                }
                Some(n)
            }
            None => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(text: &str) -> Option<(String, bool)> {
        parse_legacy_cidr(text).map(|(n, odd)| (n.to_string(), odd))
    }

    #[test]
    fn legacy_cidrs_as_go_parses_them() {
        let ok = |t: &str, net: &str, odd: bool| {
            assert_eq!(cidr(t), Some((net.to_string(), odd)), "{t}");
        };
        ok("10.0.0.0/8", "10.0.0.0/8", false);
        ok("10.0.0.1/24", "10.0.0.1/24", false);
        ok("010.0.0.0/8", "10.0.0.0/8", true);
        ok("00010.0.0.0/8", "10.0.0.0/8", true);
        ok("10.0.0.0/08", "10.0.0.0/8", true);
        ok("::1/0128", "::1/128", true);
        ok("2001:db8::/32", "2001:db8::/32", false);
        ok("2001:DB8::/32", "2001:db8::/32", false);
        ok("00002001:db8::/32", "2001:db8::/32", true);
        ok("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104", false);
        ok("::ffff:010.0.0.0/104", "::ffff:10.0.0.0/104", true);
        ok("::/0", "::/0", false);
        ok("1:2:3:4:5:6:1.2.3.4/128", "1:2:3:4:5:6:102:304/128", false);
        // `::` in the middle, first and last (what follows it moves to the end).
        ok("1::2/128", "1::2/128", false);
        ok("1:2::7:8/128", "1:2::7:8/128", false);
        ok("::2:3:4:5:6:7:8/128", "0:2:3:4:5:6:7:8/128", false);
        ok("1:2:3:4:5:6:7::/128", "1:2:3:4:5:6:7:0/128", false);
        ok("a::b:1.2.3.4/128", "a::b:102:304/128", false);
        for bad in [
            "10.0.0.0/+8",
            "10.0.0.0/-0",
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0.0/33",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "10.0.0.0/ 8",
            "10.0.0/8",
            "10.0.0.0.0/8",
            "256.0.0.0/8",
            "0x0a.0.0.0/8",
            "10.0.0.0/8/8",
            "2001:db8::1:2:3:4:5:6/64",
            "1:2:3:4:5:6:7:8:9/64",
            "1::2::3/64",
            "12345::/16",
            "fe80::1%eth0/64",
            "[::1]/128",
            "::1/129",
            "1:2:3:4:5:6:7:1.2.3.4/128",
            ":1::/64",
            "1:/64",
            "",
            "/",
        ] {
            assert_eq!(cidr(bad), None, "{bad}");
        }
    }

    #[test]
    fn except_subset_as_go_decides_it() {
        let net = |t: &str| {
            parse_legacy_cidr(t)
                .map(|(n, _)| n)
                .unwrap_or_else(|| panic!("{t}"))
        };
        let subset = |c: &str, e: &str| legacy_strict_subset(&net(c), &net(e));
        assert!(subset("10.0.0.0/8", "10.1.0.0/16"));
        assert!(subset("10.0.0.0/8", "10.1.2.3/16"));
        assert!(!subset("10.0.0.0/8", "10.0.0.0/8"));
        assert!(!subset("10.0.0.0/16", "10.0.0.0/8"));
        assert!(!subset("10.0.0.0/8", "11.0.0.0/16"));
        assert!(!subset("::/0", "10.0.0.0/8"));
        assert!(!subset("10.0.0.0/8", "2001:db8::/64"));
        // An IPv4-mapped except is its IPv4 address for Go's IPNet.Contains.
        assert!(subset("10.0.0.0/8", "::ffff:10.1.0.0/112"));
        assert!(!subset("10.0.0.0/8", "::ffff:11.1.0.0/112"));
        assert!(!subset("::ffff:10.0.0.0/104", "10.1.0.0/16"));
        assert!(subset("::ffff:10.0.0.0/104", "::ffff:10.1.0.0/112"));
        assert!(subset("2001:db8::/32", "2001:db8:1::/48"));
    }
}
