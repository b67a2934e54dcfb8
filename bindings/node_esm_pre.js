// Emscripten 3.1.6's ES-module glue assumes CommonJS under Node (require, __dirname), names
// the .wasm by a file: URL that fs cannot open, and fetch()es it when fetch exists (Node >= 18).
// Under Node only: provide those names, resolve the .wasm next to this file as a path, and
// hide fetch so it is read from disk. Browsers and workers keep their own fetch.
// `var` is hoisted to the whole module factory, so every name declared here must keep its
// usual value outside Node: a `var fetch` inside an `if (node)` block would leave fetch
// undefined in browsers too (and the page could not load the .wasm).
// (No `import.meta` here: the minifier of this Emscripten version rejects it; _scriptDir
// holds import.meta.url in the ES6 glue.)
var rnnlabInNode = typeof process === 'object' && !!process.versions && !!process.versions.node;
var fetch = rnnlabInNode ? undefined : globalThis.fetch;
var require = !rnnlabInNode
  ? undefined
  : process.getBuiltinModule
    ? process.getBuiltinModule.bind(process)
    : function () { throw new Error('rnnlab needs Node >= 20.16 (process.getBuiltinModule)'); };
var __dirname = rnnlabInNode ? require('path').dirname(require('url').fileURLToPath(_scriptDir)) : undefined;
if (rnnlabInNode && !Module['locateFile']) Module['locateFile'] = function (path, dir) { return dir + path; };
