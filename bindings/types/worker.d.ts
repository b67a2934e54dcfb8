// Type definitions for rnnlab/worker 0.1.0 (hand-written; they describe bindings/js/worker.js).
import type {
  EvaluateOptions,
  FitHistory,
  FitOptions,
  FloatInput,
  Forecast,
  ForecastFitOptions,
  ForecastReport,
  ForecasterOptions,
  GenerateOptions,
  HeapStats,
  InitOptions,
  Inspection,
  IntInput,
  KerasExport,
  ModelConfig,
  ModelDataset,
  ModelOptions,
  Seq2SeqConfig,
  Seq2SeqDataset,
  Seq2SeqInspectOptions,
  Seq2SeqInspection,
  Seq2SeqOnnx,
  Seq2SeqOptions,
  Tensor,
  TrainBatchOptions,
  TrainOptions,
  TranslateOptions,
  Weights,
  WeightsOut,
} from './index.js';

export { RnnlabError } from './index.js';

/**
 * Where and how the worker loads rnnlab. Functions cannot cross into a worker, so there is no
 * `locateFile` here: give `wasmUrl` or `wasmBinary` instead.
 */
export interface WorkerOptions {
  /** Which build the worker loads, as {@link InitOptions.simd} (default `'auto'`). */
  simd?: InitOptions['simd'];
  /** Threads of the worker's core, as {@link InitOptions.threads} (default `'auto'`). */
  threads?: InitOptions['threads'];
  /**
   * URL (in Node a path or `file:` URL) of the `.wasm` file, resolved inside the worker (give
   * an absolute URL); needs `simd: true` or `false`.
   */
  wasmUrl?: string | URL;
  /** The `.wasm` bytes themselves (copied to the worker); needs `simd: true` or `false`. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * URL of the package's `bindings/js/worker_entry.js` when a bundler or server moved it
   * (default: next to worker.js, `new URL('./worker_entry.js', import.meta.url)`, which Vite and
   * webpack 5 follow). In Node a path or `file:` URL.
   */
  workerUrl?: string | URL;
}

/**
 * Starts a worker (a module Web Worker in browsers, a `worker_threads` worker in Node >= 20.16),
 * loads rnnlab in it and creates a model there with the options of `rnn.createModel()`.
 * Rejects with an {@link RnnlabError}: `INVALID_CONFIG` for a bad option (the worker is then
 * ended), `LOAD_FAILED` if the worker cannot start (a bad `workerUrl`; field `workerUrl`), dies
 * before the model exists, or cannot load the WebAssembly module.
 */
export declare function createWorkerModel(options?: ModelOptions, workerOptions?: WorkerOptions): Promise<WorkerModel>;

/**
 * Starts a worker and loads a model saved by `model.save()` (or {@link WorkerModel.save})
 * there. The bytes are copied. Rejects with `BAD_MODEL_FILE` / `UNSUPPORTED_VERSION` for bytes
 * it cannot read.
 */
export declare function loadWorkerModel(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, workerOptions?: WorkerOptions): Promise<WorkerModel>;

/**
 * A model living in its own worker: the methods of `Model`, each returning a promise, so
 * training never blocks the calling thread (for UIs). Arguments are copied (the caller's arrays
 * stay usable); results are handed over without a copy. Errors reject as {@link RnnlabError}
 * with `code` and `field`, exactly as `Model` throws them. Calls are answered in order; while
 * fit() trains, other calls run between its batches (trainBatch, fit and setWeights are refused
 * with `INVALID_STATE`, as on the main thread). If the worker goes away (its thread exits, throws
 * an uncaught error, or is terminated), every pending call and every later one rejects with
 * `INTERNAL` ("the rnnlab worker stopped: ..."), `dispose()` still resolves, and a new worker
 * model can be created at once. Free it with {@link WorkerModel.dispose}, which
 * also ends the worker; an idle worker does not keep Node running.
 */
export declare class WorkerModel {
  private constructor();
  /** The configuration (createModel's option names). Throws `DISPOSED` after dispose(). */
  readonly config: ModelConfig;
  /** Number of trainable parameters. Throws `DISPOSED` after dispose(). */
  readonly parameterCount: number;
  /** The metadata string stored with a loaded model ('' for a new one). */
  readonly metadata: string;
  /** Whether the worker loaded the SIMD build. */
  readonly simd: boolean;
  /**
   * Threads of the worker's core pool (`Rnnlab.threads` in the worker): more than 1 only where it
   * loaded the threads build (`rnnlab-simd-threads`).
   */
  readonly threads: number;
  /** Whether dispose() was called. */
  readonly disposed: boolean;
  /** One optimizer step on one batch, as `Model.trainBatch`; resolves with the batch's mean loss. */
  trainBatch(x: FloatInput | IntInput, y: FloatInput | IntInput, options?: TrainBatchOptions): Promise<number>;
  /**
   * Trains in the worker, as `Model.fit`; resolves with the loss history. `onBatchEnd` and
   * `onEpochEnd` run on the calling thread, and training waits until each returns (or its
   * promise settles); a callback that throws ends fit, which rejects with that very error.
   * `signal` (an AbortSignal) is relayed: training stops before the next batch and resolves
   * with `aborted: true`.
   */
  fit(data: ModelDataset, options?: FitOptions): Promise<FitHistory>;
  /** Mean loss over one batch without training, as `Model.evaluate`. */
  evaluate(x: FloatInput | IntInput, y: FloatInput | IntInput, options?: EvaluateOptions): Promise<number>;
  /** Batched inference from zero state, as `Model.predict`. */
  predict(x: FloatInput | IntInput): Promise<Tensor>;
  /** Zeroes the carried state for `batch` rows (default 1), as `Model.resetState`. */
  resetState(batch?: number): Promise<void>;
  /** One time step from the carried state, as `Model.step`. */
  step(x: FloatInput | IntInput): Promise<Float32Array>;
  /** Autoregressive forecast, as `Model.forecast`. */
  forecast(window: FloatInput, steps: number): Promise<Float32Array>;
  /** Samples token ids after a prime, as `Model.generate`. */
  generate(options: GenerateOptions): Promise<Int32Array>;
  /** The next-token distribution after `prime`, as `Model.nextTokenProbabilities`. */
  nextTokenProbabilities(prime: IntInput, options?: { temperature?: number }): Promise<Float32Array>;
  /** States, gates and per-step gradient norms of one batch, as `Model.inspect`. */
  inspect(x: FloatInput | IntInput, y?: FloatInput | IntInput, options?: { mask?: FloatInput }): Promise<Inspection>;
  /** Copies of every weight in PyTorch's names and layouts, as `Model.getWeights`. */
  getWeights(): Promise<WeightsOut>;
  /** Sets every weight bit-exactly, as `Model.setWeights`. */
  setWeights(weights: Weights): Promise<void>;
  /** The model as versioned bytes, as `Model.save` (`rnn.loadModel` and {@link loadWorkerModel} read them). */
  save(options?: { metadata?: string }): Promise<Uint8Array>;
  /** The model as ONNX bytes, as `Model.exportOnnx` (weights from the worker, converted on this thread). */
  exportOnnx(options?: { state?: boolean }): Promise<Uint8Array>;
  /** The model as a TF.js LayersModel, as `Model.exportKeras`. */
  exportKeras(): Promise<KerasExport>;
  /** Heap statistics of the worker's WebAssembly module, as `rnn.heapStats()`. */
  heapStats(): Promise<HeapStats>;
  /**
   * Frees the model in the worker and terminates the worker. Requests still pending (a running
   * fit included) reject with `DISPOSED`, and so does every later call. Idempotent: later calls
   * return the same promise. A proxy that is garbage-collected without dispose() has its worker
   * terminated.
   */
  dispose(): Promise<void>;
}

/** Starts a worker, loads rnnlab there and creates a forecaster in it (as `rnn.createForecaster()`). */
export declare function createWorkerForecaster(options?: ForecasterOptions, workerOptions?: WorkerOptions): Promise<WorkerForecaster>;

/** Starts a worker and loads a forecaster saved by `save()` in it. */
export declare function loadWorkerForecaster(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, workerOptions?: WorkerOptions): Promise<WorkerForecaster>;

/**
 * A {@link Forecaster} living in its own worker, so fitting never blocks a page. The same
 * methods, returning promises; `onProgress` runs on the calling thread.
 */
export declare class WorkerForecaster {
  private constructor();
  /** Whether the worker loaded the SIMD build. */
  readonly simd: boolean;
  /**
   * Threads of the worker's core pool (`Rnnlab.threads` in the worker): more than 1 only where it
   * loaded the threads build (`rnnlab-simd-threads`).
   */
  readonly threads: number;
  /** Whether dispose() was called. */
  readonly disposed: boolean;
  /** Fits in the worker; resolves with the report. */
  fit(values: ArrayLike<number | null> | number[] | Float32Array | Float64Array, options?: ForecastFitOptions): Promise<ForecastReport>;
  /** Forecasts `h` steps past the end. */
  forecast(h: number, options?: { levels?: number[] }): Promise<Forecast>;
  /** What it chose and why. */
  describe(): Promise<ForecastReport>;
  /** The fitted forecaster as bytes. */
  save(): Promise<Uint8Array>;
  /** Heap statistics of the worker's WebAssembly module, as `rnn.heapStats()`. */
  heapStats(): Promise<HeapStats>;
  /** Frees it and terminates the worker. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * Starts a worker, loads rnnlab in it and creates an encoder-decoder there with the options of
 * `rnn.createSeq2Seq()`. Rejects as {@link createWorkerModel} does (`INVALID_CONFIG` for a bad
 * option, `TOO_LARGE` above the parameter cap, `LOAD_FAILED` if the worker cannot start).
 */
export declare function createWorkerSeq2Seq(options: Seq2SeqOptions, workerOptions?: WorkerOptions): Promise<WorkerSeq2Seq>;

/**
 * Starts a worker and loads an encoder-decoder saved by `seq2seq.save()` (or
 * {@link WorkerSeq2Seq.save}) there. The bytes are copied. Rejects with `BAD_MODEL_FILE` /
 * `UNSUPPORTED_VERSION` for bytes it cannot read (a Model's file included).
 */
export declare function loadWorkerSeq2Seq(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, workerOptions?: WorkerOptions): Promise<WorkerSeq2Seq>;

/**
 * An encoder-decoder living in its own worker: the methods of `Seq2Seq`, each returning a
 * promise, with the failure semantics of {@link WorkerModel}: errors reject as
 * {@link RnnlabError} exactly as `Seq2Seq` throws them; calls are answered in order, and run
 * between fit()'s batches; if the worker goes away every pending and later call rejects with
 * `INTERNAL`; dispose() frees it and ends the worker; an idle worker does not keep Node running.
 */
export declare class WorkerSeq2Seq {
  private constructor();
  /** The configuration (createSeq2Seq's option names). Throws `DISPOSED` after dispose(). */
  readonly config: Seq2SeqConfig;
  /** Number of trainable parameters. Throws `DISPOSED` after dispose(). */
  readonly parameterCount: number;
  /** The metadata string stored with a loaded model ('' for a new one). */
  readonly metadata: string;
  /** Whether the worker loaded the SIMD build. */
  readonly simd: boolean;
  /**
   * Threads of the worker's core pool (`Rnnlab.threads` in the worker): more than 1 only where it
   * loaded the threads build (`rnnlab-simd-threads`).
   */
  readonly threads: number;
  /** Whether dispose() was called. */
  readonly disposed: boolean;
  /** One optimizer step with teacher forcing, as `Seq2Seq.trainBatch`; resolves with the batch's mean loss. */
  trainBatch(x: IntInput, y: IntInput, options?: TrainOptions & { mask?: FloatInput }): Promise<number>;
  /**
   * Trains in the worker, as `Seq2Seq.fit`; callbacks run on the calling thread and are
   * awaited, `signal` is relayed (as {@link WorkerModel.fit}).
   */
  fit(data: Seq2SeqDataset, options?: FitOptions): Promise<FitHistory>;
  /** Mean cross-entropy over one batch without training, as `Seq2Seq.evaluate`. */
  evaluate(x: IntInput, y: IntInput, options?: { mask?: FloatInput }): Promise<number>;
  /**
   * Greedy decoding, as `Seq2Seq.translate`: one sequence (a flat array) resolves with its
   * emitted ids, a batch with `{data, shape: [batch, maxLength]}`.
   */
  translate(ids: Int32Array | number[], options?: TranslateOptions): Promise<Int32Array>;
  translate(ids: Tensor<Int32Array | ArrayLike<number>> | number[][], options?: TranslateOptions): Promise<Tensor<Int32Array>>;
  /** States, gates and per-step gradient norms of the encoder and the decoder, as `Seq2Seq.inspect`. */
  inspect(x: IntInput, y?: IntInput, options?: Seq2SeqInspectOptions): Promise<Seq2SeqInspection>;
  /** Copies of every weight, as `Seq2Seq.getWeights`. */
  getWeights(): Promise<WeightsOut>;
  /** Sets every weight bit-exactly, as `Seq2Seq.setWeights`. */
  setWeights(weights: Weights): Promise<void>;
  /** The model as versioned bytes, as `Seq2Seq.save` (`rnn.loadSeq2Seq` and {@link loadWorkerSeq2Seq} read them). */
  save(options?: { metadata?: string }): Promise<Uint8Array>;
  /**
   * The encoder and the decoder as two ONNX models, as `Seq2Seq.exportOnnx` (the weights come
   * from the worker; the conversion runs on the calling thread).
   */
  exportOnnx(): Promise<Seq2SeqOnnx>;
  /** Heap statistics of the worker's WebAssembly module, as `rnn.heapStats()`. */
  heapStats(): Promise<HeapStats>;
  /** Frees the model in the worker and ends the worker, as {@link WorkerModel.dispose}. */
  dispose(): Promise<void>;
}
