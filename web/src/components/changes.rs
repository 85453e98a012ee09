use yew::prelude::*;

use super::use_results;
use crate::i18n::changes_tr;
use crate::state::Action;
use crate::wire::ChangesData;

/// The symbol drawn for a change, beside its word (colour is never the only sign).
pub fn symbol(change: &str) -> &'static str {
    match change {
        "added" => "+",
        "removed" => "−",
        _ => "~",
    }
}

/// What changed since the pinned baseline: the objects that differ (each a link to the
/// editor), then the connections that differ by workload with their causes, as
/// `netpol diff --by workload` lists them.
#[component]
pub fn ChangesView() -> Html {
    let store = use_results();
    let ct = changes_tr(store.lang);
    if store.baseline.is_none() {
        return html! { <p class="help" id="changes-help">{ ct.help }</p> };
    }
    let Some(c) = store.data.changes.clone() else {
        return html! { <p class="muted">{ "…" }</p> };
    };
    let ChangesData {
        summary,
        objects,
        pairs,
        more,
        error,
        ..
    } = c;
    if let Some(e) = error {
        return html! { <p class="error">{ e }</p> };
    }
    let object_item = |k: usize| -> Html {
        let Some(o) = objects.get(k) else {
            return html! {};
        };
        let cls = classes!("change-object", format!("change-{}", o.change));
        match &o.link {
            Some(l) => {
                let (start, end) = (l.start, l.end);
                let onclick = {
                    let store = store.clone();
                    Callback::from(move |_| store.dispatch(Action::Select(start, end)))
                };
                html! { <button type="button" class={classes!(cls, "link")} {onclick}>{ o.text.clone() }</button> }
            }
            None => html! { <span class={cls}>{ o.text.clone() }</span> },
        }
    };
    let list: Html = if objects.is_empty() {
        html! { <p class="muted">{ ct.nothing }</p> }
    } else {
        html! {
            <ul class="change-objects">
                { for (0..objects.len()).map(|k| html! { <li>{ object_item(k) }</li> }) }
            </ul>
        }
    };
    let rows: Html = pairs
        .iter()
        .map(|p| {
            let why: Html = p
                .causes
                .iter()
                .map(|&(k, eg, ing)| {
                    let side = match (eg, ing) {
                        (true, true) => format!(" ({}, {})", ct.egress, ct.ingress),
                        (true, false) => format!(" ({})", ct.egress),
                        (false, true) => format!(" ({})", ct.ingress),
                        (false, false) => String::new(),
                    };
                    let title = objects.get(k).map(|o| o.title.clone()).unwrap_or_default();
                    html! { <span class="cause">{ title }<span class="muted">{ side }</span></span> }
                })
                .collect();
            html! {
                <li class={classes!("change-row", format!("change-{}", p.change))} data-from={p.from.clone()} data-to={p.to.clone()}>
                    <div class="change-head">
                        <span class="change-kind"><span class="change-symbol" aria-hidden="true">{ symbol(&p.change) }</span>{ ct.change(&p.change) }</span>
                        <span class="mono change-from">{ p.from.clone() }</span>
                        <span aria-hidden="true">{ " → " }</span>
                        <span class="mono change-to">{ p.to.clone() }</span>
                    </div>
                    <div class="change-sets">
                        <span class="muted">{ format!("{}: ", ct.before) }</span><span class="mono change-before">{ p.before.clone() }</span>
                        <span aria-hidden="true">{ " ⟶ " }</span>
                        <span class="muted">{ format!("{}: ", ct.after) }</span><span class="mono change-after">{ p.after.clone() }</span>
                    </div>
                    <div class="change-why"><span class="muted">{ format!("{}: ", ct.because) }</span>{ why }</div>
                </li>
            }
        })
        .collect();
    html! {
        <div class="changes" id="changes">
            <p class="changes-summary" id="changes-summary"><strong>{ summary }</strong></p>
            <h3>{ ct.objects }</h3>
            { list }
            if !pairs.is_empty() {
                <h3>{ ct.pairs }</h3>
                <ul class="change-pairs" id="change-pairs">{ rows }</ul>
                if more > 0 { <p class="muted">{ ct.more(more) }</p> }
            }
        </div>
    }
}
