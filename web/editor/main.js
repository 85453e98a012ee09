// The playground's manifest editor: CodeMirror 6 behind a small interface that the Rust
// binding (web/src/codemirror.rs) calls. Bundled by esbuild (build.mjs, run by Trunk's
// pre_build hook) into one same-origin script that sets `globalThis.netpolEditor`.
//
// The text lives here, not in Rust: typing never copies it into WebAssembly. Rust hears
// `dirty()` once, on the first change after it last read the text (so the page knows
// its results are stale), and `idle()` when typing has paused for the debounce; only
// then does it read the text (`text()`, a JS string handed to the worker as it is).
// Positions in and out are CodeMirror's: UTF-16 code units of the text with LF line
// breaks (the worker converts the core's UTF-8 byte offsets).

import { EditorState, EditorSelection, Compartment, StateEffect, StateField, Annotation, Prec } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine, hoverTooltip, Decoration,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentMore, indentLess } from '@codemirror/commands';
import {
  foldGutter, foldKeymap, indentOnInput, bracketMatching, syntaxHighlighting, indentUnit,
} from '@codemirror/language';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion } from '@codemirror/autocomplete';
import { setDiagnostics, lintGutter, lintKeymap, forEachDiagnostic } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { classHighlighter } from '@lezer/highlight';

/** Marks a transaction that came from Rust (an example, a file, a link): not an edit to report. */
const fromOutside = Annotation.define();

// Ranges a view of the page pointed at (a policy, a rule): marked until the next edit.
const setHighlight = StateEffect.define();
const highlightMark = Decoration.mark({ class: 'cm-netpol-highlight' });
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setHighlight)) return e.value;
    return tr.docChanged ? Decoration.none : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Tab: two spaces at each cursor (a selection is indented); Esc then Tab leaves the editor
 *  (CodeMirror's tab focus mode), so the editor is never a keyboard trap. */
function insertSpaces(view) {
  if (view.state.readOnly) return false;
  if (view.state.selection.ranges.some((r) => !r.empty)) return indentMore(view);
  view.dispatch(view.state.replaceSelection('  '), { scrollIntoView: true, userEvent: 'input' });
  return true;
}

function clamp(n, len) {
  return Math.max(0, Math.min(len, n | 0));
}

// ---- the YAML path at the cursor, read from indentation (it works while a line is half
// typed, when the syntax tree cannot say yet) ----

/** A line's layout: dash columns ("- " items), the key column and key, what follows. */
function layout(text) {
  const m = /^(\s*)((?:-[ \t]+)*)(.*)$/.exec(text);
  const indent = m[1].length;
  const dashes = [];
  let col = indent;
  for (const d of m[2].matchAll(/-[ \t]+/g)) { dashes.push(col); col += d[0].length; }
  if (/^-$/.test(m[3])) { dashes.push(col); return { dashes, col: col + 2, key: null, rest: '' }; }
  const rest = m[3];
  const kv = /^("[^"]*"|'[^']*'|[^\s:#][^:#]*?)\s*:(?:\s+(.*)|$)/.exec(rest);
  if (!kv) return { dashes, col, key: null, rest };
  return { dashes, col, key: kv[1].replace(/^["']|["']$/g, ''), value: (kv[2] || '').replace(/\s+#.*$/, ''), rest };
}

const MAX_LINES_UP = 3000;
/** Characters past which the editor stops parsing YAML (see `yamlConf`). At 2 MB (5,000
 *  pods) the YAML grammar re-parsed from the top after each keystroke: about 450 ms of
 *  this thread per key, in 100 ms idle slices that also held back the analysis's timer
 *  (BENCHMARKS.md). A text that long is a dump, read by search and diagnostics, not by
 *  its colours. */
const PLAIN_TEXT = 1024 * 1024;
/** Characters past which the analysis waits for a longer pause (see `changed`). */
const LARGE_TEXT = 4 * 1024 * 1024;
/** The pause in typing (ms) after which a text past LARGE_TEXT is analysed. */
const LARGE_DEBOUNCE = 1000;
/** How long (ms) the cursor rests before the page traces what is under it. */
const CURSOR_PAUSE = 200;
/** Characters up to which each change is analysed at once (no debounce): an analysis of
 *  such a text takes a few milliseconds in the worker (a seed step: under 1 ms; edit ->
 *  fresh page about 11 ms, BENCHMARKS.md), and only one is in flight (`bridge.rs` keeps
 *  the latest wanted state), so typing is never queued behind them. */
const SMALL_TEXT = 256 * 1024;

/** The keys from the document's top to the cursor's line, `[]` for a sequence item. */
function pathAt(doc, lineNo, startCol, startAtDash) {
  const path = [];
  let col = startCol;
  let atDash = startAtDash;
  for (let n = lineNo - 1; n >= 1 && n > lineNo - MAX_LINES_UP; n--) {
    const text = doc.line(n).text;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    if (/^\s*(#|$)/.test(text)) continue;
    const l = layout(text);
    const opener = l.key !== null && (l.value === '' || /^[|>]/.test(l.value) || /^&\S+$/.test(l.value));
    if (opener && (l.col < col || (l.col === col && atDash))) {
      path.push(l.key);
      for (let i = l.dashes.length - 1; i >= 0; i--) path.push('[]');
      col = l.dashes.length ? l.dashes[0] : l.col;
      atDash = l.dashes.length > 0;
    } else {
      const inside = l.dashes.filter((d) => d < col);
      if (inside.length) {
        for (let i = 0; i < inside.length; i++) path.push('[]');
        col = inside[0];
        atDash = true;
      }
    }
    if (col === 0 && !atDash) break;
  }
  return path.reverse();
}

/** The document (between `---` lines) around a line: its `kind`, `apiVersion` and `metadata.namespace`. */
function objectAt(doc, lineNo) {
  let kind = null;
  let api = null;
  let namespace = null;
  const look = (n) => {
    const text = doc.line(n).text;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) return false;
    let m;
    if (!kind && (m = /^kind:\s*["']?([\w.-]+)/.exec(text))) kind = m[1];
    if (!api && (m = /^apiVersion:\s*["']?([\w./-]+)/.exec(text))) api = m[1];
    if (!namespace && (m = /^\s{1,4}namespace:\s*["']?([\w.-]+)/.exec(text))) namespace = m[1];
    return true;
  };
  for (let n = lineNo; n >= 1 && n > lineNo - MAX_LINES_UP && look(n); n--);
  for (let n = lineNo + 1; n <= doc.lines && n < lineNo + MAX_LINES_UP && look(n); n++);
  return { kind, api, namespace };
}

/** What the cursor is completing: a key at a path, or the value of a key (or a list item). */
function completionContext(state, pos) {
  const line = state.doc.lineAt(pos);
  const before = line.text.slice(0, pos - line.from);
  if (/#/.test(before.replace(/"[^"]*"|'[^']*'/g, ''))) return null;
  const l = layout(before);
  const ownDashes = l.dashes;
  const startCol = ownDashes.length ? ownDashes[0] : l.col;
  let path = pathAt(state.doc, line.number, startCol, ownDashes.length > 0);
  for (let i = 0; i < ownDashes.length; i++) path.push('[]');
  const obj = objectAt(state.doc, line.number);
  let m;
  if (l.key !== null) {
    // `key: val|` or `key: [a, b|`
    const value = before.slice(before.indexOf(':', l.col) + 1);
    if ((m = /^\s*\[(?:[^\]]*,)?\s*([\w.\/-]*)$/.exec(value))) {
      return { ...obj, path: path.concat([l.key, '[]']), key: null, item: true, word: m[1], from: pos - m[1].length };
    }
    if ((m = /^\s+["']?([\w.\/-]*)$/.exec(value))) {
      return { ...obj, path, key: l.key, item: false, word: m[1], from: pos - m[1].length };
    }
    return null;
  }
  if ((m = /^["']?([\w.\/-]*)$/.exec(l.rest))) {
    // A key being typed, or a plain list item (`- Ingr|`).
    return { ...obj, path, key: null, item: ownDashes.length > 0, word: m[1], from: pos - m[1].length };
  }
  return null;
}

// ---- the editor ----

function phrasesExt(phrases) {
  return phrases ? EditorState.phrases.of(phrases) : [];
}

function create(parent, opts, cb) {
  const langConf = new Compartment();
  // YAML parsing (highlighting, folding) only up to PLAIN_TEXT characters: past it the
  // parser must read everything above the viewport in slices that block the main thread
  // (keydown -> next frame 100-200 ms at 16 MiB); the text is then plain and stays fluid.
  const yamlConf = new Compartment();
  const yamlFor = (doc) => (doc.length > PLAIN_TEXT ? [] : yaml());
  const sizeWatch = EditorView.updateListener.of((u) => {
    if (!u.docChanged) return;
    const was = u.startState.doc.length > PLAIN_TEXT;
    const now = u.state.doc.length > PLAIN_TEXT;
    if (was !== now) setTimeout(() => u.view.dispatch({ effects: yamlConf.reconfigure(yamlFor(u.view.state.doc)) }), 0);
  });
  const themeConf = new Compartment();
  const attrConf = new Compartment();
  let readCache = null; // [doc, string]
  let notified = false;
  let timer = null;
  const debounce = opts.debounce || 150;

  const fireIdle = () => {
    timer = null;
    cb.idle();
  };
  const changed = EditorView.updateListener.of((u) => {
    if (!u.docChanged) return;
    if (u.transactions.some((t) => t.annotation(fromOutside))) return;
    if (!notified) {
      notified = true;
      cb.dirty();
    }
    if (timer !== null) clearTimeout(timer);
    // Up to SMALL_TEXT at once (the next task: the keys of one event still coalesce);
    // past LARGE_TEXT the analysis waits for a longer pause: each one hands the whole
    // text to the worker (posting 16 MiB takes ~110 ms of this thread), which between
    // keystrokes made typing stutter.
    const len = u.state.doc.length;
    timer = setTimeout(fireIdle, len > LARGE_TEXT ? LARGE_DEBOUNCE : len <= SMALL_TEXT ? 0 : debounce);
  });

  // Where the cursor rests (after CURSOR_PAUSE ms without moving): the page traces the
  // policy, rule or peer there to the connections it allows (issue 13). A text set from
  // outside (an example, a file) is not a move. A selection counts from its start: the
  // page selects a rule or a policy from its first character (an explanation's link).
  let cursorTimer = null;
  const cursorMoved = EditorView.updateListener.of((u) => {
    if (!u.selectionSet || !cb.cursor) return;
    if (u.transactions.some((t) => t.annotation(fromOutside))) return;
    if (cursorTimer !== null) clearTimeout(cursorTimer);
    cursorTimer = setTimeout(() => {
      cursorTimer = null;
      cb.cursor(u.view.state.selection.main.from);
    }, CURSOR_PAUSE);
  });

  const hover = hoverTooltip(async (view, pos) => {
    const doc = view.state.doc;
    const r = await cb.hover(pos);
    if (!r || !r.lines || !r.lines.length || view.state.doc !== doc) return null;
    return {
      pos: clamp(r.from, doc.length),
      end: clamp(r.to, doc.length),
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-netpol-hover';
        if (r.title) {
          const h = document.createElement('div');
          h.className = 'cm-netpol-hover-title';
          h.textContent = r.title;
          dom.appendChild(h);
        }
        for (const line of r.lines) {
          const p = document.createElement('div');
          p.textContent = line;
          dom.appendChild(p);
        }
        return { dom };
      },
    };
  }, { hideOnChange: true, hoverTime: 350 });

  const complete = (ctx) => {
    const c = completionContext(ctx.state, ctx.pos);
    if (!c) return null;
    if (!ctx.explicit && c.word === '' && c.key === null && !c.item) return null;
    let options;
    try {
      options = JSON.parse(cb.complete({ kind: c.kind, api: c.api, namespace: c.namespace, path: c.path, key: c.key, item: c.item }));
    } catch (e) {
      return null;
    }
    // Prefix matches only, and never the word as typed: nothing is left to complete then,
    // and Enter must end the line rather than accept it.
    const word = c.word.toLowerCase();
    options = (options || []).filter((o) => o.label.toLowerCase().startsWith(word) && o.label !== c.word);
    if (!options.length) return null;
    const line = ctx.state.doc.lineAt(ctx.pos);
    const col = c.from - line.from;
    return {
      from: c.from,
      filter: false,
      options: options.map((o) => ({
        label: o.label,
        detail: o.detail || undefined,
        type: o.type || undefined,
        boost: o.boost || 0,
        apply: o.shape === 'map' ? `${o.label}:\n${' '.repeat(col + 2)}`
          : o.shape === 'list' ? `${o.label}:\n${' '.repeat(col)}- `
            : o.shape === 'scalar' ? `${o.label}: `
              : o.label,
      })),
    };
  };

  const state = EditorState.create({
    doc: opts.text || '',
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      foldGutter(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      syntaxHighlighting(classHighlighter),
      bracketMatching(),
      closeBrackets(),
      autocompletion({ override: [complete], icons: false }),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      lintGutter(),
      indentUnit.of('  '),
      EditorState.tabSize.of(2),
      yamlConf.of((opts.text || '').length > PLAIN_TEXT ? [] : yaml()),
      sizeWatch,
      highlightField,
      hover,
      changed,
      cursorMoved,
      Prec.high(keymap.of([
        { key: 'Tab', run: insertSpaces, shift: indentLess },
      ])),
      keymap.of([
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...completionKeymap,
        ...lintKeymap,
      ]),
      langConf.of(phrasesExt(opts.phrases)),
      themeConf.of(EditorView.theme({}, { dark: !!opts.dark })),
      attrConf.of(EditorView.contentAttributes.of(opts.attrs || {})),
    ],
  });
  const view = new EditorView({ state, parent });
  view.dom.netpolView = view;
  view.contentDOM.netpolView = view;

  return {
    view,
    /** Replaces the whole text (from outside the editor: not reported as an edit). */
    setText(text) {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: text },
        selection: EditorSelection.cursor(0),
        annotations: fromOutside.of(true),
        scrollIntoView: true,
      });
      notified = false;
    },
    /** The text (a JS string; the same string again while the text is unchanged). The
     *  next change after this is reported with `dirty()`. */
    text() {
      const doc = view.state.doc;
      if (!readCache || readCache[0] !== doc) readCache = [doc, doc.toString()];
      notified = false;
      return readCache[1];
    },
    lines() {
      return view.state.doc.lines;
    },
    /** Report the pending change at once (a fix was added: no debounce). */
    flush() {
      if (timer !== null) { clearTimeout(timer); fireIdle(); }
    },
    /** Appends `text` as one undoable edit, on a line of its own. */
    append(text) {
      const doc = view.state.doc;
      const sep = doc.length && doc.sliceString(doc.length - 1) !== '\n' ? '\n' : '';
      view.dispatch({ changes: { from: doc.length, insert: sep + text }, userEvent: 'input.fix', scrollIntoView: true });
    },
    /** Replaces from..to by `text` as one undoable edit, and selects the new text. */
    replace(from, to, text) {
      const len = view.state.doc.length;
      const a = clamp(from, len);
      const b = clamp(Math.max(to, from), len);
      view.dispatch({
        changes: { from: a, to: b, insert: text },
        selection: { anchor: a + text.length, head: a },
        userEvent: 'input.fix',
        scrollIntoView: true,
      });
      view.focus();
    },
    /** Diagnostics: [{from, to, severity, message, fixes: [{label, from, to, insert}], index}]. */
    setDiagnostics(list, words) {
      const len = view.state.doc.length;
      const diags = list.map((d) => ({
        from: clamp(d.from, len),
        to: clamp(Math.max(d.to, d.from), len),
        severity: d.severity === 'error' || d.severity === 'warning' ? d.severity : 'info',
        message: d.message,
        source: d.code,
        actions: [
          ...(d.fixes || []).map((f) => ({
            name: f.label,
            apply(v) {
              const l = v.state.doc.length;
              v.dispatch({ changes: { from: clamp(f.from, l), to: clamp(f.to, l), insert: f.insert }, userEvent: 'input.fix' });
            },
          })),
          { name: words.problems, apply: () => cb.problem(d.index) },
        ],
      }));
      view.dispatch(setDiagnostics(view.state, diags));
    },
    /** Selects [from, to), scrolls it into view, focuses the editor and marks the range. */
    select(from, to) {
      const len = view.state.doc.length;
      const a = clamp(from, len);
      const b = clamp(Math.max(to, from), len);
      view.dispatch({
        selection: EditorSelection.range(a, b),
        effects: [EditorView.scrollIntoView(a, { y: 'start', yMargin: 60 }), setHighlight.of(a < b ? Decoration.set([highlightMark.range(a, b)]) : Decoration.none)],
      });
      view.focus();
    },
    /** Marks ranges ([[from, to], ...]) without moving the selection or the focus; `scroll`
     *  brings the first one into view (the steps panel's current step). */
    highlight(ranges, scroll) {
      const len = view.state.doc.length;
      const marks = ranges
        .map(([f, t]) => [clamp(f, len), clamp(t, len)])
        .filter(([f, t]) => f < t)
        .sort((x, y) => x[0] - y[0])
        .map(([f, t]) => highlightMark.range(f, t));
      view.dispatch({ effects: setHighlight.of(Decoration.set(marks)) });
      // Only the editor's own scroller moves (EditorView.scrollIntoView would scroll the
      // page too, away from the panel the reader is stepping in).
      if (scroll && marks.length) {
        const at = marks[0].from;
        view.requestMeasure({
          read: () => view.lineBlockAt(at).top,
          write: (top) => { view.scrollDOM.scrollTop = Math.max(0, top - view.scrollDOM.clientHeight / 4); },
        });
      }
    },
    setLanguage(phrases) {
      view.dispatch({ effects: langConf.reconfigure(phrasesExt(phrases)) });
    },
    setDark(dark) {
      view.dispatch({ effects: themeConf.reconfigure(EditorView.theme({}, { dark: !!dark })) });
    },
    setAttributes(attrs) {
      view.dispatch({ effects: attrConf.reconfigure(EditorView.contentAttributes.of(attrs || {})) });
    },
    /** How many diagnostics the editor shows (tests). */
    diagnosticCount() {
      let n = 0;
      forEachDiagnostic(view.state, () => n++);
      return n;
    },
    complete() {
      return startCompletion(view);
    },
    destroy() {
      if (timer !== null) clearTimeout(timer);
      if (cursorTimer !== null) clearTimeout(cursorTimer);
      view.destroy();
    },
  };
}

/** The EditorView of an element inside it (end-to-end tests read the text through it). */
function viewOf(el) {
  for (let e = el; e; e = e.parentElement) if (e.netpolView) return e.netpolView;
  return null;
}

const api = { create, viewOf, completionContext };
globalThis.netpolEditor = api;
export { create, viewOf, completionContext };
