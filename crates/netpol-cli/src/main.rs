//! `netpol`: query, matrix, connlist, lint and test Kubernetes NetworkPolicies.
//!
//! This is an edge: it reads files, converts byte ranges to file:line:col, renders text,
//! JSON, CSV or Markdown, and sets exit codes (0 ok, 1 test failures or lint errors,
//! 2 bad input or usage).

mod input;
mod render;
mod test_cmd;

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use netpol::eval::{Engine, PortQuery};
use netpol::{Lang, QueryProtocol, Severity};

const EXAMPLES: &str = "\
Examples:
  netpol query examples/seed/cluster.yaml --from utils/utils --to webapp-balanced/webapp-balanced --port 80
  netpol query cluster.yaml policies/ --from utils/utils --to 142.250.201.68 --protocol ICMP
  netpol query examples/seed/ --from utils/utils --to svc:webapp-balanced/webapp-balanced --port 80
  netpol query cluster.yaml policies/ --from ingress:webapp-balanced/balanced-ingress
  netpol query cluster.yaml --from external:203.0.113.7 --to nodeport:shop/web --port 80
  netpol query cluster.yaml policies/ --from utils/utils --to dns:
  netpol query cluster.yaml --from utils/utils --to www.google.com --host www.google.com=142.250.201.68 --protocol ICMP
  netpol matrix cluster.yaml policies/ --port 80 --format json
  netpol connlist cluster.yaml policies/
  netpol lint cluster.yaml policies/
  kubectl get ns,pods,netpol -A -o yaml | netpol lint -
  netpol test tests/ examples/ --junit report.xml";

#[derive(Parser)]
#[command(name = "netpol", version, about = "Kubernetes NetworkPolicy evaluator: every verdict explained", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Csv,
    Md,
}

#[derive(clap::Args)]
struct Inputs {
    /// Manifest files or directories (read recursively); `-` is stdin.
    #[arg(required = true)]
    files: Vec<String>,
    /// Assign addresses to pods without one from this CIDR.
    #[arg(long, default_value = "10.244.0.0/16")]
    pod_cidr: String,
    /// Language of explanations: en or es.
    #[arg(long, default_value = "en")]
    lang: String,
}

#[derive(Subcommand)]
enum Command {
    /// Decide one connection and explain it.
    Query {
        #[command(flatten)]
        inputs: Inputs,
        /// Source: NAMESPACE/NAME (pod or workload), an IP address (`external:IP`), or
        /// `ingress:NAMESPACE/NAME` (the Ingress's controller pods).
        #[arg(long)]
        from: String,
        /// Destination: NAMESPACE/NAME (pod or workload), an IP address, `svc:NAMESPACE/NAME`
        /// (or its ClusterIP, or NAME.NAMESPACE.svc), `nodeport:NAMESPACE/NAME`,
        /// `loadbalancer:NAMESPACE/NAME`, `dns:`, or a hostname mapped with --host.
        /// Optional from an Ingress: every backend.
        #[arg(long)]
        to: Option<String>,
        /// Port number or named port of the destination (for a Service: the Service port,
        /// number or name). Without it: every allowed connection.
        #[arg(long)]
        port: Option<String>,
        /// Map a hostname to an address: HOST=ADDRESS (repeatable); the playground does not
        /// resolve names.
        #[arg(long = "host")]
        hosts: Vec<String>,
        /// The ingress controller's pods (NAMESPACE/NAME, repeatable), when they are not
        /// recognised from their labels (ingress-nginx, Traefik, HAProxy).
        #[arg(long = "ingress-controller")]
        ingress_controller: Vec<String>,
        /// Node addresses: NodePort/LoadBalancer traffic is SNATed to the first one
        /// (unless externalTrafficPolicy: Local).
        #[arg(long, default_value = "192.168.0.0/24")]
        node_cidr: String,
        /// TCP, UDP, SCTP or ICMP.
        #[arg(long, default_value = "TCP")]
        protocol: String,
        /// When the connection is denied by NetworkPolicy: print the NetworkPolicy that
        /// would allow it on each denying side (YAML to append to the manifests).
        #[arg(long)]
        fix: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The truth table for one port and protocol.
    Matrix {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, default_value = "80")]
        port: String,
        #[arg(long, default_value = "TCP")]
        protocol: String,
        /// Add an external address as a row and column (repeatable).
        #[arg(long = "ip")]
        ips: Vec<IpAddr>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Refuse matrices with more endpoints than this (the work and output grow with
        /// the square: 20,000 endpoints are 400 million cells).
        #[arg(long, default_value_t = 20_000)]
        max_endpoints: usize,
    },
    /// Every pair with its allowed connections (e.g. `TCP 80,443; UDP 53`).
    Connlist {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long = "ip")]
        ips: Vec<IpAddr>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Diagnostics and lints.
    Lint {
        #[command(flatten)]
        inputs: Inputs,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Run scenario files; exit 1 when any expectation fails.
    Test {
        /// Scenario files or directories (read recursively).
        #[arg(required = true)]
        scenarios: Vec<String>,
        /// Write a JUnit XML report.
        #[arg(long)]
        junit: Option<String>,
        /// Language of explanations: en or es.
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn parse_protocol(s: &str) -> Result<QueryProtocol, String> {
    QueryProtocol::parse(s)
        .ok_or_else(|| format!("unknown protocol `{s}`; use TCP, UDP, SCTP or ICMP"))
}

fn lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}`; use en or es"))
}

/// A decision as pretty JSON, or its explanation lines with where each named policy is.
fn print_decision(
    out: &mut impl Write,
    format: Format,
    decision: &impl serde::Serialize,
    set: &input::InputSet,
    lines: impl FnOnce() -> Vec<String>,
) -> Result<(), String> {
    let text = match format {
        Format::Json => serde_json::to_string_pretty(decision).map_err(|e| e.to_string())?,
        _ => set.with_positions(&lines()).join("\n"),
    };
    writeln!(out, "{text}").map_err(|e| e.to_string())
}

/// `--fix`: each suggested NetworkPolicy as a YAML document with a comment heading.
fn print_fixes(out: &mut impl Write, fixes: &[netpol::fix::Fix], lang: Lang) -> Result<(), String> {
    for f in fixes {
        let what = netpol::explain::fix_title(f, lang);
        writeln!(out, "\n# {what}\n---\n{}", f.yaml).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn run(cli: Cli) -> Result<u8, String> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Query {
            inputs,
            from,
            to,
            port,
            hosts,
            ingress_controller,
            node_cidr,
            protocol,
            fix,
            format,
        } => {
            let lang = lang(&inputs.lang)?;
            let set = input::load_reporting_errors(&inputs)?;
            let engine = Engine::new(&set.loaded.cluster);
            let mut opts = netpol::services::Options {
                node_cidr: node_cidr.parse().map_err(|_| {
                    format!("invalid `--node-cidr` `{node_cidr}`: expected a CIDR such as 192.168.0.0/24")
                })?,
                ingress_controller,
                ..Default::default()
            };
            for h in &hosts {
                opts.add_host(h)?;
            }
            let cluster = &set.loaded.cluster;
            let extended = netpol::services::is_extended(cluster, &from)
                || to
                    .as_deref()
                    .is_none_or(|t| netpol::services::is_extended(cluster, t));
            if extended {
                let protocol = parse_protocol(&protocol)?;
                let port = port.as_deref().map(PortQuery::parse);
                let d = netpol::services::query(
                    &engine,
                    &from,
                    to.as_deref(),
                    protocol,
                    port.as_ref(),
                    &opts,
                );
                print_decision(&mut out, format, &d, &set, || {
                    netpol::services::explain(&d, lang)
                })?;
                if fix {
                    // Over every denied backend; replicas of one workload need one policy.
                    let mut fixes: Vec<netpol::fix::Fix> = Vec::new();
                    for dec in d.backends.iter().filter_map(|b| b.decision.as_ref()) {
                        if let (Ok(f), Ok(t)) = (engine.resolve(&dec.from), engine.resolve(&dec.to))
                        {
                            for x in netpol::fix::suggest(&engine, dec, f, t) {
                                if !fixes.iter().any(|g| g.yaml == x.yaml) {
                                    fixes.push(x);
                                }
                            }
                        }
                    }
                    print_fixes(&mut out, &fixes, lang)?;
                }
                return Ok(if d.outcome == netpol::services::Outcome::Unknown {
                    2
                } else {
                    0
                });
            }
            let to = to.unwrap_or_default();
            let f = engine.resolve(&from)?;
            let t = engine.resolve(&to)?;
            let protocol = parse_protocol(&protocol)?;
            if port.is_none() && protocol != QueryProtocol::ICMP {
                let conns = engine.connections(f, t);
                match format {
                    Format::Json => writeln!(out, "{}", serde_json::json!({"from": engine.name(f), "to": engine.name(t), "connections": conns.to_string()})),
                    _ => writeln!(out, "{} -> {}: {conns}", engine.name(f), engine.name(t)),
                }
                .map_err(|e| e.to_string())?;
                return Ok(0);
            }
            let port = port.as_deref().map(PortQuery::parse);
            let d = engine.query(f, t, protocol, port.as_ref());
            print_decision(&mut out, format, &d, &set, || {
                netpol::explain::explain(&d, lang)
            })?;
            if fix {
                print_fixes(&mut out, &netpol::fix::suggest(&engine, &d, f, t), lang)?;
            }
            Ok(if d.verdict == netpol::Verdict::Unknown {
                2
            } else {
                0
            })
        }
        Command::Matrix {
            inputs,
            port,
            protocol,
            ips,
            format,
            max_endpoints,
        } => {
            let set = input::load_reporting_errors(&inputs)?;
            let count = set.loaded.cluster.endpoints.len() + ips.len();
            if count > max_endpoints {
                return Err(format!(
                    "the matrix would have {count} endpoints ({count}x{count} cells), over the limit of {max_endpoints}; \
                     query the pairs you need, use `connlist`, or raise `--max-endpoints`"
                ));
            }
            let engine = Engine::new(&set.loaded.cluster);
            let m = engine.matrix(parse_protocol(&protocol)?, &PortQuery::parse(&port), &ips);
            match format {
                Format::Json => {
                    let mut w = std::io::BufWriter::new(&mut out);
                    render::matrix_json(&m, &mut w).map_err(|e| e.to_string())?;
                    w.flush().map_err(|e| e.to_string())?;
                }
                _ => write!(out, "{}", render::matrix(&m, format)).map_err(|e| e.to_string())?,
            }
            Ok(0)
        }
        Command::Connlist {
            inputs,
            ips,
            format,
        } => {
            let set = input::load_reporting_errors(&inputs)?;
            let engine = Engine::new(&set.loaded.cluster);
            write!(out, "{}", render::connlist(&engine, &ips, format))
                .map_err(|e| e.to_string())?;
            Ok(0)
        }
        Command::Lint { inputs, format } => {
            let set = input::load(&inputs)?;
            let mut diags = set.loaded.diagnostics.clone();
            diags.extend(netpol::lint::lint(&set.loaded.cluster));
            let errors = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            match format {
                Format::Json => {
                    let items: Vec<serde_json::Value> =
                        diags.iter().map(|d| set.diagnostic_json(d)).collect();
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?
                    )
                    .map_err(|e| e.to_string())?;
                }
                _ => {
                    for d in &diags {
                        writeln!(out, "{}", set.format_diagnostic(d)).map_err(|e| e.to_string())?;
                    }
                    let warnings = diags
                        .iter()
                        .filter(|d| d.severity == Severity::Warning)
                        .count();
                    writeln!(out, "{errors} error(s), {warnings} warning(s)")
                        .map_err(|e| e.to_string())?;
                }
            }
            Ok(u8::from(errors > 0))
        }
        Command::Test {
            scenarios,
            junit,
            lang: l,
        } => test_cmd::run(&scenarios, junit.as_deref(), lang(&l)?),
    }
}
