// Starts the playground's WebAssembly in this thread: the page's (web/loader.js) and the
// analysis worker's (web/worker.js) are the same binary, whose `main` mounts the app in a
// window and answers the page's requests in the worker. The built-in lessons
// (lessons.bin, made by web/build.rs) are read first into globalThis.netpolLessons
// (web/src/examples.rs); both files are fetched at once. Without its lessons the page
// still works (no built-in examples), so their fetch never fails the start.
import init from './netpol-web.js';

export function boot() {
  const here = (name) => new URL(name, import.meta.url);
  const lessons = fetch(here('lessons.bin'))
    .then((r) => (r.ok ? r.arrayBuffer() : new ArrayBuffer(0)))
    .catch(() => new ArrayBuffer(0));
  const wasm = fetch(here('netpol-web_bg.wasm'));
  return lessons.then((bytes) => {
    globalThis.netpolLessons = new Uint8Array(bytes);
    return init({ module_or_path: wasm });
  });
}
