// The transport: play / pause, one step, reset, and what the buttons show of the training's
// state (playing, paused, diverged, crashed), with a notice when training stops by itself.
import { icon } from '../lib/icons.js';
import { replace } from '../lib/dom.js';
import { message } from './notices.js';

export class Transport {
  /**
   * @param {import('./app.js').App} app
   * @param {{play: HTMLElement, step: HTMLElement, reset: HTMLElement}} buttons
   */
  constructor(app, buttons) {
    this.app = app;
    this.buttons = buttons;
  }

  wire() {
    const { play, step, reset } = this.buttons;
    replace(reset, icon('reset'));
    replace(step, icon('step'));
    this.update();
    play.addEventListener('click', () => this.togglePlay());
    step.addEventListener('click', () => this.app.session?.step(1));
    reset.addEventListener('click', () => this.app.reset());
  }

  togglePlay() {
    const s = this.app.session;
    if (!s) return;
    if (s.state === 'crashed') return void this.app.restart();
    if (s.state === 'diverged') s.acknowledge();
    if (s.playing) s.pause();
    else if (s.finished) this.app.notice(s.finishedNotice ?? 'This race is over: reset (↺) to run it again, or change a setting.', 'info');
    else s.play();
    this.update();
  }

  /** A session's event: the buttons follow its state; a stop it did not ask for is said. */
  onSession(what) {
    const s = this.app.session;
    if (!s) return;
    if (what === 'state') this.update();
    if (what !== 'error') return;
    const e = s.lastError;
    if (s.state === 'crashed') {
      this.app.notice(`The training worker stopped (${message(e)}). Press play to restart it${s.snapshot ? ` from step ${s.snapshot.step}` : ''}.`, 'error');
    } else if (s.state === 'diverged') {
      this.app.notice(`Training diverged at step ${s.steps + 1}: the loss was no longer a finite number, so the weights stay as they were after step ${s.steps}. Lower the learning rate or turn on clipping, then press play.`, 'error');
    } else {
      this.app.notice(`Training stopped: ${message(e)}`, 'error');
    }
    this.update();
  }

  update() {
    const state = this.app.session?.state ?? 'paused';
    const playing = state === 'playing';
    const b = this.buttons.play;
    b.classList.toggle('playing', playing);
    b.setAttribute('aria-pressed', String(playing));
    const label = state === 'crashed' ? 'Restart training' : playing ? 'Pause training' : 'Train';
    b.setAttribute('aria-label', label);
    b.title = `${label} (training runs until paused)`;
    replace(b, icon(state === 'crashed' ? 'restart' : playing ? 'pause' : 'play'));
    /** @type {HTMLButtonElement} */ (this.buttons.step).disabled = playing || state === 'crashed';
    this.app.doc.body.dataset.training = state;
  }
}
