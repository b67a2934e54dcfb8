// Files in and out: saving the model (with the settings and data facts that make it usable
// again), exporting its weights, loading a model file, and files dropped or chosen (a model, or
// data for the current task).
import { loadWorkerModel } from 'rnnlab/worker';
import { defaults, fromHash, toHash } from '../state/schema.js';
import { decodeMetadata, encodeMetadata, weightsJson } from '../io/modelFile.js';
import { ModelPanel } from '../views/modelPanel.js';
import { MAX_TEXT } from '../text/prepare.js';
import { message } from './notices.js';
import { TASKS } from './tasks.js';

export class ModelFiles {
  /**
   * @param {import('./app.js').App} app
   * @param {HTMLElement} host the save / load panel
   */
  constructor(app, host) {
    this.app = app;
    this.host = host;
    /** @type {ModelPanel | null} */
    this.panel = null;
  }

  wire() {
    const app = this.app;
    this.panel = new ModelPanel(this.host, {
      save: async () => {
        const s = /** @type {import('../train/session.js').Session} */ (app.session);
        if (!s) throw new Error('there is no model yet');
        const st = app.state;
        const meta = encodeMetadata(st, { steps: s.issued, dataTitle: app.prep?.series?.title ?? app.prep?.source?.title ?? st.data, ...app.controller.metadataExtra(app.prep) });
        const bytes = await s.call((m) => m.save({ metadata: meta }));
        return { bytes, fileName: `${st.task}-${st.data}-${st.cell}-step${s.issued}.rnnlab`, summary: `${st.task}, ${st.data}, ${st.cell} ${st.layers}×${st.hidden}, step ${s.issued}` };
      },
      exportWeights: async () => {
        const s = /** @type {import('../train/session.js').Session} */ (app.session);
        const w = await s.call((m) => m.getWeights());
        return { json: weightsJson(w, s.model.config), fileName: `${app.state.task}-${app.state.data}-${app.state.cell}.weights.json`, count: Object.keys(w).length };
      },
      load: (bytes, from) => this.loadBytes(bytes, from),
      open: (file) => this.openFile(file),
    });
    // Files dropped anywhere: a model file loads, a CSV or text becomes the user's data.
    const doc = app.doc;
    doc.addEventListener('dragover', (e) => {
      e.preventDefault();
      doc.body.classList.add('dropping');
    });
    doc.addEventListener('dragleave', (e) => {
      if (!e.relatedTarget) doc.body.classList.remove('dropping');
    });
    doc.addEventListener('drop', (e) => {
      e.preventDefault();
      doc.body.classList.remove('dropping');
      const f = e.dataTransfer?.files?.[0];
      if (f) this.openFile(f);
    });
  }

  /** Whether the current task saves models at all (the panel hides otherwise). */
  showFor(controller) {
    this.host.hidden = !!controller.noSaving;
  }

  /** A dropped or chosen file: a model, or data for the current task. */
  async openFile(file) {
    const app = this.app;
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    const isModel = /\.rnnlab$/i.test(file.name) || (head.length === 4 && head[0] === 0x52 && head[1] === 0x4e && head[2] === 0x4c);
    if (isModel) return this.loadBytes(new Uint8Array(await file.arrayBuffer()), file.name);
    if (app.state.task === 'forecast') return app.controller.csv.readFile(file);
    if (file.size > MAX_TEXT) return app.notice(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the playground trains on texts up to ${MAX_TEXT / 1e6} MB.`, 'error');
    return app.lifecycle.useCustom('text', { text: await file.text(), title: file.name });
  }

  /**
   * Loads model bytes: the settings saved with it come back (validated like a link's), its
   * data set is prepared, and training can go on. A file that cannot be read changes nothing.
   * @param {Uint8Array} bytes
   * @param {string} from
   */
  loadBytes(bytes, from) {
    const app = this.app;
    const say = (text, kind) => this.panel?.message(text, kind);
    return app.enqueue(async () => {
      let model;
      let meta = null;
      // The file is read in a worker of its own, so a bad file never touches the current model.
      try {
        model = await loadWorkerModel(bytes);
        meta = decodeMetadata(model.metadata);
      } catch (e) {
        model?.dispose();
        say(`${from} is not a model this page can load: ${message(e)}. The current model is unchanged.`);
        return;
      }
      const cfg = model.config;
      let next = { ...app.state };
      if (meta) {
        const { state: fromFile, notices } = fromHash(toHash({ ...defaults(meta.state.task), ...meta.state }));
        for (const n of notices) app.notice(`Model file: ${n}.`, 'warn');
        next = fromFile;
      }
      // The architecture comes from the model itself.
      Object.assign(next, {
        cell: cfg.cell, layers: cfg.hiddenSize.length, hidden: cfg.hiddenSize[0], dropout: cfg.dropout, seed: cfg.seed,
        ...(cfg.gruVariant ? { gru: cfg.gruVariant } : {}), ...(cfg.inputEncoding !== 'features' ? { embed: cfg.inputEncoding } : {}),
      });
      const task = TASKS[next.task];
      // Check the fit against the data before replacing anything.
      try {
        if (!task.prepare) throw new RangeError('the Memory and Translate pages train models of their own and load none; open Forecast, Text or Classify to load a model file');
        if (next.data === 'custom' && !app.custom[next.task]) {
          throw new RangeError(`it was trained on data of its own (${meta?.dataTitle ?? 'unknown'}); load that data first, then the model`);
        }
        const prep = task.prepare(app.rnn, next, await task.load(next, app.custom[next.task]));
        const why = task.compatible(cfg, prep);
        if (why) throw new RangeError(`it does not fit the ${next.task === 'text' ? 'text' : 'series'}: ${why}`);
      } catch (e) {
        model.dispose();
        say(`${from} cannot be used here: ${message(e)}. The current model is unchanged.`);
        return;
      }
      const ok = await app.lifecycle.setup(next, { reason: `Loaded ${from}`, prev: app.state, loaded: { model, steps: meta?.steps ?? 0 } });
      if (ok) say(`Loaded ${from}${meta ? ` (saved ${String(meta.savedAt).slice(0, 16).replace('T', ' ')}, step ${meta.steps})` : ''}.`, 'ok');
    });
  }
}
