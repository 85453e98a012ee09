//! The commands that read policies for review and teaching: `lint` (and `--explain`),
//! `diff`, `exposure` and `test`.

use super::*;

pub(super) fn cmd_lint(args: LintArgs) -> Result<u8, String> {
    let LintArgs {
        inputs,
        format,
        explain,
        list_rules,
        docs_url,
    } = args;
    if explain.is_some() || list_rules {
        return explain_lint(explain.as_deref().unwrap_or(""), format, &inputs.lang);
    }
    let emitter = emit::for_report(format, Report::Lint)?;
    // `lint` has always accepted any `--lang` (an unknown one is English).
    let lang = Lang::parse(&inputs.lang).unwrap_or_default();
    let set = input::load(&inputs)?;
    let mut diags = set.analysis.diagnostics().to_vec();
    // The lints' messages and help in `--lang` (English by default, in every
    // format); their codes, severities and places are the same in both.
    diags.extend(set.analysis.lints_in(lang).iter().cloned());
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = stdout(format);
    emitter
        .diagnostics(
            &mut out,
            &diags,
            &Ctx {
                set: &set,
                lang,
                docs_url: &docs_url,
            },
        )
        .map_err(io)?;
    out.flush().map_err(io)?;
    Ok(u8::from(errors > 0))
}

pub(super) fn cmd_diff(args: DiffArgs) -> Result<u8, String> {
    let DiffArgs {
        before,
        after,
        format,
        by,
        ips,
        pod_cidr,
        lang: l,
        exit_code,
        conn_style,
        limits,
    } = args;
    let emitter = conn_style.emitter(format, Report::Diff)?;
    np_guard_by_workload(conn_style, by)?;
    let lang = lang(&l)?;
    if before == "-" && after == "-" {
        return Err("only one of BEFORE and AFTER can be `-` (stdin)".into());
    }
    let side = |f: &str| {
        input::load_reporting_errors(&Inputs {
            files: vec![f.to_string()],
            pod_cidr: pod_cidr.clone(),
            lang: l.clone(),
            limits: limits.clone(),
        })
    };
    let b = side(&before)?;
    let a = side(&after)?;
    let ips_b = outside_addresses(b.analysis.cluster(), &ips)?;
    let ips_a = outside_addresses(a.analysis.cluster(), &ips)?;
    let causes = netpol::diff::Causes::new(b.analysis.engine(), a.analysis.engine());
    let mut out = stdout(format);
    let counts = match by {
        By::Pod => {
            let conns_b = netpol::diff::PodConnectivity::new(b.analysis.engine(), &ips_b);
            let conns_a = netpol::diff::PodConnectivity::new(a.analysis.engine(), &ips_a);
            let ctx = emit::DiffCtx {
                sets: [&b, &a],
                conns: [&conns_b, &conns_a],
                causes: &causes,
                lang,
            };
            let mut pairs = netpol::diff::diff_with_causes(&conns_b, &conns_a, &causes);
            emitter.diff(&mut out, &ctx, &mut pairs).map_err(io)?
        }
        By::Workload => {
            let (cb, ca) = (b.analysis.cluster(), a.analysis.cluster());
            let view_b = netpol::WorkloadView::cut_also_by(b.analysis.engine(), &ips_b, &[ca]);
            let view_a = netpol::WorkloadView::cut_also_by(a.analysis.engine(), &ips_a, &[cb]);
            let conns_b = netpol::diff::WorkloadConnectivity::new(&view_b);
            let conns_a = netpol::diff::WorkloadConnectivity::new(&view_a);
            let ctx = emit::DiffCtx {
                sets: [&b, &a],
                conns: [&conns_b, &conns_a],
                causes: &causes,
                lang,
            };
            let merged = netpol::diff::workload_pairs(&view_b, &view_a, &causes);
            emitter
                .diff(&mut out, &ctx, &mut merged.into_iter())
                .map_err(io)?
        }
    };
    out.flush().map_err(io)?;
    Ok(u8::from(exit_code && counts.total() > 0))
}

pub(super) fn cmd_exposure(args: ExposureArgs) -> Result<u8, String> {
    let ExposureArgs {
        inputs,
        focus,
        format,
    } = args;
    let emitter = emit::for_report(format, Report::Exposure)?;
    let lang = lang(&inputs.lang)?;
    let set = input::load_reporting_errors(&inputs)?;
    let report = set.analysis.exposure(focus.as_deref())?;
    let mut out = stdout(format);
    let ctx = Ctx {
        set: &set,
        lang,
        docs_url: emit::DOCS_URL,
    };
    emitter.exposure(&mut out, &report, &ctx).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(0)
}

pub(super) fn cmd_test(args: TestArgs) -> Result<u8, String> {
    let TestArgs {
        scenarios,
        submission,
        junit,
        format,
        lang: l,
        limits,
    } = args;
    emit::for_report(format, Report::Test)?;
    test_cmd::run(
        &scenarios,
        &submission,
        junit.as_deref(),
        format,
        lang(&l)?,
        &limits.limits()?,
    )
}

/// `netpol lint --explain [CODE]`: one lint's entry of the registry, or the list of all.
fn explain_lint(code: &str, format: Format, l: &str) -> Result<u8, String> {
    if format != Format::Text {
        return Err("`--explain` and `--list-rules` print text only".into());
    }
    let lang = lang(l)?;
    let text = if code.is_empty() {
        netpol::lint::registry::list(lang)
    } else {
        netpol::lint::explain(code, lang).ok_or_else(|| {
            let codes = netpol::lint::registry().map(|r| r.code.as_str());
            match netpol::diag::did_you_mean(code, codes) {
                Some(m) => format!("unknown lint `{code}`; did you mean `{m}`?"),
                None => format!("unknown lint `{code}`; `netpol lint --explain` lists them"),
            }
        })?
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(0)
}
