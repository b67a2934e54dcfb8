// Every setting of the playground in one table: its URL key, label, type, range, default (per
// task and per data set), where it shows, what changing it does (per task where a task differs)
// and which option of rnnlab it becomes. The URL, the settings form, validation and the option
// objects sent to rnnlab (train/options.js) all walk this table, so a new setting is one row.
import { BOOK_SETS, CATALOG, DATE_SETS, EXPERIMENTS, SERIES, TEXTS } from '../data/catalog.js';

/**
 * @typedef {'forecast' | 'text' | 'memory' | 'classify' | 'translate'} Task
 * @typedef {'model' | 'data' | 'live' | 'view'} Effect
 *   model: needs a new model; data: new data and a new model; live: applies to the running
 *   training at the next step; view: changes only what is shown
 * @typedef {Effect | ((state: Record<string, any>) => Effect)} EffectRule an effect, or one
 *   decided by the new state
 * @typedef {object} ApiOption how a setting becomes an option of rnnlab
 * @property {'model' | 'train' | 'sample'} to createModel / createSeq2Seq's options, the
 *   training options (trainBatch, fit), or generate()'s
 * @property {string} name the option's API name, dotted when nested ('optimizer.lr')
 * @property {(value: any, state: Record<string, any>, ctx: Record<string, any>) => any} [value]
 *   the option's value when it is not the setting's own
 * @property {(state: Record<string, any>) => boolean} [when] sent only when this holds
 * @typedef {object} Setting
 * @property {string} key URL key and state field
 * @property {string | Record<string, string>} label a text, or one per task (key `default` for the rest)
 * @property {'enum' | 'int' | 'float' | 'bool' | 'text'} kind
 * @property {EffectRule | Record<string, EffectRule>} effect what changing it does, or one
 *   per task (key `default` for the rest)
 * @property {ApiOption | Record<string, ApiOption>} [api] the rnnlab option it becomes, or one
 *   per task (key `default` for the rest); none: the page's own (data, views)
 * @property {'data' | 'model' | 'training' | 'sampling'} group
 * @property {Task[]} tasks where it applies
 * @property {any} def default, or {forecast, text}
 * @property {string[] | ((task: Task) => string[])} [values] enum values
 * @property {Record<string, string>} [names] how enum values read in the form
 * @property {number} [min] @property {number} [max] @property {number} [step]
 * @property {boolean} [log] a numeric input whose natural steps are multiplicative
 * @property {number} [maxLength] text settings
 * @property {string | Record<string, string>} help one line shown as the field's description (or one per task)
 * @property {(state: Record<string, any>) => boolean} [when] shown only when this holds
 */

const both = /** @type {Task[]} */ (['forecast', 'text']);
const all = /** @type {Task[]} */ (['forecast', 'text', 'memory', 'classify', 'translate']);
/** Tasks with one model (not the races). */
const single = /** @type {Task[]} */ (['forecast', 'text', 'classify']);
/** A race is built from all its settings at once: any change that is not a view is new data. */
const MODEL = { default: 'model', memory: 'data' };
const LIVE = { default: 'live', memory: 'data' };

/** Settings the automatic forecaster chooses itself: shown for the forecast task only in Manual mode. */
const manual = (/** @type {Record<string, any>} */ st) => st.task !== 'forecast' || st.mode === 'manual';

/** @type {Setting[]} */
export const SETTINGS = [
  { key: 'task', label: 'Task', kind: 'enum', effect: 'data', group: 'data', tasks: all, def: 'forecast',
    values: ['forecast', 'text', 'classify', 'translate', 'memory'], names: { forecast: 'Forecast a series', text: 'Generate text', classify: 'Classify', translate: 'Translate', memory: 'Memory' }, help: 'What the network learns.' },
  { key: 'data', label: { default: 'Data set', memory: 'Experiment' }, kind: 'enum', effect: 'data', group: 'data', tasks: all,
    def: { forecast: 'nottingham', text: 'genesis', memory: 'gap', classify: 'books', translate: 'dates' },
    values: (task) => (task === 'forecast' || task === 'text' ? [...CATALOG[task].map((t) => t.id), 'custom'] : CATALOG[task].map((e) => e.id)),
    names: { ...Object.fromEntries([...SERIES, ...TEXTS, ...EXPERIMENTS, ...BOOK_SETS, ...DATE_SETS].map((d) => [d.id, d.title])), custom: 'Your own…' },
    help: { default: 'Real data bundled with the page, or your own.', memory: 'Each experiment races models that differ in one thing.', classify: 'Real data bundled with the page.', translate: 'Generated in the page from the seed.' } },

  // Memory experiments
  { key: 'gap', label: 'Gap (sequence length)', kind: 'int', effect: 'data', group: 'data', tasks: ['memory'], def: 100, min: 2, max: 500,
    help: 'Steps between what must be remembered and the answer (for the text race: the longer sequence length).' },
  { key: 'budget', label: 'Training steps per model', kind: 'int', effect: 'data', group: 'data', tasks: ['memory'], def: 3000, min: 10, max: 100000, log: true,
    help: 'Every model trains this many steps on the same batches; the race ends when all have.' },

  // Data: forecasting
  { key: 'window', label: 'Window', kind: 'int', when: manual, effect: 'data', group: 'data', tasks: ['forecast', 'classify'], def: { forecast: 24, classify: 80 }, min: 2, max: 1000,
    help: { default: 'Past values the network reads to predict the next one (its input length in training).', classify: 'Most characters of a verse read per training example (a random window of longer verses).' } },
  { key: 'horizon', label: 'Forecast steps', kind: 'int', effect: 'view', group: 'data', tasks: ['forecast'], def: 36, min: 1, max: 2000,
    help: 'How far past the end to forecast, each prediction fed back as the next input.' },
  { key: 'context', label: 'Forecast context', kind: 'int', when: manual, effect: 'view', group: 'data', tasks: ['forecast'], def: 0, min: 0, max: 100000,
    help: 'Values the forecast past the end starts from: 0 = the training window; any other length works too (1 = from a single value).' },
  { key: 'log', label: 'Log', kind: 'bool', when: manual, effect: 'data', group: 'data', tasks: ['forecast'], def: false,
    help: 'Model the logarithm (growth in percent rather than in units). Needs positive values.' },
  { key: 'diff', label: 'Difference', kind: 'enum', when: manual, effect: 'data', group: 'data', tasks: ['forecast'], def: 'none',
    values: ['none', '1', 'season'], names: { none: 'none', 1: 'from the previous value', season: 'from one season earlier' },
    help: 'Model changes instead of levels: removes a trend the network could not extrapolate.' },
  { key: 'norm', label: 'Normalisation', kind: 'enum', when: manual, effect: 'data', group: 'data', tasks: ['forecast'], def: 'zscore',
    values: ['zscore', 'minmax', 'none'], names: { zscore: 'z-score', minmax: 'min–max', none: 'none' },
    help: 'Statistics from the training part only, so nothing leaks from the validation part.' },
  { key: 'period', label: 'Season', kind: 'int', effect: (st) => (st.diff === 'season' || st.mode === 'auto' ? 'data' : 'view'), group: 'data', tasks: ['forecast'], def: 0, min: 0, max: 2000,
    help: 'Season length for the seasonal-naive baseline and seasonal differencing; 0 detects it from the training part.' },
  { key: 'val', label: 'Validation part', kind: 'float', effect: 'data', group: 'data', tasks: both,
    def: { forecast: 0.2, text: 0.1 }, min: 0.05, max: 0.5, step: 0.05,
    help: 'The chronologically last share, held out: never trained on, used for the validation loss and the errors.' },

  // Model
  { key: 'mode', label: 'Forecaster', kind: 'enum', effect: 'data', group: 'model', tasks: ['forecast'], def: 'auto',
    values: ['auto', 'manual'], names: { auto: 'Automatic', manual: 'Manual (your own network)' },
    help: 'Automatic: rnnlab’s forecaster chooses season, transform, window and networks itself, in the time given. Manual: one network with the settings below, trained one step ahead.' },
  { key: 'time', label: 'Time budget (s)', kind: 'float', effect: 'model', group: 'model', tasks: ['forecast'], def: 6, min: 1, max: 120, step: 1,
    when: (st) => st.mode === 'auto', help: 'How long the forecaster may fit (in a worker: the page stays responsive). More time lets its networks train longer.' },
  { key: 'cell', label: 'Cell', kind: 'enum', effect: MODEL, api: { to: 'model', name: 'cell' }, group: 'model', tasks: all, def: { forecast: 'lstm', text: 'lstm', classify: 'lstm', memory: 'lstm', translate: 'gru' }, when: (st) => manual(st) && (st.task !== 'memory' || st.data !== 'gap'),
    values: ['rnn', 'lstm', 'gru'], names: { rnn: 'RNN (tanh)', lstm: 'LSTM', gru: 'GRU' },
    help: 'RNN: one tanh layer fed back. LSTM: a gated cell state. GRU: two gates, no separate cell state.' },
  { key: 'gru', label: 'GRU variant', kind: 'enum', effect: MODEL, api: { to: 'model', name: 'gruVariant', when: (st) => st.cell === 'gru' }, group: 'model', tasks: all, def: 'pytorch',
    values: ['pytorch', 'classic'], names: { pytorch: 'PyTorch (reset after the product)', classic: 'classic (reset before)' },
    when: (st) => manual(st) && (st.cell === 'gru' || (st.task === 'memory' && st.data === 'gap')), help: 'Where the reset gate applies: PyTorch / Keras reset_after, or the original paper / TF.js.' },
  // Layers has no option of its own: it is the length of hiddenSize (below).
  { key: 'layers', label: 'Layers', kind: 'int', when: manual, effect: 'model', group: 'model', tasks: single, def: { forecast: 2, text: 1, classify: 1 }, min: 1, max: 8,
    help: 'Recurrent layers stacked; each reads the hidden states of the one below.' },
  { key: 'hidden', label: 'Hidden units', kind: 'int', when: manual, effect: MODEL,
    // One size per layer where there are layers to stack; the races and the encoder-decoder have one.
    api: { to: 'model', name: 'hiddenSize', value: (v, st) => (st.layers ? new Array(st.layers).fill(v) : v) }, group: 'model', tasks: all, def: { forecast: 32, text: 128, classify: 64, translate: 128 },
    min: 1, max: 8192, log: true, help: 'Size of the hidden state h (per layer).' },
  { key: 'embed', label: 'Input', kind: 'enum', effect: 'model', api: { to: 'model', name: 'inputEncoding' }, group: 'model', tasks: ['text', 'classify'], def: 'onehot',
    values: ['onehot', 'embedding'], names: { onehot: 'one-hot', embedding: 'learned embedding' },
    help: 'How a character enters the network: a one-hot vector, or a learned vector of 64 numbers.' },
  { key: 'dropout', label: 'Dropout', kind: 'float', when: manual, effect: 'model', api: { to: 'model', name: 'dropout' }, group: 'model', tasks: single, def: { forecast: 0.2, text: 0, classify: 0 }, min: 0, max: 0.9, step: 0.05,
    help: 'Share of activations zeroed between stacked layers while training (needs 2+ layers).' },
  { key: 'seed', label: 'Seed', kind: 'int', api: { to: 'model', name: 'seed' },
    // The synthetic series are drawn from the seed too.
    effect: { ...MODEL, forecast: (st) => (['sine', 'trend'].includes(st.data) ? 'data' : 'model') }, group: 'model', tasks: all, def: 1, min: 0, max: 2147483647,
    help: 'Starts the weights, the batch order and the synthetic data: same seed, same run.' },

  // Training
  { key: 'opt', label: 'Optimizer', kind: 'enum', when: manual, effect: LIVE, api: { to: 'train', name: 'optimizer.name' }, group: 'training', tasks: all, def: 'adam',
    values: ['adam', 'adamw', 'rmsprop', 'sgd'], names: { adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSProp', sgd: 'SGD' },
    help: 'Update rule (as torch.optim). Switching it starts its moment estimates afresh.' },
  { key: 'lr', label: 'Learning rate', kind: 'float', when: manual, effect: LIVE, api: { to: 'train', name: 'optimizer.lr' }, group: 'training', tasks: all, def: { forecast: 0.005, text: 0.003, classify: 0.003, translate: 0.003 },
    min: 1e-6, max: 10, log: true, help: 'Step size of each update. Applies at the next step.' },
  { key: 'clip', label: 'Clip norm', kind: 'float', when: manual, effect: LIVE, api: { to: 'train', name: 'clipNorm' }, group: 'training', tasks: all, def: { forecast: 1, text: 5, classify: 1, translate: 1 },
    min: 0, max: 1000, help: 'Largest gradient norm allowed; bigger gradients are scaled down. 0 turns clipping off.' },
  // The batch shape is the data's, not an option: a new one applies from the next step (the
  // translation worker makes its own batches, so there it is new data).
  { key: 'batch', label: 'Batch size', kind: 'int', when: manual, effect: { ...LIVE, translate: 'data' }, group: 'training', tasks: all, def: { forecast: 32, text: 32, classify: 32, memory: 32, translate: 64 }, min: 1, max: 1024, log: true,
    help: 'Sequences per update.' },
  { key: 'bptt', label: 'BPTT length', kind: 'int', when: manual, effect: 'live', group: 'training', tasks: both, def: { forecast: 0, text: 64 },
    // Text: the length of each training sequence (the batches' shape); forecast: truncation.
    api: { forecast: { to: 'train', name: 'tbptt', value: (v, st) => (v > 0 && v < st.window ? v : 0) } },
    min: 0, max: 1000,
    help: 'Steps the error flows back through. Text: the length of each training sequence. Forecast: 0 = the whole window, k = truncated every k steps.' },

  // Sampling (text)
  { key: 'temp', label: 'Temperature', kind: 'float', effect: 'view', api: { to: 'sample', name: 'temperature' }, group: 'sampling', tasks: ['text'], def: 0.7, min: 0.05, max: 3, step: 0.05,
    help: 'Below 1: safer, more repetitive; above 1: more surprising, more mistakes.' },
  { key: 'topk', label: 'Top-k', kind: 'int', effect: 'view', api: { to: 'sample', name: 'topK', value: (v, st, ctx) => Math.min(v, ctx.vocabSize) }, group: 'sampling', tasks: ['text'], def: 0, min: 0, max: 1000,
    help: 'Sample only among the k most likely characters (0: all).' },
  { key: 'topp', label: 'Top-p', kind: 'float', effect: 'view', api: { to: 'sample', name: 'topP' }, group: 'sampling', tasks: ['text'], def: 1, min: 0.01, max: 1, step: 0.01,
    help: 'Sample only among the most likely characters that together have this probability.' },
  { key: 'prime', label: 'Priming text', kind: 'text', effect: 'view', api: { to: 'sample', name: 'prime', value: (v, st, ctx) => ctx.encode(v) }, group: 'sampling', tasks: ['text'], def: 'And God said', maxLength: 200,
    help: 'The samples continue this text; the probability chart shows what comes next after it.' },
  { key: 'len', label: 'Sample length', kind: 'int', effect: 'view', api: { to: 'sample', name: 'length' }, group: 'sampling', tasks: ['text'], def: 300, min: 1, max: 5000,
    help: 'Characters to sample.' },
];

/** A label or help text for a task. */
export function textFor(value, task) {
  return typeof value === 'string' ? value : value[task] ?? value.default;
}

/** @type {Map<string, Setting>} */
export const BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]));

/** The enum values of a setting for a task. */
export function valuesOf(setting, task) {
  return typeof setting.values === 'function' ? setting.values(task) : setting.values ?? [];
}

/** The default of a setting for a task and data set (data sets override data settings). */
export function defaultOf(setting, task, dataId) {
  const ds = /** @type {{id: string, defaults?: Record<string, any>}[]} */ (CATALOG[task] ?? []).find((s) => s.id === dataId);
  if (ds?.defaults && setting.key in ds.defaults) return ds.defaults[setting.key];
  const d = setting.def;
  return d !== null && typeof d === 'object' ? d[task] : d;
}

/** Whether a setting shows for this task. */
export const appliesTo = (setting, task) => setting.tasks.includes(task);

/** A value given per task ({forecast, ..., default}) or for all. */
function perTask(value, task, isOne) {
  if (value === undefined || isOne(value)) return value;
  return value[task] ?? value.default;
}

/**
 * What changing a setting to reach `next` does, for next's task.
 * @param {Setting} setting
 * @param {Record<string, any>} next the state after the change
 * @returns {Effect}
 */
export function effectOf(setting, next) {
  const rule = perTask(setting.effect, next.task, (v) => typeof v !== 'object');
  return typeof rule === 'function' ? rule(next) : rule;
}

/**
 * The rnnlab option a setting becomes for a task, or null (a setting of the page's own).
 * @param {Setting} setting
 * @param {Task} task
 * @returns {ApiOption | null}
 */
export function apiOf(setting, task) {
  return perTask(setting.api, task, (v) => typeof v.to === 'string') ?? null;
}

/**
 * Checks one value from outside (URL, form, model file). Returns {ok, value} or {ok: false,
 * why} with the reason in words.
 * @param {Setting} s
 * @param {unknown} raw string from a URL or form, or a typed value
 * @param {Task} task
 */
export function checkValue(s, raw, task) {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (s.kind) {
    case 'enum': {
      const vals = valuesOf(s, task);
      const v = String(text);
      return vals.includes(v) ? { ok: true, value: v } : { ok: false, why: `must be one of ${vals.join(', ')}` };
    }
    case 'bool': {
      if (text === true || text === 'true' || text === '1' || text === 'on') return { ok: true, value: true };
      if (text === false || text === 'false' || text === '0' || text === 'off') return { ok: true, value: false };
      return { ok: false, why: 'must be true or false' };
    }
    case 'int':
    case 'float': {
      const v = typeof text === 'number' ? text : text === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) return { ok: false, why: 'must be a number' };
      if (s.kind === 'int' && !Number.isInteger(v)) return { ok: false, why: 'must be a whole number' };
      if (v < /** @type {number} */ (s.min) || v > /** @type {number} */ (s.max)) return { ok: false, why: `must be between ${s.min} and ${s.max}` };
      return { ok: true, value: v };
    }
    case 'text': {
      const v = String(raw ?? '');
      if (v.length > (s.maxLength ?? 1000)) return { ok: false, why: `must be at most ${s.maxLength} characters` };
      return { ok: true, value: v };
    }
    default:
      return { ok: false, why: 'unknown kind' };
  }
}

/** The full default state of a task (with its default data set, or the one given). */
export function defaults(task = 'forecast', dataId) {
  const data = dataId ?? defaultOf(BY_KEY.get('data'), task);
  /** @type {Record<string, any>} */
  const state = { task, data };
  for (const s of SETTINGS) if (s.key !== 'task' && s.key !== 'data') state[s.key] = defaultOf(s, task, data);
  return state;
}

/**
 * State -> URL hash: every setting that applies to the task, in table order, encoded.
 * @param {Record<string, any>} state
 */
export function toHash(state) {
  const p = new URLSearchParams();
  for (const s of SETTINGS) {
    if (!appliesTo(s, state.task)) continue;
    const v = state[s.key];
    p.set(s.key, s.kind === 'bool' ? (v ? '1' : '0') : String(v));
  }
  return `#${p.toString()}`;
}

/**
 * URL hash -> state. Settings missing from the hash take their defaults; unknown keys and
 * values out of range are ignored, each with a notice saying why.
 * @param {string} hash
 * @returns {{state: Record<string, any>, notices: string[]}}
 */
export function fromHash(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  /** @type {string[]} */
  const notices = [];
  const taskCheck = p.has('task') ? checkValue(BY_KEY.get('task'), p.get('task'), 'forecast') : { ok: true, value: 'forecast' };
  if (!taskCheck.ok) notices.push(`task "${p.get('task')}" ignored: ${taskCheck.why}`);
  const task = taskCheck.ok ? taskCheck.value : 'forecast';
  const dataCheck = p.has('data') ? checkValue(BY_KEY.get('data'), p.get('data'), task) : { ok: false };
  if (p.has('data') && !dataCheck.ok) notices.push(`data "${p.get('data')}" ignored: ${dataCheck.why}`);
  const state = defaults(task, dataCheck.ok ? dataCheck.value : undefined);
  for (const [key, raw] of p) {
    if (key === 'task' || key === 'data') continue;
    const s = BY_KEY.get(key);
    if (!s) {
      notices.push(`unknown setting "${key}" ignored`);
      continue;
    }
    if (!appliesTo(s, task)) continue;
    const c = checkValue(s, raw, task);
    if (c.ok) state[key] = c.value;
    else notices.push(`${textFor(s.label, task)} "${raw}" ignored: ${c.why}`);
  }
  return { state, notices };
}
