// The analysis worker (a module worker, started by web/src/bridge.rs): it runs the page's
// own WebAssembly, which the browser has already fetched (web/boot.js, web/src/worker.rs).
import { boot } from './boot.js';

boot().catch((e) => {
  // The page's bridge restarts a worker that reports an error.
  setTimeout(() => {
    throw e;
  });
});
