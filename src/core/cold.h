// RNNLAB_COLD: code that runs once per model (constructors, weight initialisation, inspection)
// in files compiled for speed because their per-step code lives there. The wasm module
// compiles such functions for size, as it does whole files off the per-step path
// (src/CMakeLists.txt, RNNLAB_WASM_SIZE_OPT; README.md, "Where the bytes go").
#pragma once

#if defined(__EMSCRIPTEN__) && defined(__clang__)
#define RNNLAB_COLD __attribute__((minsize))
#else
#define RNNLAB_COLD
#endif
