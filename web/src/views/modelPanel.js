// "Save and load": download the model, keep it under a name in the browser, load a file (or a
// kept model) back, export it as ONNX, as a TF.js/Keras LayersModel or as weights under
// PyTorch's names. The app supplies the model's bytes and exports and does the loading; this
// panel shows the buttons, the list and what happened, next to them.
import { forgetModel, keepModel, listModels } from '../io/library.js';
import { download, h, replace } from '../lib/dom.js';

export class ModelPanel {
  /**
   * @param {HTMLElement} host
   * @param {object} app
   * @param {() => Promise<{bytes: Uint8Array, fileName: string, summary: string}>} app.save the model as a file
   * @param {() => Promise<{json: string, fileName: string, count: number}>} app.exportWeights
   * @param {(format: 'onnx' | 'keras') => Promise<{files: {name: string, data: Uint8Array | string, type: string}[], note: string}>} app.exportAs
   * @param {(bytes: Uint8Array, from: string) => Promise<unknown>} app.load
   * @param {(files: File[]) => unknown} app.open files the user chose (a model.json with its weights file)
   */
  constructor(host, app) {
    this.app = app;
    const name = /** @type {HTMLInputElement} */ (h('input', { id: 'model-name', type: 'text', maxLength: 60, placeholder: 'e.g. sunspots-lstm' }));
    const file = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'model-file', multiple: true, accept: '.rnnlab,.onnx,.json,.bin,application/octet-stream', onchange: () => {
      const files = [...(file.files ?? [])];
      file.value = '';
      if (files.length > 0) app.open(files);
    } }));
    this.messageHost = h('div', { class: 'field-message', role: 'alert', id: 'io-message' });
    this.list = h('ul', { class: 'saved', 'aria-label': 'Models kept in this browser' });
    replace(host,
      h('h2', null, 'Save and load'),
      h('div', { class: 'buttons' },
        h('button', { type: 'button', id: 'save-file', onclick: () => this.#download() }, 'Download model'),
        h('label', { for: 'model-file', class: 'file-button' }, 'Load model file…'), file,
        h('button', { type: 'button', id: 'export-weights', onclick: () => this.#export() }, 'Export weights (PyTorch names, JSON)'),
        h('button', { type: 'button', id: 'export-onnx', onclick: () => this.#exportAs('onnx') }, 'Export ONNX'),
        h('button', { type: 'button', id: 'export-keras', onclick: () => this.#exportAs('keras') }, 'Export TF.js / Keras')),
      h('p', { class: 'note' }, 'Load model file… also reads an .onnx file, a TF.js/Keras model.json with its weights file (pick or drop both), or PyTorch weights JSON.'),
      h('label', { for: 'model-name' }, 'Keep in this browser as'),
      h('div', { class: 'inline' }, name, h('button', { type: 'button', id: 'keep-model', onclick: () => this.#keep(name.value) }, 'Keep')),
      this.list,
      this.messageHost);
    this.refresh();
  }

  /** Says what happened (an error unless `kind` says otherwise). */
  message(text, kind = 'error') {
    replace(this.messageHost, text ? h('p', { class: kind }, text) : '');
  }

  async #download() {
    try {
      const { bytes, fileName } = await this.app.save();
      download(fileName, bytes);
      this.message(`Downloaded (${(bytes.length / 1024).toFixed(0)} KB).`, 'ok');
    } catch (e) {
      this.message(`Could not save: ${e instanceof Error ? e.message : e}`);
    }
  }

  async #export() {
    try {
      const { json, fileName, count } = await this.app.exportWeights();
      download(fileName, json, 'application/json');
      this.message(`Exported ${count} tensors under PyTorch's names (weight_ih_l0, weight_hh_l0, …).`, 'ok');
    } catch (e) {
      this.message(`Could not export: ${e instanceof Error ? e.message : e}`);
    }
  }

  async #exportAs(format) {
    try {
      const { files, note } = await this.app.exportAs(format);
      for (const f of files) download(f.name, f.data, f.type);
      this.message(`Exported ${files.map((f) => f.name).join(' and ')}.${note ? ` ${note}` : ''}`, note ? 'notice' : 'ok');
    } catch (e) {
      this.message(`Could not export: ${e instanceof Error ? e.message : e}`);
    }
  }

  async #keep(name) {
    const n = name.trim();
    if (!n) return this.message('Give the model a name first.');
    try {
      const { bytes, summary } = await this.app.save();
      await keepModel(n, bytes, summary);
      this.message(`Kept as “${n}”.`, 'ok');
      await this.refresh();
    } catch (e) {
      this.message(`Could not keep the model: ${e instanceof Error ? e.message : e}`);
    }
  }

  /** Lists the models kept in this browser. */
  async refresh() {
    let models = [];
    try {
      models = await listModels();
    } catch (e) {
      this.message(`Browser storage is not available: ${e instanceof Error ? e.message : e}`);
    }
    replace(this.list, ...models.map((m) => h('li', null,
      h('span', { class: 'saved-name' }, m.name), h('span', { class: 'note' }, ` ${m.summary}`),
      h('button', { type: 'button', 'aria-label': `Load ${m.name}`, onclick: () => this.app.load(m.bytes, `“${m.name}”`) }, 'Load'),
      h('button', { type: 'button', 'aria-label': `Delete ${m.name}`, onclick: async () => { await forgetModel(m.name); await this.refresh(); } }, 'Delete'))));
  }
}
