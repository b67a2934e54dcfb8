// Argument checks shared by the API: each names the field and says what it expected.
import { fail } from './errors.js';

/**
 * A short description of a value for error messages: `"abc"` (a string), `NaN`, `an array`...
 * @param {unknown} v
 * @returns {string}
 */
export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return v.length > 40 ? `a string of length ${v.length}` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'bigint') return `the BigInt ${v}n`;
  if (typeof v === 'boolean' || typeof v === 'symbol') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${/** @type {any} */ (v).length ?? v.byteLength}`;
  if (v instanceof ArrayBuffer) return `an ArrayBuffer of ${v.byteLength} bytes`;
  const name = Object.getPrototypeOf(v)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

// Edit distance, for "did you mean" hints on misspelt option names.
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function suggestion(key, allowed) {
  let best = '';
  let bestD = Infinity;
  for (const a of allowed) {
    const d = distance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) (best = a), (bestD = d);
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

/**
 * Checks that `opts` is undefined or a plain object holding only `allowed` keys.
 * @param {unknown} opts
 * @param {readonly string[]} allowed
 * @param {string} where e.g. 'createModel' (used in messages)
 * @param {string} [field] the field name of the options object itself ('' for top level)
 * @returns {Record<string, any>}
 */
export function options(opts, allowed, where, field = '') {
  if (opts === undefined) return {};
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts) || ArrayBuffer.isView(opts)) {
    fail('INVALID_CONFIG', field || 'options', `${where} expects an options object, got ${describe(opts)}`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      const name = field ? `${field}.${key}` : key;
      fail('INVALID_CONFIG', name,
        `unknown option '${name}' for ${where}${suggestion(key, allowed)}; expected one of: ${allowed.join(', ')}`);
    }
  }
  return /** @type {Record<string, any>} */ (opts);
}

/**
 * An integer in [min, max] (default when undefined).
 * @param {unknown} v
 * @param {string} field
 * @param {{min?: number, max?: number, def?: number}} [range]
 * @returns {number}
 */
export function int(v, field, { min = -Infinity, max = Infinity, def } = {}) {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const lo = min === -Infinity ? '' : `${min}`;
    const hi = max === Infinity ? '' : `${max}`;
    const range = lo && hi ? `an integer in [${lo}, ${hi}]` : lo ? `an integer >= ${lo}` : hi ? `an integer <= ${hi}` : 'an integer';
    fail('INVALID_CONFIG', field, `must be ${range}, got ${describe(v)}`);
  }
  return v;
}

/**
 * A finite number within bounds (inclusive unless the *Open flags say otherwise).
 * @param {unknown} v
 * @param {string} field
 * @param {{min?: number, max?: number, minOpen?: boolean, maxOpen?: boolean, def?: number}} [range]
 * @returns {number}
 */
export function num(v, field, { min = -Infinity, max = Infinity, minOpen = false, maxOpen = false, def } = {}) {
  if (v === undefined && def !== undefined) return def;
  const ok = typeof v === 'number' && Number.isFinite(v) &&
    (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
  if (!ok) {
    let range = 'a finite number';
    if (min !== -Infinity && max !== Infinity) range = `a number in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
    else if (min !== -Infinity) range = `a number ${minOpen ? '>' : '>='} ${min}`;
    else if (max !== Infinity) range = `a number ${maxOpen ? '<' : '<='} ${max}`;
    fail('INVALID_CONFIG', field, `must be ${range}, got ${describe(v)}`);
  }
  return /** @type {number} */ (v);
}

/**
 * One of the listed strings (default when undefined).
 * @template {string} T
 * @param {unknown} v
 * @param {string} field
 * @param {readonly T[]} values
 * @param {T} [def]
 * @returns {T}
 */
export function oneOf(v, field, values, def) {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'string' || !values.includes(/** @type {T} */ (v))) {
    fail('INVALID_CONFIG', field, `must be one of ${values.map((s) => `'${s}'`).join(', ')}, got ${describe(v)}`);
  }
  return /** @type {T} */ (v);
}

/**
 * @param {unknown} v
 * @param {string} field
 * @param {boolean} def
 * @returns {boolean}
 */
export function bool(v, field, def) {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') fail('INVALID_CONFIG', field, `must be true or false, got ${describe(v)}`);
  return v;
}

/**
 * A function or undefined.
 * @param {unknown} v
 * @param {string} field
 * @returns {Function | undefined}
 */
export function callback(v, field) {
  if (v !== undefined && typeof v !== 'function') fail('INVALID_CONFIG', field, `must be a function, got ${describe(v)}`);
  return /** @type {Function | undefined} */ (v);
}

/**
 * A non-negative integer seed (at most 2^53 - 1, so it survives the trip through a double).
 * @param {unknown} v
 * @param {string} field
 * @param {number} def
 * @returns {number}
 */
export function seed(v, field, def) {
  return int(v, field, { min: 0, max: Number.MAX_SAFE_INTEGER, def });
}

/**
 * A string; with `wellFormed`, also rejects lone UTF-16 surrogates (which would otherwise be
 * turned into unrelated characters on their way into UTF-8).
 * @param {unknown} v
 * @param {string} field
 * @param {{nonEmpty?: boolean}} [opts]
 * @returns {string}
 */
export function text(v, field, { nonEmpty = false } = {}) {
  if (typeof v !== 'string') fail('INVALID_ARGUMENT', field, `must be a string, got ${describe(v)}`);
  if (nonEmpty && v.length === 0) fail('INVALID_CONFIG', field, 'must not be empty');
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(v);
  if (lone) fail('INVALID_CONFIG', field, `has a lone UTF-16 surrogate at index ${lone.index}; it is not valid Unicode text`);
  return v;
}
