// The playground's build: one page, relative asset paths (it works from any static host or
// sub-folder), the rnnlab package resolved from this repository, every data set bundled. The
// server sends COOP/COEP so a threaded WebAssembly build can be used later, and every page
// carries a Content-Security-Policy that allows only its own origin (plus compiling
// WebAssembly): no inline script, no eval, no request elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/** The built page's policy (a meta tag, so it holds on any static host). */
export const CSP = [
  "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data: blob:",
  "worker-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'none'",
].join('; ');
/** The dev server's: Vite injects styles inline and reloads over a WebSocket. */
const CSP_DEV = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws://127.0.0.1:* ws://localhost:*");

/** Adds the policy to the built index.html. */
const cspMeta = {
  name: 'rnnlab-csp',
  transformIndexHtml: {
    order: /** @type {const} */ ('post'),
    handler(/** @type {string} */ html, /** @type {any} */ ctx) {
      return ctx.server ? html : html.replace('<head>', `<head>\n  <meta http-equiv="Content-Security-Policy" content="${CSP}">`);
    },
  },
};

/**
 * The dev server sends rnnlab's pthread worker script as it is: its transform would add an
 * `import` to a classic script (the threads build starts its pool's workers from it).
 */
const rawThreadsWorker = {
  name: 'rnnlab-threads-worker',
  configureServer(/** @type {import('vite').ViteDevServer} */ server) {
    const file = `${repo}dist/wasm/rnnlab-simd-threads.worker.js`;
    server.middlewares.use((req, res, next) => {
      if (!(req.url ?? '').split('?')[0].endsWith('/dist/wasm/rnnlab-simd-threads.worker.js') || !existsSync(file)) return next();
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-cache', ...isolationHeaders });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
    });
  },
};

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  root,
  base: './',
  resolve: {
    alias: [
      { find: /^rnnlab\/worker$/, replacement: `${repo}bindings/js/worker.js` },
      { find: /^rnnlab$/, replacement: `${repo}bindings/js/index.js` },
      // augurs' wasm files, bundled with the page (its package exports only the JS).
      { find: /^@bsull\/augurs\/(\w+_bg\.wasm)(\?url)?$/, replacement: `${repo}node_modules/@bsull/augurs/$1$2` },
    ],
  },
  plugins: [cspMeta, rawThreadsWorker],
  server: { headers: { ...isolationHeaders, 'Content-Security-Policy': CSP_DEV }, fs: { allow: [repo] }, host: '127.0.0.1' },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': CSP }, host: '127.0.0.1' },
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  worker: { format: 'es' },
});
