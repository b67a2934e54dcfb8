// Reads users' CSV files off the page's thread: a large file is parsed (in slices, by
// csv.js) and held here; the page gets only the description of its columns, then the one
// series it picks, as typed arrays handed over without a copy.
import { CsvError, extractSeries, readTableFromFile } from './csv.js';

/** @type {import('./csv.js').Table | null} */
let table = null;

const describe = (t) => ({ header: t.header, delimiter: t.delimiter, decimalComma: t.decimalComma, columns: t.columns, sampled: t.sampled, rows: t.rows.length, firstDataLine: t.firstDataLine });
const failure = (e) => ({ message: e instanceof Error ? e.message : String(e), csv: e instanceof CsvError });

self.addEventListener('message', async (e) => {
  const msg = e.data;
  try {
    if (msg.type === 'read') {
      table = null;
      table = await readTableFromFile(msg.file, (share) => self.postMessage({ id: msg.id, progress: share }));
      self.postMessage({ id: msg.id, ok: true, value: describe(table) });
    } else if (msg.type === 'extract') {
      if (!table) throw new CsvError('no file has been read');
      const s = extractSeries(table, msg.pick);
      const transfer = [s.values.buffer, ...(s.dates ? [s.dates.buffer] : [])];
      self.postMessage({ id: msg.id, ok: true, value: s }, /** @type {any} */ (transfer));
    }
  } catch (err) {
    self.postMessage({ id: msg.id, ok: false, error: failure(err) });
  }
});
