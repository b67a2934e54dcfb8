// The playground's build: one page, relative asset paths (it works from any static host or
// sub-folder), the rnnlab package resolved from this repository, every data set bundled. The
// server sends COOP/COEP so a threaded WebAssembly build can be used later.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

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
    ],
  },
  server: { headers: isolationHeaders, fs: { allow: [repo] }, host: '127.0.0.1' },
  preview: { headers: isolationHeaders, host: '127.0.0.1' },
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
  },
  worker: { format: 'es' },
});
