// Training options: checked here, then packed as float64 slots in the order of
// TrainOptionSlot (bindings/boundary.h), so a training call passes one address.
import { bool, int, num, oneOf, options } from './check.js';
import { fail } from './errors.js';

export const OPTIMIZERS = /** @type {const} */ (['sgd', 'rmsprop', 'adam', 'adamw']);
export const SCHEDULES = /** @type {const} */ (['constant', 'step', 'cosine']);
export const LOSSES = /** @type {const} */ (['auto', 'mse', 'huber', 'crossentropy']);
const OPTIMIZER_KEYS = ['name', 'lr', 'momentum', 'nesterov', 'beta1', 'beta2', 'eps', 'alpha', 'weightDecay', 'schedule'];
const SCHEDULE_KEYS = ['name', 'stepSize', 'gamma', 'tMax', 'etaMin'];
// Hyper-parameters that only some optimizers read: giving one to another is a mistake.
const APPLIES_TO = {
  momentum: ['sgd', 'rmsprop'],
  nesterov: ['sgd'],
  beta1: ['adam', 'adamw'],
  beta2: ['adam', 'adamw'],
  eps: ['adam', 'adamw', 'rmsprop'],
  alpha: ['rmsprop'],
};

/** Keys of the options every training call accepts. */
export const TRAIN_KEYS = ['optimizer', 'loss', 'huberDelta', 'clipNorm', 'tbptt', 'stateful'];

const SLOT_COUNT = 19;

/**
 * Checks training options and packs them.
 * @param {Record<string, any>} o options already checked for unknown keys by the caller
 * @param {{head?: 'linear' | 'softmax', seq2seq?: boolean}} model what the options apply to
 * @returns {Float64Array}
 */
export function packTrainOptions(o, model) {
  let opt = o.optimizer;
  if (typeof opt === 'string') opt = { name: opt };
  opt = options(opt, OPTIMIZER_KEYS, 'the optimizer', 'optimizer');
  const name = oneOf(opt.name, 'optimizer.name', OPTIMIZERS, 'adam');
  const sch = options(opt.schedule, SCHEDULE_KEYS, 'the learning-rate schedule', 'optimizer.schedule');
  for (const [key, names] of Object.entries(APPLIES_TO)) {
    if (opt[key] !== undefined && !names.includes(name)) {
      fail('INVALID_CONFIG', `optimizer.${key}`, `does not apply to '${name}' (it applies to ${names.map((n) => `'${n}'`).join(', ')})`);
    }
  }
  const momentum = num(opt.momentum, 'optimizer.momentum', { min: 0, max: 1, maxOpen: true, def: 0 });
  const nesterov = bool(opt.nesterov, 'optimizer.nesterov', false);
  if (nesterov && !(momentum > 0)) fail('INVALID_CONFIG', 'optimizer.nesterov', 'needs momentum > 0');

  const loss = oneOf(o.loss, 'loss', LOSSES, 'auto');
  if (model.seq2seq && loss !== 'auto' && loss !== 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', "an encoder-decoder model trains with 'crossentropy'");
  } else if (model.head === 'softmax' && loss !== 'auto' && loss !== 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', `'${loss}' needs a linear head; a softmax head trains with 'crossentropy'`);
  } else if (model.head === 'linear' && loss === 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', "'crossentropy' needs head: 'softmax'; a linear head trains with 'mse' or 'huber'");
  }
  if (o.huberDelta !== undefined && loss !== 'huber') fail('INVALID_CONFIG', 'huberDelta', "applies to loss: 'huber' only");
  const tbptt = int(o.tbptt, 'tbptt', { min: 0, max: 0x7fffffff, def: 0 });
  const stateful = bool(o.stateful, 'stateful', false);
  if (model.seq2seq && tbptt !== 0) fail('INVALID_CONFIG', 'tbptt', 'does not apply to encoder-decoder models');
  if (model.seq2seq && stateful) fail('INVALID_CONFIG', 'stateful', 'does not apply to encoder-decoder models');

  const s = new Float64Array(SLOT_COUNT);
  s[0] = OPTIMIZERS.indexOf(name);
  s[1] = num(opt.lr, 'optimizer.lr', { min: 0, def: 1e-3 });
  s[2] = momentum;
  s[3] = nesterov ? 1 : 0;
  s[4] = num(opt.beta1, 'optimizer.beta1', { min: 0, max: 1, maxOpen: true, def: 0.9 });
  s[5] = num(opt.beta2, 'optimizer.beta2', { min: 0, max: 1, maxOpen: true, def: 0.999 });
  s[6] = num(opt.eps, 'optimizer.eps', { min: 0, minOpen: true, def: 1e-8 });
  s[7] = num(opt.alpha, 'optimizer.alpha', { min: 0, max: 1, maxOpen: true, def: 0.99 });
  // torch.optim defaults: AdamW decays by 0.01, the others not at all.
  s[8] = num(opt.weightDecay, 'optimizer.weightDecay', { min: 0, def: name === 'adamw' ? 0.01 : 0 });
  const schedule = oneOf(sch.name, 'optimizer.schedule.name', SCHEDULES, 'constant');
  s[9] = SCHEDULES.indexOf(schedule);
  s[10] = int(sch.stepSize, 'optimizer.schedule.stepSize', { min: 1, max: 0x7fffffff, def: 100 });
  s[11] = num(sch.gamma, 'optimizer.schedule.gamma', { min: 0, minOpen: true, def: 0.5 });
  s[12] = int(sch.tMax, 'optimizer.schedule.tMax', { min: 1, max: 0x7fffffff, def: 1000 });
  s[13] = num(sch.etaMin, 'optimizer.schedule.etaMin', { min: 0, def: 0 });
  s[14] = LOSSES.indexOf(loss);
  s[15] = num(o.huberDelta, 'huberDelta', { min: 0, minOpen: true, def: 1 });
  s[16] = num(o.clipNorm, 'clipNorm', { min: 0, def: 0 });
  s[17] = tbptt;
  s[18] = stateful ? 1 : 0;
  for (const [i, field] of [[1, 'optimizer.lr'], [6, 'optimizer.eps'], [8, 'optimizer.weightDecay'], [11, 'optimizer.schedule.gamma'], [13, 'optimizer.schedule.etaMin'], [15, 'huberDelta'], [16, 'clipNorm']]) {
    // Checked as doubles above; the core reads float32, where a huge value becomes Infinity.
    if (!Number.isFinite(Math.fround(s[/** @type {number} */ (i)]))) {
      fail('INVALID_CONFIG', /** @type {string} */ (field), `is ${s[/** @type {number} */ (i)]}, beyond the float32 range`);
    }
  }
  if (schedule === 'constant') {
    for (const k of ['stepSize', 'gamma', 'tMax', 'etaMin']) {
      if (sch[k] !== undefined) fail('INVALID_CONFIG', `optimizer.schedule.${k}`, "does not apply to the 'constant' schedule");
    }
  } else if (schedule === 'step') {
    for (const k of ['tMax', 'etaMin']) {
      if (sch[k] !== undefined) fail('INVALID_CONFIG', `optimizer.schedule.${k}`, "applies to the 'cosine' schedule only");
    }
  } else {
    for (const k of ['stepSize', 'gamma']) {
      if (sch[k] !== undefined) fail('INVALID_CONFIG', `optimizer.schedule.${k}`, "applies to the 'step' schedule only");
    }
  }
  return s;
}

/**
 * Loss name -> slot, for evaluate().
 * @param {unknown} v
 * @param {{head?: 'linear' | 'softmax'}} model
 */
export function lossSlot(v, model) {
  const loss = oneOf(v, 'loss', LOSSES, 'auto');
  if (model.head === 'softmax' && loss !== 'auto' && loss !== 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', `'${loss}' needs a linear head; a softmax head uses 'crossentropy'`);
  }
  if (model.head === 'linear' && loss === 'crossentropy') {
    fail('INVALID_CONFIG', 'loss', "'crossentropy' needs head: 'softmax'");
  }
  return LOSSES.indexOf(loss);
}
