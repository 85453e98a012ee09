use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use gloo::file::File;
use web_sys::{DragEvent, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::use_store;
use crate::i18n::tr;
use crate::state::{Action, Notice, NoticeKind};

/// Must match `.editor textarea { line-height }` in style.css.
const LINE_HEIGHT_PX: i32 = 20;

/// Byte offset in `text` -> UTF-16 offset (what the textarea's selection counts).
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].encode_utf16().count() as u32
}

/// The manifest editor: line-number gutter, Tab inserts two spaces (Esc then Tab leaves),
/// drop or open a file.
#[component]
pub fn Editor() -> Html {
    let store = use_store();
    let t = tr(store.lang);
    let area = use_node_ref();
    let gutter = use_node_ref();
    let tab_escapes = use_mut_ref(|| false);
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);

    // Write the DOM value only when the text was replaced from outside.
    {
        let area = area.clone();
        let text = store.text.clone();
        use_effect_with(store.external, move |_| {
            if let Some(el) = area.cast::<HtmlTextAreaElement>() {
                if el.value() != *text {
                    el.set_value(&text);
                }
            }
        });
    }

    // Move the cursor/selection when a diagnostic or a policy is clicked.
    {
        let area = area.clone();
        let gutter = gutter.clone();
        let text = store.text.clone();
        use_effect_with(store.selection, move |sel| {
            if let (Some(sel), Some(el)) = (sel, area.cast::<HtmlTextAreaElement>()) {
                let start = utf16_offset(&text, sel.start);
                let end = utf16_offset(&text, sel.end.max(sel.start));
                let _ = el.focus();
                let _ = el.set_selection_range(start, end);
                let line = text[..sel.start.min(text.len())].matches('\n').count() as i32;
                let top = (line - 3).max(0) * LINE_HEIGHT_PX;
                el.set_scroll_top(top);
                if let Some(g) = gutter.cast::<web_sys::Element>() {
                    g.set_scroll_top(el.scroll_top());
                }
            }
        });
    }

    let oninput = {
        let store = store.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            store.dispatch(Action::Edit(el.value()));
        })
    };
    let onkeydown = {
        let store = store.clone();
        let tab_escapes = tab_escapes.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                *tab_escapes.borrow_mut() = true;
                return;
            }
            if e.key() == "Tab" && !e.shift_key() && !e.ctrl_key() && !e.alt_key() && !e.meta_key()
            {
                if *tab_escapes.borrow() {
                    *tab_escapes.borrow_mut() = false;
                    return;
                }
                e.prevent_default();
                let el: HtmlTextAreaElement = e.target_unchecked_into();
                let start = el.selection_start().ok().flatten().unwrap_or(0);
                let end = el.selection_end().ok().flatten().unwrap_or(start);
                let _ = el.set_range_text_with_start_and_end_and_mode("  ", start, end, "end");
                store.dispatch(Action::Edit(el.value()));
            } else {
                *tab_escapes.borrow_mut() = false;
            }
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(el.scroll_top());
            }
        })
    };
    let read_file = {
        let store = store.clone();
        let reader = reader.clone();
        Rc::new(move |file: web_sys::File| {
            let store = store.clone();
            let file = File::from(file);
            let task = gloo::file::callbacks::read_as_text(&file, move |res| match res {
                Ok(text) => {
                    store.dispatch(Action::Replace(text));
                }
                Err(_) => store.dispatch(Action::Notice(Some(Notice {
                    kind: NoticeKind::Error,
                    text: tr(store.lang).file_bad.into(),
                }))),
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let ondrop = {
        let read_file = read_file.clone();
        Callback::from(move |e: DragEvent| {
            if let Some(f) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                e.prevent_default();
                read_file(f);
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let onfile = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|f| f.get(0)) {
                read_file(f);
            }
            input.set_value("");
        })
    };

    let lines = store.text.split('\n').count();
    // Rebuilt only when the number of lines changes (a large text has 100,000 of them).
    let numbers = use_memo(lines, |&lines| {
        let mut numbers = String::with_capacity(lines * 5);
        for i in 1..=lines {
            numbers.push_str(&i.to_string());
            numbers.push('\n');
        }
        AttrValue::from(numbers)
    });
    let millis = store.base.millis;
    let fresh = store.fresh();
    let status = if store.analyzed.is_none() {
        format!("{} {} · {}", lines, t.lines, t.analysing)
    } else {
        format!(
            "{} {} · {} {} ms",
            lines,
            t.lines,
            t.evaluated_in,
            fixed(millis, 1)
        )
    };

    html! {
        <div class="editor-wrap">
            <div class="editor-head">
                <label for="editor" class="pane-title">{ t.editor }</label>
                <label class="btn small file-btn">
                    { t.open_file }
                    <input type="file" id="file" accept=".yaml,.yml,.json,application/json,text/yaml" onchange={onfile} />
                </label>
            </div>
            <div class="editor" ondrop={ondrop} ondragover={ondragover}>
                <pre class="gutter" aria-hidden="true" ref={gutter}>{ (*numbers).clone() }</pre>
                <textarea id="editor" ref={area} spellcheck="false" autocomplete="off" autocapitalize="off"
                    wrap="off" aria-describedby="editor-hint"
                     {oninput} {onkeydown} {onscroll} />
            </div>
            <p class="hint" id="editor-hint">{ t.editor_hint }</p>
            <p class="status" id="eval-status" aria-live="off" data-ms={fixed(millis, 2)} data-fresh={fresh.to_string()}
                data-revision={store.revision.to_string()} data-analyzed={store.analyzed.map(|r| r.to_string()).unwrap_or_default()}>{ status }</p>
        </div>
    }
}

/// `ms` with `digits` decimals (0.5 rounds up), without pulling the float formatter into
/// the page's WebAssembly (issue 5's size budget).
fn fixed(ms: f64, digits: u32) -> String {
    let scale = 10u64.pow(digits);
    let n = (ms.max(0.0) * scale as f64).round() as u64;
    format!(
        "{}.{:0width$}",
        n / scale,
        n % scale,
        width = digits as usize
    )
}
