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
import { split, join, header, unique, validName, dirOf, zip } from './workspace.js';
import { createTabs } from './tabs.js';

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

/** How long (ms) after an edit CodeMirror's background YAML parse gives way to the rest
 *  of the page. In Chromium its slices last up to 100 ms and end early only for input
 *  (`navigator.scheduling.isInputPending`), not for the worker's answer: at 500 pods
 *  (195 KB) a slice started after a keystroke held the verdicts back by up to 100 ms
 *  (last key -> fresh verdicts 170 ms with a 16 ms analysis; issue 17). The text in view
 *  is parsed in the edit's own transaction, so only the parse beyond it waits. */
const PARSE_YIELD_MS = 400;
let parseYieldUntil = 0;
{
  const sched = typeof navigator !== 'undefined' ? navigator.scheduling : null;
  if (sched && typeof sched.isInputPending === 'function') {
    const own = sched.isInputPending.bind(sched);
    sched.isInputPending = (o) => own(o) || Date.now() < parseYieldUntil;
  }
}

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

/** Reads what was dropped: files, and (where the browser allows) folders as their YAML
 *  and JSON files named by their path. The entries must be taken during the event. */
async function readDropped(dt) {
  const entries = [...(dt.items || [])]
    .filter((it) => it.kind === 'file' && it.webkitGetAsEntry)
    .map((it) => it.webkitGetAsEntry())
    .filter(Boolean);
  const plain = [...(dt.files || [])];
  const found = [];
  const fileOf = (entry) => new Promise((ok, bad) => entry.file(ok, bad));
  const children = (dir) => new Promise((ok, bad) => dir.createReader().readEntries(ok, bad));
  const walk = async (entry, top) => {
    if (entry.isFile) {
      if (top || /\.(ya?ml|json)$/i.test(entry.name)) found.push({ name: entry.fullPath.replace(/^\/+/, ''), file: await fileOf(entry) });
      return;
    }
    const all = [];
    // readEntries answers in batches (100 in Chromium) until an empty one.
    for (let batch = await children(entry); batch.length; batch = await children(entry)) all.push(...batch);
    all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of all) await walk(e, false);
  };
  if (entries.some((e) => e.isDirectory)) {
    for (const e of entries) await walk(e, true);
  } else {
    for (const f of plain) found.push({ name: f.name, file: f });
  }
  return found;
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
  // The compartments' values now: every file's state is made, and reconfigured, with them.
  const cur = {
    lang: phrasesExt(opts.phrases),
    theme: EditorView.theme({}, { dark: !!opts.dark }),
    attrs: EditorView.contentAttributes.of(opts.attrs || {}),
  };
  let words = opts.words || {};
  let readCache = null; // {docs, names, text}
  let notified = false;
  let timer = null;
  const debounce = opts.debounce || 150;

  // ---- the workspace: files, each its own EditorState (its own undo); the view shows
  // `files[active]`. Every position across this interface is one of the joined text
  // (workspace.js), so Rust and the worker never hear about files.
  /** [{name (null: the unnamed first file), state, scroll, count, severity}] */
  let files = [];
  let active = 0;
  let view = null;
  const stateOf = (i) => (i === active && view ? view.state : files[i].state);
  const docOf = (i) => stateOf(i).doc;
  const endsOpen = (doc, last) => !last && doc.length > 0 && doc.sliceString(doc.length - 1) !== '\n';
  /** Per file, its joined positions: `start` (its header), `body`, `end` (of the body). */
  const offsets = () => {
    const out = [];
    let at = 0;
    files.forEach((f, i) => {
      const d = docOf(i);
      const h = f.name === null ? 0 : header(f.name).length;
      out.push({ start: at, body: at + h, end: at + h + d.length });
      at += h + d.length + (endsOpen(d, i === files.length - 1) ? 1 : 0);
    });
    return out;
  };
  /** The file holding a joined position, and the position in it. */
  const fileAt = (pos, offs = offsets()) => {
    let i = 0;
    while (i + 1 < offs.length && offs[i + 1].start <= pos) i++;
    return { i, local: clamp(pos - offs[i].body, docOf(i).length) };
  };
  const toJoined = (i, local) => offsets()[i].body + local;
  /** Joined line number of the first line of file i's body. */
  const firstLine = (i) => {
    let n = 1;
    for (let j = 0; j < i; j++) {
      n += (files[j].name === null ? 0 : 2) + docOf(j).lines - 1 + (endsOpen(docOf(j), j === files.length - 1) ? 1 : 0);
    }
    return n + (files[i].name === null ? 0 : 2);
  };
  const totalLength = () => {
    const offs = offsets();
    return offs.length ? offs[offs.length - 1].end : 0;
  };
  const joinedText = () => {
    const docs = files.map((_, i) => docOf(i));
    const names = files.map((f) => f.name);
    if (readCache && readCache.docs.length === docs.length && readCache.docs.every((d, i) => d === docs[i])
      && readCache.names.every((n, i) => n === names[i])) return readCache.text;
    const text = files.length === 1 && names[0] === null
      ? docs[0].toString()
      : join(files.map((f, i) => ({ name: f.name, body: docs[i].toString() })));
    readCache = { docs, names, text };
    return text;
  };
  /** Applies a transaction spec (a function of the state) to every file: the view's
   *  through the view, the others' to their kept state. */
  const everywhere = (spec) => {
    files.forEach((f, i) => {
      if (i === active && view) view.dispatch(spec(view.state, i));
      else f.state = f.state.update(spec(f.state, i)).state;
    });
  };

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
    // A paste or a drop is one deliberate edit, not a burst of keys: analysed at once
    // whatever the size (issue 17: the first look at a pasted 5,000-pod text waited
    // 150 ms for nothing).
    parseYieldUntil = Date.now() + PARSE_YIELD_MS;
    const len = totalLength();
    const whole = u.transactions.some((t) => t.isUserEvent('input.paste') || t.isUserEvent('input.drop'));
    timer = setTimeout(fireIdle, whole || len <= SMALL_TEXT ? 0 : len > LARGE_TEXT ? LARGE_DEBOUNCE : debounce);
  });
  /** The files themselves changed (added, closed, renamed, moved): analysed at once. */
  const structureChanged = () => {
    readCache = null;
    if (!notified) {
      notified = true;
      cb.dirty();
    }
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(fireIdle, 0);
    tabs.render();
  };

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
      cb.cursor(toJoined(active, u.view.state.selection.main.from));
    }, CURSOR_PAUSE);
  });

  const hover = hoverTooltip(async (v, pos) => {
    const doc = v.state.doc;
    const at = active;
    const base = toJoined(at, 0);
    const r = await cb.hover(base + pos);
    if (!r || !r.lines || !r.lines.length || v.state.doc !== doc || active !== at) return null;
    return {
      pos: clamp(r.from - base, doc.length),
      end: clamp(r.to - base, doc.length),
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

  const shared = [
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
  ];
  const makeState = (doc) => EditorState.create({
    doc,
    extensions: [shared, yamlConf.of(yamlFor(doc)), langConf.of(cur.lang), themeConf.of(cur.theme), attrConf.of(cur.attrs)],
  });
  const newFile = (name, body) => ({ name, state: makeState(body), scroll: 0, count: 0, severity: '' });
  const names = () => files.map((f) => f.name).filter((n) => n !== null);
  const untitled = () => words.untitled || 'manifests.yaml';
  /** Keeps the view's state in its file (before the files change). */
  const sync = () => {
    if (view && files[active]) {
      files[active].state = view.state;
      files[active].scroll = view.scrollDOM.scrollTop;
    }
  };
  /** Shows file i (its state, its scroll position). */
  const show = (i) => {
    active = Math.max(0, Math.min(files.length - 1, i));
    if (cursorTimer !== null) { clearTimeout(cursorTimer); cursorTimer = null; }
    view.setState(files[active].state);
    const top = files[active].scroll || 0;
    view.requestMeasure({ read: () => null, write: () => { view.scrollDOM.scrollTop = top; } });
    tabs.render();
  };
  const switchTo = (i) => {
    if (i === active || i < 0 || i >= files.length) return;
    sync();
    show(i);
  };
  /** Files from a text (split at its markers), the last one open; folders collapsed when
   *  some file is outside them (a lesson's cluster behind the step's policy). */
  const load = (text) => {
    const parts = split(text.replace(/\r\n?/g, '\n'));
    files = parts.map((p) => newFile(p.name, p.body));
    const loose = parts.some((p) => !dirOf(p.name));
    tabs.collapse(loose ? parts.map((p) => dirOf(p.name)).filter(Boolean) : []);
    readCache = null;
  };

  const tabs = createTabs({
    files: () => files.map((f) => ({ name: f.name, label: untitled(), count: f.count, severity: f.severity })),
    active: () => active,
    words: () => words,
    activate: (i) => switchTo(i),
    add() {
      sync();
      files.push(newFile(unique(words.new_file || 'untitled.yaml', names()), ''));
      show(files.length - 1);
      structureChanged();
      tabs.startRename(files.length - 1);
    },
    rename(i, name) {
      if (!validName(name) || name === files[i].name) return false;
      files[i].name = unique(name, names().filter((n) => n !== files[i].name));
      structureChanged();
      return true;
    },
    close(i) {
      if (files.length < 2) return;
      const body = docOf(i).toString();
      const ask = (words.confirm_close || 'Close `{}`? Its text is not kept.').replace('{}', files[i].name || untitled());
      if (body.trim() !== '' && !window.confirm(ask)) return;
      sync();
      files.splice(i, 1);
      const next = i < active ? active - 1 : i === active ? Math.min(i, files.length - 1) : active;
      active = -1;
      show(next);
      structureChanged();
    },
    move(i, to) {
      if (to < 0 || to >= files.length || i === to) return;
      sync();
      // Only the first file may be unnamed (its text has no marker): give it a name first.
      if (files[0].name === null && (i === 0 || to === 0)) files[0].name = unique(untitled(), names());
      const keep = files[active];
      const [f] = files.splice(i, 1);
      files.splice(to, 0, f);
      active = files.indexOf(keep);
      structureChanged();
    },
  });

  /** Adds files `[{name, text}]` (a text with markers adds its files); a file of the
   *  same name gets the new text as an undoable edit; a lone empty unnamed file goes. */
  const addFiles = (list) => {
    if (!list.length) return;
    sync();
    if (files.length === 1 && files[0].name === null && docOf(0).toString().trim() === '') files = [];
    let first = -1;
    for (const { name, text } of list) {
      for (const part of split(text.replace(/\r\n?/g, '\n'))) {
        const n = part.name || name.trim() || untitled();
        let i = files.findIndex((f) => f.name === n);
        if (i >= 0) {
          const st = files[i].state;
          files[i].state = st.update({ changes: { from: 0, to: st.doc.length, insert: part.body } }).state;
        } else {
          files.push(newFile(validName(n) ? n : untitled(), part.body));
          i = files.length - 1;
        }
        if (first < 0) first = i;
      }
    }
    active = -1;
    show(first < 0 ? 0 : first);
    structureChanged();
  };
  const readFiles = async (found) => {
    const list = [];
    for (const { name, file } of found) {
      try {
        list.push({ name, text: await file.text() });
      } catch (e) {
        if (cb.fileError) cb.fileError(name);
      }
    }
    addFiles(list);
  };

  load(opts.text || '');
  active = files.length - 1;
  view = new EditorView({ state: files[active].state });
  view.dom.netpolView = view;
  view.contentDOM.netpolView = view;
  parent.append(tabs.dom, view.dom);
  tabs.render();
  // A dropped file (or folder) is added to the workspace, not inserted as text.
  const onDrop = (e) => {
    const dt = e.dataTransfer;
    if (!dt || ![...(dt.types || [])].includes('Files')) return;
    e.preventDefault();
    e.stopPropagation();
    readDropped(dt).then(readFiles, () => cb.fileError && cb.fileError(''));
  };
  parent.addEventListener('drop', onDrop, true);

  const ws = {
    view,
    /** Replaces the whole workspace by a text (from outside the editor: not an edit). */
    setText(text) {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      load(text);
      active = -1;
      show(files.length - 1);
      notified = false;
    },
    /** The text (a JS string; the same string again while the text is unchanged). The
     *  next change after this is reported with `dirty()`. */
    text() {
      notified = false;
      return joinedText();
    },
    lines() {
      let n = 1;
      files.forEach((f, i) => {
        n += (f.name === null ? 0 : 2) + docOf(i).lines - 1 + (endsOpen(docOf(i), i === files.length - 1) ? 1 : 0);
      });
      return n;
    },
    /** Report the pending change at once (a fix was added: no debounce). */
    flush() {
      if (timer !== null) { clearTimeout(timer); fireIdle(); }
    },
    /** Appends `text` as one undoable edit to the last file, on a line of its own. */
    append(text) {
      switchTo(files.length - 1);
      const doc = view.state.doc;
      const sep = doc.length && doc.sliceString(doc.length - 1) !== '\n' ? '\n' : '';
      view.dispatch({ changes: { from: doc.length, insert: sep + text }, userEvent: 'input.fix', scrollIntoView: true });
    },
    /** Replaces from..to by `text` as one undoable edit, and selects the new text. */
    replace(from, to, text) {
      const offs = offsets();
      const { i, local: a } = fileAt(from, offs);
      const b = Math.max(a, clamp(to - offs[i].body, docOf(i).length));
      switchTo(i);
      view.dispatch({
        changes: { from: a, to: b, insert: text },
        selection: { anchor: a + text.length, head: a },
        userEvent: 'input.fix',
        scrollIntoView: true,
      });
      view.focus();
    },
    /** Diagnostics: [{from, to, severity, message, fixes: [{label, from, to, insert}], index}],
     *  each shown in the file that holds it (and counted on its tab). */
    setDiagnostics(list, w) {
      const offs = offsets();
      const per = files.map(() => []);
      for (const d of list) {
        const { i, local: from } = fileAt(d.from, offs);
        const len = docOf(i).length;
        const to = Math.max(from, clamp(d.to - offs[i].body, len));
        const severity = d.severity === 'error' || d.severity === 'warning' ? d.severity : 'info';
        per[i].push({
          from,
          to,
          severity,
          message: d.message,
          source: d.code,
          actions: [
            ...(d.fixes || []).map((f) => ({
              name: f.label,
              apply(v) {
                const l = v.state.doc.length;
                v.dispatch({ changes: { from: clamp(f.from - offs[i].body, l), to: clamp(f.to - offs[i].body, l), insert: f.insert }, userEvent: 'input.fix' });
              },
            })),
            { name: w.problems, apply: () => cb.problem(d.index) },
          ],
        });
      }
      const rank = { error: 3, warning: 2, info: 1, '': 0 };
      files.forEach((f, i) => {
        f.count = per[i].length;
        f.severity = per[i].reduce((s, d) => (rank[d.severity] > rank[s] ? d.severity : s), '');
      });
      everywhere((st, i) => setDiagnostics(st, per[i]));
      tabs.render();
    },
    /** Selects [from, to), scrolls it into view, focuses the editor and marks the range. */
    select(from, to) {
      const offs = offsets();
      const { i, local: a } = fileAt(from, offs);
      const b = Math.max(a, clamp(to - offs[i].body, docOf(i).length));
      switchTo(i);
      view.dispatch({
        selection: EditorSelection.range(a, b),
        effects: [EditorView.scrollIntoView(a, { y: 'start', yMargin: 60 }), setHighlight.of(a < b ? Decoration.set([highlightMark.range(a, b)]) : Decoration.none)],
      });
      view.focus();
    },
    /** Marks ranges ([[from, to], ...]) without moving the selection or the focus; `scroll`
     *  brings the first one into view (the steps panel's current step), opening its file. */
    highlight(ranges, scroll) {
      const offs = offsets();
      const per = files.map(() => []);
      const sorted = ranges.filter(([f, t]) => f < t).sort((x, y) => x[0] - y[0]);
      for (const [f, t] of sorted) {
        const { i, local: a } = fileAt(f, offs);
        const b = clamp(t - offs[i].body, docOf(i).length);
        if (a < b) per[i].push(highlightMark.range(a, b));
      }
      if (scroll && sorted.length) switchTo(fileAt(sorted[0][0], offs).i);
      everywhere((st, i) => ({ effects: setHighlight.of(Decoration.set(per[i])) }));
      // Only the editor's own scroller moves (EditorView.scrollIntoView would scroll the
      // page too, away from the panel the reader is stepping in).
      const marks = per[active];
      if (scroll && marks.length) {
        const at = marks[0].from;
        view.requestMeasure({
          read: () => view.lineBlockAt(at).top,
          write: (top) => { view.scrollDOM.scrollTop = Math.max(0, top - view.scrollDOM.clientHeight / 4); },
        });
      }
    },
    setLanguage(phrases) {
      cur.lang = phrasesExt(phrases);
      everywhere(() => ({ effects: langConf.reconfigure(cur.lang) }));
    },
    /** The tab strip's words: {files, add, close, rename, rename_hint, untitled, new_file,
     *  confirm_close, collapse, expand, problems}. */
    setWords(w) {
      words = w || {};
      tabs.render();
    },
    setDark(dark) {
      cur.theme = EditorView.theme({}, { dark: !!dark });
      everywhere(() => ({ effects: themeConf.reconfigure(cur.theme) }));
    },
    setAttributes(attrs) {
      cur.attrs = EditorView.contentAttributes.of(attrs || {});
      everywhere(() => ({ effects: attrConf.reconfigure(cur.attrs) }));
    },
    /** How many diagnostics the editor holds, in every file (tests). */
    diagnosticCount() {
      let n = 0;
      files.forEach((_, i) => forEachDiagnostic(stateOf(i), () => n++));
      return n;
    },
    /** The file of a joined position for the Problems list: `LINE<tab>NAME`, LINE being
     *  the joined line number of the file's first line; '' for a lone unnamed file. */
    locate(pos) {
      const { i } = fileAt(pos);
      if (files.length === 1 && files[0].name === null) return '';
      return `${firstLine(i)}\t${files[i].name || untitled()}`;
    },
    /** The workspace as a zip archive (Uint8Array). */
    zip() {
      return zip(files.map((f, i) => ({ name: f.name, body: docOf(i).toString() })), untitled());
    },
    /** Adds the files of a FileList (the "Open file" input). */
    openFiles(list) {
      readFiles([...(list || [])].map((file) => ({ name: file.name, file })));
    },
    addFiles,
    /** The files: [{name, label, text}] and which is open (tests, the page). */
    files() {
      return files.map((f, i) => ({ name: f.name, label: untitled(), text: docOf(i).toString() }));
    },
    active: () => active,
    open: (i) => switchTo(i),
    /** The main selection in joined positions. */
    selection() {
      const r = view.state.selection.main;
      const base = toJoined(active, 0);
      return { from: base + r.from, to: base + r.to };
    },
    /** The joined text from..to. */
    slice(from, to) {
      return joinedText().slice(from, to);
    },
    /** Puts the cursor at a joined position, opening its file, as a click there would
     *  (a user's selection event: the page traces what is there). */
    place(pos) {
      const { i, local } = fileAt(pos);
      switchTo(i);
      view.dispatch({ selection: { anchor: local }, scrollIntoView: true, userEvent: 'select.pointer' });
      view.focus();
    },
    /** Joined line number of a joined position. */
    lineAt(pos) {
      const { i, local } = fileAt(pos);
      return firstLine(i) + docOf(i).lineAt(local).number - 1;
    },
    complete() {
      return startCompletion(view);
    },
    destroy() {
      if (timer !== null) clearTimeout(timer);
      if (cursorTimer !== null) clearTimeout(cursorTimer);
      parent.removeEventListener('drop', onDrop, true);
      view.destroy();
      tabs.dom.remove();
    },
  };
  view.dom.netpolWorkspace = ws;
  return ws;
}

/** The EditorView of an element inside it (end-to-end tests read the text through it). */
function viewOf(el) {
  for (let e = el; e; e = e.parentElement) if (e.netpolView) return e.netpolView;
  return null;
}

/** The workspace (files, joined text and positions) of an element inside the editor. */
function workspaceOf(el) {
  const v = viewOf(el);
  return v ? v.dom.netpolWorkspace : null;
}

const workspace = { split, join, zip };
const api = { create, viewOf, workspaceOf, completionContext, workspace };
globalThis.netpolEditor = api;
export { create, viewOf, workspaceOf, completionContext };
