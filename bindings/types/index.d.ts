// Type definitions for rnnlab 0.1.0 (hand-written; they describe bindings/js/*.js exactly).

/**
 * Every code an {@link RnnlabError} can carry. The first eight come from the C++ core; the
 * others from the JS layer and the WebAssembly boundary.
 */
export type RnnlabErrorCode =
  | 'INVALID_CONFIG'
  | 'SHAPE_MISMATCH'
  | 'NON_FINITE_DATA'
  | 'TOO_LARGE'
  | 'NON_FINITE_LOSS'
  | 'BAD_MODEL_FILE'
  | 'UNSUPPORTED_VERSION'
  | 'INVALID_STATE'
  | 'INVALID_ARGUMENT'
  | 'DISPOSED'
  | 'OUT_OF_MEMORY'
  | 'LOAD_FAILED'
  | 'INTERNAL'
  | 'ABORTED';

/** The list of every {@link RnnlabErrorCode}, in the order above. */
export declare const ERROR_CODES: readonly RnnlabErrorCode[];

/**
 * The error rnnlab throws (callbacks' own errors pass through unchanged). A real `Error`
 * whose `message` starts with the field at fault, e.g.
 * `hiddenSize: must be an integer in [1, 8192], got 0`.
 */
export declare class RnnlabError extends Error {
  /** Creates an error; rnnlab makes these itself, users rarely need to. */
  constructor(code: RnnlabErrorCode, field: string, message: string);
  /** Always `'RnnlabError'`. */
  readonly name: 'RnnlabError';
  /** What kind of problem it is. */
  readonly code: RnnlabErrorCode;
  /** The option or argument at fault, e.g. `'hiddenSize'` or `'optimizer.lr'` (`''` if none). */
  readonly field: string;
  /** Set on errors that end {@link Model.fit}: the history up to the failure. */
  history?: FitHistory;
}

/** The package version, e.g. `'0.1.0'`. */
export declare const VERSION: string;

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * Which build to load: `'auto'` (default) picks the SIMD build where the runtime validates
   * WebAssembly SIMD and exception handling and falls back to the baseline build otherwise;
   * `true` insists on SIMD (rejects with `LOAD_FAILED` without it); `false` loads the baseline.
   */
  simd?: boolean | 'auto';
  /**
   * Threads of the core's pool (1-4). `'auto'` (default): where `SharedArrayBuffer` exists and
   * the page is cross-origin isolated (COOP/COEP; always in Node), the SIMD build with
   * `-pthread` and as many threads as the runtime reports cores, at most 4; one thread
   * otherwise, silently. A number > 1 insists (rejects with `LOAD_FAILED` where threads are
   * unavailable). Results are identical whatever the count.
   */
  threads?: number | 'auto';
  /**
   * Maps a file name the glue asks for (`'rnnlab-simd.wasm'`) and the directory of the glue to
   * the URL (or, in Node, the path) to load it from. For bundlers that move assets.
   */
  locateFile?: (path: string, prefix: string) => string;
  /** URL (or Node path / `file:` URL) of the `.wasm` file; needs `simd: true` or `false`. */
  wasmUrl?: string | URL;
  /** The `.wasm` bytes themselves (no fetch at all); needs `simd: true` or `false`. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/**
 * Loads the WebAssembly module (once per realm and build: later calls resolve with the same
 * object) and resolves with the API. Works in Node >= 20.16, browser pages and Web Workers.
 * Rejects with an {@link RnnlabError} `LOAD_FAILED` if the module cannot be loaded.
 */
export declare function init(options?: InitOptions): Promise<Rnnlab>;

/** Numeric data with an explicit shape (row-major, outermost dimension first). */
export interface Tensor<T extends ArrayLike<number> = Float32Array> {
  /** The values, row-major. */
  data: T;
  /** The dimensions, e.g. `[batch, steps, features]`. */
  shape: number[];
}

/** Nested arrays of numbers (rectangular; the shape is inferred). */
export type NestedArray = number[] | NestedArray[];

/**
 * Real-valued data: `{data, shape}`, a typed array or a (nested) array of numbers. A flat
 * array has no shape; each function says how it reads one.
 */
export type FloatInput = Tensor<Float32Array | Float64Array | ArrayLike<number>> | Float32Array | Float64Array | NestedArray;

/**
 * Integer ids: `{data, shape}`, an Int32Array (or another integer typed array) or a (nested)
 * array of integers. Float arrays are rejected.
 */
export type IntInput =
  | Tensor<Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array | ArrayLike<number>>
  | Int32Array | Int16Array | Int8Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array
  | NestedArray;

/** Options of {@link Rnnlab.createModel}. Every option is optional. */
export interface ModelOptions {
  /** Recurrent cell (default `'lstm'`). */
  cell?: 'rnn' | 'lstm' | 'gru';
  /**
   * Where a GRU applies its reset gate (default `'pytorch'`, as PyTorch, Keras `reset_after`
   * and ONNX `linear_before_reset=1`; `'classic'` as TF.js). Only with `cell: 'gru'`.
   */
  gruVariant?: 'pytorch' | 'classic';
  /** Features per time step, 1..65536 (default 1). Not with `vocabSize`. */
  inputSize?: number;
  /** Hidden units, or one entry per stacked layer (1..16 layers of 1..8192; default `[32]`). */
  hiddenSize?: number | number[];
  /**
   * Outputs per prediction, 1..2^20 (default 1; with `head: 'softmax'` and `vocabSize`, the
   * vocabulary size). A softmax head needs at least 2.
   */
  outputSize?: number;
  /** `'last'` (default): one prediction per sequence; `'sequence'`: one per time step. */
  output?: 'last' | 'sequence';
  /** `'linear'` (default, regression) or `'softmax'` (classification / next token). */
  head?: 'linear' | 'softmax';
  /** Number of token ids, 1..2^20: the model then takes integer ids instead of features. */
  vocabSize?: number;
  /**
   * How ids enter the network: a learned `'embedding'` (default with `vocabSize`) or
   * `'onehot'`; `'features'` (the default without `vocabSize`) for real-valued input.
   */
  inputEncoding?: 'features' | 'embedding' | 'onehot';
  /** Width of the embedding, 1..65536 (default min(vocabSize, 64)). Only with an embedding. */
  embeddingSize?: number;
  /** Dropout between stacked layers while training, in [0, 1) (default 0). */
  dropout?: number;
  /** Seed of the weight initialisation and dropout, an integer in [0, 2^53) (default 42). */
  seed?: number;
}

/** A model's configuration as {@link Model.config} reports it (createModel's option names). */
export interface ModelConfig {
  /** Recurrent cell. */
  readonly cell: 'rnn' | 'lstm' | 'gru';
  /** GRU reset-gate placement (GRU models only). */
  readonly gruVariant?: 'pytorch' | 'classic';
  /** How the input enters the network. */
  readonly inputEncoding: 'features' | 'embedding' | 'onehot';
  /** Features per step (feature models only). */
  readonly inputSize?: number;
  /** Number of token ids (token models only). */
  readonly vocabSize?: number;
  /** Embedding width, resolved (embedding models only). */
  readonly embeddingSize?: number;
  /** Hidden units per layer. */
  readonly hiddenSize: readonly number[];
  /** Outputs per prediction. */
  readonly outputSize: number;
  /** One prediction per sequence or per step. */
  readonly output: 'last' | 'sequence';
  /** Regression or classification head. */
  readonly head: 'linear' | 'softmax';
  /** Dropout between layers. */
  readonly dropout: number;
  /** Initialisation seed. */
  readonly seed: number;
}

/** A learning-rate schedule, stepped once per optimizer step (as torch's StepLR / CosineAnnealingLR). */
export interface ScheduleOptions {
  /** `'constant'` (default), `'step'` (lr * gamma^floor(step / stepSize)) or `'cosine'`. */
  name?: 'constant' | 'step' | 'cosine';
  /** `'step'`: optimizer steps between decays, an integer >= 1 (default 100). */
  stepSize?: number;
  /** `'step'`: decay factor > 0 (default 0.5). */
  gamma?: number;
  /** `'cosine'`: steps of the half period, an integer >= 1 (default 1000). */
  tMax?: number;
  /** `'cosine'`: the final learning rate, >= 0 (default 0). */
  etaMin?: number;
}

/** An optimizer; hyper-parameters and update rules follow torch.optim. */
export interface OptimizerOptions {
  /** `'adam'` (default), `'adamw'`, `'sgd'` or `'rmsprop'`. */
  name?: 'sgd' | 'rmsprop' | 'adam' | 'adamw';
  /** Learning rate >= 0 (default 1e-3). */
  lr?: number;
  /** `'sgd'`, `'rmsprop'`: momentum in [0, 1) (default 0). */
  momentum?: number;
  /** `'sgd'`: Nesterov momentum (needs momentum > 0; default false). */
  nesterov?: boolean;
  /** `'adam'`, `'adamw'`: first-moment decay in [0, 1) (default 0.9). */
  beta1?: number;
  /** `'adam'`, `'adamw'`: second-moment decay in [0, 1) (default 0.999). */
  beta2?: number;
  /** `'adam'`, `'adamw'`, `'rmsprop'`: denominator epsilon > 0 (default 1e-8). */
  eps?: number;
  /** `'rmsprop'`: smoothing in [0, 1) (default 0.99). */
  alpha?: number;
  /** Weight decay >= 0: L2 for sgd/rmsprop/adam, decoupled for adamw (default 0; adamw 0.01). */
  weightDecay?: number;
  /** Learning-rate schedule (default constant). */
  schedule?: ScheduleOptions;
}

/** Options of every training call. */
export interface TrainOptions {
  /** The optimizer, or just its name. Its state (e.g. Adam moments) persists across calls while its name is unchanged. */
  optimizer?: OptimizerOptions | OptimizerOptions['name'];
  /** Loss (default from the head: `'mse'` for linear, `'crossentropy'` for softmax). */
  loss?: 'auto' | 'mse' | 'huber' | 'crossentropy';
  /** `loss: 'huber'`: the transition point > 0 (default 1). */
  huberDelta?: number;
  /** Clip the global gradient norm to this (> 0); 0 (default) turns clipping off. */
  clipNorm?: number;
  /** Truncated BPTT: chunk length in steps, one optimizer step per chunk; 0 (default) = full BPTT. */
  tbptt?: number;
  /** Carry the final state into the next call (consecutive batches of one long sequence; default false). */
  stateful?: boolean;
}

/** Options of {@link Model.trainBatch}. */
export interface TrainBatchOptions extends TrainOptions {
  /** Weights >= 0 per output step: [batch] (`output: 'last'`) or [batch, steps]; 0 marks padding. */
  mask?: FloatInput;
}

/** What {@link FitOptions.onBatchEnd} receives. */
export interface BatchInfo {
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Samples in this batch. */
  size: number;
  /** The batch's mean loss. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Learning rate used. */
  lr: number;
}

/** What {@link FitOptions.onEpochEnd} receives. */
export interface EpochInfo {
  /** 0-based epoch. */
  epoch: number;
  /** Epochs requested. */
  epochs: number;
  /** Mean training loss of the epoch (sample-weighted over its batches). */
  loss: number;
  /** Validation loss after the epoch (undefined without validationSplit). */
  valLoss: number | undefined;
  /** Milliseconds since fit() started. */
  elapsedMs: number;
}

/** Options of {@link Model.fit} and {@link Seq2Seq.fit}. */
export interface FitOptions extends TrainOptions {
  /** Passes over the training samples, an integer >= 1 (default 1). */
  epochs?: number;
  /** Samples per optimizer step (default 32); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /**
   * Share in [0, 1) of the samples, taken from the end (chronologically last), held out for
   * validation; they are never shuffled into training (default 0).
   */
  validationSplit?: number;
  /** Shuffle the training samples every epoch (default true, false with stateful). */
  shuffle?: boolean;
  /** Seed of the shuffling, an integer in [0, 2^53) (default 1). */
  seed?: number;
  /** Called after every epoch; may return a promise, which is awaited. */
  onEpochEnd?: (info: EpochInfo) => void | Promise<void>;
  /** Called after every batch; may return a promise, which is awaited. */
  onBatchEnd?: (info: BatchInfo) => void | Promise<void>;
  /** Stops training between batches; fit() then resolves with the history so far, `aborted: true`. */
  signal?: AbortSignal;
}

/** What fit() resolves with. */
export interface FitHistory {
  /** Training loss per completed epoch. */
  loss: number[];
  /** Validation loss per completed epoch (empty without validationSplit). */
  valLoss: number[];
  /** Completed epochs. */
  epochs: number;
  /** Whether the signal stopped training early. */
  aborted: boolean;
}

/** A training set for {@link Model.fit}. */
export interface ModelDataset {
  /** Inputs, as for {@link Model.trainBatch}; the first dimension counts samples. */
  x: FloatInput | IntInput;
  /** Targets, as for {@link Model.trainBatch}. */
  y: FloatInput | IntInput;
  /** Optional per-output-step weights, as {@link TrainBatchOptions.mask}. */
  mask?: FloatInput;
}

/** Options of {@link Model.evaluate}. */
export interface EvaluateOptions {
  /** Weights per output step, as {@link TrainBatchOptions.mask}. */
  mask?: FloatInput;
  /** Loss (default from the head). */
  loss?: 'auto' | 'mse' | 'huber' | 'crossentropy';
  /** `loss: 'huber'`: transition point (default 1). */
  huberDelta?: number;
}

/** Options of {@link Model.generate}. */
export interface GenerateOptions {
  /** Token ids to start from (at least one). */
  prime: IntInput;
  /** Number of new ids to sample, 0..2^24. */
  length: number;
  /** Softmax temperature > 0; lower is greedier (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 (default) keeps all. */
  topK?: number;
  /** Keep the smallest set of tokens with this much probability, in (0, 1] (default 1). */
  topP?: number;
  /** Sampling seed, an integer in [0, 2^53) (default 1). */
  seed?: number;
}

/**
 * One recurrent layer's trace in {@link Inspection} and {@link Seq2SeqInspection}. B = batch,
 * T = steps (a Seq2Seq encoder's source steps, its decoder's target steps), H = hidden.
 */
export interface LayerInspection {
  /** H, the layer's hidden units. */
  hidden: number;
  /** Hidden states h_t, shape [B, T, H]. */
  h: Tensor;
  /** LSTM cell states c_t, shape [B, T, H]; null for GRU and RNN layers. */
  c: Tensor | null;
  /**
   * Gate activations, shape [B, T, G*H] with the G gates of `names` side by side
   * (LSTM i, f, g, o; GRU r, z, n; RNN h, the state itself).
   */
  gates: Tensor & { names: string[] };
  /** Per step ||dL/dh_t|| (root mean square over the batch), length T. */
  gradNorm: Float32Array;
}

/** What {@link Model.inspect} returns. */
export interface Inspection {
  /** The loss with targets; without, the quantity differentiated (see inspect). */
  loss: number;
  /** The output, as {@link Model.predict} returns it. */
  output: Tensor;
  /** One entry per recurrent layer, bottom first. */
  layers: LayerInspection[];
}

/**
 * What {@link Seq2Seq.inspect} returns (all batch-major). B = batch, Ts = source steps,
 * Tt = target steps, V = outputVocab.
 */
export interface Seq2SeqInspection {
  /**
   * Mean cross-entropy of `target` under teacher forcing: with y, what
   * {@link Seq2Seq.evaluate} returns for the same batch; without, the greedy translation's
   * mean negative log-likelihood per emitted token.
   */
  loss: number;
  /** The decoder's output probabilities at each target step, shape [B, Tt, V]. */
  output: Tensor;
  /**
   * The ids scored, shape [B, Tt]: y as given, or the greedy translation (Tt = the steps
   * decoded, at most maxLength; -1 after each row's stop token, those steps not scored).
   */
  target: Tensor<Int32Array>;
  /**
   * The encoder's layers, bottom first, over the Ts source steps. Its gradNorm is what flows
   * back from the decoder through the hand-off of the final state (the loss reaches the
   * encoder no other way): how much of the error gets back to the first source tokens.
   */
  encoder: LayerInspection[];
  /** The decoder's layers, bottom first, over the Tt target steps. */
  decoder: LayerInspection[];
}

/** Options of {@link Seq2Seq.inspect}. */
export interface Seq2SeqInspectOptions {
  /** Weights [batch, targetSteps] as in {@link Seq2Seq.evaluate}; only with targets y. */
  mask?: FloatInput;
  /** Without targets: tokens the greedy translation emits at most (as in translate, default 32). */
  maxLength?: number;
  /** Without targets: the token that ends a row of the greedy translation, or -1 (default). */
  stopToken?: number;
}

/** Weights by PyTorch name (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`, ..., `embedding.weight`, `head.weight`, `head.bias`). */
export type Weights = Record<string, Tensor<Float32Array | ArrayLike<number>>>;

/** Weights as getWeights() returns them (copies). */
export type WeightsOut = Record<string, Tensor>;

/**
 * A recurrent model living in the WebAssembly heap: [embedding | one-hot | features] ->
 * stacked RNN/LSTM/GRU layers -> dense head. Shapes are batch-major. Free it with
 * {@link Model.dispose}; a FinalizationRegistry frees forgotten models eventually.
 */
export declare class Model {
  private constructor();
  /** The configuration (createModel's option names). */
  readonly config: ModelConfig;
  /** Number of trainable parameters. */
  readonly parameterCount: number;
  /** The metadata string given to save() ('' for a new model). */
  readonly metadata: string;
  /** Whether dispose() was called. */
  readonly disposed: boolean;
  /**
   * One optimizer step on one batch (a single WebAssembly call); returns the batch's mean
   * loss. x: features {data, shape: [batch, steps, inputSize]} (a flat Float32Array is one
   * sequence), or token ids [batch, steps] for a model with vocabSize. y: targets [batch,
   * outputSize] / [batch, steps, outputSize] (linear head; the last dimension may be left
   * out when outputSize is 1) or class ids [batch] / [batch, steps] (softmax head).
   */
  trainBatch(x: FloatInput | IntInput, y: FloatInput | IntInput, options?: TrainBatchOptions): number;
  /**
   * Trains for some epochs, yielding to the event loop between batches; resolves with the
   * loss history. Rejects with the error that stopped it (carrying `history`).
   */
  fit(data: ModelDataset, options?: FitOptions): Promise<FitHistory>;
  /** Mean loss over one batch without training (x, y as {@link Model.trainBatch}). */
  evaluate(x: FloatInput | IntInput, y: FloatInput | IntInput, options?: EvaluateOptions): number;
  /**
   * Batched inference from zero state: values (linear head) or probabilities (softmax),
   * shape [batch, outputSize] or [batch, steps, outputSize].
   */
  predict(x: FloatInput | IntInput): Tensor;
  /** Zeroes the carried state for `batch` rows (default 1); step() then advances it. */
  resetState(batch?: number): void;
  /**
   * Rows of the carried state that {@link Model.step} continues from; 0 when there is none
   * (a new or loaded model, or after training without `stateful: true`). `resetState(b)`
   * makes it b, stateful training the batch size, forecast() and generate() 1 (their last
   * step's state, so step() continues a forecast or a sample).
   */
  readonly stateBatch: number;
  /**
   * One time step from the carried state: x is [stateBatch, inputSize] values or
   * [stateBatch] ids. Returns [stateBatch, outputSize]. Throws INVALID_STATE (field
   * `'state'`) when stateBatch is 0.
   */
  step(x: FloatInput | IntInput): Float32Array;
  /**
   * Autoregressive forecast (features in, linear head, outputSize == inputSize): primes with
   * `window` ([steps, inputSize], oldest first) and feeds each prediction back. Returns
   * `steps` predictions, [steps, outputSize] flattened.
   */
  forecast(window: FloatInput, steps: number): Float32Array;
  /** Samples token ids after a prime (token input, softmax head, outputSize == vocabSize). */
  generate(options: GenerateOptions): Int32Array;
  /** The next-token distribution after `prime` (length outputSize). */
  nextTokenProbabilities(prime: IntInput, options?: { temperature?: number }): Float32Array;
  /**
   * Runs forward and backward over one batch and returns the states, gates and per-step
   * gradient norms. Without y the gradient is that of the sum of the last step's outputs
   * (linear head) or of the most likely class's log-probability (softmax).
   */
  inspect(x: FloatInput | IntInput, y?: FloatInput | IntInput, options?: { mask?: FloatInput }): Inspection;
  /** Copies of every weight in PyTorch's names and layouts. */
  getWeights(): WeightsOut;
  /** Sets every weight, bit-exactly; names and shapes must be those of getWeights(). */
  setWeights(weights: Weights): void;
  /** The model as versioned binary bytes, with optional metadata text (e.g. JSON). */
  save(options?: { metadata?: string }): Uint8Array;
  /**
   * The model as ONNX bytes (opset 14, IR 8; standard RNN/LSTM/GRU operators, layout 0).
   * Input `x`: [batch, sequence, features] float32 or [batch, sequence] int32 token ids, as
   * {@link Model.predict} takes it; output `y`: what predict() returns. With `state: true` the
   * graph also takes `h0_l<k>` (and `c0_l<k>` for an LSTM), [batch, hidden] per layer k, and
   * returns `hn_l<k>` (`cn_l<k>`), so a caller can carry the state from chunk to chunk.
   * Returns a Promise: the converter is loaded on first use (it is not part of the download
   * of a page that only trains). The weights are copied when called.
   */
  exportOnnx(options?: { state?: boolean }): Promise<Uint8Array>;
  /**
   * The model as a TensorFlow.js LayersModel (Keras layers and layout): `modelJson` is the
   * model.json object (modelTopology + weightsManifest naming `weights.bin`), `weights` that
   * file's bytes. `warnings` says what TF.js cannot run: a GRU in the PyTorch variant is
   * written as Keras's reset_after=True GRU, which Keras runs and tf.loadLayersModel refuses
   * (create the model with `gruVariant: 'classic'` for TF.js). A Promise, as exportOnnx().
   */
  exportKeras(): Promise<KerasExport>;
  /** Frees the model's WebAssembly memory; any later use throws `DISPOSED`. Idempotent. */
  dispose(): void;
}

/** What {@link Model.exportKeras} resolves with. */
export interface KerasExport {
  /** model.json: `{format, generatedBy, modelTopology, weightsManifest, userDefinedMetadata}`. */
  modelJson: Record<string, any>;
  /** The bytes of the weights file the manifest names (`weights.bin`). */
  weights: Uint8Array;
  /** What TF.js cannot run in this export (empty when it runs all of it). */
  warnings: string[];
}

/** What {@link Seq2Seq.exportOnnx} resolves with. */
export interface Seq2SeqOnnx {
  /** Input `source` [batch, sourceSteps] int32; outputs `hn_l<k>` (`cn_l<k>`): its final state. */
  encoder: Uint8Array;
  /**
   * Inputs `x` [batch, steps] int32 and `h0_l<k>` (`c0_l<k>`); outputs `y` (next-token
   * probabilities [batch, steps, outputVocab]) and `hn_l<k>` (`cn_l<k>`).
   */
  decoder: Uint8Array;
  /** The decoder's start token (outputVocab). */
  startToken: number;
  /** How to chain the two as translate() does. */
  chaining: string;
}

/** Options of {@link Rnnlab.createSeq2Seq}. */
export interface Seq2SeqOptions {
  /** Recurrent cell of encoder and decoder (default `'gru'`). */
  cell?: 'rnn' | 'lstm' | 'gru';
  /** GRU reset-gate placement (default `'pytorch'`); only with `cell: 'gru'`. */
  gruVariant?: 'pytorch' | 'classic';
  /** Source vocabulary size, 1..2^20. */
  inputVocab: number;
  /** Target vocabulary size, 2..2^20 (the start token is internal, not part of it). */
  outputVocab: number;
  /** Hidden units per layer, shared by encoder and decoder (default 64). */
  hiddenSize?: number | number[];
  /** Embedding width per side (default min(vocab, 64)). */
  embeddingSize?: number;
  /** Dropout between stacked layers while training, in [0, 1) (default 0). */
  dropout?: number;
  /** Initialisation seed, an integer in [0, 2^53) (default 42). */
  seed?: number;
}

/** A Seq2Seq configuration as {@link Seq2Seq.config} reports it. */
export interface Seq2SeqConfig {
  /** Recurrent cell. */
  readonly cell: 'rnn' | 'lstm' | 'gru';
  /** GRU reset-gate placement (GRU models only). */
  readonly gruVariant?: 'pytorch' | 'classic';
  /** Source vocabulary size. */
  readonly inputVocab: number;
  /** Target vocabulary size. */
  readonly outputVocab: number;
  /** Embedding width as requested (0 = automatic). */
  readonly embeddingSize: number;
  /** Hidden units per layer. */
  readonly hiddenSize: readonly number[];
  /** Dropout between layers. */
  readonly dropout: number;
  /** Initialisation seed. */
  readonly seed: number;
}

/** A training set for {@link Seq2Seq.fit}. */
export interface Seq2SeqDataset {
  /** Source ids [samples, sourceSteps], left-padded with a pad token. */
  x: IntInput;
  /** Target ids [samples, targetSteps]. */
  y: IntInput;
  /** Optional weights [samples, targetSteps]; 0 marks padded target steps. */
  mask?: FloatInput;
}

/**
 * An encoder-decoder model (teacher forcing in training, greedy decoding). Free it with
 * {@link Seq2Seq.dispose}.
 */
export declare class Seq2Seq {
  private constructor();
  /** The configuration. */
  readonly config: Seq2SeqConfig;
  /** Number of trainable parameters. */
  readonly parameterCount: number;
  /** The metadata string given to save() ('' for a new model). */
  readonly metadata: string;
  /** Whether dispose() was called. */
  readonly disposed: boolean;
  /**
   * One optimizer step (one WebAssembly call) on source ids x [batch, sourceSteps] and target
   * ids y [batch, targetSteps]; returns the mean cross-entropy. tbptt and stateful do not apply.
   */
  trainBatch(x: IntInput, y: IntInput, options?: TrainOptions & { mask?: FloatInput }): number;
  /** Mean cross-entropy over one batch without training. */
  evaluate(x: IntInput, y: IntInput, options?: { mask?: FloatInput }): number;
  /** Trains for some epochs; as {@link Model.fit}. */
  fit(data: Seq2SeqDataset, options?: FitOptions): Promise<FitHistory>;
  /**
   * Greedy decoding of one source sequence (a flat array: returns the emitted ids, ending
   * with stopToken if it was emitted) or of a batch ({data, shape} or nested arrays: returns
   * [batch, maxLength] ids with -1 after each row's stop token).
   */
  translate(ids: Int32Array | number[], options?: TranslateOptions): Int32Array;
  translate(ids: Tensor<Int32Array | ArrayLike<number>> | number[][], options?: TranslateOptions): Tensor<Int32Array>;
  /**
   * Runs forward and backward over one batch (no update, no dropout) and returns the loss,
   * the decoder's probabilities and, per layer of the encoder and of the decoder, the hidden
   * (and LSTM cell) states, the gate activations and the per-step gradient norms
   * ||dL/dh_t||. x: source ids [batch, sourceSteps], left-padded (a flat array is one
   * sequence). y: target ids [batch, targetSteps]; the gradient is then that of the loss
   * training minimises (teacher forcing). Without y, the target is the model's own greedy
   * translation ({@link Seq2Seq.translate} with `maxLength` and `stopToken`), so the
   * gradient is that of its negative log-likelihood. Bad arguments throw
   * {@link RnnlabError}s as in {@link Seq2Seq.evaluate} and translate.
   */
  inspect(x: IntInput, y?: IntInput, options?: Seq2SeqInspectOptions): Seq2SeqInspection;
  /** Copies of every weight (`encoder.*`, `decoder.*`, `head.weight`, `head.bias`). */
  getWeights(): WeightsOut;
  /** Sets every weight, bit-exactly. */
  setWeights(weights: Weights): void;
  /** The model as versioned binary bytes (model file kind 1), with optional metadata text. */
  save(options?: { metadata?: string }): Uint8Array;
  /**
   * The encoder and the decoder as two ONNX models; `chaining` says how to run them as
   * {@link Seq2Seq.translate} does (encoder's final state into the decoder's h0/c0 inputs,
   * start token first, one step at a time carrying the decoder's state). A Promise: the
   * converter loads on first use.
   */
  exportOnnx(): Promise<Seq2SeqOnnx>;
  /** Frees the model's WebAssembly memory; any later use throws `DISPOSED`. Idempotent. */
  dispose(): void;
}

/** Options of {@link Seq2Seq.translate}. */
export interface TranslateOptions {
  /** Tokens to emit at most, 1..65536 (default 32). */
  maxLength?: number;
  /** Token that ends a row, or -1 (default) for none. */
  stopToken?: number;
}

/** A series: {data, shape: [rows, features]}, nested rows, or a flat array (with `features`). */
export type SeriesInput = FloatInput;

/** Options of {@link DataApi.windows}. */
export interface WindowOptions {
  /** Input steps per window, >= 1. */
  window: number;
  /** Future steps to predict, >= 1 (default 1). */
  horizon?: number;
  /** Rows between consecutive windows' starts, >= 1 (default 1). */
  stride?: number;
  /** Columns of a flat series (default 1; taken from the shape otherwise). */
  features?: number;
  /** Feature indices to predict, in this order (default all). */
  targets?: number[];
}

/** Sliding windows. N = windows, W = window, F = features, Hz = horizon, TF = target features. */
export interface Windows {
  /** Inputs, shape [N, W, F]. */
  x: Tensor;
  /** Targets, shape [N, Hz * TF] (each row a flattened [Hz, TF]). */
  y: Tensor;
  /** First input row of each window in the source series, length N. */
  starts: Int32Array;
  /** N. */
  count: number;
  /** W. */
  window: number;
  /** Hz. */
  horizon: number;
  /** F. */
  features: number;
  /** The target feature indices (resolved: never empty). */
  targets: number[];
}

/** {kind, offset, scale} of a fitted normaliser, for JSON. */
export interface NormalizerJSON {
  /** Which statistics. */
  kind: 'zscore' | 'minmax' | 'none';
  /** Per-feature offset. */
  offset: number[];
  /** Per-feature scale (> 0). */
  scale: number[];
}

/**
 * A per-feature affine normaliser z = (x - offset) / scale, computed in double precision.
 */
export declare class Normalizer {
  private constructor();
  /** Which statistics it uses. */
  readonly kind: 'zscore' | 'minmax' | 'none';
  /** Whether the statistics are set. */
  readonly fitted: boolean;
  /** Number of features covered (0 before fit). */
  readonly features: number;
  /** Computes the statistics of each feature of `series` ([rows, features]); returns this. */
  fit(series: SeriesInput, options?: { features?: number }): this;
  /**
   * Normalises [rows, features] values (with `columns`: values whose columns are those
   * features, e.g. windows' y with its targets). {data, shape} in -> {data, shape} out;
   * anything else -> Float32Array.
   */
  transform(values: Tensor<Float32Array | ArrayLike<number>>, options?: { columns?: number[] }): Tensor;
  transform(values: Float32Array | Float64Array | NestedArray, options?: { columns?: number[] }): Float32Array;
  /** The inverse of transform() (exact whenever a float allows it). */
  inverse(values: Tensor<Float32Array | ArrayLike<number>>, options?: { columns?: number[] }): Tensor;
  inverse(values: Float32Array | Float64Array | NestedArray, options?: { columns?: number[] }): Float32Array;
  /** The statistics as plain numbers (restore with `rnn.data.normalizer(json)`). */
  toJSON(): NormalizerJSON;
}

/** {symbols, fallbackId} of a vocabulary, for JSON. */
export interface CharVocabJSON {
  /** Every symbol in id order, as one string. */
  symbols: string;
  /** Id of the fallback symbol, or -1. */
  fallbackId: number;
}

/** A character vocabulary: Unicode code points sorted ascending; id = position. */
export declare class CharVocab {
  private constructor();
  /** Number of symbols. */
  readonly size: number;
  /** The symbols in id order, one string per code point. */
  readonly symbols: readonly string[];
  /** Id of the symbol standing for unknown characters, or -1 (they are then errors). */
  readonly fallbackId: number;
  /** Text -> ids. */
  encode(text: string): Int32Array;
  /** Ids -> text. */
  decode(ids: IntInput): string;
  /** The vocabulary as plain data (restore with `rnn.data.charVocab(json)`). */
  toJSON(): CharVocabJSON;
}

/** Options of {@link DataApi.split}. */
export interface SplitOptions extends WindowOptions {
  /** Share of rows whose targets are validation, in (0, 1) (default 0.2). */
  validationFraction?: number;
  /** Normalisation fitted on the training rows only (default `'zscore'`). */
  normalization?: 'zscore' | 'minmax' | 'none';
}

/** What {@link DataApi.split} returns: normalised windows on both sides of the split. */
export interface Split {
  /** Windows entirely before splitRow. */
  train: Windows;
  /** Windows whose targets are all at or after splitRow (starts index the full series). */
  validation: Windows;
  /** The normaliser fitted on rows [0, splitRow); inverse(y, {columns: targets}) gives original units. */
  normalizer: Normalizer;
  /** First validation row. */
  splitRow: number;
}

/** The data helpers (`rnn.data`). */
export interface DataApi {
  /** Sliding windows over a [rows, features] series. */
  windows(series: SeriesInput, options: WindowOptions): Windows;
  /** An unfitted normaliser of this kind (default 'zscore'), or a fitted one restored from JSON. */
  normalizer(kind?: 'zscore' | 'minmax' | 'none'): Normalizer;
  normalizer(json: NormalizerJSON): Normalizer;
  /** Chronological train/validation split with the normaliser fitted on training rows only. */
  split(series: SeriesInput, options: SplitOptions): Split;
  /**
   * A vocabulary of the characters of `text`; with maxSize the maxSize - 1 most frequent
   * plus a fallback symbol (default U+FFFD) for the rest.
   */
  charVocab(text: string, options?: { maxSize?: number; fallback?: string; reserveFallback?: boolean }): CharVocab;
  /** A vocabulary restored from toJSON()'s output. */
  charVocab(json: CharVocabJSON): CharVocab;
  /** Reads a `date,value` CSV: header line, then one row a line, oldest first. */
  parseCsv(csv: string): { dates: string[]; values: Float32Array };
}

/** Details of the loaded build. */
export interface BuildInfo {
  /** Which build is loaded. */
  variant: 'simd' | 'baseline' | 'simd-threads';
  /** The core's kernel set, e.g. 'wasmsimd'. */
  kernel: string;
  /** The matrix-product kernel, e.g. 'f32_gemm_4x8__wasmsimd'. */
  gemm: string;
  /** Whether the kernels run vector instructions. */
  simdKernels: boolean;
  /** Whether this runtime could run the SIMD build. */
  simdSupported: boolean;
}

/** Heap statistics for UIs and leak tests. */
export interface HeapStats {
  /** Size of the WebAssembly memory (grows, never shrinks). */
  memoryBytes: number;
  /** Bytes malloc has handed out and not yet freed (scratch included). */
  inUseBytes: number;
  /** Bytes malloc holds from the WebAssembly memory. */
  heapBytes: number;
  /** Size of the grow-only scratch buffer that carries inputs. */
  scratchBytes: number;
  /** Models neither disposed nor collected. */
  liveHandles: number;
}

/** The core's size caps ({@link Rnnlab.limits}). */
export interface Limits {
  /**
   * Most parameters a model or encoder-decoder may have (16,777,216: 64 MB of weights, 256 MB
   * with gradients and Adam moments). Above it, creating one fails with `TOO_LARGE`.
   */
  readonly maxParameters: number;
  /** Most values one batch may cache for backpropagation (batch × steps × widest gate row). */
  readonly maxActivations: number;
}

/** The API of one loaded module: what {@link init} resolves with. */
export declare class Rnnlab {
  private constructor();
  /** The package version. */
  readonly version: string;
  /** Whether the SIMD build (with or without threads) is loaded. */
  readonly simd: boolean;
  /** Threads of the core's pool (1 unless the threads build is loaded). */
  readonly threads: number;
  /** The core's kernel set ('wasmsimd' with SIMD, 'portable' without). */
  readonly kernel: string;
  /** Details of the loaded build. */
  readonly build: BuildInfo;
  /** The data helpers. */
  readonly data: DataApi;
  /** Current size of the WebAssembly memory in bytes. */
  memoryBytes(): number;
  /** Heap statistics. */
  heapStats(): HeapStats;
  /** The core's size caps, from its schema. */
  readonly limits: Limits;
  /**
   * The number of parameters a configuration describes, counted by the core without building
   * anything: what `parameterCount` of the created model would be. The options are checked as
   * {@link Rnnlab.createModel} checks them (as {@link Rnnlab.createSeq2Seq} with
   * `{ seq2seq: true }`) and throw the same {@link RnnlabError}s, except the cap: a count above
   * {@link Limits.maxParameters} is returned, not refused, so a caller can say how far above
   * the cap a request is before creating anything.
   */
  parameterCount(options: ModelOptions): number;
  parameterCount(options: Seq2SeqOptions, kind: { seq2seq: true }): number;
  parameterCount(options: ModelOptions | Seq2SeqOptions, kind?: { seq2seq?: boolean }): number;
  /** Creates a model. */
  createModel(options?: ModelOptions): Model;
  /** Loads a model saved by {@link Model.save}. */
  loadModel(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Model;
  /**
   * Loads an ONNX model as a new {@link Model}: rnnlab's own exports and graphs such as
   * torch.onnx.export writes for nn.RNN / nn.LSTM / nn.GRU (one node per layer, forward,
   * default activations) fed by features, an nn.Embedding (Gather) or a OneHot, with an
   * nn.Linear head (MatMul + Add or Gemm) and an optional Softmax. Anything else
   * (bidirectional, peepholes, input_forget, other activations, clip, other operators) rejects
   * with `BAD_MODEL_FILE` whose field names the node and the attribute. The model trains like
   * any other; its optimizer state starts fresh. A Promise: the reader loads on first use.
   */
  loadOnnx(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Promise<Model>;
  /**
   * Loads a Keras / TensorFlow.js LayersModel (its model.json, parsed or as text, and the
   * weight files of its manifest in order, one buffer or several) as a new {@link Model}:
   * [Embedding] -> SimpleRNN / LSTM / GRU layers -> Dense [-> softmax], Keras's default
   * reset_after=True GRU included (rnnlab's PyTorch variant). Other layers and settings reject
   * with `BAD_MODEL_FILE` naming the layer and the setting. The optimizer state starts fresh.
   */
  loadKeras(modelJson: Record<string, any> | string, weights: Uint8Array | ArrayBuffer | (Uint8Array | ArrayBuffer)[]): Promise<Model>;
  /** Creates an encoder-decoder model. */
  createSeq2Seq(options: Seq2SeqOptions): Seq2Seq;
  /** Loads an encoder-decoder model saved by {@link Seq2Seq.save}. */
  loadSeq2Seq(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Seq2Seq;
  /**
   * Creates an automatic forecaster: every choice (season, transform, members, intervals) is
   * made on an inner validation cut from the end of the series when {@link Forecaster.fit} runs.
   */
  createForecaster(options?: ForecasterOptions): Forecaster;
  /** Loads a forecaster saved by {@link Forecaster.save}. */
  loadForecaster(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): Forecaster;
  /** Disposes every live model of this module; returns how many there were. */
  disposeAll(): number;
}

/** Options of {@link Rnnlab.createForecaster}; each may also be given to {@link Forecaster.fit}. */
export interface ForecasterOptions {
  /** Seed of the networks' weights and of the training windows' order (default 1). */
  seed?: number;
  /**
   * The horizon you expect to ask for (1..1e6). Default: a quarter of the series' length. The
   * inner validation and the networks' outputs are sized for it; forecast() takes any horizon.
   */
  horizon?: number;
  /** Fitting time budget in milliseconds (default 10000); fit() ends within it. */
  timeBudgetMs?: number;
  /**
   * At most this many optimizer steps over all networks (default: no limit but the time
   * budget). With a step budget that ends first, two fits with one seed give identical forecasts.
   */
  maxSteps?: number;
  /** The seasonal period; `'auto'` (default) detects it, 0 means none. */
  season?: number | 'auto';
  /** `'auto'` (default: log tried for positive series), `'none'` or `'log'`. */
  transform?: 'auto' | 'none' | 'log';
  /** Networks in the LSTM ensemble, 0..16 (default 3; 0: classical members only). */
  networks?: number;
}

/** What {@link ForecastFitOptions.onProgress} receives. */
export interface ForecastProgress {
  /** `'classical'`, `'network'` or `'done'`. */
  stage: 'classical' | 'network' | 'done';
  /** Progress in [0, 1]. */
  fraction: number;
  /** Milliseconds since fit() started. */
  elapsedMs: number;
  /** Optimizer steps so far (network stage). */
  steps?: number;
  /** The best networks' inner-validation error so far, in units of the typical one-step change. */
  validationError?: number;
}

/** Options of {@link Forecaster.fit}. */
export interface ForecastFitOptions extends ForecasterOptions {
  /** Stops the fit; it then rejects with an {@link RnnlabError} of code `'ABORTED'` (field `'signal'`). */
  signal?: AbortSignal;
  /** Called as fitting goes on (the fit waits for a returned promise). */
  onProgress?: (progress: ForecastProgress) => void | Promise<void>;
}

/** One prediction interval of {@link Forecast}. */
export interface ForecastInterval {
  /** Its nominal coverage, e.g. 0.8. */
  level: number;
  /** Lower bound per step. */
  lower: Float64Array;
  /** Upper bound per step. */
  upper: Float64Array;
}

/** What {@link Forecaster.forecast} returns. */
export interface Forecast {
  /** The point forecast, one value per step. */
  mean: Float64Array;
  /** One interval per requested level, in the order asked. */
  intervals: ForecastInterval[];
}

/** What the forecaster chose and why ({@link Forecaster.describe}); `summary` says it in words. */
export interface ForecastReport {
  /** Whether fit() has run. */
  fitted: boolean;
  /** One or two sentences: season, transform, the choice, the network's part, the validation errors. */
  summary: string;
  /** Values fitted on. */
  n?: number;
  /** Missing values that were interpolated. */
  missing?: number;
  /** `'log'` or `'none'`. */
  transform?: 'log' | 'none';
  /** Seasonal periods the chosen members remove (empty: none). */
  season?: number[];
  /** Periods found in the autocorrelation, strongest first. */
  seasonCandidates?: { period: number; autocorrelation: number }[];
  /**
   * The inner validation: horizon, number of rolling origins near the end (where the errors in
   * this report are measured and the networks keep their best checkpoint), the first of them,
   * the number of origins the classical members were ranked on (those plus older ones) and the
   * first of those.
   */
  validation?: { horizon: number; origins: number; from: number; choiceOrigins: number; choiceFrom: number; errorMeasure: string };
  /** The chosen member or combination. */
  choice?: string;
  /** How the members are combined. */
  combination?: 'median' | 'mean';
  /** The chosen members, best first. */
  members?: string[];
  /** Inner-validation MAE of the choice relative to naive's. */
  validationError?: number;
  /** Inner-validation MAE of naive, drift and seasonal naive, relative to naive's. */
  simpleRules?: Record<string, number>;
  /** Every candidate with its relative inner-validation error, best first. */
  candidates?: { name: string; validationError: number }[];
  /** The LSTM ensemble: whether the forecast uses it, its error, sizes and steps. */
  network?: {
    used: boolean;
    reason?: string;
    validationError?: number;
    steps?: number;
    /**
     * The smoothing method whose forecast the networks correct (they learn what it misses, as
     * in ES-RNN): 'SES', 'damped Holt' or 'Theta'.
     */
    base?: string;
    /**
     * How many of the networks trained side by side in workers of their own (a forecaster
     * running in a worker, `createWorkerForecaster`, uses up to min(cores, 4)); 0 otherwise.
     * Where a network trains does not change what it learns.
     */
    workers?: number;
    networks?: { window: number; horizon: number; hiddenSize: number; steps: number; bestStep: number }[];
  };
  /**
   * Whether a simple rule (naive, drift, seasonal naive) ranks first among the candidates the
   * choice kept (see `leftOut`; with nothing left out: it won the inner validation): the
   * forecast is then that rule, or the mean or median of it and the next candidates.
   */
  leansOnSimpleRule?: boolean;
  /**
   * What the choice left out besides the ranking: trend candidates (drift, damped Holt, Theta)
   * and the LSTM ensemble that did not beat the best level-only candidate consistently where the
   * choice origins cover few values (at most 20: a short series), and whether candidates with
   * more than 1.5 times the best classical one's error were left out of the median.
   */
  leftOut?: { trendsWithoutEvidence: string[]; farWorseThanBest: boolean };
  /**
   * Set when the series takes only two values (0/1, on/off; missing values interpolated between
   * them make it more): each step of the forecast is then the nearer of them, which never has a
   * larger absolute error than a value in between (the intervals are widened to hold it).
   */
  twoValues?: [number, number];
  /** Fitting time. */
  elapsedMs?: number;
}

/**
 * An automatic forecaster: LSTM ensembles (direct multi-step outputs on windows normalised by
 * their last level) competing and combining with classical members on an inner validation,
 * with split-conformal intervals. Create it with {@link Rnnlab.createForecaster}.
 */
export declare class Forecaster {
  private constructor();
  /** Whether fit() has completed (or the forecaster was loaded). */
  readonly fitted: boolean;
  /** Whether dispose() was called. */
  readonly disposed: boolean;
  /**
   * Fits on `values` (oldest first; null/NaN are missing and interpolated). Needs at least 8
   * finite values (`INVALID_CONFIG`, field `'values'`). Resolves with {@link describe}'s report.
   */
  fit(values: ArrayLike<number | null> | number[] | Float32Array | Float64Array, options?: ForecastFitOptions): Promise<ForecastReport>;
  /**
   * Forecasts `h` >= 1 steps past the end of the fitted series (`INVALID_CONFIG`, field
   * `'horizon'`, otherwise), with intervals at `levels` in (0, 1) (default [0.8, 0.95]).
   */
  forecast(h: number, options?: { levels?: number[] }): Forecast;
  /** What it chose and why. */
  describe(): ForecastReport;
  /** The fitted forecaster as bytes; {@link Rnnlab.loadForecaster} gives identical forecasts. */
  save(): Uint8Array;
  /** Frees its networks; later use throws `DISPOSED`. Idempotent. */
  dispose(): void;
}
