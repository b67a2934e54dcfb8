// Reading a user's CSV (or a built-in one) into a series: Papa Parse finds the delimiter and
// handles quoting; this module finds the header, decimal commas, the date and value columns,
// missing cells (reported by row, filled by linear interpolation) and cells that are not
// numbers (an error naming the row, the column and the text).
import Papa from 'papaparse';

/** Cells that mean "no value here" rather than a typo. */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '-', '?', '.', '#n/a']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NUMBER_DECIMAL_COMMA = /^[+-]?(\d+,?\d*|,\d+)$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const THOUSANDS_DOT = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;

/** Largest input we parse in the page (a bigger file is refused with a message). */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;

export class CsvError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * A cell as a number: NaN when missing, undefined when it is not a number.
 * @param {string} cell
 * @param {boolean} decimalComma
 */
export function parseNumber(cell, decimalComma) {
  let s = cell.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (MISSING.has(s.toLowerCase())) return NaN;
  if (decimalComma) {
    if (THOUSANDS_DOT.test(s)) s = s.replace(/\./g, '');
    if (!NUMBER_DECIMAL_COMMA.test(s)) return NUMBER.test(s) && !s.includes('.') ? Number(s) : undefined;
    return Number(s.replace(',', '.'));
  }
  if (THOUSANDS.test(s)) s = s.replace(/,/g, '');
  return NUMBER.test(s) ? Number(s) : undefined;
}

/**
 * A date cell as seconds since 1970 (UTC), or null. Understands 1949, 1949-01, 1949-01-31,
 * 1960-Q1, ISO date-times and what Date.parse reads.
 * @param {string} cell
 */
export function parseDate(cell) {
  const s = cell.trim();
  let m;
  if ((m = /^(\d{4})$/.exec(s))) return Date.UTC(+m[1], 0, 1) / 1000;
  if ((m = /^(\d{4})[-/.](\d{1,2})$/.exec(s)) && +m[2] >= 1 && +m[2] <= 12) return Date.UTC(+m[1], +m[2] - 1, 1) / 1000;
  if ((m = /^(\d{4})[- ]?Q([1-4])$/i.exec(s))) return Date.UTC(+m[1], (+m[2] - 1) * 3, 1) / 1000;
  if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) return Date.UTC(+m[1], +m[2] - 1, +m[3]) / 1000;
  if (!/\d/.test(s) || !/[-/:. ]/.test(s)) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t / 1000 : null;
}

/** Pasted text above this size should come as a file (read in slices, not at once). */
export const MAX_PASTE_BYTES = 2 * 1024 * 1024;
/** Longest series the playground reads. */
export const MAX_ROWS = 200_000;
/** Rows looked at to type the columns (spread over the file). */
const SAMPLE_ROWS = 5000;
const PARSE = { skipEmptyLines: /** @type {'greedy'} */ ('greedy'), delimitersToGuess: [',', ';', '\t', '|'] };

/**
 * @typedef {{header: string[] | null, rows: string[][], delimiter: string, decimalComma: boolean,
 *   columns: {index: number, name: string, numeric: number, dates: number, missing: number, other: number}[],
 *   sampled: number, firstDataLine: number}} Table
 */

/**
 * Parses CSV text (pasted, or a bundled file) into a table and describes its columns.
 * @param {string} text
 * @returns {Table}
 */
export function readTable(text) {
  if (typeof text !== 'string' || text.trim() === '') throw new CsvError('the file is empty');
  if (text.length > MAX_PASTE_BYTES) {
    throw new CsvError(`that is ${(text.length / 1048576).toFixed(1)} MB of text; choose it as a file instead (files up to ${MAX_CSV_BYTES / 1048576} MB are read in slices)`);
  }
  if (text.includes('\u0000')) throw new CsvError('this is not a text file (it contains NUL bytes)');
  const parsed = Papa.parse(text, PARSE);
  return describeRows(/** @type {any} */ (parsed.data), parsed.meta.delimiter, parsed.errors);
}

/**
 * Reads a CSV file in slices of 128 KB, so the page stays responsive however large it is;
 * files over MAX_CSV_BYTES or with more than MAX_ROWS rows are refused with a message.
 * @param {Blob & {name?: string}} file
 * @param {(share: number) => void} [onProgress]
 * @returns {Promise<Table>}
 */
export function readTableFromFile(file, onProgress) {
  if (file.size > MAX_CSV_BYTES) {
    return Promise.reject(new CsvError(`the file has ${(file.size / 1048576).toFixed(0)} MB; the playground reads CSV files up to ${MAX_CSV_BYTES / 1048576} MB`));
  }
  if (file.size === 0) return Promise.reject(new CsvError('the file is empty'));
  return new Promise((resolve, reject) => {
    /** @type {string[][]} */
    const rows = [];
    /** @type {any[]} */
    const errors = [];
    let delimiter = '';
    let failure = /** @type {Error | null} */ (null);
    Papa.parse(/** @type {any} */ (file), {
      ...PARSE,
      chunkSize: 128 * 1024,
      // Binary files show NUL bytes at once; a text file never has them.
      beforeFirstChunk: (chunk) => {
        if (chunk.includes('\u0000')) failure = new CsvError('this is not a text file (it contains NUL bytes)');
        return failure ? '' : chunk;
      },
      chunk: (res, parser) => {
        delimiter ||= res.meta.delimiter;
        for (const r of /** @type {string[][]} */ (res.data)) rows.push(r);
        for (const e of res.errors) errors.push({ ...e, row: e.row === undefined ? undefined : rows.length - res.data.length + e.row });
        if (rows.length > MAX_ROWS + 1) failure ??= new CsvError(`the file has more than ${MAX_ROWS.toLocaleString('en-US')} rows; the playground reads series up to that length`);
        if (failure) parser.abort();
        onProgress?.(Math.min(1, res.meta.cursor / file.size));
      },
      complete: () => {
        if (failure) return reject(failure);
        // In a task of its own, after the last slice's.
        setTimeout(() => {
          try {
            resolve(describeRows(rows, delimiter, errors));
          } catch (e) {
            reject(e);
          }
        }, 0);
      },
      error: (e) => reject(new CsvError(`the file could not be read: ${e.message}`)),
    });
  });
}

/**
 * Header, decimal commas and column types of parsed rows.
 * @param {string[][]} parsedRows
 * @param {string} delimiter
 * @param {{type: string, message: string, row?: number}[]} errors
 * @returns {Table}
 */
function describeRows(parsedRows, delimiter, errors) {
  let rows = parsedRows;
  if (rows.length === 0) throw new CsvError('the file has no rows');
  if (rows[0][0]) rows[0][0] = rows[0][0].replace(/^\ufeff/, '');
  if (rows.length > MAX_ROWS + 1) throw new CsvError(`the file has ${rows.length.toLocaleString('en-US')} rows; the playground reads series up to ${MAX_ROWS.toLocaleString('en-US')}`);
  let width = 0;
  for (const r of rows) width = Math.max(width, r.length);
  const bad = errors.find((e) => e.type === 'Quotes');
  if (bad) throw new CsvError(`line ${(bad.row ?? 0) + 1}: ${bad.message.toLowerCase()} (a quoted field is not closed)`);
  // Decimal commas: numbers like 3,14 where the delimiter is not a comma (or inside quotes).
  const sample = rows.slice(0, 200).flat().map((c) => c.trim());
  const commaNumbers = sample.filter((c) => /^[+-]?\d+,\d+$/.test(c) && !THOUSANDS.test(c)).length;
  const dotNumbers = sample.filter((c) => /^[+-]?\d*\.\d+$/.test(c) && !THOUSANDS_DOT.test(c)).length;
  const decimalComma = commaNumbers > dotNumbers;
  // A header: the first row has a cell that is not a number or missing where later rows are numeric.
  const first = rows[0];
  const numericLater = (j) => rows.slice(1, 50).some((r) => r[j] !== undefined && typeof parseNumber(r[j], decimalComma) === 'number' && !Number.isNaN(parseNumber(r[j], decimalComma)));
  const looksLikeHeader = rows.length > 1 && first.some((c, j) => parseNumber(c, decimalComma) === undefined && parseDate(c) === null && numericLater(j));
  const header = looksLikeHeader ? first.map((c, j) => c.trim() || `column ${j + 1}`) : null;
  if (header) rows = rows.slice(1);
  // Column types from a sample spread over the rows (every row is checked when it is used).
  const step = Math.max(1, Math.floor(rows.length / SAMPLE_ROWS));
  const picked = rows.filter((_, i) => i % step === 0);
  const columns = [];
  for (let j = 0; j < width; j++) {
    let numeric = 0;
    let dates = 0;
    let missing = 0;
    let other = 0;
    for (const r of picked) {
      const c = r[j] ?? '';
      const v = parseNumber(c, decimalComma);
      if (v === undefined) {
        if (parseDate(c) !== null) dates++;
        else other++;
      } else if (Number.isNaN(v)) missing++;
      else {
        numeric++;
        if (parseDate(c) !== null) dates++;
      }
    }
    columns.push({ index: j, name: header?.[j] ?? `column ${j + 1}`, numeric, dates, missing, other });
  }
  return { header, rows, delimiter, decimalComma, columns, sampled: picked.length, firstDataLine: header ? 2 : 1 };
}

/**
 * The columns to use by default: the date column (mostly dates, not all plain numbers, or
 * named like a date) and the last mostly-numeric column that is not it.
 * @param {ReturnType<typeof readTable>} table
 */
export function guessColumns(table) {
  const n = table.sampled;
  const dateLike = (c) => c.dates >= 0.9 * n && (c.numeric < c.dates || /date|time|year|month|period|day|when|yr/i.test(c.name));
  const date = table.columns.find(dateLike) ?? null;
  const values = table.columns.filter((c) => c !== date && c.numeric > 0 && c.numeric + c.missing >= 0.5 * n);
  return { dateColumn: date ? date.index : -1, valueColumn: values.length ? values[values.length - 1].index : -1 };
}

/**
 * The series in one column: values (missing cells filled by linear interpolation), the dates
 * of the date column (seconds, or null without one) and what was filled.
 * @param {ReturnType<typeof readTable>} table
 * @param {{valueColumn: number, dateColumn: number}} pick
 */
export function extractSeries(table, pick) {
  const { rows, decimalComma, firstDataLine } = table;
  const col = table.columns[pick.valueColumn];
  if (!col) throw new CsvError('no column holds numbers; a series needs one numeric column');
  const n = rows.length;
  const values = new Float64Array(n);
  /** @type {number[]} */
  const missingRows = [];
  for (let i = 0; i < n; i++) {
    const cell = rows[i][pick.valueColumn] ?? '';
    const v = parseNumber(cell, decimalComma);
    if (v === undefined) {
      const shown = cell.length > 40 ? `${cell.slice(0, 40)}…` : cell;
      throw new CsvError(`line ${i + firstDataLine}, column "${col.name}": "${shown}" is not a number`);
    }
    if (!Number.isFinite(v) && !Number.isNaN(v)) throw new CsvError(`line ${i + firstDataLine}, column "${col.name}": ${cell} is too large`);
    values[i] = v;
    if (Number.isNaN(v)) missingRows.push(i);
  }
  if (missingRows.length === n) throw new CsvError(`column "${col.name}" has no values`);
  // Linear interpolation inside, the nearest value at the ends.
  for (let k = 0; k < missingRows.length;) {
    const a = missingRows[k];
    let b = a;
    while (k + 1 < missingRows.length && missingRows[k + 1] === b + 1) {
      k++;
      b++;
    }
    k++;
    const left = a - 1 >= 0 ? values[a - 1] : NaN;
    const right = b + 1 < n ? values[b + 1] : NaN;
    for (let i = a; i <= b; i++) {
      if (Number.isNaN(left)) values[i] = right;
      else if (Number.isNaN(right)) values[i] = left;
      else values[i] = left + ((right - left) * (i - a + 1)) / (b - a + 2);
    }
  }
  // Line numbers as in the file, before any reordering.
  const missingLines = missingRows.map((i) => i + firstDataLine);
  let dates = null;
  let reversed = false;
  if (pick.dateColumn >= 0) {
    dates = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = parseDate(rows[i][pick.dateColumn] ?? '');
      if (d === null) {
        dates = null;
        break;
      }
      dates[i] = d;
    }
    // Oldest first: a file listed newest first is reversed.
    if (dates && n > 1 && dates[0] > dates[n - 1]) {
      dates.reverse();
      values.reverse();
      reversed = true;
    }
  }
  return { values, dates, missingLines, reversed };
}
