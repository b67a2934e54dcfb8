// How the page's settings become rnnlab's options: one function per kind of option, each
// walking the settings table (state/schema.js), whose rows say which option they become (`api`).
// A setting that maps straight to an option is its row and nothing else; a task adds only what
// its data dictates (input and output sizes, the head), never the settings' options.
import { SETTINGS, apiOf, appliesTo } from '../state/schema.js';

/**
 * The options of one kind that a state's settings make, for its task.
 * @param {'model' | 'train' | 'sample'} kind
 * @param {Record<string, any>} state
 * @param {Record<string, any>} [ctx] what a value needs besides the state (the vocabulary, ...)
 */
function optionsOf(kind, state, ctx = {}) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const s of SETTINGS) {
    if (!appliesTo(s, state.task)) continue;
    const api = apiOf(s, state.task);
    if (!api || api.to !== kind || (api.when && !api.when(state))) continue;
    const path = api.name.split('.');
    let at = out;
    for (const k of path.slice(0, -1)) at = at[k] ??= {};
    at[path[path.length - 1]] = api.value ? api.value(state[s.key], state, ctx) : state[s.key];
  }
  return out;
}

/**
 * createModel's (or createSeq2Seq's) options for a state.
 * @param {Record<string, any>} state
 * @param {Record<string, any>} [shape] what the task's data fixes (inputSize, vocabSize, head, ...)
 */
export function modelOptions(state, shape = {}) {
  return { ...optionsOf('model', state), ...shape };
}

/**
 * Training options (trainBatch, fit) for a state: read at every step, so the live settings
 * (optimizer, learning rate, clipping) apply at the next one.
 * @param {Record<string, any>} state
 */
export function trainOptions(state) {
  // Asked at every step: worked out once per state (a change of setting makes a new state object).
  let o = trainCache.get(state);
  if (!o) trainCache.set(state, (o = deepFreeze(optionsOf('train', state))));
  return o;
}

/** Training options by state object. @type {WeakMap<object, Record<string, any>>} */
const trainCache = new WeakMap();

/** Shared between steps, so nobody may change them. */
function deepFreeze(o) {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}

/**
 * generate()'s options for a state.
 * @param {Record<string, any>} state
 * @param {{vocabSize: number, encode: (text: string) => Int32Array}} ctx the model's vocabulary
 */
export function sampleOptions(state, ctx) {
  return optionsOf('sample', state, ctx);
}

/**
 * nextTokenProbabilities()'s options: the sampling options that shape one distribution.
 * @param {Record<string, any>} state
 */
export function probabilityOptions(state) {
  const { temperature } = optionsOf('sample', state, { vocabSize: Infinity, encode: () => new Int32Array(0) });
  return { temperature };
}
