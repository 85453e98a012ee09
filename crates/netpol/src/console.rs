//! The simulated console: for a lesson row, the command the tutorial would run (`kubectl
//! exec -i -t utils-646c66795d-qdtg9 --namespace utils -- nc -zv 192.169.62.30 80`) and
//! what the terminal would print under the API's verdict, in the forms the seed tutorial
//! records (`ping`'s packet loss, `nc`'s time-out, `nslookup`, and `curl` through the
//! Ingress with its 503). Nothing here runs a command: the output is made from the
//! verdict, and says so. Where the tutorial recorded an outcome the API does not give
//! (`recorded:` on the row), the recording is kept beside the simulation with the reason.
//!
//! Program output stays as the programs print it (in English); notes are in the language
//! asked.

use std::net::IpAddr;

use serde::Serialize;

use crate::analysis::{Analysis, Answer, Question};
use crate::eval::{PortQuery, Target};
use crate::model::{EndpointKind, QueryProtocol};
use crate::scenario::Connection;
use crate::services::{self, Outcome};
use crate::words::console as say;
use crate::words::Decimal;
use crate::Lang;

/// The tutorial's shell prompt on the control-plane node.
pub const PROMPT: &str = "[kubeadmin@kubemaster network-policies]$";
/// The prompt of a machine outside the cluster (a browser's, a laptop's).
pub const OUTSIDE_PROMPT: &str = "[user@laptop ~]$";

/// One row's console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Console {
    pub prompt: String,
    /// The command line as typed after the prompt.
    pub command: String,
    /// What it would print under the API's verdict (simulated).
    pub output: Vec<String>,
    /// The API's outcome the output follows.
    pub outcome: Outcome,
    /// Caveats of the simulation, in the language asked.
    pub notes: Vec<String>,
    /// The tutorial's recording of this command, when the row has one.
    pub recorded: Option<RecordedView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedView {
    /// The recording shows the same outcome as the API's verdict.
    pub agrees: bool,
    pub allowed: bool,
    /// The output as the tutorial printed it; when the tutorial only claims an outcome,
    /// what the command would print under that claim (`claimed` is then true).
    pub output: Vec<String>,
    pub claimed: bool,
    /// Why the API's verdict differs, in the language asked.
    pub note: Option<String>,
}

/// The console of one row, asked through the front door.
pub fn simulate(
    analysis: &Analysis,
    row: &Connection,
    opts: &services::Options,
    lang: Lang,
) -> Console {
    let answer = analysis.ask(
        &Question::new(&row.from, &row.to, row.protocol, row.port.clone()),
        opts,
    );
    let outcome = answer.outcome();
    let ctx = Ctx {
        analysis,
        row,
        opts,
        answer: &answer,
    };
    let inner = ctx.command();
    // The tutorial's browser: a `curl` on behalf of the ingress controller runs outside.
    let (prompt, exec) = if inner.starts_with("curl ") && ctx.is_controller(row.from.trim()) {
        (OUTSIDE_PROMPT.to_string(), None)
    } else {
        ctx.where_it_runs()
    };
    let command = match &exec {
        Some(prefix) => format!("{prefix} -- {inner}"),
        None => inner.clone(),
    };
    let mut notes = Vec::new();
    let output = match outcome {
        Outcome::Unknown => {
            notes.push(say::not_evaluated(lang, answer.error()));
            Vec::new()
        }
        _ => ctx.output(&inner, outcome, exec.is_some(), lang, &mut notes),
    };
    let recorded = row.recorded.as_ref().map(|r| {
        let agrees = match outcome {
            Outcome::Allowed => r.allowed,
            Outcome::Denied => !r.allowed,
            _ => false,
        };
        let (output, claimed) = match &r.output {
            Some(text) => (text.lines().map(str::to_string).collect(), false),
            None => {
                let as_recorded = if r.allowed {
                    Outcome::Allowed
                } else {
                    Outcome::Denied
                };
                let mut ignored = Vec::new();
                (
                    ctx.output(&inner, as_recorded, exec.is_some(), lang, &mut ignored),
                    true,
                )
            }
        };
        RecordedView {
            agrees,
            allowed: r.allowed,
            output,
            claimed,
            note: r.note.as_ref().map(|n| n.get(lang).to_string()),
        }
    });
    Console {
        prompt,
        command,
        output,
        outcome,
        notes,
        recorded,
    }
}

struct Ctx<'a> {
    analysis: &'a Analysis,
    row: &'a Connection,
    opts: &'a services::Options,
    answer: &'a Answer,
}

/// The command without a trailing shell comment (`curl ... # 503`).
fn strip_comment(cmd: &str) -> &str {
    let cut = cmd
        .match_indices(" #")
        .map(|(i, _)| i)
        .next()
        .unwrap_or(cmd.len());
    cmd.get(..cut).unwrap_or(cmd).trim()
}

impl Ctx<'_> {
    fn cluster(&self) -> &crate::Cluster {
        self.analysis.cluster()
    }

    /// The prompt, and `kubectl exec ... --namespace NS` when the source is in the cluster.
    fn where_it_runs(&self) -> (String, Option<String>) {
        let from = self.row.from.trim();
        let outside = (PROMPT.to_string(), None);
        if from.starts_with("ingress:") || from.starts_with("external:") {
            return (OUTSIDE_PROMPT.to_string(), None);
        }
        match self.analysis.resolve(from) {
            Ok(Target::Endpoint(i)) => match self.cluster().endpoints.get(i) {
                Some(e) => {
                    let what = if e.kind == EndpointKind::Pod {
                        e.name.clone()
                    } else {
                        format!("{}/{}", e.kind.word(), e.name)
                    };
                    (
                        PROMPT.to_string(),
                        Some(format!(
                            "kubectl exec -i -t {what} --namespace {}",
                            e.namespace
                        )),
                    )
                }
                None => outside,
            },
            Ok(Target::External(_)) => (OUTSIDE_PROMPT.to_string(), None),
            Err(_) => outside,
        }
    }

    /// The row's `command`, or one made from the connection.
    fn command(&self) -> String {
        if let Some(c) = &self.row.command {
            return strip_comment(c).to_string();
        }
        let to = self.row.to.trim();
        if matches!(to, "dns" | "dns:") {
            return format!("nslookup {}", self.any_host());
        }
        if self.row.from.trim().starts_with("ingress:") {
            return format!(
                "curl -i http://{}/",
                self.ingress_host().unwrap_or_default()
            );
        }
        let dest = self.destination_text();
        let port = self.port_text();
        match self.row.protocol {
            QueryProtocol::ICMP => format!("ping -c 4 {dest}"),
            QueryProtocol::UDP => format!("nc -zuv {dest} {port}"),
            QueryProtocol::SCTP => format!("nc --sctp -zv {dest} {port}"),
            QueryProtocol::TCP
                if to.starts_with("nodeport:")
                    || to.starts_with("lb:")
                    || to.starts_with("loadbalancer:") =>
            {
                format!("curl http://{dest}:{port}/")
            }
            QueryProtocol::TCP => format!("nc -zv {dest} {port}"),
        }
    }

    /// A hostname to resolve: the first of `hosts:`, else the tutorial's.
    fn any_host(&self) -> String {
        self.opts
            .hosts
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "www.google.com".to_string())
    }

    /// The host of the row's Ingress (`ingress:NS/NAME`), when its rules name one.
    fn ingress_host(&self) -> Option<String> {
        let name = self.row.from.trim().strip_prefix("ingress:")?;
        let ing = self
            .cluster()
            .ingresses
            .iter()
            .find(|i| i.full_name() == name.trim())?;
        ing.paths.iter().find_map(|p| p.host.clone())
    }

    /// The destination as a command would name it: an address, a Service's ClusterIP, a
    /// node address for node ports, or the hostname itself.
    fn destination_text(&self) -> String {
        let to = self.row.to.trim();
        let c = self.cluster();
        if let Some(svc) = to.strip_prefix("svc:") {
            let (ns, name) = svc.split_once('/').unwrap_or(("", svc));
            if let Some(ip) = c.service(ns, name).and_then(|s| s.cluster_ip) {
                return ip.to_string();
            }
            return format!("{name}.{ns}");
        }
        if to.starts_with("nodeport:") || to.starts_with("lb:") || to.starts_with("loadbalancer:") {
            if let Some(node) = self.opts.node_cidr.hosts().next() {
                return node.to_string();
            }
        }
        let bare = to.strip_prefix("external:").unwrap_or(to);
        match self.analysis.resolve(bare) {
            Ok(Target::Endpoint(i)) => c
                .endpoints
                .get(i)
                .and_then(|e| e.ips.first())
                .map_or_else(|| bare.to_string(), IpAddr::to_string),
            Ok(Target::External(ip)) => ip.to_string(),
            Err(_) => bare.to_string(),
        }
    }

    /// The port number a command would use: resolved on the destination when the row
    /// names a port, else the row's text.
    fn port_text(&self) -> String {
        if let Answer::Decision(d) = self.answer {
            if let Some(p) = d.port {
                return p.to_string();
            }
        }
        if let (Some(PortQuery::Name(name)), Some(svc)) =
            (&self.row.port, self.row.to.trim().strip_prefix("svc:"))
        {
            let (ns, sname) = svc.split_once('/').unwrap_or(("", svc));
            if let Some(p) = self
                .cluster()
                .service(ns, sname)
                .and_then(|s| s.ports.iter().find(|p| p.name.as_deref() == Some(name)))
            {
                return p.port.to_string();
            }
        }
        self.row
            .port
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    /// An address for `name`: an IP as itself, `hosts:`, a Service's DNS name, the row's
    /// destination address when the command names the row's host, the tutorial's
    /// www.google.com.
    fn address_of(&self, name: &str) -> Option<String> {
        if name.parse::<IpAddr>().is_ok() {
            return Some(name.to_string());
        }
        if let Some(ip) = self.opts.hosts.get(name) {
            return Some(ip.to_string());
        }
        let c = self.cluster();
        let short = name.strip_suffix(".cluster.local").unwrap_or(name);
        if let Some((svc, ns)) = short.strip_suffix(".svc").and_then(|s| s.split_once('.')) {
            if let Some(ip) = c.service(ns, svc).and_then(|s| s.cluster_ip) {
                return Some(ip.to_string());
            }
        }
        let to = self.row.to.trim();
        if let Ok(ip) = to.strip_prefix("external:").unwrap_or(to).parse::<IpAddr>() {
            return Some(ip.to_string());
        }
        (name == "www.google.com").then(|| "142.250.201.68".to_string())
    }

    /// Whether `addr` is a pod of the cluster (a ping inside the cluster: ttl 63).
    fn in_cluster(&self, addr: &str) -> bool {
        addr.parse::<IpAddr>()
            .is_ok_and(|ip| self.cluster().endpoint_by_ip(&ip).is_some())
    }

    /// The output of `cmd` under `outcome`. `exec`: run through `kubectl exec`, which
    /// adds `command terminated with exit code 1` when the command fails.
    fn output(
        &self,
        cmd: &str,
        outcome: Outcome,
        exec: bool,
        lang: Lang,
        notes: &mut Vec<String>,
    ) -> Vec<String> {
        let words: Vec<&str> = cmd.split_whitespace().collect();
        let ok = outcome == Outcome::Allowed || outcome == Outcome::Partial;
        if outcome == Outcome::Partial {
            notes.push(say::partial(lang));
        }
        let mut out = match words.first().copied() {
            Some("ping") => self.ping(&words, ok),
            Some("nc") | Some("ncat") | Some("netcat") => self.nc(&words, outcome, lang, notes),
            Some("nslookup") => self.nslookup(&words, ok),
            Some("curl") => self.curl(&words, ok, lang, notes),
            _ => {
                notes.push(say::not_simulated(
                    lang,
                    words.first().unwrap_or(&""),
                    outcome,
                ));
                return Vec::new();
            }
        };
        let failed = out.last().is_some_and(|l| l.starts_with('\u{0}'));
        if failed {
            out.pop();
            if exec {
                out.push("command terminated with exit code 1".to_string());
            }
        }
        out
    }

    /// `ping -c N HOST`: N replies, or 100% packet loss. Times and TTLs are the
    /// tutorial's (0.2 ms, ttl 63 to a pod; 10 ms, ttl 115 to the Internet).
    fn ping(&self, words: &[&str], ok: bool) -> Vec<String> {
        let mut count = 4usize;
        let mut host = "";
        let mut it = words.iter().skip(1);
        while let Some(w) = it.next() {
            if *w == "-c" {
                count = it.next().and_then(|n| n.parse().ok()).unwrap_or(4);
            } else if !w.starts_with('-') {
                host = w;
            }
        }
        let count = count.clamp(1, 20);
        let Some(addr) = self.address_of(host) else {
            return vec![format!("ping: unknown host {host}"), FAILED.to_string()];
        };
        let mut out = vec![format!("PING {host} ({addr}): 56 data bytes")];
        let (ttl, times): (u8, [f64; 4]) = if self.in_cluster(&addr) {
            (63, [0.223, 0.156, 0.144, 0.183])
        } else {
            (115, [10.300, 13.961, 12.761, 10.588])
        };
        if !ok {
            out.push(format!("--- {host} ping statistics ---"));
            out.push(format!(
                "{count} packets transmitted, 0 packets received, 100% packet loss"
            ));
            out.push(FAILED.to_string());
            return out;
        }
        let samples: Vec<f64> = (0..count)
            .map(|i| times.get(i % times.len()).copied().unwrap_or(0.2))
            .collect();
        for (i, &t) in samples.iter().enumerate() {
            let t = Decimal(t);
            out.push(format!(
                "64 bytes from {addr}: icmp_seq={i} ttl={ttl} time={t:.3} ms"
            ));
        }
        let n = samples.len() as f64;
        let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
        let max = samples.iter().copied().fold(0.0, f64::max);
        let avg = samples.iter().sum::<f64>() / n;
        let sd = (samples.iter().map(|t| (t - avg) * (t - avg)).sum::<f64>() / n).sqrt();
        out.push(format!("--- {host} ping statistics ---"));
        out.push(format!(
            "{count} packets transmitted, {count} packets received, 0% packet loss"
        ));
        let (min, avg, max, sd) = (Decimal(min), Decimal(avg), Decimal(max), Decimal(sd));
        out.push(format!(
            "round-trip min/avg/max/stddev = {min:.3}/{avg:.3}/{max:.3}/{sd:.3} ms"
        ));
        out
    }

    /// `nc -zv HOST PORT` (`-u` for UDP), as netcat-openbsd prints it.
    fn nc(
        &self,
        words: &[&str],
        outcome: Outcome,
        lang: Lang,
        notes: &mut Vec<String>,
    ) -> Vec<String> {
        let udp = words
            .iter()
            .any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('u'));
        let args: Vec<&str> = words
            .iter()
            .skip(1)
            .filter(|w| !w.starts_with('-'))
            .copied()
            .collect();
        let (host, port) = match args.as_slice() {
            [.., h, p] => (*h, *p),
            _ => ("", ""),
        };
        let proto = if udp { "udp" } else { "tcp" };
        let service = port.parse::<u16>().map_or("*", |p| service_name(p, udp));
        let ok = outcome == Outcome::Allowed || outcome == Outcome::Partial;
        if udp {
            if !ok {
                notes.push(say::udp_cannot_tell(lang));
            }
            return vec![format!(
                "Connection to {host} {port} port [{proto}/{service}] succeeded!"
            )];
        }
        if outcome == Outcome::NoBackends {
            notes.push(say::no_backends(lang));
            return vec![
                format!("nc: connect to {host} port {port} ({proto}) failed: Connection refused"),
                FAILED.to_string(),
            ];
        }
        if ok {
            vec![format!(
                "Connection to {host} {port} port [{proto}/{service}] succeeded!"
            )]
        } else {
            vec![
                format!("nc: connect to {host} port {port} ({proto}) failed: Connection timed out"),
                FAILED.to_string(),
            ]
        }
    }

    /// `nslookup NAME` through kube-dns.
    fn nslookup(&self, words: &[&str], ok: bool) -> Vec<String> {
        let name = words
            .iter()
            .skip(1)
            .find(|w| !w.starts_with('-'))
            .copied()
            .unwrap_or("");
        if !ok {
            return vec![
                ";; connection timed out; no servers could be reached".to_string(),
                String::new(),
                FAILED.to_string(),
            ];
        }
        let server = self
            .cluster()
            .service("kube-system", "kube-dns")
            .and_then(|s| s.cluster_ip)
            .map_or_else(|| "10.96.0.10".to_string(), |ip| ip.to_string());
        let mut out = vec![
            format!("Server:\t\t{server}"),
            format!("Address:\t{server}#53"),
            String::new(),
        ];
        let internal = name.contains(".svc");
        match self.address_of(name) {
            Some(addr) => {
                if !internal {
                    out.push("Non-authoritative answer:".to_string());
                }
                out.push(format!("Name:\t{name}"));
                out.push(format!("Address: {addr}"));
            }
            None => out.push(format!("** server can't find {name}: NXDOMAIN")),
        }
        out.push(String::new());
        out
    }

    /// `curl [-i] [-m N] URL`: a page, the ingress controller's 503, or a time-out.
    fn curl(&self, words: &[&str], ok: bool, lang: Lang, notes: &mut Vec<String>) -> Vec<String> {
        let headers = words.iter().any(|w| *w == "-i" || *w == "--include");
        let mut max_time = None;
        let mut url = "";
        let mut it = words.iter().skip(1);
        while let Some(w) = it.next() {
            if *w == "-m" || *w == "--max-time" {
                max_time = it.next().and_then(|n| n.parse::<u64>().ok());
            } else if !w.starts_with('-') {
                url = w;
            }
        }
        let authority = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split('/')
            .next()
            .unwrap_or("");
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.to_string()),
            None => (authority, "80".to_string()),
        };
        let from = self.row.from.trim();
        let via_controller = from.starts_with("ingress:") || self.is_controller(from);
        // Through an Ingress host, the controller answers for the backend: the row's
        // verdict is the client -> controller leg unless the row is the backend leg.
        let status = if via_controller {
            Some(ok)
        } else if !ok {
            None
        } else {
            match self.ingress_for_host(host) {
                Some(ing) => {
                    let leg = self.analysis.ask(
                        &Question::new(&format!("ingress:{ing}"), "", QueryProtocol::TCP, None),
                        self.opts,
                    );
                    notes.push(say::through_ingress(lang, &ing, leg.outcome()));
                    Some(leg.outcome() == Outcome::Allowed || leg.outcome() == Outcome::Partial)
                }
                None => Some(true),
            }
        };
        match status {
            None => {
                let line = match max_time {
                    Some(s) => format!(
                        "curl: (28) Connection timed out after {}001 milliseconds",
                        s
                    ),
                    None => format!(
                        "curl: (28) Failed to connect to {host} port {port}: Connection timed out"
                    ),
                };
                vec![line, FAILED.to_string()]
            }
            Some(true) => {
                let mut out = Vec::new();
                if headers {
                    out.push("HTTP/1.1 200 OK".to_string());
                    out.push("Content-Type: text/html".to_string());
                    out.push(String::new());
                }
                out.push("<html><body><h1>It works!</h1></body></html>".to_string());
                out
            }
            Some(false) => {
                let title = "503 Service Temporarily Unavailable";
                let mut out = Vec::new();
                if headers {
                    out.push(format!("HTTP/1.1 {title}"));
                    out.push("Content-Type: text/html".to_string());
                    out.push(String::new());
                }
                out.extend([
                    "<html>".to_string(),
                    format!("<head><title>{title}</title></head>"),
                    "<body>".to_string(),
                    format!("<center><h1>{title}</h1></center>"),
                    "<hr><center>nginx</center>".to_string(),
                    "</body>".to_string(),
                    "</html>".to_string(),
                ]);
                out
            }
        }
    }

    /// The Ingress (`NS/NAME`) whose rules name `host`.
    fn ingress_for_host(&self, host: &str) -> Option<String> {
        self.cluster()
            .ingresses
            .iter()
            .find(|i| i.paths.iter().any(|p| p.host.as_deref() == Some(host)))
            .map(|i| i.full_name())
    }

    /// Whether `from` names an ingress controller's pod or workload (by its labels).
    fn is_controller(&self, from: &str) -> bool {
        match self.analysis.resolve(from) {
            Ok(Target::Endpoint(i)) => self.cluster().endpoints.get(i).is_some_and(|e| {
                matches!(
                    e.labels.get("app.kubernetes.io/name").map(String::as_str),
                    Some("ingress-nginx" | "traefik" | "haproxy-ingress" | "kubernetes-ingress")
                ) && e
                    .labels
                    .get("app.kubernetes.io/component")
                    .map(String::as_str)
                    != Some("admission-webhook")
            }),
            _ => false,
        }
    }
}

/// A marker line: the command failed (replaced by kubectl's exit line, or dropped).
const FAILED: &str = "\u{0}failed";

/// The service name `nc -v` prints for a port (from /etc/services), `*` when none.
fn service_name(port: u16, udp: bool) -> &'static str {
    match (port, udp) {
        (21, false) => "ftp",
        (22, _) => "ssh",
        (25, false) => "smtp",
        (53, _) => "domain",
        (80, _) => "http",
        (110, false) => "pop3",
        (123, true) => "ntp",
        (143, false) => "imap2",
        (443, _) => "https",
        (3306, false) => "mysql",
        (5432, false) => "postgresql",
        (6379, false) => "redis",
        (8080, false) => "http-alt",
        _ => "*",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_comments_are_not_part_of_the_command() {
        assert_eq!(
            strip_comment("curl -i http://foo-balanced.bar/   # 503 Service Unavailable"),
            "curl -i http://foo-balanced.bar/"
        );
        assert_eq!(strip_comment("nc -zv 1.2.3.4 80"), "nc -zv 1.2.3.4 80");
    }
}
