// Starts the playground's WebAssembly in this thread: the page's (web/loader.js) and the
// analysis worker's (web/worker.js) are the same binary, whose `main` mounts the app in a
// window and answers the page's requests in the worker. The built-in lessons
// (lessons.json, made by web/build.rs) are read first into globalThis.netpolLessons
// (web/src/examples.rs); both files are fetched at once. Without its lessons the page
// still works (no built-in examples), so their fetch never fails the start.
import init from './netpol-web.js';

export function boot() {
  const here = (name) => new URL(name, import.meta.url);
  const lessons = fetch(here('lessons.json'))
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  const wasm = fetch(here('netpol-web_bg.wasm'));
  return lessons.then((text) => {
    globalThis.netpolLessons = text;
    return init({ module_or_path: wasm });
  });
}
