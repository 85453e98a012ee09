//! One decision as the page shows it: each side's steps through the tiers, the rules and
//! policies as links into the text, the fixes and rule edits, the routed (Service) answers.

use super::*;

/// Asks the analysis (the one dispatch lives in `netpol::Analysis::ask`).
pub(super) fn outcome(
    core: &netpol::Analysis,
    text: &str,
    q: &Query,
    opts: &netpol::services::Options,
    lang: netpol::Lang,
    t: &Tr,
) -> OutcomeView {
    let protocol = q.protocol();
    let p = q.port.trim();
    let port = (protocol != QueryProtocol::ICMP && !p.is_empty()).then(|| PortQuery::parse(p));
    let question = netpol::Question::new(&q.from, &q.to, protocol, port);
    match core.ask(&question, opts) {
        netpol::Answer::Decision(d) => {
            let fixes = core.fixes_for([&*d]);
            let mut view = decision(&d, &fixes, lang, t);
            view.edits = rule_edits(core, &d, text, t);
            OutcomeView::Decision(Box::new(view))
        }
        netpol::Answer::Routed(d) => {
            let fixes = core.fixes_for(d.decisions());
            OutcomeView::Service(Box::new(service(&d, &fixes, lang, t)))
        }
        netpol::Answer::Invalid(e) => OutcomeView::Error(e),
        netpol::Answer::Connections { .. } => {
            OutcomeView::Error("a port is needed for TCP, UDP and SCTP".into())
        }
    }
}

/// The connection `q` step by step (`netpol::trace`): a decision, or a routed one with a
/// single leg (an address that is a pod, a Service with one backend).
pub(super) fn steps(
    core: &netpol::Analysis,
    text: &str,
    q: &Query,
    opts: &netpol::services::Options,
    lang: netpol::Lang,
    t: &Tr,
) -> StepsView {
    let protocol = q.protocol();
    let p = q.port.trim();
    let port = (protocol != QueryProtocol::ICMP && !p.is_empty()).then(|| PortQuery::parse(p));
    let conn = match (protocol, p) {
        (QueryProtocol::ICMP, _) => "ICMP (ping)".to_string(),
        (_, "") => q.protocol.clone(),
        (_, p) => format!("{} {p}", q.protocol),
    };
    let mut out = StepsView {
        verdict: "unknown".into(),
        title: format!("`{}` → `{}` · {conn}", q.from, q.to),
        ..StepsView::default()
    };
    let answer = core.ask(&netpol::Question::new(&q.from, &q.to, protocol, port), opts);
    let d = match &answer {
        netpol::Answer::Decision(d) => Some(&**d),
        netpol::Answer::Routed(r) => {
            let mut ds = r.decisions();
            match (ds.next(), ds.next()) {
                (Some(d), None) => Some(d),
                _ => None,
            }
        }
        _ => None,
    };
    let Some((d, trace)) = d.and_then(|d| Some((d, netpol::trace::trace(core.engine(), d)?)))
    else {
        out.error = Some(match &answer {
            netpol::Answer::Invalid(e) => e.clone(),
            netpol::Answer::Routed(_) => t.steps_routed.to_string(),
            _ => t.cannot_evaluate.to_string(),
        });
        return out;
    };
    for (i, (side, title)) in [
        (&trace.egress, t.egress_side),
        (&trace.ingress, t.ingress_side),
    ]
    .into_iter()
    .enumerate()
    {
        out.sides.push(format!("{title}: `{}`", side.endpoint));
        out.steps.extend(side.steps.iter().map(|s| StepView {
            side: i as u8,
            depth: s.depth,
            ok: s.ok,
            text: netpol::words::trace::words(s, side.direction, lang),
            // The page's text is one source: the core's byte ranges are into it. A node's
            // range may run over the line break and indentation after it: not marked.
            range: s.location.as_ref().map(|l| {
                let end = text
                    .get(l.range.clone())
                    .map_or(l.range.end, |r| l.range.start + r.trim_end().len());
                (pos(l.range.start) as u32, pos(end) as u32)
            }),
        }));
    }
    // The last step: both sides together, which is the evaluator's verdict.
    let allows = trace.allows();
    out.verdict = if allows { "allowed" } else { "denied" }.into();
    debug_assert_eq!(allows, d.verdict == Verdict::Allowed);
    out.steps.push(StepView {
        side: 2,
        depth: 0,
        ok: allows,
        text: format!(
            "{}: {}",
            t.steps_verdict,
            explain::verdict_word(d.verdict, lang)
        ),
        range: None,
    });
    out
}

pub(super) fn link(label: String, range: &std::ops::Range<usize>) -> Link {
    Link {
        label,
        start: pos(range.start),
        end: pos(range.end),
    }
}

pub(super) fn policy_link(p: &PolicyRef) -> Link {
    link(format!("{}/{}", p.namespace, p.name), &p.location.range)
}

pub(super) fn rule_link(r: &RuleRef) -> Link {
    link(explain::rule_label(r), &r.location.range)
}

/// Which way a step of the tier chain went: `allow`, `deny` or `pass` (evaluation goes on).
pub(super) fn step_effect(o: StepOutcome) -> &'static str {
    use netpol::tiers::calico::CalicoAction;
    let allow = |b: Option<bool>| match b {
        Some(true) => "allow",
        Some(false) => "deny",
        None => "pass",
    };
    match o {
        StepOutcome::Matched(a) => allow(a.decision()),
        StepOutcome::NpAllowed | StepOutcome::DefaultAllow => "allow",
        StepOutcome::NpDenied => "deny",
        StepOutcome::NoRuleMatched | StepOutcome::NpNotIsolated => "pass",
        StepOutcome::CalicoMatched(a) | StepOutcome::TierDefault(a) => match a {
            CalicoAction::Allow => "allow",
            CalicoAction::Deny => "deny",
            CalicoAction::Pass | CalicoAction::Log => "pass",
        },
    }
}

pub(super) fn tier_name(t: &Tr, tier: StepTier) -> &'static str {
    match tier {
        StepTier::Admin => t.tier_admin,
        StepTier::NetworkPolicy => t.tier_np,
        StepTier::Baseline => t.tier_baseline,
        StepTier::Default => t.tier_default,
        StepTier::Calico => t.tier_calico,
    }
}

pub(super) fn step(t: &Tr, side: &Side, lang: netpol::Lang, step: &TierStep) -> StepData {
    // `[policy] what it did`: the policy becomes a button, the rest stays text.
    let words = explain::tier_step(step, side.direction, lang)
        .unwrap_or_else(|| t.step_default_allow.to_string());
    let what = match words.strip_prefix('[').and_then(|w| w.split_once("] ")) {
        Some((_, rest)) => rest.to_string(),
        None => words.clone(),
    };
    let policy = match (&step.location, &step.policy) {
        (Some(loc), Some(p)) => StepPolicy::Link(link(p.clone(), &loc.range)),
        // NetworkPolicy steps name the isolating policies: the side lists them.
        (None, Some(_)) if step.tier == StepTier::NetworkPolicy => StepPolicy::Isolating,
        (None, Some(p)) => StepPolicy::Code(p.clone()),
        _ => StepPolicy::None,
    };
    StepData {
        tier: format!("{:?}", step.tier),
        tier_label: tier_name(t, step.tier).to_string(),
        effect: step_effect(step.outcome).to_string(),
        policy,
        what,
    }
}

pub(super) fn side(t: &Tr, side: &Side, lang: netpol::Lang) -> SideData {
    // The whole chain decides (an AdminNetworkPolicy can deny a pod no NetworkPolicy
    // isolates); `side.verdict` is only the NetworkPolicy tier's result.
    let ok = side.allows();
    let summary = match side.tiers.last() {
        Some(last) => match last.tier {
            StepTier::Admin => t.decided_admin,
            StepTier::NetworkPolicy => t.decided_np,
            StepTier::Baseline => t.decided_baseline,
            StepTier::Default => t.decided_default,
            StepTier::Calico => t.decided_calico,
        },
        None => match side.verdict {
            SideVerdict::NotIsolated => t.not_isolated,
            SideVerdict::AllowedByRule => t.rule_allows,
            SideVerdict::NoRuleMatched => t.no_rule,
            SideVerdict::NotApplicable => t.not_applicable,
        },
    };
    // The evaluator's own words for each near miss: `- RULE: why`, in order.
    let reasons: Vec<String> = explain::explain_side(side, lang)
        .into_iter()
        .filter_map(|l| {
            l.trim_start().strip_prefix("- ").map(|r| {
                r.split_once(": ")
                    .map_or(r.to_string(), |(_, w)| w.to_string())
            })
        })
        .collect();
    let egress = side.direction == Direction::Egress;
    SideData {
        id: if egress {
            "side-egress"
        } else {
            "side-ingress"
        }
        .to_string(),
        egress,
        endpoint: side.endpoint.clone(),
        ok,
        summary: summary.to_string(),
        steps: side.tiers.iter().map(|s| step(t, side, lang, s)).collect(),
        final_word: explain::verdict_word(
            if ok {
                Verdict::Allowed
            } else {
                Verdict::Denied
            },
            lang,
        )
        .to_string(),
        isolated_by: side.isolated_by.iter().map(policy_link).collect(),
        allowed_by: side.allowed_by.iter().map(rule_link).collect(),
        near: side
            .near_misses
            .iter()
            .zip(reasons)
            .map(|(m, why)| (rule_link(&m.rule), why))
            .collect(),
    }
}

pub(super) fn sides(t: &Tr, d: &Decision, lang: netpol::Lang) -> Vec<SideData> {
    vec![side(t, &d.egress, lang), side(t, &d.ingress, lang)]
}

pub(super) fn fixes(fixes: &[netpol::fix::Fix], lang: netpol::Lang) -> Vec<FixData> {
    fixes
        .iter()
        .map(|f| FixData {
            title: explain::fix_title(f, lang),
            yaml: f.yaml.clone(),
        })
        .collect()
}

/// The smallest edits of existing rules that would allow `d`, as diffs of `text` (the
/// current text, which the rules' locations are in).
pub(super) fn rule_edits(
    core: &netpol::Analysis,
    d: &Decision,
    text: &str,
    t: &Tr,
) -> Vec<EditData> {
    use netpol::fix::Change;
    netpol::fix::rule_changes(core.engine(), d, d.source, d.destination)
        .iter()
        .filter_map(|c| {
            let e = netpol::quickfix::rule_edit(text, c)?;
            let diff = netpol::quickfix::line_diff(text, &e)?;
            let policy = format!("{}/{}", c.rule.policy.namespace, c.rule.policy.name);
            let field = match c.rule.direction {
                netpol::Direction::Ingress => "ingress",
                netpol::Direction::Egress => "egress",
            };
            let rule = format!("spec.{field}[{}]", c.rule.rule);
            let (template, note) = match &c.change {
                Change::AddPeer(_) => (t.edit_add_peer, None),
                Change::AddPort(_) => (t.edit_add_port, Some(t.edit_port_note.to_string())),
                Change::SelectNamespace { .. } => (t.edit_select_namespace, None),
            };
            Some(EditData {
                title: crate::i18n::fill(template, 0, &policy, &rule),
                note,
                line: diff.line as u32,
                removed: diff.removed,
                added: diff.added,
                from: pos(e.range.start) as u32,
                to: pos(e.range.end) as u32,
                insert: e.insert,
            })
        })
        .collect()
}

pub(super) fn decision(
    d: &Decision,
    f: &[netpol::fix::Fix],
    lang: netpol::Lang,
    t: &Tr,
) -> DecisionData {
    let verdict = match d.verdict {
        Verdict::Allowed => "allowed",
        Verdict::Denied => "denied",
        Verdict::Unknown => "unknown",
    };
    DecisionData {
        verdict: verdict.to_string(),
        verdict_word: explain::verdict_word(d.verdict, lang).to_string(),
        from: d.from.clone(),
        to: d.to.clone(),
        connection: explain::connection_label(d),
        error: d.error.clone(),
        self_traffic: d.self_traffic,
        sides: sides(t, d, lang),
        fixes: fixes(f, lang),
        edits: Vec::new(),
        caveats: d
            .caveats
            .iter()
            .map(|c| explain::caveat(c, lang).to_string())
            .collect(),
        words: explain::explain(d, lang),
    }
}

pub(super) fn service(
    d: &netpol::services::ServiceDecision,
    f: &[netpol::fix::Fix],
    lang: netpol::Lang,
    t: &Tr,
) -> ServiceData {
    use netpol::services::Via;
    use netpol::words::services;
    let direct = d.via == Via::Direct;
    let direct_sides = direct
        .then(|| d.backends.first().and_then(|b| b.decision.as_ref()))
        .flatten()
        .filter(|dec| !dec.self_traffic)
        .map(|dec| sides(t, dec, lang));
    let backends = d
        .backends
        .iter()
        .map(|b| BackendData {
            ok: b.verdict == Verdict::Allowed,
            pod: b.pod.clone(),
            verdict_word: explain::verdict_word(b.verdict, lang).to_string(),
            // A hairpin leg (back to the source through the Service) is decided by the
            // cluster-scoped tiers: show its sides.
            sides: b
                .decision
                .as_ref()
                .filter(|dec| (!dec.self_traffic || dec.hairpin) && dec.error.is_none())
                .map(|dec| sides(t, dec, lang)),
        })
        .collect();
    ServiceData {
        outcome: d.outcome.as_str().to_string(),
        outcome_word: services::outcome_word(d.outcome, lang).to_string(),
        headline: services::headline(d, lang),
        error: d.error.clone(),
        notes: d
            .notes
            .iter()
            .map(|n| services::note(n, lang).to_string())
            .collect(),
        direct: direct && d.backends.first().is_some_and(|b| b.decision.is_some()),
        direct_sides,
        backends,
        fixes: fixes(f, lang),
        words: services::explain(d, lang),
    }
}
