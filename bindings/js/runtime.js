// One loaded WebAssembly module: its schema, its error status, the grow-only scratch buffer
// that carries bulk inputs, result copying and the registry that frees forgotten handles.
import { RnnlabError, fail } from './errors.js';
import { Schema, apiName } from './schema.js';

/** @typedef {Float32Array | Int32Array | Float64Array | Uint8Array} Staged */

const ALIGN = 16;

export class Runtime {
  /**
   * @param {any} M the Emscripten module (raw bound functions carry a `_` prefix)
   * @param {'simd' | 'baseline'} variant
   */
  constructor(M, variant) {
    this.M = M;
    this.variant = variant;
    /** The core's tables of options, error codes and the Status layout (schema.js). */
    this.schema = new Schema(M._schema());
    /** Byte address of the C++ Status block (boundary.h): error flag, then TrainResult. */
    this.statusAddress = M._statusAddress();
    const fields = this.schema.status.fields;
    const errorField = fields.find((f) => f.name === 'error');
    if (!errorField || errorField.type !== 'i32') fail('LOAD_FAILED', '', 'the module\'s Status block has no i32 error flag');
    /** HEAP32 index of the error flag. */
    this.errorIndex = (this.statusAddress + errorField.offset) >> 2;
    /** The TrainResult fields: [API name, heap index, 'i32' | 'f32']. */
    this.resultFields = fields.filter((f) => f !== errorField)
      .map((f) => /** @type {[string, number, string]} */ ([apiName(f.name), (this.statusAddress + f.offset) >> 2, f.type]));
    this.scratchAddress = 0;
    this.scratchBytes = 0;
    /** @type {Map<number, WeakRef<{dispose(): void}>>} live handles by id */
    this.live = new Map();
    this.nextId = 1;
    // Frees the C++ object of a wrapper that was garbage-collected without dispose().
    this.finalizer = new FinalizationRegistry((held) => {
      this.live.delete(held.id);
      try {
        held.handle.delete();
      } catch {
        // Already deleted: nothing to free.
      }
    });
  }

  /** Throws the stored C++ error if the latest call failed (reads memory, no wasm call). */
  check() {
    if (this.M.HEAP32[this.errorIndex] !== 0) throw this.takeError();
  }

  /** @returns {RnnlabError} */
  takeError() {
    const e = this.M._takeError();
    // The core names fields its own way ('hidden_sizes'); errors speak the API's ('hiddenSize').
    return new RnnlabError(e.code, this.schema.apiField(e.field), e.message);
  }

  /** The TrainResult of the latest training call: {loss, gradNorm, lr, steps}. */
  trainResult() {
    /** @type {Record<string, number>} */
    const r = {};
    for (const [name, index, type] of this.resultFields) r[name] = (type === 'i32' ? this.M.HEAP32 : this.M.HEAPF32)[index];
    return /** @type {{loss: number, gradNorm: number, lr: number, steps: number}} */ (r);
  }

  /**
   * Address of at least `bytes` bytes of scratch (grows the buffer only when needed, so the
   * steady state makes no call here).
   * @param {number} bytes
   */
  reserve(bytes) {
    if (bytes > this.scratchBytes || this.scratchAddress === 0) {
      const address = this.M._scratchReserve(bytes);
      this.check();
      this.scratchAddress = address;
      this.scratchBytes = this.M._scratchCapacity();
    }
    return this.scratchAddress;
  }

  /**
   * Lays out the given arrays one after another (16-byte aligned) in scratch and copies them
   * in. Returns their addresses; a null entry gets address 0 (C++ reads it as "absent").
   * @param {(Staged | null | undefined)[]} arrays
   * @returns {number[]}
   */
  stage(arrays) {
    const offsets = [];
    let total = 0;
    for (const a of arrays) {
      offsets.push(total);
      if (a) total += Math.ceil(a.byteLength / ALIGN) * ALIGN;
    }
    const base = this.reserve(total);
    const M = this.M;
    return arrays.map((a, i) => {
      if (!a) return 0;
      const at = base + offsets[i];
      if (a instanceof Float32Array) M.HEAPF32.set(a, at >> 2);
      else if (a instanceof Int32Array) M.HEAP32.set(a, at >> 2);
      else if (a instanceof Float64Array) M.HEAPF64.set(a, at >> 3);
      else M.HEAPU8.set(a, at);
      return at;
    });
  }

  /**
   * Copies a result view out of wasm memory. A view made before the memory grew is
   * detached (length 0); that would be a bug in the bindings, so it is reported as one.
   * @template {Float32Array | Int32Array | Float64Array | Uint8Array} T
   * @param {T} view
   * @param {number} [expected] the length the result must have
   * @returns {T}
   */
  copy(view, expected) {
    if (expected !== undefined && view.length !== expected) {
      fail('INTERNAL', '', `a result had ${view.length} values instead of ${expected} (detached view?)`);
    }
    return /** @type {T} */ (view.slice());
  }

  /** Bytes of the WebAssembly memory. */
  memoryBytes() {
    return this.M.HEAPU8.buffer.byteLength;
  }

  /**
   * Tracks a handle: `wrapper` is what users hold, `handle` the embind object to delete.
   * @param {{dispose(): void}} wrapper
   * @param {{delete(): void}} handle
   * @returns {number} id for untrack()
   */
  track(wrapper, handle) {
    const id = this.nextId++;
    this.live.set(id, new WeakRef(wrapper));
    this.finalizer.register(wrapper, { id, handle }, wrapper);
    return id;
  }

  /**
   * Frees a tracked handle now.
   * @param {{dispose(): void}} wrapper
   * @param {{delete(): void}} handle
   * @param {number} id
   */
  release(wrapper, handle, id) {
    this.finalizer.unregister(wrapper);
    this.live.delete(id);
    handle.delete();
  }

  /** Disposes every live handle of this module; returns how many. */
  disposeAll() {
    let n = 0;
    for (const ref of [...this.live.values()]) {
      const w = ref.deref();
      if (w) {
        w.dispose();
        n++;
      }
    }
    return n;
  }
}
