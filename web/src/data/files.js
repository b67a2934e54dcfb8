// The bundled data files, one chunk each, fetched from the page's own origin only when chosen.
const seriesFiles = import.meta.glob('../../../data/timeseries/*.csv', { query: '?raw', import: 'default' });
const textFiles = import.meta.glob('../../../data/text/*.txt', { query: '?raw', import: 'default' });

/** The text of a bundled series file, e.g. 'sunspots-monthly.csv'. */
export async function loadSeriesFile(file) {
  const load = seriesFiles[`../../../data/timeseries/${file}`];
  if (!load) throw new Error(`no bundled series ${file}`);
  return /** @type {string} */ (await load());
}

/** The text of a bundled book, e.g. 'kjv-genesis.txt'. */
export async function loadTextFile(file) {
  const load = textFiles[`../../../data/text/${file}`];
  if (!load) throw new Error(`no bundled text ${file}`);
  return /** @type {string} */ (await load());
}
