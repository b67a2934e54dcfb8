// The C++ schema (src/include/rnnlab/schema.h), read from the module once at load: every
// configuration field and training option with its type, default and limits, the error codes
// and the Status layout. Option checks, the packing of training options and the names of
// fields in errors all come from here; nothing below repeats a limit or an index.
//
// Names: the core's are snake_case and dotted ("optimizer.weight_decay"); the API's are the
// same path in camelCase ("optimizer.weightDecay"), except for the renames below.
import { bool, describe, int, num, oneOf, options } from './check.js';
import { ERROR_CODES, fail } from './errors.js';

/** Path segments the API names differently from the core. */
const RENAMED = { hidden_sizes: 'hiddenSize', type: 'name' };

/**
 * The API's name of a core field name: 'optimizer.schedule.step_size' -> 'optimizer.schedule.stepSize'.
 * @param {string} core
 */
export function apiName(core) {
  return core.split('.').map((s) => RENAMED[s] ?? s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())).join('.');
}

/**
 * @typedef {object} Field one row of a schema table (schema_export.cpp), plus its API name
 * @property {string} name core name
 * @property {string} api API path
 * @property {'enum' | 'int' | 'intList' | 'float' | 'bool' | 'seed'} type
 * @property {string[]} [choices]
 * @property {any} default
 * @property {number} [min]
 * @property {number} [max]
 * @property {boolean} [minOpen]
 * @property {boolean} [maxOpen]
 * @property {boolean} [zeroMeansAuto]
 * @property {number} [maxCount]
 * @property {{field: string, values: string[]} | null} when
 * @property {{field: string, values: string[], default: number} | null} altDefault
 */

export class Schema {
  /** @param {any} raw what the module's _schema() returns */
  constructor(raw) {
    const withApi = (/** @type {any[]} */ t) => Object.freeze(t.map((f) => Object.freeze({ ...f, api: apiName(f.name) })));
    /** @type {readonly Field[]} */
    this.modelConfig = withApi(raw.modelConfig);
    /** @type {readonly Field[]} */
    this.seq2seqConfig = withApi(raw.seq2seqConfig);
    /** @type {readonly Field[]} training options, in slot order */
    this.trainOptions = withApi(raw.trainOptions);
    /** @type {readonly Field[]} generate()'s sampling options */
    this.sampleOptions = withApi(raw.sampleOptions);
    /** @type {readonly Field[]} translate()'s options */
    this.translateOptions = withApi(raw.translateOptions);
    /** @type {readonly {name: string, meaning: string}[]} */
    this.errorCodes = Object.freeze(raw.errorCodes);
    /** @type {{bytes: number, fields: {name: string, offset: number, type: 'i32' | 'f32'}[]}} */
    this.status = raw.status;
    /** @type {Readonly<{maxParameters: number, maxActivations: number}>} the core's size caps */
    this.limits = Object.freeze({ maxParameters: raw.limits.maxParameters, maxActivations: raw.limits.maxActivations });
    /** Core names that errors may carry, for apiField(). */
    this.coreNames = new Set([...this.modelConfig, ...this.seq2seqConfig, ...this.trainOptions, ...this.sampleOptions,
      ...this.translateOptions].map((f) => f.name));
    /** Top-level keys of the training options ('optimizer', 'loss', ...). */
    this.trainKeys = Object.freeze([...new Set(this.trainOptions.map((f) => f.api.split('.')[0]))]);
    for (const c of this.errorCodes) {
      if (!ERROR_CODES.includes(c.name)) fail('LOAD_FAILED', '', `the WebAssembly module reports error code ${c.name}, which this JS layer does not know`);
    }
  }

  /**
   * Index of a training option's slot.
   * @param {string} core e.g. 'loss'
   */
  slot(core) {
    const i = this.trainOptions.findIndex((f) => f.name === core);
    if (i < 0) fail('INTERNAL', '', `no training option '${core}' in the schema`);
    return i;
  }

  /**
   * The API's name for the field of a core error: schema fields (and their entries, 'x[2]')
   * are renamed, anything else ('x', 'weights', 'config.hidden_sizes') is kept.
   * @param {string} field
   */
  apiField(field) {
    const base = field.replace(/\[.*$/, '');
    return this.coreNames.has(base) ? apiName(base) + field.slice(base.length) : field;
  }
}

/**
 * Whether a field applies given the values resolved so far (core name -> value).
 * @param {Field} f
 * @param {Record<string, any>} values
 */
export function applies(f, values) {
  return !f.when || f.when.values.includes(values[f.when.field]);
}

/** The default of f given the values resolved so far; undefined when a value is required. */
function defaultOf(f, values) {
  if (f.altDefault && f.altDefault.values.includes(values[f.altDefault.field])) return f.altDefault.default;
  const d = f.default;
  // A default outside the limits (an input vocabulary of 0) means the caller must give one.
  if ((f.type === 'int' || f.type === 'float') && !f.zeroMeansAuto && (d < f.min || d > f.max)) return undefined;
  return d;
}

/**
 * Checks one value against its field (or supplies the default); returns the value.
 * @param {Field} f
 * @param {unknown} v
 * @param {Record<string, any>} values the fields resolved so far (for conditional defaults)
 */
export function readValue(f, v, values = {}) {
  const def = defaultOf(f, values);
  const range = { min: f.min, max: f.max, minOpen: f.minOpen, maxOpen: f.maxOpen, def };
  switch (f.type) {
    case 'enum':
      return oneOf(v, f.api, /** @type {string[]} */ (f.choices), def);
    case 'bool':
      return bool(v, f.api, def);
    case 'int':
    case 'seed':
      return int(v, f.api, range);
    case 'intList':
      return intList(f, v);
    default: {
      const x = num(v, f.api, range);
      // Checked as a double; the core reads float32, where a huge value becomes Infinity.
      if (!Number.isFinite(Math.fround(x))) fail('INVALID_CONFIG', f.api, `is ${x}, beyond the float32 range`);
      return x;
    }
  }
}

/** A number or an array of 1..maxCount integers within the field's limits. */
function intList(f, v) {
  if (v === undefined) return f.default.slice();
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length < 1 || list.length > /** @type {number} */ (f.maxCount)) {
    fail('INVALID_CONFIG', f.api, `must be a number or an array of 1 to ${f.maxCount} layer sizes, got ${describe(v)}`);
  }
  return list.map((h, i) => int(h, list.length > 1 || Array.isArray(v) ? `${f.api}[${i}]` : f.api, { min: f.min, max: f.max }));
}

/**
 * Refuses a value given for a field that does not apply.
 * @param {Field} f
 * @param {Record<string, any>} values
 * @param {readonly Field[]} table
 */
export function refuseInapplicable(f, values, table) {
  const on = /** @type {NonNullable<Field['when']>} */ (f.when);
  const other = /** @type {Field} */ (table.find((g) => g.name === on.field));
  const list = on.values.map((s) => `'${s}'`).join(', ');
  fail('INVALID_CONFIG', f.api, `does not apply to ${other.api}: '${values[on.field]}' (only to ${list})`);
}

/**
 * Checks the options of a flat table (a configuration): each field that applies is read (or
 * defaulted), one given for a field that does not apply is refused. `special` may supply or
 * check a field first (createModel's rules about token input); returning undefined falls back
 * to the table.
 * @param {readonly Field[]} table
 * @param {Record<string, any>} o options, already checked for unknown keys
 * @param {(f: Field, values: Record<string, any>) => any} [special]
 * @returns {Record<string, any>} core name -> value
 */
export function readConfig(table, o, special) {
  /** @type {Record<string, any>} */
  const values = {};
  for (const f of table) {
    const given = o[f.api];
    const own = special?.(f, values);
    if (own !== undefined) values[f.name] = own;
    else if (!applies(f, values)) {
      if (given !== undefined) refuseInapplicable(f, values, table);
      values[f.name] = f.type === 'intList' ? f.default.slice() : f.default;
    } else values[f.name] = readValue(f, given, values);
  }
  return values;
}

/**
 * The `key=value` lines the core reads (core names; one protocol for Model and Seq2Seq).
 * @param {readonly Field[]} table
 * @param {Record<string, any>} values
 */
export function configText(table, values) {
  return table.map((f) => {
    const v = values[f.name];
    return `${f.name}=${Array.isArray(v) ? v.join(',') : f.type === 'bool' ? (v ? 'true' : 'false') : String(v)}\n`;
  }).join('');
}

/**
 * The core's config text -> a frozen configuration in the API's names, holding the fields
 * that apply (the options that would build the same model).
 * @param {readonly Field[]} table
 * @param {string} text
 */
export function configView(table, text) {
  /** @type {Record<string, string>} */
  const kv = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv[line.slice(0, eq)] = line.slice(eq + 1);
  }
  /** @type {Record<string, any>} */
  const values = {};
  for (const f of table) {
    const t = kv[f.name];
    if (t === undefined) fail('INTERNAL', '', `the core's configuration lacks '${f.name}'`);
    values[f.name] = f.type === 'enum' ? t : f.type === 'intList' ? Object.freeze(t.split(',').map(Number))
      : f.type === 'bool' ? t === 'true' : Number(t);
  }
  /** @type {Record<string, any>} */
  const view = {};
  for (const f of table) if (applies(f, values)) view[f.api] = values[f.name];
  return Object.freeze(view);
}

/** Descriptions of option groups, for messages. */
const GROUPS = { optimizer: 'the optimizer', 'optimizer.schedule': 'the learning-rate schedule' };

/** @type {WeakMap<readonly Field[], {groupKeys: Map<string, string[]>, place: {path: string, key: string}[]}>} */
const LAYOUTS = new WeakMap();

/**
 * Where each option of a table sits in the nested options object (its group's API path and its
 * key) and the keys each group allows: worked out once per table, not on every training call.
 * @param {readonly Field[]} table
 */
function layoutOf(table) {
  let layout = LAYOUTS.get(table);
  if (layout) return layout;
  const place = table.map((f) => {
    const cut = f.api.lastIndexOf('.');
    return { path: cut < 0 ? '' : f.api.slice(0, cut), key: f.api.slice(cut + 1) };
  });
  /** @type {Map<string, string[]>} */
  const groupKeys = new Map();
  for (const f of table) {
    const parts = f.api.split('.');
    for (let d = 0; d < parts.length; d++) {
      const path = parts.slice(0, d).join('.');
      const keys = groupKeys.get(path) ?? [];
      if (!keys.includes(parts[d])) keys.push(parts[d]);
      groupKeys.set(path, keys);
    }
  }
  layout = { groupKeys, place };
  LAYOUTS.set(table, layout);
  return layout;
}

/**
 * Checks training options against the schema and packs them, one float64 slot per option in
 * table order (what boundary.cpp's decode_train_options reads).
 * @param {Schema} schema
 * @param {Record<string, any>} o options already checked for unknown top-level keys
 * @param {{head?: 'linear' | 'softmax', seq2seq?: boolean}} model what the options apply to
 * @returns {{slots: Float64Array, values: Record<string, any>}}
 */
export function packTrainOptions(schema, o, model) {
  const table = schema.trainOptions;
  const { groupKeys, place } = layoutOf(table);
  // Nested option objects by API path ('' is the top level), each checked for unknown keys.
  /** @type {Map<string, Record<string, any>>} */
  const groups = new Map([['', o]]);
  const group = (path) => {
    if (groups.has(path)) return /** @type {Record<string, any>} */ (groups.get(path));
    const cut = path.lastIndexOf('.');
    const parent = group(cut < 0 ? '' : path.slice(0, cut));
    const key = path.slice(cut + 1);
    let raw = parent[key];
    // `optimizer: 'adam'` stands for `optimizer: {name: 'adam'}`.
    if (path === 'optimizer' && typeof raw === 'string') raw = { name: raw };
    const checked = options(raw, /** @type {string[]} */ (groupKeys.get(path)), GROUPS[path] ?? path, path);
    groups.set(path, checked);
    return checked;
  };
  const slots = new Float64Array(table.length);
  /** @type {Record<string, any>} */
  const values = {};
  table.forEach((f, i) => {
    const given = group(place[i].path)[place[i].key];
    let v;
    if (applies(f, values)) v = readValue(f, given, values);
    else if (given !== undefined) refuseInapplicable(f, values, table);
    else v = f.default;
    values[f.name] = v;
    slots[i] = f.type === 'enum' ? /** @type {string[]} */ (f.choices).indexOf(v) : f.type === 'bool' ? (v ? 1 : 0) : v;
  });
  // Rules between options (TrainOptions::validate and the models check them too).
  const opt = (/** @type {string} */ core) => values[core];
  if (opt('optimizer.nesterov') && !(opt('optimizer.momentum') > 0)) fail('INVALID_CONFIG', apiName('optimizer.nesterov'), 'needs momentum > 0');
  checkLoss(opt('loss'), model, 'trains with');
  if (model.seq2seq && opt('tbptt') !== 0) fail('INVALID_CONFIG', apiName('tbptt'), 'does not apply to encoder-decoder models');
  if (model.seq2seq && opt('stateful')) fail('INVALID_CONFIG', apiName('stateful'), 'does not apply to encoder-decoder models');
  return { slots, values };
}

/**
 * Refuses a loss the model's head cannot train with.
 * @param {string} loss
 * @param {{head?: 'linear' | 'softmax', seq2seq?: boolean}} model
 * @param {string} verb
 */
function checkLoss(loss, model, verb) {
  if (model.seq2seq && loss !== 'auto' && loss !== 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', `an encoder-decoder model ${verb} 'crossentropy'`);
  } else if (model.head === 'softmax' && loss !== 'auto' && loss !== 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', `'${loss}' needs a linear head; a softmax head ${verb} 'crossentropy'`);
  } else if (model.head === 'linear' && loss === 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', "'crossentropy' needs head: 'softmax'; a linear head trains with 'mse' or 'huber'");
  }
}

/**
 * evaluate()'s loss and Huber delta, checked as training options are: their slot values.
 * @param {Schema} schema
 * @param {{loss?: unknown, huberDelta?: unknown}} o
 * @param {{head?: 'linear' | 'softmax'}} model
 */
export function lossSlots(schema, o, model) {
  const lossField = schema.trainOptions[schema.slot('loss')];
  const deltaField = schema.trainOptions[schema.slot('huber_delta')];
  const loss = readValue(lossField, o.loss);
  checkLoss(loss, model, 'uses');
  const values = { loss };
  if (o.huberDelta !== undefined && !applies(deltaField, values)) refuseInapplicable(deltaField, values, schema.trainOptions);
  return { loss: /** @type {string[]} */ (lossField.choices).indexOf(loss), huberDelta: readValue(deltaField, o.huberDelta, values) };
}
