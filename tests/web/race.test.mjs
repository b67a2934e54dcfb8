// The memory races in Node, through the page's own race code: racers train in parallel, up to
// the race's lanes at a time (the page gives it min(reported cores, 4)), each in its own
// worker; a race run with several lanes ends with exactly the results of one racer at a time
// for the same seed; a race's workers end when it ends, and when it is stopped half-way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from '../../web/src/state/schema.js';
import { entriesOf } from '../../web/src/memory/experiments.js';
import { MAX_LANES, Race, defaultLanes } from '../../web/src/memory/race.js';

/**
 * Runs a race of `state` with `lanes` to its end; records the most racers busy at once.
 * @returns {Promise<{race: Race, mostBusy: number, busyAtStart: number}>}
 */
async function runWith(state, lanes) {
  const race = await new Race(entriesOf(state), { budget: state.budget, detail: state.data === 'clip', lanes }).start();
  let mostBusy = 0;
  const busy = () => race.racers.filter((r) => r.busy).length;
  await new Promise((resolve) => {
    race.on(() => {
      mostBusy = Math.max(mostBusy, busy());
      if (race.released) resolve(undefined);
    });
    race.play();
    mostBusy = Math.max(mostBusy, busy());
  });
  return { race, mostBusy };
}

/** What a race measured, per racer: the scores at every step count, losses, final look. */
function results(race) {
  return Object.fromEntries(race.racers.map((r) => [r.entry.id, {
    state: race.stateOf(r),
    steps: r.session.steps,
    final: { ...r.points.at(-1), ms: undefined },
    losses: r.session.log.series().mean,
    gradNorms: r.session.gradLog.series().mean,
    inspected: r.inspection ? Array.from(r.inspection.layers[0].gradNorm) : null,
  }]));
}

test('the page races min(cores, 4) racers at a time', () => {
  assert.equal(MAX_LANES, 4);
  const lanes = defaultLanes();
  const cores = globalThis.navigator?.hardwareConcurrency;
  assert.equal(lanes, cores ? Math.min(4, cores) : 2);
});

for (const [name, state] of [
  ['gap race (three cells)', { ...defaults('memory', 'gap'), gap: 20, budget: 48, hidden: 16, seed: 4 }],
  ['clipping race (detail mode, one racer blows up)', { ...defaults('memory', 'clip'), gap: 20, budget: 60, hidden: 16 }],
]) {
  test(`${name}: racers train in parallel, up to the lanes at once, with exactly the results of one at a time`, async () => {
    const one = await runWith(state, 1);
    const three = await runWith(state, 3);
    const racers = three.race.racers.length;
    assert.equal(one.mostBusy, 1, 'one lane: one racer trains at a time');
    assert.equal(three.mostBusy, Math.min(3, racers), 'three lanes: every racer trains at once');
    const a = results(one.race);
    const b = results(three.race);
    for (const [id, r] of Object.entries(a)) {
      assert.ok(r.steps > 0 && r.losses.length > 0, `${id} trained`);
      if (r.state === 'paused') assert.equal(r.steps, state.budget, `${id} trained its budget`);
    }
    if (state.data === 'clip') assert.equal(a.unclipped.state, 'diverged', 'the unclipped racer blew up (the race still ends)');
    assert.deepEqual(b, a);
    // Workers end as the race does.
    for (const { race } of [one, three]) assert.ok(race.racers.every((r) => r.session.state === 'disposed'));
  });
}

test('a race stopped half-way ends its workers; its results so far stay', async () => {
  const state = { ...defaults('memory', 'gap'), gap: 20, budget: 4000, hidden: 16 };
  const race = await new Race(entriesOf(state), { budget: state.budget, lanes: 2 }).start();
  race.play();
  await new Promise((resolve) => {
    const off = race.on(() => {
      if (race.racers.every((r) => r.session.steps >= 16)) {
        off();
        resolve(undefined);
      }
    });
  });
  await race.dispose();
  assert.ok(race.racers.every((r) => r.session.state === 'disposed'));
  assert.ok(race.racers.every((r) => r.session.steps >= 16 && r.session.steps < state.budget));
  await assert.rejects(race.racers[0].session.model.predict(race.racers[0].entry.test.x), { code: 'DISPOSED' });
});
