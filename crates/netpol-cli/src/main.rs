//! `netpol`: query, matrix, connlist, lint and test Kubernetes NetworkPolicies.
//!
//! This is an edge: it reads files, converts byte ranges to file:line:col, renders text,
//! JSON, CSV or Markdown, and sets exit codes (0 ok, 1 test failures or lint errors,
//! 2 bad input or usage).

// The CLI reads whatever files it is given: no unwrap/expect/panic!, no indexing or
// slicing that can go out of bounds, outside tests (as in the evaluator and the page).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable,
        clippy::indexing_slicing,
        clippy::string_slice,
        clippy::too_many_lines
    )
)]

mod commands;
mod emit;
mod escape;
mod exercise_cmd;
mod input;
mod patch;
mod schema;
mod support;
mod test_cmd;
mod words;

use std::io::{BufWriter, Write};
use std::net::IpAddr;
use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use netpol::eval::PortQuery;
use netpol::services::Outcome;
use netpol::Limits;
use netpol::{Answer, Lang, QueryProtocol, Question, Severity};

use emit::{By, ConnStyle, Ctx, Format, Report};
use escape::{eprintln_safe, Mode, Sanitize};

use commands::{cmd_diff, cmd_exposure, cmd_lint, cmd_test};
use support::*;

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
  netpol connlist cluster.yaml policies/ --focus shop/web --format dot | dot -Tsvg > web.svg
  netpol connlist cluster.yaml policies/ --by pod --format json
  netpol connlist cluster.yaml policies/ --conn-style np-guard
  netpol diff before/ after/ --format md --exit-code
  netpol diff before/ after/ --conn-style np-guard --format csv
  netpol exposure cluster.yaml policies/ --focus shop/web --lang es
  netpol lint cluster.yaml policies/
  kubectl get ns,pods,netpol -A -o yaml | netpol lint -
  netpol lint --explain selector-matches-nothing --lang es
  netpol lint manifests/ --format sarif > netpol.sarif
  netpol lint manifests/ --format github
  netpol test tests/ examples/ --junit report.xml
  netpol test tests/ --format tap
  netpol test examples/exercises/01-egress-default-deny.yaml --submission my-work/ --lang es";

#[derive(Parser)]
#[command(name = "netpol", version, about = "Kubernetes NetworkPolicy evaluator: every verdict explained", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    #[command(flatten)]
    limits: LimitArgs,
}

/// The input limits (`netpol::Limits`); the defaults fit a real cluster dump
/// (`input::cli_limits`), each can be raised.
#[derive(clap::Args, Clone, Default)]
struct LimitArgs {
    /// Refuse input larger than this in all (files and stdin together): a number of
    /// bytes, or with KiB, MiB, GiB (K, M, G) [default: 1GiB].
    #[arg(long, value_parser = parse_size, help_heading = "Input limits")]
    max_input_bytes: Option<u64>,
    /// Refuse more documents than this in one source [default: 1000000].
    #[arg(long, help_heading = "Input limits")]
    max_documents: Option<usize>,
    /// Refuse a document with more YAML nodes than this (aliases expanded) [default: 64000000].
    #[arg(long, help_heading = "Input limits")]
    max_nodes: Option<usize>,
    /// Refuse input with more YAML nodes than this in all [default: 64000000].
    #[arg(long, help_heading = "Input limits")]
    max_total_nodes: Option<usize>,
    /// Refuse input that copies more YAML nodes than this through aliases [default: 4000000].
    #[arg(long, help_heading = "Input limits")]
    max_alias_nodes: Option<usize>,
    /// Refuse nesting deeper than this [default: 64; at most 512: trees are walked
    /// recursively].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=512), help_heading = "Input limits")]
    max_depth: Option<u16>,
    /// List at most this many diagnostics [default: 1000].
    #[arg(long, help_heading = "Input limits")]
    max_diagnostics: Option<usize>,
}

impl LimitArgs {
    fn limits(&self) -> Result<Limits, String> {
        let mut l = input::cli_limits();
        if let Some(n) = self.max_input_bytes {
            l.max_input_bytes = usize::try_from(n)
                .map_err(|_| format!("`--max-input-bytes {n}` is too large for this machine"))?;
        }
        let set = |v: Option<usize>, field: &mut usize| {
            if let Some(v) = v {
                *field = v;
            }
        };
        set(self.max_documents, &mut l.max_documents);
        set(self.max_nodes, &mut l.max_nodes);
        set(self.max_total_nodes, &mut l.max_total_nodes);
        set(self.max_alias_nodes, &mut l.max_alias_nodes);
        set(self.max_depth.map(usize::from), &mut l.max_depth);
        set(self.max_diagnostics, &mut l.max_diagnostics);
        Ok(l)
    }
}

/// `1048576`, `900K`, `16MiB`, `2 GiB`.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size: a number of bytes, or with KiB, MiB, GiB"))?;
    let mult: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "KiB" | "k" | "KB" => 1 << 10,
        "M" | "MiB" | "MB" => 1 << 20,
        "G" | "GiB" | "GB" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`: use KiB, MiB or GiB")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// A `--port`: a number from 1 to 65535 or a port name; anything else (0, 70000, an
/// empty string) is a usage error, never a silent "could not evaluate".
fn parse_port(s: &str) -> Result<PortQuery, String> {
    netpol::scenario::parse_port(s).map_err(|e| format!("invalid `--port`: {e}"))
}

#[derive(Subcommand)]
enum Command {
    /// Decide one connection and explain it.
    Query(QueryArgs),
    /// The truth table for one port and protocol.
    Matrix(MatrixArgs),
    /// Every pair with its allowed connections (e.g. `TCP 80,443; UDP 53`).
    ///
    /// By workload (the default), as np-guard's netpol-analyzer lists them:
    /// `default/frontend[Deployment] => default/backend[Deployment] : TCP 8080`. A group
    /// is the workload owning the pods (or a bare `[Pod]`, or a workload whose pods were
    /// not pasted), its replicas collapsed; addresses outside the cluster are ranges
    /// (`0.0.0.0-255.255.255.255[External]`) cut at every CIDR and `except` of the
    /// policies and at each `--ip`. Only pairs with some connection are listed, never a
    /// workload to itself or a range to a range. When a workload's pods differ in what
    /// the policies see (a rolling update), a note on stderr says how; its lines are
    /// what some of its pods get. By pod: every ordered pair of endpoints, as before.
    Connlist(ConnlistArgs),
    /// Diagnostics and lints.
    #[command(mut_arg("files", |a| a.required(false).required_unless_present_any(["explain", "list_rules"])))]
    Lint(LintArgs),
    /// The connectivity diff between two versions: every pair whose allowed
    /// connections differ (added, removed, changed), and why.
    Diff(DiffArgs),
    /// Who could reach each workload, and whom it could reach, beyond the objects in
    /// the input: the rules whose peers would also match pods, namespaces or addresses
    /// that were not pasted (`namespaceSelector: {}`, a label a new namespace could
    /// carry, `ipBlock 0.0.0.0/0`), and workloads no policy isolates.
    Exposure(ExposureArgs),
    /// Run scenario files; exit 1 when any expectation fails. An exercise (a scenario
    /// with `exercise:`) is graded: on `--submission` when given, else on its reference
    /// solution.
    Test(TestArgs),
}

// `netpol query`.
#[derive(Args)]
struct QueryArgs {
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
    /// When the connection is denied by NetworkPolicy: print the smallest edit of an
    /// existing rule that would allow it on each denying side (a peer or a port added
    /// to a rule that nearly matched), as a unified diff of the manifest files for
    /// `git apply` or `patch -p1`. Nothing when no rule comes close (see --fix).
    #[arg(long, conflicts_with = "fix")]
    patch: bool,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

// `netpol matrix`.
#[derive(Args)]
struct MatrixArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Port number (1 to 65535) or named port, resolved on each destination (a
    /// destination without it: `?`, could not evaluate).
    #[arg(long, default_value = "80")]
    port: String,
    #[arg(long, default_value = "TCP")]
    protocol: String,
    /// Add an address outside the cluster as a row and column (repeatable); a pod's
    /// address is that pod (no second row).
    #[arg(long = "ip")]
    ips: Vec<IpAddr>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Rows and columns: every pod or workload endpoint by name (the spec's matrix),
    /// or workloads (`ns/name[Deployment]`; a cell is `~` in text, `"partial"` in
    /// JSON, where only some pods of a workload may connect).
    #[arg(long, value_enum, default_value = "pod")]
    by: By,
    /// Refuse matrices with more endpoints than this (the work and output grow with
    /// the square: 20,000 endpoints are 400 million cells).
    #[arg(long, default_value_t = 20_000)]
    max_endpoints: usize,
}

// `netpol connlist`.
#[derive(Args)]
struct ConnlistArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Add an address outside the cluster (repeatable); a pod's address is that pod.
    #[arg(long = "ip")]
    ips: Vec<IpAddr>,
    /// List workloads (with address ranges) or pods (with each `--ip`).
    #[arg(long, value_enum, default_value = "workload")]
    by: By,
    /// Only the connections into and out of one workload: NAMESPACE/NAME (every kind
    /// of that name), NAMESPACE/KIND/NAME, as printed (`default/web[Deployment]`), a
    /// pod's name (its workload; with `--by pod`, that pod), or NAME alone.
    #[arg(long, value_name = "NS/NAME")]
    focus: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Whose text to print: ours (`netpol`), or np-guard's netpol-analyzer's
    /// (`np-guard`: `All Connections`, `SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535`, lines
    /// sorted as strings, `src,dst,conn` columns), to compare with its outputs line for
    /// line; the ingress controller once per controller namespace (`{ingress-nginx}`,
    /// `{openshift-ingress-operator}`); `np-guard-legacy` names ranges
    /// `0.0.0.0-255.255.255.255` (not `...[External]`) and the controller once,
    /// `{ingress-controller}`, as np-guard did before. np-guard has no ICMP: `All
    /// Connections` when TCP, UDP and SCTP are all allowed, ICMP otherwise left out.
    /// Text, json, csv and md (and dot, as np-guard's documentation draws it, with
    /// `np-guard-legacy`), by workload only.
    #[arg(long, value_enum, default_value = "netpol")]
    conn_style: ConnStyle,
}

// `netpol lint`.
#[derive(Args)]
struct LintArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Explain a lint: what it means and an example of the fix (`--lang es`: in
    /// Spanish). Without CODE: list every lint.
    #[arg(long, value_name = "CODE", num_args = 0..=1, default_missing_value = "")]
    explain: Option<String>,
    /// List every lint with its summary (as `--explain` without a code).
    #[arg(long)]
    list_rules: bool,
    /// Where `docs/lints.md` is served, for the SARIF rules' `helpUri` (e.g. the
    /// file's address in your repository host); by default relative to the
    /// repository root.
    #[arg(long, default_value = emit::DOCS_URL)]
    docs_url: String,
}

// `netpol diff`.
#[derive(Args)]
struct DiffArgs {
    /// The manifests before: a file, a directory (read recursively), or `-` (stdin).
    before: String,
    /// The manifests after: a file, a directory, or `-` (one side at most).
    after: String,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// What a row is, as in `connlist`: a workload (`ns/name[Deployment]`, with the
    /// address ranges both versions' policies cut the outside into; adjacent ranges
    /// that changed alike are merged) or a pod (each pod or workload of the input, and
    /// each `--ip`).
    #[arg(long, value_enum, default_value = "workload")]
    by: By,
    /// Add an address outside the cluster (repeatable), on both sides.
    #[arg(long = "ip")]
    ips: Vec<IpAddr>,
    /// Assign addresses to pods without one from this CIDR.
    #[arg(long, default_value = "10.244.0.0/16")]
    pod_cidr: String,
    /// Language of the words: en or es.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Exit 1 when any pair's connections changed (as `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
    /// Whose text to print: ours (`netpol`), or np-guard's netpol-analyzer's
    /// (`np-guard`: `diff-type: changed, source: A, destination: B, ref1: TCP 80, ref2:
    /// TCP 80,443`, no causes; text, csv and md, by workload only; `np-guard-legacy`:
    /// np-guard's earlier names, as in `connlist`). np-guard has no ICMP: a change in
    /// ICMP alone is no np-guard line.
    #[arg(long, value_enum, default_value = "netpol")]
    conn_style: ConnStyle,
    #[command(flatten)]
    limits: LimitArgs,
}

// `netpol exposure`.
#[derive(Args)]
struct ExposureArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Only one workload: NAMESPACE/NAME (every kind of that name),
    /// NAMESPACE/KIND/NAME, as printed (`default/web[Deployment]`), a pod's name (its
    /// workload), or NAME alone.
    #[arg(long, value_name = "NS/NAME")]
    focus: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

// `netpol test`.
#[derive(Args)]
struct TestArgs {
    /// Scenario files or directories (read recursively).
    #[arg(required = true)]
    scenarios: Vec<String>,
    /// A student's work for the exercises given: files or directories (.yaml, .yml,
    /// .json) that replace the starting manifest of the same file name or are added
    /// to the starting manifests. Repeatable.
    #[arg(long, value_name = "PATH")]
    submission: Vec<String>,
    /// Write a JUnit XML report to FILE (besides the `--format` on stdout).
    #[arg(long)]
    junit: Option<String>,
    /// What stdout gets: text, junit (JUnit XML) or tap (TAP version 13); with junit
    /// or tap the failures in words go to stderr.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Language of explanations: en or es.
    #[arg(long, default_value = "en")]
    lang: String,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Installed as `kubectl-netpol`, kubectl runs it for `kubectl netpol ...` (a kubectl
/// plugin): usage and help then say `kubectl netpol`.
fn parse_cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let argv0 = std::env::args_os().next().unwrap_or_default();
    let plugin = Path::new(&argv0)
        .file_stem()
        .is_some_and(|s| s.to_string_lossy() == "kubectl-netpol");
    if !plugin {
        return Cli::parse();
    }
    let cmd = Cli::command()
        .bin_name("kubectl netpol")
        .after_help(EXAMPLES.replace("\n  netpol ", "\n  kubectl netpol "));
    let matches = cmd.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn main() -> ExitCode {
    let cli = parse_cli();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln_safe!("error: {msg}");
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

/// Standard output or error for `format`, buffered, with terminal controls escaped
/// ([`escape`]).
fn sanitized<W: Write>(w: W, format: Format) -> BufWriter<Sanitize<W>> {
    let mode = if matches!(format, Format::Json | Format::Sarif) {
        Mode::Json
    } else {
        Mode::Text
    };
    BufWriter::with_capacity(1 << 16, Sanitize::new(w, mode))
}

fn stdout(format: Format) -> BufWriter<Sanitize<std::io::StdoutLock<'static>>> {
    sanitized(std::io::stdout().lock(), format)
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Query(args) => cmd_query(args),
        Command::Matrix(args) => cmd_matrix(args),
        Command::Connlist(args) => cmd_connlist(args),
        Command::Lint(args) => cmd_lint(args),
        Command::Diff(args) => cmd_diff(args),
        Command::Exposure(args) => cmd_exposure(args),
        Command::Test(args) => cmd_test(args),
    }
}

fn cmd_query(args: QueryArgs) -> Result<u8, String> {
    let QueryArgs {
        inputs,
        from,
        to,
        port,
        hosts,
        ingress_controller,
        node_cidr,
        protocol,
        fix,
        patch,
        format,
    } = args;
    let emitter = emit::for_report(format, Report::Query)?;
    let lang = lang(&inputs.lang)?;
    let protocol = parse_protocol(&protocol)?;
    let port = port.as_deref().map(parse_port).transpose()?;
    let set = input::load_reporting_errors(&inputs)?;
    let opts = service_options(&node_cidr, ingress_controller, &hosts)?;
    let question = Question::new(&from, to.as_deref().unwrap_or(""), protocol, port);
    let answer = set.analysis.ask(&question, &opts);
    if let Answer::Invalid(e) = &answer {
        return Err(e.clone());
    }
    // With --fix, stdout is only YAML: the decision goes to stderr.
    let mut out = stdout(format);
    let mut err = sanitized(std::io::stderr().lock(), format);
    let ctx = Ctx {
        set: &set,
        lang,
        docs_url: emit::DOCS_URL,
    };
    let decision_out: &mut dyn Write = if fix || patch { &mut err } else { &mut out };
    emit::answer(emitter, decision_out, &answer, &ctx).map_err(io)?;
    err.flush().map_err(io)?;
    let code = if patch {
        if matches!(answer, Answer::Connections { .. }) {
            eprintln_safe!("--patch needs a `--port` (or `--protocol ICMP`): no edit");
            2
        } else {
            let p = patch::for_answer(&set, &answer);
            if p.is_empty() {
                eprintln_safe!(
                    "{}",
                    if answer.outcome() == Outcome::Allowed {
                        "nothing to edit: the connection is allowed"
                    } else {
                        "no existing rule comes close: no edit (--fix suggests a new NetworkPolicy)"
                    }
                );
            }
            out.write_all(p.as_bytes()).map_err(io)?;
            0
        }
    } else if !fix {
        0
    } else if matches!(answer, Answer::Connections { .. }) {
        eprintln_safe!("--fix needs a `--port` (or `--protocol ICMP`): no suggestion");
        2
    } else {
        let allowed = answer.outcome() == Outcome::Allowed;
        print_fixes(&mut out, &set.analysis.fixes(&answer), lang, allowed)?;
        0
    };
    out.flush().map_err(io)?;
    Ok(if answer.outcome() == Outcome::Unknown {
        2
    } else {
        code
    })
}

fn cmd_matrix(args: MatrixArgs) -> Result<u8, String> {
    let MatrixArgs {
        inputs,
        port,
        protocol,
        ips,
        format,
        by,
        max_endpoints,
    } = args;
    let emitter = emit::for_report(format, Report::Matrix)?;
    let protocol = parse_protocol(&protocol)?;
    let port = parse_port(&port)?;
    let set = input::load_reporting_errors(&inputs)?;
    let ips = outside_addresses(set.analysis.cluster(), &ips)?;
    // The work is the pod matrix's either way.
    let count = set.analysis.cluster().endpoints.len() + ips.len();
    if count > max_endpoints {
        return Err(format!(
                "the matrix would have {count} endpoints ({count}x{count} cells), over the limit of {max_endpoints}; \
                 query the pairs you need, use `connlist`, or raise `--max-endpoints`"
            ));
    }
    let mut out = stdout(format);
    match by {
        By::Pod => {
            let m = set.analysis.engine().matrix_classes(protocol, &port, &ips);
            emitter.matrix(&mut out, &m).map_err(io)?;
        }
        By::Workload => {
            let view = set.analysis.workloads(&ips);
            split_notes(&view, None, lang(&inputs.lang)?);
            let m = view.matrix(protocol, &port, &ips);
            emitter.workload_matrix(&mut out, &m).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(0)
}

fn cmd_connlist(args: ConnlistArgs) -> Result<u8, String> {
    let ConnlistArgs {
        inputs,
        ips,
        by,
        focus,
        format,
        conn_style,
    } = args;
    let emitter = conn_style.emitter(format, Report::Connlist)?;
    np_guard_by_workload(conn_style, by)?;
    let lang = lang(&inputs.lang)?;
    let set = input::load_reporting_errors(&inputs)?;
    let ips = outside_addresses(set.analysis.cluster(), &ips)?;
    let view = set.analysis.workloads(&ips);
    let focus_groups = focus.as_deref().map(|f| view.find(f)).transpose()?;
    let mut out = stdout(format);
    match by {
        By::Workload => {
            split_notes(&view, focus_groups.as_deref(), lang);
            match &focus_groups {
                Some(f) => emitter.workloads(&mut out, &view, Some(f), &mut view.edges_touching(f)),
                None => emitter.workloads(&mut out, &view, None, &mut view.edges_by_rows()),
            }
            .map_err(io)?;
        }
        By::Pod => {
            let marks = match (&focus, &focus_groups) {
                (Some(text), Some(groups)) => Some(pod_focus(&view, &ips, text.trim(), groups)),
                _ => None,
            };
            let engine = set.analysis.engine();
            emit::connlist(emitter, &mut out, engine, &ips, marks.as_deref()).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(0)
}

/// np-guard lists workloads only: `--conn-style np-guard --by pod` is a usage error.
fn np_guard_by_workload(style: ConnStyle, by: By) -> Result<(), String> {
    if style != ConnStyle::Netpol && by == By::Pod {
        return Err(
            "`--conn-style np-guard` lists workloads, as np-guard does (it has no pod list); drop `--by pod` or use `--conn-style netpol`".into(),
        );
    }
    Ok(())
}
