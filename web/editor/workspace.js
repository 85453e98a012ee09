// The workspace as text: a set of named files kept as ONE text with Helm's file markers
// (what `helm template` prints before each document): a `---` line, then a
// `# Source: NAME` line, then the file's body. Share links, localStorage, the worker and
// the lessons (web/src/lessons.rs `compose`) carry that one text, so they need no format
// of their own, and pasting `helm template` output gives files for free. A text without
// markers is one unnamed file, byte for byte the text as before.
//
// Only the canonical form is a marker (`---` alone on its line, `# Source: ` with one
// space, a name without spaces at its ends), so `join(split(x)) === x` for every text x
// with LF line breaks (the editor's): anything else is a comment in a file's body.
// Consecutive markers with the same name (Helm repeats the marker before each document
// of one template) stay in one file.

import { zipSync, strToU8 } from 'fflate';

const MARKER = /^---\n# Source: (\S(?:[^\n]*\S)?)\n/gm;

/** The header written before a named file's body. */
export function header(name) {
  return `---\n# Source: ${name}\n`;
}

/** Whether `name` can be a file's name (it must survive a round trip through a marker). */
export function validName(name) {
  return typeof name === 'string' && /^\S(?:[^\n]*\S)?$/.test(name) && !name.includes('\n');
}

/** The files of a text: `[{name, body}]`; `name` is null for the text before the first
 *  marker (only ever the first file; absent when empty). Line breaks are LF. */
export function split(text) {
  const marks = [];
  for (const m of text.matchAll(MARKER)) marks.push({ at: m.index, end: m.index + m[0].length, name: m[1] });
  if (!marks.length) return [{ name: null, body: text }];
  const files = [];
  if (marks[0].at > 0) files.push({ name: null, body: text.slice(0, marks[0].at) });
  for (let k = 0; k < marks.length; k++) {
    const until = k + 1 < marks.length ? marks[k + 1].at : text.length;
    const last = files[files.length - 1];
    if (k > 0 && last.name === marks[k].name) last.body += text.slice(marks[k].at, until);
    else files.push({ name: marks[k].name, body: text.slice(marks[k].end, until) });
  }
  return files;
}

/** Whether a file's body needs a line break before the next file's header. */
export function needsBreak(body, isLast) {
  return !isLast && body.length > 0 && !body.endsWith('\n');
}

/** The text of files (`[{name, body}]`, an unnamed file only first). */
export function join(files) {
  let out = '';
  files.forEach((f, i) => {
    if (f.name !== null) out += header(f.name);
    out += f.body;
    if (needsBreak(f.body, i === files.length - 1)) out += '\n';
  });
  return out;
}

/** `name` made different from every name in `taken` (`a.yaml`, `a-2.yaml`, ...). */
export function unique(name, taken) {
  if (!taken.includes(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 && dot > name.lastIndexOf('/') ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** The folder part of a name (`cluster/` of `cluster/utils.yaml`; '' for none). */
export function dirOf(name) {
  const i = name ? name.lastIndexOf('/') : -1;
  return i >= 0 ? name.slice(0, i + 1) : '';
}

/** The last part of a name (`utils.yaml` of `cluster/utils.yaml`). */
export function baseOf(name) {
  return name ? name.slice(name.lastIndexOf('/') + 1) : name;
}

/** A zip archive (Uint8Array) of files `[{name, body}]`, each under its name (an unnamed
 *  file as `fallback`; repeated names get `-2`, `-3`, ...). Stored with deflate. */
export function zip(files, fallback) {
  const entries = {};
  const taken = [];
  for (const f of files) {
    // A zip entry name is a relative path: no leading `/`, no `..` segment.
    const clean = (f.name || fallback).split('/').filter((p) => p && p !== '.' && p !== '..').join('/') || fallback;
    const name = unique(clean, taken);
    taken.push(name);
    entries[name] = strToU8(f.body);
  }
  return zipSync(entries, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}
