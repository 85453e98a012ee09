// The workspace's file tabs above the editor (main.js owns the files; this draws them and
// turns clicks and keys into its calls). A WAI-ARIA tab list: ←/→ (and Home/End) move
// between tabs and open them, Alt+Shift+←/→ move the file, F2 or a double click renames,
// Delete closes, a drag reorders. Files in a folder (`cluster/utils.yaml`) sit behind
// their folder's toggle, which collapses them (the file open stays visible).

import { dirOf, baseOf } from './workspace.js';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** `host`: { files() -> [{name, label, count, severity}], active() -> i, words() -> {},
 *  activate(i), add(), rename(i, name) -> bool, close(i), move(i, to) }. */
export function createTabs(host) {
  const bar = el('div', 'cm-netpol-files');
  const list = el('div', 'cm-netpol-tablist');
  list.setAttribute('role', 'tablist');
  const add = el('button', 'cm-netpol-file-add', '+');
  add.type = 'button';
  add.id = 'file-add';
  add.addEventListener('click', () => host.add());
  bar.append(list, add);
  const collapsed = new Set();
  let renaming = -1;
  let dragging = -1;

  function tabButton(i) {
    return list.querySelector(`[role="tab"][data-index="${i}"]`);
  }

  function focusTab(i) {
    const b = tabButton(i);
    if (b) b.focus();
  }

  function startRename(i) {
    renaming = i;
    render();
    const input = list.querySelector('input.cm-netpol-rename');
    if (input) {
      input.focus();
      const name = input.value;
      const dot = name.lastIndexOf('.');
      input.setSelectionRange(name.lastIndexOf('/') + 1, dot > name.lastIndexOf('/') ? dot : name.length);
    }
  }

  function endRename(i, value, commit) {
    if (renaming !== i) return;
    renaming = -1;
    if (commit) host.rename(i, value.trim());
    render();
    focusTab(host.active());
  }

  function onKey(e, i, n) {
    let to = null;
    if (e.altKey && e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      const j = e.key === 'ArrowLeft' ? i - 1 : i + 1;
      if (j >= 0 && j < n) { host.move(i, j); focusTab(j); }
      e.preventDefault();
      return;
    }
    if (e.key === 'ArrowLeft') to = visible().reverse().find((k) => k < i);
    else if (e.key === 'ArrowRight') to = visible().find((k) => k > i);
    else if (e.key === 'Home') to = visible()[0];
    else if (e.key === 'End') to = visible().pop();
    else if (e.key === 'F2') { e.preventDefault(); startRename(i); return; }
    else if (e.key === 'Delete' && n > 1) { e.preventDefault(); host.close(i); focusTab(host.active()); return; }
    else return;
    e.preventDefault();
    if (to !== undefined && to !== null) { host.activate(to); focusTab(to); }
  }

  /** Indices of the tabs shown (a collapsed folder hides its files but the open one). */
  function visible() {
    const files = host.files();
    const act = host.active();
    return files.map((_, i) => i).filter((i) => i === act || !collapsed.has(dirOf(files[i].name)));
  }

  function render() {
    // While a name is being typed the strip stays as it is (a redraw would take the
    // focus from the input); it is redrawn when the rename ends.
    if (renaming >= 0 && list.querySelector('input.cm-netpol-rename') === document.activeElement) return;
    const files = host.files();
    const act = host.active();
    const w = host.words();
    list.setAttribute('aria-label', w.files || 'Files');
    add.title = w.add || 'New file';
    add.setAttribute('aria-label', w.add || 'New file');
    list.replaceChildren();
    let dir = null;
    files.forEach((f, i) => {
      const d = dirOf(f.name);
      if (d && d !== dir) {
        const members = files.filter((g) => dirOf(g.name) === d).length;
        const toggle = el('button', 'cm-netpol-folder', `${collapsed.has(d) ? '▸' : '▾'} ${d} (${members})`);
        toggle.type = 'button';
        toggle.dataset.folder = d;
        toggle.setAttribute('aria-expanded', String(!collapsed.has(d)));
        toggle.title = collapsed.has(d) ? w.expand || 'Show the files' : w.collapse || 'Hide the files';
        toggle.addEventListener('click', () => {
          if (collapsed.has(d)) collapsed.delete(d); else collapsed.add(d);
          render();
        });
        list.appendChild(toggle);
      }
      dir = d;
      if (i !== act && d && collapsed.has(d)) return;
      const tab = el('div', 'cm-netpol-tab' + (i === act ? ' active' : ''));
      tab.setAttribute('role', 'presentation');
      if (renaming === i) {
        const input = el('input', 'cm-netpol-rename');
        input.value = f.name || f.label;
        input.setAttribute('aria-label', w.rename || 'Rename');
        input.spellcheck = false;
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') { e.preventDefault(); endRename(i, input.value, true); }
          else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); endRename(i, input.value, false); }
        });
        input.addEventListener('blur', () => endRename(i, input.value, true));
        tab.appendChild(input);
        list.appendChild(tab);
        return;
      }
      const b = el('button', 'cm-netpol-file');
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(i === act));
      b.tabIndex = i === act ? 0 : -1;
      b.dataset.index = String(i);
      b.dataset.name = f.name || '';
      b.title = `${f.name || f.label} — ${w.rename_hint || 'double-click or F2 to rename'}`;
      const label = el('span', 'cm-netpol-file-name' + (f.name ? '' : ' unnamed'), f.name ? baseOf(f.name) : f.label);
      b.appendChild(label);
      if (f.count) {
        const badge = el('span', `cm-netpol-file-badge ${f.severity}`, String(f.count));
        badge.setAttribute('aria-label', `${f.count} ${w.problems || 'problems'}`);
        b.appendChild(badge);
      }
      b.addEventListener('click', () => host.activate(i));
      b.addEventListener('dblclick', () => startRename(i));
      b.addEventListener('keydown', (e) => onKey(e, i, files.length));
      tab.appendChild(b);
      if (files.length > 1) {
        const x = el('button', 'cm-netpol-file-close', '×');
        x.type = 'button';
        x.tabIndex = -1;
        x.setAttribute('aria-label', `${w.close || 'Close'} ${f.name || f.label}`);
        x.title = w.close || 'Close';
        x.addEventListener('click', () => host.close(i));
        tab.appendChild(x);
      }
      tab.draggable = true;
      tab.addEventListener('dragstart', (e) => {
        dragging = i;
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('application/x-netpol-file', String(i));
      });
      tab.addEventListener('dragover', (e) => {
        if (dragging < 0) return;
        e.preventDefault();
        tab.classList.add('drop-target');
      });
      tab.addEventListener('dragleave', () => tab.classList.remove('drop-target'));
      tab.addEventListener('drop', (e) => {
        if (dragging < 0) return;
        e.preventDefault();
        e.stopPropagation();
        const from = dragging;
        dragging = -1;
        if (from !== i) host.move(from, i);
      });
      tab.addEventListener('dragend', () => { dragging = -1; });
      list.appendChild(tab);
    });
  }

  return {
    dom: bar,
    render,
    startRename,
    /** Folders hidden by default (a lesson's cluster), the one of the open file excepted. */
    collapse(dirs) {
      collapsed.clear();
      for (const d of dirs) collapsed.add(d);
    },
  };
}
