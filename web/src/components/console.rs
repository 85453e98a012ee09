//! The simulated console under a lesson row: the command as the tutorial types it and
//! what it would print under the API's verdict, clearly marked as simulated; where the
//! tutorial recorded another outcome, its recording beside it with the reason.

use yew::prelude::*;

use crate::i18n::tr;
use crate::wire::ConsoleView;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub console: ConsoleView,
    pub lang: netpol::Lang,
}

/// A terminal pane: the prompt and command, then the output lines.
fn pane(prompt: &str, command: &str, output: &[String]) -> Html {
    html! {
        <pre class="console-out"><span class="prompt">{ prompt }</span>{ " " }<span class="typed">{ command }</span>{ "\n" }{ output.join("\n") }</pre>
    }
}

#[component]
pub fn ConsoleBlock(p: &ConsoleProps) -> Html {
    let t = tr(p.lang);
    let c = &p.console;
    let differs = c.recorded.as_ref().filter(|r| !r.agrees);
    let agrees = c.recorded.as_ref().filter(|r| r.agrees);
    html! {
        <div class={classes!("console-block", differs.is_some().then_some("differs"))} data-differs={differs.is_some().to_string()}>
            <div class="console-head">
                <span class="badge-simulated">{ t.simulated }</span>
                <span class="console-title">{ t.console_title }</span>
            </div>
            <div class={classes!("console-panes", differs.is_some().then_some("two"))}>
                <figure class="console api">
                    if differs.is_some() { <figcaption>{ t.api_column }</figcaption> }
                    { pane(&c.prompt, &c.command, &c.output) }
                </figure>
                if let Some(r) = differs {
                    <figure class="console recorded">
                        <figcaption>{ if r.claimed { t.tutorial_claims } else { t.tutorial_recorded } }</figcaption>
                        { pane(&c.prompt, &c.command, &r.output) }
                    </figure>
                }
            </div>
            if let Some(note) = differs.and_then(|r| r.note.clone()) {
                <p class="console-why"><strong>{ t.why_differs }{ ": " }</strong>{ super::lesson::inline(&note) }</p>
            }
            if let Some(r) = agrees {
                <p class="console-agrees">{ "✓ " }{ t.agrees_with_tutorial }
                    if !r.claimed {
                        <details class="recorded-output">
                            <summary>{ t.show_recorded }</summary>
                            { pane(&c.prompt, &c.command, &r.output) }
                        </details>
                    }
                </p>
            }
            if !c.notes.is_empty() {
                <ul class="console-notes">
                    { for c.notes.iter().map(|n| html! { <li>{ super::lesson::inline(n) }</li> }) }
                </ul>
            }
        </div>
    }
}
