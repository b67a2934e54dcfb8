// fit(): everything the forecaster chooses, chosen on an inner validation cut from the end of
// the series it is given (rolling origins), never on anything the caller holds out.
//   1. scale, candidate transforms (log for positive series) and seasons (ACF peaks);
//   2. classical members in every (transform, season) space, scored at the origins;
//   3. the networks in the space of the best deseasonalising member, best checkpoint kept;
//   4. the best member or combination; split-conformal calibration of its errors;
//   5. the chosen members refitted on the whole series.
import { yieldToEventLoop } from '../fit.js';
import { fitClassical } from './classical.js';
import { THIN_EVIDENCE, choose, mae } from './ensemble.js';
import { calibrate } from './intervals.js';
import { combine as combineForecasts, forecastMember } from './members.js';
import { fitBase, trainNetworks } from './network.js';
import { statesAlong } from './base.js';
import { seasonCandidates, seasonCandidatesMaxLag, seasonalIndices } from './season.js';
import { fromSpace, seriesInSpace } from './space.js';

const KIND_NAMES = { naive: 'naive', seasonalNaive: 'seasonal naive', drift: 'drift', ses: 'SES', holt: 'damped Holt', theta: 'Theta', network: 'LSTM ensemble' };

/** The validation horizon and origins for a series of n values. */
export function validationPlan(n, horizon) {
  const guess = horizon ?? Math.round(0.25 * n);
  const H = Math.max(1, Math.min(guess, 400, Math.floor(n / 3)));
  const stride = Math.max(1, Math.ceil(H / 4));
  const minTrain = Math.max(5, Math.min(2 * H, Math.floor(n / 2)));
  const origins = [];
  for (let k = 0; k < 4; k++) {
    const o = n - H - k * stride;
    if (o >= minTrain) origins.unshift(o);
  }
  if (origins.length === 0) origins.push(n - H);
  return { horizon: H, origins };
}

/** Origins the intervals are calibrated on at most (the selection origins and older ones). */
const CALIBRATION_ORIGINS = 40;

/** Classical members look at most this far back (plus 20 seasons): long series stay fast. */
const CLASSICAL_HISTORY = 6000;

/** Older origins the classical members are also scored on for the choice (see 2b.). */
const WIDE_ORIGINS = 8;

/**
 * A space fitted on x (user units) whose first value is at absolute time `offset`: scale, log,
 * seasonal indices of each period in turn (phases of the absolute time).
 */
function makeSpace(x, scale, log, periods, offset = 0) {
  const space = { scale, log, seasons: /** @type {{period: number, indices: number[]}[]} */ ([]) };
  let z = seriesInSpace(space, x, offset);
  for (const p of periods) {
    const indices = seasonalIndices(z, p, offset);
    space.seasons.push({ period: p, indices });
    z = Float64Array.from(z, (v, t) => v - indices[(offset + t) % p]);
  }
  return space;
}

function label(cfg) {
  const parts = [KIND_NAMES[cfg.kind]];
  if (cfg.kind === 'seasonalNaive') parts.push(`(${cfg.period})`);
  const on = [];
  if (cfg.log) on.push('log');
  if (cfg.periods.length) on.push(`deseasonalised ${cfg.periods.join('+')}`);
  return on.length ? `${parts.join(' ')} on ${on.join(', ')}` : parts.join(' ');
}

/** A classical member fitted on x[0..end). */
function fitMember(cfg, x, end, scale) {
  const start = Math.max(0, end - Math.max(CLASSICAL_HISTORY, 20 * Math.max(cfg.period, ...cfg.periods)));
  const prefix = x.subarray(start, end);
  const space = makeSpace(prefix, scale, cfg.log, cfg.periods, start);
  const z = seriesInSpace(space, prefix, start);
  return { kind: cfg.kind, space, n: end, state: fitClassical(cfg.kind, z, cfg.period) };
}

/**
 * @param {any} rnn
 * @param {{values: Float64Array, missing: number}} series
 * @param {Record<string, any>} settings
 * @param {{signal?: AbortSignal, onProgress?: Function, aborted: () => Error, started?: number,
 *   networkWorkers?: {count: number, spawnModel: (options: Record<string, any>) => Promise<any>}}} hooks
 *   (started: when fit() was called, Date.now(); the time budget counts from it. networkWorkers:
 *   set by the worker forecaster, where the networks may train in workers of their own)
 */
export async function fitForecaster(rnn, series, settings, hooks) {
  const started = hooks.started ?? Date.now();
  const budget = settings.timeBudgetMs ?? 10000;
  const deadline = started + budget * 0.9;
  const seed = settings.seed ?? 1;
  const maxSteps = settings.maxSteps ?? Infinity;
  const netCount = settings.networks ?? 3;
  const x = series.values;
  const n = x.length;
  const progress = async (stage, fraction, extra = {}) => {
    if (hooks.onProgress) await hooks.onProgress({ stage, fraction, elapsedMs: Date.now() - started, ...extra });
  };
  const checkAbort = () => {
    if (hooks.signal?.aborted) throw hooks.aborted();
  };

  // 1. Scale, transforms, seasons.
  let sumAbs = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    sumAbs += Math.abs(v);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const scale = sumAbs > 0 ? sumAbs / n : 1;
  // Two distinct values: the absolute error of a forecast between them is linear in it, so the
  // nearer of the two always does at least as well as any point in between.
  const twoValues = min < max && x.every((v) => v === min || v === max) ? [min, max] : null;
  const constant = max - min <= 1e-12 * Math.max(1, Math.abs(max));
  const positive = min > 0;
  const logs = settings.transform === 'log' && positive ? [true] : settings.transform === 'none' || !positive ? [false] : [false, true];
  const { horizon, origins } = validationPlan(n, settings.horizon);
  const firstOrigin = origins[0];
  let periods;
  let detected = [];
  let shortSeason = 0;
  let wholeSeason = 0;
  if (settings.season !== undefined) periods = settings.season >= 2 && 2 * settings.season <= firstOrigin ? [settings.season] : [];
  else if (constant) periods = [];
  else {
    const probe = seriesInSpace({ scale, log: positive && logs.includes(true), seasons: [] }, x.subarray(0, firstOrigin));
    detected = seasonCandidates(probe, 3).filter((c) => 2 * c.period <= firstOrigin);
    periods = detected.map((c) => c.period);
    // A short series may not hold enough values before its first origin for the detector to
    // look as far as its season (64 monthly values: the first origin at 26, periods up to 11
    // looked for, and 11 found at that edge; 48: at 19), or, with no season found there, its
    // validation part covers at most THIN_EVIDENCE values: the strongest season over the whole
    // series joins the candidates where its autocorrelation is clear (0.35: spurious peaks of
    // 0.30 on non-seasonal daily series cost 2-3 times naive), and, beside seasons found before
    // the first origin, where the series holds it three times (Seatbelts' petrol price: a
    // period of 64 in 153 values, 2.9 times naive alone). A period the first origin holds
    // twice joins as any other (not paired with another); one it holds once, as a seasonal
    // naive candidate only (indices for deseasonalising need two cycles). Without it such series
    // could not even match the seasonal-naive rule.
    const whole = seriesInSpace({ scale, log: positive && logs.includes(true), seasons: [] }, x);
    const long = seasonCandidates(whole, 1).find((c) => c.period <= firstOrigin && c.strength >= 0.35 && !periods.includes(c.period) &&
      (periods.length ? 3 * c.period <= n && c.period > seasonCandidatesMaxLag(firstOrigin) : c.period > seasonCandidatesMaxLag(firstOrigin) || n - firstOrigin <= THIN_EVIDENCE));
    if (long) {
      detected = [...detected, long];
      if (2 * long.period <= firstOrigin) wholeSeason = long.period;
      else shortSeason = long.period;
    }
  }
  const seasonSets = [[], ...periods.map((p) => [p])];
  if (periods.length >= 2 && 2 * Math.max(periods[0], periods[1]) <= firstOrigin) seasonSets.push([periods[0], periods[1]].sort((a, b) => a - b));
  // The whole series' season is not paired with the first origin's (it may be one seen wrong).
  if (wholeSeason) {
    periods.push(wholeSeason);
    seasonSets.push([wholeSeason]);
  }

  const configs = [{ kind: 'naive', log: false, periods: [], period: 0 }, { kind: 'drift', log: false, periods: [], period: 0 }];
  for (const p of periods) configs.push({ kind: 'seasonalNaive', log: false, periods: [], period: p });
  if (shortSeason) configs.push({ kind: 'seasonalNaive', log: false, periods: [], period: shortSeason });
  if (!constant) {
    for (const log of logs) {
      for (const set of seasonSets) {
        for (const kind of ['ses', 'holt', 'theta']) configs.push({ kind, log, periods: set, period: 0 });
        if (set.length) {
          configs.push({ kind: 'naive', log, periods: set, period: 0 });
          configs.push({ kind: 'drift', log, periods: set, period: 0 });
        }
      }
    }
  }
  await progress('classical', 0);

  // 2. Classical members at the origins.
  // Under a tight budget the classical candidates stop at 60% of it (the simple rules come
  // first, so they are always there); the networks get what is left.
  const classicalDeadline = started + 0.6 * (deadline - started);
  const scored = [];
  for (const cfg of configs) {
    if (scored.length >= 2 && Date.now() > classicalDeadline) break;
    const forecasts = origins.map((o) => forecastMember(/** @type {any} */ (fitMember(cfg, x, o, scale)), horizon, []));
    scored.push({ name: label(cfg), cfg, forecasts, mae: mae(forecasts, x, origins) });
    // Long series: stay responsive to the signal and the page.
    if (n > 20000) {
      checkAbort();
      await yieldToEventLoop();
    }
  }
  checkAbort();
  await yieldToEventLoop();

  // 2b. Older selection origins: the near origins overlap (a quarter horizon apart), so a
  // choice made on them alone follows whatever the last stretch did. Every classical member is
  // also scored from up to WIDE_ORIGINS older origins, further back at the same stride; its
  // selection score is its error over all of them. Skipped (near origins only) when they do not
  // all fit in the classical part of the budget.
  const calStride = Math.max(1, Math.round(horizon / 4));
  const maxPeriod = Math.max(2, ...configs.flatMap((c) => (shortSeason && c.period === shortSeason ? [] : [...c.periods, c.period])));
  const wideOrigins = [];
  for (let j = 1; wideOrigins.length < WIDE_ORIGINS; j++) {
    const o = origins[0] - j * calStride;
    if (o < Math.max(8, 2 * maxPeriod, shortSeason, Math.min(horizon, Math.floor(n / 3)))) break;
    wideOrigins.unshift(o);
  }
  let wideDone = wideOrigins.length > 0;
  for (const s of scored) {
    if (!wideDone) break;
    s.wide = [];
    for (const o of wideOrigins) {
      if (Date.now() > classicalDeadline) {
        wideDone = false;
        break;
      }
      s.wide.push(forecastMember(/** @type {any} */ (fitMember(s.cfg, x, o, scale)), horizon, []));
    }
    if (n > 20000) {
      checkAbort();
      await yieldToEventLoop();
    }
  }
  const selectionOrigins = wideDone ? [...wideOrigins, ...origins] : origins;
  for (const s of scored) {
    s.all = wideDone ? [...s.wide, ...s.forecasts] : s.forecasts;
    s.score = mae(s.all, x, selectionOrigins);
  }
  checkAbort();
  await progress('classical', 0.1);

  // Calibration origins further back (see 4.), for the best three classical members: any
  // classical member of the final choice is among them, and so is the best one, which stands in
  // for the network there. Computed before the networks train, which take all the time left.
  const calibrationMembers = scored.map((_, i) => i).filter((i) => Number.isFinite(scored[i].score)).sort((a, b) => scored[a].score - scored[b].score).slice(0, 3);
  const longestPeriod = Math.max(2, ...calibrationMembers.flatMap((i) => [...scored[i].cfg.periods, scored[i].cfg.period]));
  /** @type {{origin: number, forecasts: Map<number, Float64Array>}[]} */
  const olderOrigins = [];
  for (let j = 1; origins.length + j <= CALIBRATION_ORIGINS && Date.now() < classicalDeadline; j++) {
    const o = origins[0] - j * calStride;
    if (o < Math.max(8, 2 * longestPeriod)) break;
    olderOrigins.push({ origin: o, forecasts: new Map(calibrationMembers.map((i) => [i, forecastMember(/** @type {any} */ (fitMember(scored[i].cfg, x, o, scale)), horizon, [])])) });
    if (n > 20000) {
      checkAbort();
      await yieldToEventLoop();
    }
  }
  checkAbort();

  // 3. The networks, in the space of the best member that deseasonalises or smooths.
  let network = null;
  let networkIndex = -1;
  let outOfTime = false;
  const spaceOwner = scored.filter((s) => ['ses', 'holt', 'theta'].includes(s.cfg.kind)).sort((a, b) => a.score - b.score)[0];
  if (netCount > 0 && !constant && maxSteps > 0 && spaceOwner) {
    const netCfg = { kind: 'network', log: spaceOwner.cfg.log, periods: spaceOwner.cfg.periods, period: 0 };
    const space = makeSpace(x.subarray(0, firstOrigin), scale, netCfg.log, netCfg.periods);
    const z = seriesInSpace(space, x);
    const t0 = Date.now();
    network = await trainNetworks(rnn, z, {
      cut: firstOrigin, origins, horizon, period: netCfg.periods[0] ?? 0, count: netCount, seed, deadline, maxSteps, signal: hooks.signal,
      base: fitBase(spaceOwner.cfg.kind, z.subarray(0, firstOrigin)),
      spawnModel: hooks.networkWorkers?.spawnModel,
      parallel: hooks.networkWorkers?.count,
      onRound: (steps, best) => {
        const f = Number.isFinite(maxSteps) ? steps / maxSteps : (Date.now() - t0) / Math.max(1, deadline - t0);
        return hooks.onProgress?.({ stage: 'network', fraction: 0.1 + 0.85 * Math.min(1, f), elapsedMs: Date.now() - started, steps, validationError: best });
      },
    });
    outOfTime = !network && Date.now() >= deadline;
    if (network) {
      if (hooks.signal?.aborted) {
        for (const net of network.nets) net.model.dispose();
        throw hooks.aborted();
      }
      const forecasts = network.forecasts.map((f, k) => Float64Array.from(f, (v, i) => fromSpace(space, v, origins[k] + i)));
      networkIndex = scored.length;
      const netMae = mae(forecasts, x, origins);
      // Scored at the near origins only (it trained on what lies before them): its score is
      // its error there scaled as its space's classical member's score is to its error there.
      scored.push({ name: label(netCfg), cfg: netCfg, forecasts, mae: netMae, score: spaceOwner.mae > 0 ? netMae * (spaceOwner.score / spaceOwner.mae) : netMae });
    }
  }
  checkAbort();

  // Whatever fails from here frees the networks.
  const finish = async () => {
    // 4. The choice and its calibration.
    const chosen = choose(scored, x, origins, selectionOrigins);
    // A forecast on a log scale: its errors grow with the level, so they are calibrated relative
    // to the last value before their origin.
    const relErrors = positive && chosen.members.some((i) => scored[i].cfg.log);
    const lv = (o) => (relErrors ? x[o - 1] : 1);
    const errors = [];
    // The selection origins lie close together at the end; the calibration also looks further
    // back (origins a quarter horizon apart, as many as CALIBRATION_ORIGINS), where the chosen
    // classical members (the best one in place of the network, which trained on that part) are
    // refitted: more errors, and more honest ones.
    const classicalChosen = chosen.members.filter((i) => i !== networkIndex);
    if (classicalChosen.length < chosen.members.length) {
      const best = scored.findIndex((s2, i) => i !== networkIndex && s2.score === Math.min(...scored.filter((_, j) => j !== networkIndex).map((t) => t.score)));
      if (best >= 0 && !classicalChosen.includes(best)) classicalChosen.push(best);
    }
    // At the selection origins the networks' errors are optimistic (their checkpoint was chosen
    // there): the stand-in's are taken there too when they are part of the forecast.
    const standIn = networkIndex >= 0 && chosen.members.includes(networkIndex) && classicalChosen.length ? classicalChosen : null;
    // Where the choice was made (the near origins and the older ones the classical members were
    // also ranked on) a forecast of the classical members is calibrated with the errors of the
    // choice made without that origin (honestForecast). Not where the networks are in the
    // forecast: their stand-in's errors are already not the forecast's own, and measured, the
    // honest choice on top widened the bundled series' bands past 90% coverage.
    const honest = (o) => (standIn ? null : honestForecast(scored, networkIndex, x, selectionOrigins, o, horizon));
    const ages = [];
    const push = (o, f) => {
      errors.push(Float64Array.from(f, (v, i) => (o + i < n ? (v - x[o + i]) / lv(o) : NaN)));
      ages.push((origins[origins.length - 1] - o) / calStride);
    };
    origins.forEach((o, k) => {
      push(o, honest(o) ?? (standIn ? combineForecasts(standIn.map((i) => scored[i].forecasts[k]), chosen.how) : chosen.forecasts[k]));
    });
    for (const { origin: o, forecasts } of classicalChosen.length ? olderOrigins : []) {
      push(o, honest(o) ?? combineForecasts(classicalChosen.map((i) => forecasts.get(i) ?? forecastMember(/** @type {any} */ (fitMember(scored[i].cfg, x, o, scale)), horizon, [])), chosen.how));
    }
    const calibration = calibrate(errors, 1e-12 * scale / (relErrors ? x[n - 1] : 1), ages);
    if (relErrors) calibration.level = x[n - 1];

    // 5. The chosen members on the whole series.
    const models = [];
    const members = chosen.members.map((i) => {
      const s = scored[i];
      if (s.cfg.kind !== 'network') return fitMember(s.cfg, x, n, scale);
      const space = makeSpace(x, scale, s.cfg.log, s.cfg.periods);
      const z = seriesInSpace(space, x);
      const longest = Math.max(...network.nets.map((net) => net.window));
      const nets = network.nets.map((net) => {
        models.push(net.model);
        return { model: models.length - 1, window: net.window, horizon: net.horizon };
      });
      const state = { unit: network.unit, window: Array.from(z.subarray(n - longest)), nets };
      if (network.base) state.base = { params: network.base, state: statesAlong(network.base, z).at(n) };
      return { kind: 'network', space, n, state };
    });
    if (network && !chosen.members.includes(networkIndex)) for (const net of network.nets) net.model.dispose();

    const naiveMae = scored[0].mae;
    const simple = scored.filter((s) => s.cfg.kind === 'naive' && !s.cfg.periods.length || s.cfg.kind === 'seasonalNaive' || s.cfg.kind === 'drift' && !s.cfg.periods.length);
    const bestSimple = simple.reduce((a, b) => (b.mae < a.mae ? b : a));
    const relative = (v) => (naiveMae > 0 ? v / naiveMae : v > 0 ? Infinity : 1);
    const leansOnSimple = simple.includes(scored[chosen.members[0]]);
    const report = {
      n,
      missing: series.missing,
      transform: members.some((m) => m.space.log) ? 'log' : 'none',
      season: members.find((m) => m.space.seasons.length)?.space.seasons.map((q) => q.period) ?? (chosen.members.map((i) => scored[i].cfg).filter((c) => c.kind === 'seasonalNaive').map((c) => c.period).slice(0, 1)),
      seasonCandidates: detected.map((c) => ({ period: c.period, autocorrelation: round(c.strength) })),
      validation: { horizon, origins: origins.length, from: origins[0], choiceOrigins: selectionOrigins.length, choiceFrom: selectionOrigins[0], errorMeasure: 'MAE relative to naive' },
      choice: chosen.label,
      combination: chosen.how,
      members: chosen.members.map((i) => scored[i].name),
      validationError: round(relative(chosen.mae)),
      simpleRules: Object.fromEntries(simple.map((s) => [s.name, round(relative(s.mae))])),
      candidates: scored.map((s) => ({ name: s.name, validationError: round(relative(s.mae)) })).sort((a, b) => a.validationError - b.validationError),
      network: network
        ? {
            used: chosen.members.includes(networkIndex),
            validationError: round(relative(scored[networkIndex].mae)),
            base: KIND_NAMES[network.base.kind],
            workers: network.workers,
            networks: network.nets.map((net) => ({ window: net.window, horizon: net.horizon, hiddenSize: network.hidden, steps: net.steps, bestStep: net.bestStep })),
            steps: network.steps,
          }
        : { used: false, reason: constant ? 'constant series' : netCount === 0 || maxSteps === 0 ? 'networks disabled by the options' : outOfTime ? 'the time budget was spent before they could train' : 'too few values for training windows' },
      // The best member is a simple rule: the forecast is it, or the median of it and the next two.
      leansOnSimpleRule: leansOnSimple,
      // What the choice left out besides the ranking (ensemble.js): trend members and the
      // networks without enough evidence (few validated values), and whether members far worse
      // than the best classical one were.
      leftOut: {
        trendsWithoutEvidence: chosen.left.trends.map((i) => scored[i].name),
        farWorseThanBest: chosen.left.worse.length > 0,
      },
      // A series of two values (0/1, on/off): each forecast step is the nearer of them.
      ...(twoValues ? { twoValues } : {}),
      elapsedMs: Date.now() - started,
      summary: '',
    };
    report.summary = summarise(report, bestSimple, relative);
    const plan = {
      version: 1,
      options: settings.seed === undefined ? {} : { seed: settings.seed },
      nonNegative: min >= 0,
      ...(report.twoValues ? { twoValues: report.twoValues } : {}),
      members,
      combination: { members: members.map((_, i) => i), how: chosen.how },
      calibration,
      report,
    };
    await progress('done', 1);
    return { plan, models };
  };
  try {
    return await finish();
  } catch (e) {
    if (network) for (const net of network.nets) net.model.dispose();
    throw e;
  }
}

/**
 * The forecast at selection origin `o` of the choice made without it: the classical members
 * ranked and combined as choose() does, on the selection origins at least a horizon away from
 * `o` (the nearer ones overlap it), or on all the others when none is that far. The chosen
 * forecast's own errors at the origins it was chosen on are optimistic (selection bias); these
 * are what choosing, then forecasting, makes there. Null where `o` is not a selection origin.
 * @param {any[]} scored the candidates (classical ones carry `all`: forecasts at the selection origins)
 * @param {number} networkIndex
 * @param {Float64Array} x
 * @param {number[]} selectionOrigins
 * @param {number} o
 * @param {number} horizon
 */
export function honestForecast(scored, networkIndex, x, selectionOrigins, o, horizon) {
  const j = selectionOrigins.indexOf(o);
  const classical = scored.map((_, i) => i).filter((i) => i !== networkIndex && scored[i].all && Number.isFinite(scored[i].score));
  if (j < 0 || classical.length === 0) return null;
  const others = selectionOrigins.map((_, k) => k).filter((k) => k !== j);
  const far = others.filter((k) => Math.abs(selectionOrigins[k] - o) >= horizon);
  const use = far.length ? far : others;
  if (use.length === 0) return null;
  const at = use.map((k) => selectionOrigins[k]);
  const candidates = classical.map((i) => {
    const forecasts = use.map((k) => scored[i].all[k]);
    return { name: scored[i].name, cfg: scored[i].cfg, forecasts, all: forecasts, score: mae(forecasts, x, at) };
  });
  // The same guards as the choice itself (the evidence measured from the first origin used).
  const picked = choose(candidates, x, at, at);
  return combineForecasts(picked.members.map((m) => scored[classical[m]].all[j]), picked.how);
}

function round(v) {
  return Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}

function summarise(r, bestSimple, relative) {
  const season = r.season.length ? `season ${r.season.join(' and ')}` : 'no season';
  const what = r.leansOnSimpleRule
    ? `the simple rule "${r.members[0]}" ${r.leftOut.trendsWithoutEvidence.length ? 'ranked first of the candidates kept' : 'won the inner validation'}, so the forecast leans on it (${r.choice}: ${r.members.join('; ')})`
    : `forecast: ${r.choice} (${r.members.join('; ')})`;
  const left = r.leftOut.trendsWithoutEvidence.length
    ? `; trend and network candidates not consistently better than the best level forecast left out on thin evidence (${r.validation.choiceOrigins} origins over the last ${r.n - r.validation.choiceFrom} values): ${r.leftOut.trendsWithoutEvidence.join(', ')}`
    : '';
  const net = r.network.used ? `the LSTM ensemble (correcting ${r.network.base}) is part of it` : `the LSTM ensemble is not used (${r.network.reason ?? `validation error ${r.network.validationError}`})`;
  return `${season}, ${r.transform === 'log' ? 'log transform' : 'no transform'}; ${what}${left}; ${net}. ` +
    `Inner validation (last ${r.validation.horizon} steps, ${r.validation.origins} origins): error ${r.validationError} of naive's, best simple rule (${bestSimple.name}) ${round(relative(bestSimple.mae))}` +
    (r.missing ? `; ${r.missing} missing value${r.missing > 1 ? 's' : ''} interpolated` : '') +
    (r.twoValues ? `; the series takes only the values ${r.twoValues.join(' and ')}, so each step forecasts the nearer of them.` : '.');
}
