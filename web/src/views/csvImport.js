// "Your own series": a CSV by file picker, drop or paste. Shows what was read (delimiter,
// header, decimal commas, rows, filled cells), lets the user pick the value and date columns,
// and hands over a series, or says in words what is wrong with the file.
import { CsvError, extractSeries, guessColumns, readTable } from '../data/csv.js';

/** The CSV worker (one per page, started on the first file), and its requests. */
let worker = /** @type {Worker | null} */ (null);
const waiting = new Map();
let nextId = 1;

/**
 * Asks the CSV worker; progress messages go to `onProgress`.
 * @returns {Promise<any>}
 */
function ask(msg, onProgress) {
  if (!worker) {
    worker = new Worker(new URL('../data/csvWorker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (e) => {
      const w = waiting.get(e.data.id);
      if (!w) return;
      if ('progress' in e.data) return w.onProgress?.(e.data.progress);
      waiting.delete(e.data.id);
      if (e.data.ok) w.resolve(e.data.value);
      else w.reject(e.data.error.csv ? new CsvError(e.data.error.message) : new Error(e.data.error.message));
    });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      for (const w of waiting.values()) w.reject(new Error(`the file reader stopped (${e.message || 'unknown error'})`));
      waiting.clear();
      worker?.terminate();
      worker = null;
    });
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, onProgress });
    /** @type {Worker} */ (worker).postMessage({ ...msg, id });
  });
}
import { h, replace } from '../lib/dom.js';

export class CsvImport {
  /**
   * @param {HTMLElement} host
   * @param {(series: {values: Float64Array, dates: Float64Array | null, title: string, units: string, notes: string[]}) => void} onSeries
   */
  constructor(host, onSeries) {
    this.onSeries = onSeries;
    /** @type {ReturnType<typeof readTable> | null} */
    this.table = null;
    this.name = '';
    const fileInput = h('input', { type: 'file', id: 'csv-file', accept: '.csv,.tsv,.txt,text/csv,text/plain', onchange: () => {
      const f = fileInput.files?.[0];
      if (f) this.readFile(f);
      fileInput.value = '';
    } });
    this.paste = h('textarea', { id: 'csv-paste', rows: 4, placeholder: 'date,value\n2024-01,112\n2024-02,118\n…', spellcheck: false });
    this.message = h('div', { class: 'field-message', role: 'alert', id: 'csv-message' });
    this.details = h('div', { class: 'csv-details' });
    replace(host,
      h('div', { class: 'csv-import' },
        h('label', { for: 'csv-file', class: 'file-button' }, 'Choose a CSV file…'), fileInput,
        h('span', { class: 'hint' }, ' or drop one on the page'),
        h('label', { for: 'csv-paste' }, 'Or paste CSV text'),
        this.paste,
        h('button', { type: 'button', onclick: () => this.readText(/** @type {HTMLTextAreaElement} */ (this.paste).value, 'pasted data') }, 'Read pasted text'),
        this.message,
        this.details));
  }

  /**
   * A file, read in slices (the page stays responsive; too large a file is refused).
   * @param {File} file
   */
  async readFile(file) {
    this.name = file.name;
    replace(this.details);
    this.message.classList.remove('error');
    replace(this.message, h('p', { class: 'note' }, `reading ${file.name}…`));
    let table;
    try {
      table = await ask({ type: 'read', file }, (share) => replace(this.message, h('p', { class: 'note' }, `reading ${file.name}: ${Math.round(100 * share)}%`)));
    } catch (e) {
      this.table = null;
      this.#error(`${file.name}: ${e instanceof CsvError ? e.message : `could not be read (${e instanceof Error ? e.message : e})`}`);
      return;
    }
    // The rows stay in the worker; the series is extracted there when chosen.
    this.#show({ ...table, inWorker: true }, file.name);
  }

  /** @param {string} text @param {string} name */
  readText(text, name) {
    this.name = name;
    let table;
    try {
      table = readTable(text);
    } catch (e) {
      this.table = null;
      replace(this.details);
      this.#error(`${name}: ${e instanceof CsvError ? e.message : `could not be read (${e instanceof Error ? e.message : e})`}`);
      return;
    }
    this.#show(table, name);
  }

  /** What was read, and the column choices. */
  #show(table, name) {
    this.table = table;
    const t = table;
    const guess = guessColumns(t);
    if (guess.valueColumn < 0) {
      this.#error(`${name}: no column holds numbers (${t.columns.length} column${t.columns.length > 1 ? 's' : ''}: ${t.columns.map((c) => c.name).join(', ')})`);
      replace(this.details);
      return;
    }
    this.message.classList.remove('error');
    replace(this.message);
    const option = (c, chosen) => h('option', { value: String(c.index), selected: c.index === chosen }, c.name);
    const valueSel = h('select', { id: 'csv-value' }, t.columns.filter((c) => c.numeric > 0).map((c) => option(c, guess.valueColumn)));
    const dateSel = h('select', { id: 'csv-date' }, h('option', { value: '-1' }, '(none: use the row number)'), t.columns.map((c) => option(c, guess.dateColumn)));
    const units = h('input', { id: 'csv-units', type: 'text', maxLength: 40, value: t.header ? t.columns[guess.valueColumn].name : '' });
    replace(this.details,
      h('p', { class: 'note' }, `${name}: ${(t.inWorker ? t.rows : t.rows.length).toLocaleString('en-US')} rows, ${t.columns.length} column${t.columns.length > 1 ? 's' : ''}, `
        + `delimiter ${t.delimiter === '\t' ? 'tab' : `"${t.delimiter}"`}, ${t.header ? 'a header row' : 'no header row'}`
        + `${t.decimalComma ? ', decimal commas' : ''}.`),
      h('label', { for: 'csv-value' }, 'Values'), valueSel,
      h('label', { for: 'csv-date' }, 'Dates'), dateSel,
      h('label', { for: 'csv-units' }, 'Units (for the axis and the errors)'), units,
      h('button', { type: 'button', class: 'primary', onclick: () => this.#use(+valueSel.value, +dateSel.value, units.value) }, 'Use this series'));
  }

  async #use(valueColumn, dateColumn, units) {
    const t = /** @type {any} */ (this.table);
    try {
      const pick = { valueColumn, dateColumn };
      const s = t.inWorker ? await ask({ type: 'extract', pick }) : extractSeries(t, pick);
      /** @type {string[]} */
      const notes = [];
      if (s.missingLines.length) {
        const shown = s.missingLines.slice(0, 8).join(', ');
        notes.push(`${s.missingLines.length} missing value${s.missingLines.length > 1 ? 's' : ''} (line${s.missingLines.length > 1 ? 's' : ''} ${shown}${s.missingLines.length > 8 ? ', …' : ''}) filled by linear interpolation`);
      }
      if (dateColumn >= 0 && !s.dates) notes.push('the date column could not be read as dates; rows are numbered instead');
      if (s.reversed) notes.push('the rows were newest first and have been put oldest first');
      replace(this.message, ...notes.map((n) => h('p', { class: 'notice' }, n)));
      this.message.classList.remove('error');
      this.onSeries({ values: s.values, dates: s.dates, title: `${this.name}: ${t.columns[valueColumn].name}`, units: units.trim(), notes });
    } catch (e) {
      this.#error(`${this.name}: ${e instanceof Error ? e.message : e}`);
    }
  }

  #error(text) {
    this.message.classList.add('error');
    replace(this.message, h('p', null, text));
  }
}
