// Files in and out: saving the model (with the settings and data facts that make it usable
// again), exporting it (weights JSON, ONNX, TF.js/Keras), loading a model file (rnnlab's, or
// another framework's), and files dropped or chosen (a model, or data for the current task).
import { createWorkerModel, loadWorkerModel } from 'rnnlab/worker';
import { defaults, fromHash, toHash } from '../state/schema.js';
import { decodeMetadata, encodeMetadata, weightsJson } from '../io/modelFile.js';
import { fittingTask, foreignKind, kerasFiles, readForeign } from '../io/foreign.js';
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
      exportAs: async (format) => {
        const s = /** @type {import('../train/session.js').Session} */ (app.session);
        if (!s) throw new Error('there is no model yet');
        const base = `${app.state.task}-${app.state.data}-${app.state.cell}`;
        if (format === 'onnx') {
          const bytes = await s.call((m) => m.exportOnnx());
          return { files: [{ name: `${base}.onnx`, data: bytes, type: 'application/octet-stream' }], note: '' };
        }
        const k = await s.call((m) => m.exportKeras());
        const { json, bin } = kerasFiles(k, base);
        return {
          files: [{ name: json.name, data: json.text, type: 'application/json' }, { name: bin.name, data: bin.bytes, type: 'application/octet-stream' }],
          note: k.warnings.join(' '),
        };
      },
      load: (bytes, from) => this.loadBytes(bytes, from),
      open: (files) => this.openFile(files[0], files),
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
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length > 0) this.openFile(files[0], files);
    });
  }

  /** Whether the current task saves models at all (the panel hides otherwise). */
  showFor(controller) {
    this.host.hidden = !!controller.noSaving;
  }

  /**
   * A dropped or chosen file (with the others dropped or chosen with it): a model (rnnlab's,
   * ONNX, TF.js/Keras, PyTorch weights JSON), or data for the current task.
   * @param {File} file
   * @param {File[]} [all]
   */
  async openFile(file, all = [file]) {
    const app = this.app;
    const kinds = await Promise.all(all.map(foreignKind));
    if (kinds.some((k) => k !== null)) return this.loadForeign(all.filter((_, i) => kinds[i] !== null));
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
        model = await loadWorkerModel(bytes, { threads: 1 }); // one thread; lifecycle.js moves a big model to more
        meta = decodeMetadata(model.metadata);
      } catch (e) {
        model?.dispose();
        say(`${from} is not a model this page can load: ${message(e)}. The current model is unchanged.`);
        return;
      }
      await this.#adopt(model, meta, from);
    });
  }

  /**
   * Loads a model from another framework (ONNX, TF.js/Keras, PyTorch weights JSON) into the
   * current task. Files that cannot be read, or a model that does not fit, change nothing.
   * @param {File[]} files
   */
  loadForeign(files) {
    const app = this.app;
    return app.enqueue(async () => {
      let model;
      let from = files.map((f) => f.name).join(' + ');
      try {
        const read = await readForeign(app.rnn, files);
        from = read.from;
        model = await createWorkerModel(read.config, { threads: 1 }); // as loadBytes
        await model.setWeights(read.weights);
      } catch (e) {
        model?.dispose();
        this.panel?.message(`${from} is not a model this page can load: ${message(e)}. The current model is unchanged.`);
        return;
      }
      await this.#adopt(model, null, from);
    });
  }

  /**
   * Uses a loaded worker model: the settings saved with it come back (none for a model from
   * another framework: the current task's), and it must fit the task's data.
   * @param {any} model
   * @param {any} meta
   * @param {string} from
   */
  async #adopt(model, meta, from) {
    const app = this.app;
    const say = (text, kind) => this.panel?.message(text, kind);
    const cfg = model.config;
    let next = { ...app.state };
    if (meta) {
      const { state: fromFile, notices } = fromHash(toHash({ ...defaults(meta.state.task), ...meta.state }));
      for (const n of notices) app.notice(`Model file: ${n}.`, 'warn');
      next = fromFile;
    }
    // A model file is one network: the forecast task shows it in Manual mode.
    if (next.task === 'forecast') next.mode = 'manual';
    // The architecture comes from the model itself.
    Object.assign(next, {
      cell: cfg.cell, layers: cfg.hiddenSize.length, hidden: cfg.hiddenSize[0], dropout: cfg.dropout, seed: cfg.seed,
      ...(cfg.gruVariant ? { gru: cfg.gruVariant } : {}), ...(cfg.inputEncoding !== 'features' ? { embed: cfg.inputEncoding } : {}),
    });
    const task = TASKS[next.task];
    // A model from another framework carries no task: say which one its shape fits.
    const fits = meta ? '' : fittingTask(cfg);
    // Check the fit against the data before replacing anything.
    try {
      if (!task.prepare) throw new RangeError(`the Memory and Translate pages train models of their own and load none; open ${fits || 'Forecast, Text or Classify'} to load this model`);
      if (next.data === 'custom' && !app.custom[next.task]) {
        throw new RangeError(`it was trained on data of its own (${meta?.dataTitle ?? 'unknown'}); load that data first, then the model`);
      }
      const prep = task.prepare(app.rnn, next, await task.load(next, app.custom[next.task]));
      const why = task.compatible(cfg, prep);
      if (why) throw new RangeError(`it does not fit the ${next.task === 'text' ? 'text' : next.task === 'classify' ? 'books' : 'series'}: ${why}${fits ? `; it fits ${fits}` : ''}`);
    } catch (e) {
      model.dispose();
      say(`${from} cannot be used here: ${message(e)}. The current model is unchanged.`);
      return;
    }
    const ok = await app.lifecycle.setup(next, { reason: `Loaded ${from}`, prev: app.state, loaded: { model, steps: meta?.steps ?? 0 } });
    if (ok) say(`Loaded ${from}${meta ? ` (saved ${String(meta.savedAt).slice(0, 16).replace('T', ' ')}, step ${meta.steps})` : '; its optimizer starts fresh'}.`, 'ok');
  }
}
