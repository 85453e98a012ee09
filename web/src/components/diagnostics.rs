use yew::prelude::*;

use super::use_results;
use crate::i18n::tr;
use crate::state::Action;

/// Load diagnostics and lints with line:column; a click selects the range in the editor
/// (whose inline diagnostics offer "Show in Problems" back to the entry, `data-index`).
#[component]
pub fn Diagnostics() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let diags = &store.base.diagnostics;
    let items: Html = diags
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let (start, end) = (d.start, d.end);
            let onclick = {
                let store = store.clone();
                Callback::from(move |_| store.dispatch(Action::Select(start, end)))
            };
            // In a workspace of files: the file and the line in it.
            let pos = match crate::codemirror::locate(start as u32) {
                Some((file, first)) => {
                    format!("{file}:{}:{}", (d.line + 1).saturating_sub(first as usize).max(1), d.col)
                }
                None => format!("{}:{}", d.line, d.col),
            };
            let [error, warning, info] = t.severities;
            let (class, icon, severity) = match d.severity.as_str() {
                "error" => ("diag error", "✗", error),
                "warning" => ("diag warning", "⚠", warning),
                _ => ("diag info", "ℹ", info),
            };
            html! {
                <li>
                    <button type="button" class={class} {onclick} data-line={d.line.to_string()} data-code={d.code.clone()}
                        data-index={i.to_string()} data-from={d.start.to_string()} data-to={d.end.to_string()}>
                        <span class="diag-icon" aria-hidden="true">{ icon }</span>
                        <span class="diag-pos">{ pos }</span>
                        <span class="diag-sev">{ severity }</span>
                        <span class="diag-msg">
                            { &d.message }
                            if let Some(o) = &d.object { <span class="diag-obj">{ format!(" ({o})") }</span> }
                            if let Some(h) = &d.help { <span class="diag-help">{ format!(" — {h}") }</span> }
                        </span>
                    </button>
                </li>
            }
        })
        .collect();
    html! {
        <div class="diagnostics" id="diagnostics">
            <h2 class="pane-title">{ format!("{} ({})", t.diagnostics, diags.len()) }</h2>
            if diags.is_empty() {
                <p class="ok">{ t.no_problems }</p>
            } else {
                <ul>{ items }</ul>
            }
        </div>
    }
}
