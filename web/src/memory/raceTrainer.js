// A memory race behind the page's transport buttons: the app drives it like one training
// session (play, pause, step, counters), though several models train in it.

/** The race behind the transport buttons: the app drives it like one training session. */
export class RaceTrainer {
  /** @param {import('./race.js').Race} race */
  constructor(race) {
    this.race = race;
    this.log = null;
    this.snapshot = null;
    this.source = { tokensPerStep: 0, stepsPerEpoch: Infinity };
  }

  get state() {
    if (this.race.racers.some((r) => this.race.stateOf(r) === 'crashed')) return 'crashed';
    return this.race.racing ? 'playing' : 'paused';
  }

  get playing() {
    return this.state === 'playing';
  }

  get finished() {
    return this.race.finished;
  }

  /** Steps of the racers still in the race (one that diverged or crashed stops counting). */
  get steps() {
    const live = this.race.racers.filter((r) => this.race.stateOf(r) !== 'diverged' && this.race.stateOf(r) !== 'crashed');
    return Math.min(...(live.length ? live : this.race.racers).map((r) => r.session.steps));
  }

  get issued() {
    return this.steps;
  }

  get inFlight() {
    return this.race.racers.reduce((a, r) => a + r.session.inFlight, 0);
  }

  get stepsPerSecond() {
    return this.race.racers.reduce((a, r) => a + r.session.stepsPerSecond, 0);
  }

  get lastError() {
    return this.race.racers.find((r) => this.race.stateOf(r) === 'crashed')?.session.lastError ?? null;
  }

  on(fn) {
    // Only a crash concerns the app; a racer diverging is part of an experiment's result.
    return this.race.on((what) => fn(what === 'error' ? (this.state === 'crashed' ? 'error' : 'state') : what === 'progress' ? 'step' : what));
  }

  play() {
    if (this.race.finished) return;
    this.race.play();
  }

  pause() {
    this.race.pause();
  }

  step(n = 1) {
    this.race.step(n);
  }

  acknowledge() {}

  dispose() {
    return this.race.dispose();
  }
}
