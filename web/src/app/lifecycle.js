// A task's lifecycle: the controller of the task shown, its data and the training session,
// replaced together. A new setup builds the new model first and only then lets the old one
// go; when it fails, the previous state, data and model stay and the error shows beside the
// setting that caused it. Reset and restart after a crash are setups too.
import { Session } from '../train/session.js';
import { modelOptions, trainOptions } from '../train/options.js';
import { threadsFor, tokensOf } from '../train/threads.js';
import { message } from './notices.js';
import { checkModelSize } from './modelSize.js';
import { TASKS } from './tasks.js';

/**
 * @typedef {{reason: string, key?: string, prev?: Record<string, any>,
 *   loaded?: {bytes?: Uint8Array, model?: import('rnnlab/worker').WorkerModel, steps: number}}} Why
 */

export class TaskLifecycle {
  /** @param {import('./app.js').App} app */
  constructor(app) {
    this.app = app;
  }

  /**
   * New data and/or a new model for `next` (a new controller too if the task changed).
   * Resolves true when done, false when refused (nothing changed).
   * @param {Record<string, any>} next
   * @param {Why} why
   */
  async setup(next, why) {
    const app = this.app;
    const wasPlaying = app.session?.playing ?? false;
    const taskChanged = !app.controller || app.controller.task !== next.task;
    // No redraws while the views and the model may belong to different settings.
    app.settingUp = true;
    try {
      return await this.#build(next, why, wasPlaying, taskChanged);
    } finally {
      app.settingUp = false;
    }
  }

  async #build(next, why, wasPlaying, taskChanged) {
    const app = this.app;
    app.status(why.loaded ? 'loading the model…' : 'building the model…');
    let controller = app.controller;
    let prep;
    let session;
    try {
      if (taskChanged) {
        app.controller?.destroy();
        controller = this.#controllerFor(next.task);
        app.form.render(next);
      }
      const source = await controller.load(next, app.custom[next.task]);
      prep = controller.prepare(app.rnn, next, source);
      // A controller with a trainer of its own builds it (null: one model in a session).
      session = controller.build ? await controller.build(app.rnn, next, prep) : null;
      const plan = session ? null : this.#plan(controller, next, prep);
      if (session) {
        why.loaded?.model?.dispose();
      } else if (why.loaded) {
        // A file is checked in a worker of one thread (files.js); a model worth more threads
        // moves to a worker with them.
        const model = why.loaded.model;
        const bytes = model && model.threads === 1 && plan.threads !== 1 ? await model.save({ metadata: model.metadata }) : why.loaded.bytes;
        if (bytes && model) model.dispose();
        session = bytes
          ? await Session.load(bytes, plan, why.loaded.steps)
          : Session.adopt(/** @type {any} */ (model), plan, why.loaded.steps);
      } else {
        const opts = modelOptions(next, controller.modelShape(prep));
        checkModelSize(app.rnn, opts, plan);
        session = await Session.create(opts, plan);
      }
    } catch (e) {
      app.status('');
      why.loaded?.model?.dispose();
      this.#refuse(why, e, taskChanged);
      return false;
    }
    // The new model is ready: only now does the old one go.
    const old = app.session;
    app.session = session;
    app.prep = prep;
    // Model, data and views agree again: redraws may go on.
    app.settingUp = false;
    app.commitState(next);
    if (taskChanged) app.form.render(next);
    session.on((what) => app.onSession(what));
    app.progress.showTask(controller, prep, next.task);
    app.files.showFor(controller);
    controller.showPrepared(prep, next);
    app.views.setupInside(controller, prep, next);
    app.progress.redraw();
    app.status('');
    if (why.reason && old) app.notice(`${why.reason}: ${why.loaded ? 'model loaded' : 'a new model was built'}; training starts again${why.loaded ? ` from step ${why.loaded.steps}` : ' at step 0'}.`, 'info');
    app.transport.update();
    if (why.loaded) app.views.requestProbe({ sample: true });
    if (wasPlaying && !why.loaded) session.play();
    // Last, after the views are set up for the new model (nothing may redraw half-way).
    await old?.dispose();
    return true;
  }

  /**
   * The one-model session's plan: the task's, with the training options read live and the
   * threads its model's steps are worth (a loaded model has the settings' shape too).
   */
  #plan(controller, next, prep) {
    const plan = { ...controller.plan(next, prep), trainOptions: () => trainOptions(this.app.state) };
    const parameters = this.app.rnn.parameterCount(modelOptions(next, controller.modelShape(prep)), { seq2seq: !!plan.seq2seq });
    return { ...plan, threads: threadsFor(parameters, tokensOf(plan.source)) };
  }

  /** A new controller (the task's page) in the page's slots; it becomes the app's. */
  #controllerFor(task) {
    const app = this.app;
    const controller = new TASKS[task].Controller({ main: app.el.taskMain, side: app.el.taskSide, data: app.el.dataExtra },
      (custom) => this.useCustom(task, custom));
    controller.task = task;
    app.controller = controller;
    return controller;
  }

  /** A setup failed: report beside the cause, keep what was there. */
  #refuse(why, e, taskChanged) {
    const app = this.app;
    const text = message(e);
    const shown = why.key && app.form.error(why.key, text);
    if (!shown) app.notice(text, 'error');
    if (!app.session) {
      // Nothing to fall back to (first load): show the error, keep the page usable.
      app.notice(text, 'error');
      return;
    }
    if (why.prev) {
      if (taskChanged) {
        // The old task's controller was replaced: rebuild it around the old session.
        app.controller.destroy();
        const controller = this.#controllerFor(why.prev.task);
        app.form.render(why.prev);
        controller.showPrepared(app.prep, why.prev);
        app.views.setupInside(controller, app.prep, why.prev);
        app.views.requestProbe({ sample: true });
      }
      app.commitState(why.prev);
      if (why.key) app.form.error(why.key, `${text} — kept the previous setting.`);
    }
  }

  /** The user's own data for a task: kept for the page's lifetime, trained on at once. */
  async useCustom(task, custom) {
    const app = this.app;
    app.custom[task] = custom;
    await app.enqueue(async () => {
      const prev = app.state;
      const next = prev.data === 'custom' ? { ...prev } : { ...prev, data: 'custom' };
      const ok = await this.setup(next, { reason: 'Your own data loaded', key: 'data', prev });
      if (!ok) app.custom[task] = null;
    });
  }

  /** A new model with the same settings (same seed: the same starting weights). */
  reset() {
    const app = this.app;
    return app.enqueue(() => this.setup({ ...app.state }, { reason: '' }));
  }

  /** After a worker crash: a new worker from the last snapshot (or from scratch). */
  restart() {
    const app = this.app;
    const snap = app.session?.snapshot;
    return app.enqueue(async () => {
      const ok = snap
        ? await this.setup({ ...app.state }, { reason: 'Restarted after the crash', loaded: { bytes: snap.bytes, steps: snap.step } })
        : await this.setup({ ...app.state }, { reason: 'Restarted after the crash' });
      if (ok && snap) app.notice(`Training restarted from the copy made at step ${snap.step}; the optimizer's running averages start afresh.`, 'info');
    });
  }
}
