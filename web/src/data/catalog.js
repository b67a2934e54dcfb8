// The built-in data sets: the real series and texts shipped in data/ (bundled with the page,
// each loaded only when chosen), two synthetic series, and per data set the settings that suit
// it (chosen and checked in tests/web/defaults.test.mjs). Plain data, so Node tests read it too;
// files.js loads the bundled files.

/**
 * @typedef {object} SeriesInfo
 * @property {string} id
 * @property {string} title
 * @property {string} units what one value is measured in
 * @property {string} about one sentence: what, where, when
 * @property {string} source
 * @property {'monthly'|'quarterly'|'annual'|'index'} freq
 * @property {string} [file]
 * @property {Record<string, any>} defaults data settings that suit the series
 */

/** @type {SeriesInfo[]} */
export const SERIES = [
  {
    id: 'nottingham', file: 'nottingham-temperature.csv', title: 'Nottingham temperature', units: '°F', freq: 'monthly',
    about: 'Mean monthly air temperature at Nottingham Castle, 1920–1939: a strong yearly cycle, no trend.',
    source: 'Anderson, Time Series Analysis and Forecasting (1976); R datasets::nottem',
    defaults: { window: 24, diff: 'none', log: false, horizon: 36 },
  },
  {
    id: 'air', file: 'air-passengers.csv', title: 'Airline passengers', units: 'thousand passengers', freq: 'monthly',
    about: 'Monthly international airline passengers, 1949–1960: growth and a yearly cycle that widens with it.',
    source: 'Box, Jenkins & Reinsel, Time Series Analysis; R datasets::AirPassengers',
    defaults: { window: 24, diff: 'season', log: false, horizon: 24 },
  },
  {
    id: 'co2', file: 'co2-mauna-loa.csv', title: 'CO₂ at Mauna Loa', units: 'ppm', freq: 'monthly',
    about: 'Atmospheric carbon dioxide at Mauna Loa, monthly 1959–1997: a rising trend with a yearly cycle.',
    source: 'Scripps / NOAA; R datasets::co2',
    defaults: { window: 24, diff: '1', log: false, horizon: 60 },
  },
  {
    id: 'sunspots', file: 'sunspots-monthly.csv', title: 'Sunspots', units: 'sunspot number', freq: 'monthly',
    about: 'Monthly mean sunspot number, 1749–2013: an irregular cycle of about 11 years.',
    source: 'WDC-SILSO, Royal Observatory of Belgium; R datasets::sunspot.month',
    defaults: { window: 24, diff: 'none', log: false, horizon: 132 },
  },
  {
    id: 'gas', file: 'uk-gas.csv', title: 'UK gas consumption', units: 'million therms', freq: 'quarterly',
    about: 'Quarterly UK gas consumption, 1960–1986: growth and a winter peak that grows with it.',
    source: 'Durbin & Koopman (2001); R datasets::UKgas',
    defaults: { window: 8, diff: 'season', log: true, horizon: 12 },
  },
  {
    id: 'lung', file: 'uk-lung-deaths.csv', title: 'UK lung-disease deaths', units: 'deaths per month', freq: 'monthly',
    about: 'Monthly UK deaths from bronchitis, emphysema and asthma, 1974–1979: a winter peak.',
    source: 'Diggle (1990); R datasets::ldeaths',
    defaults: { window: 12, diff: 'none', log: false, horizon: 24 },
  },
  {
    id: 'lynx', file: 'lynx-trappings.csv', title: 'Canadian lynx', units: 'lynx trapped per year', freq: 'annual',
    about: 'Annual Canadian lynx trappings, 1821–1934: a boom-and-bust cycle of about 10 years, only 114 points.',
    source: 'Elton & Nicholson (1942); R datasets::lynx',
    defaults: { window: 20, diff: 'none', log: true, horizon: 20, layers: 1, dropout: 0 },
  },
  {
    id: 'nile', file: 'nile-flow.csv', title: 'Nile flow', units: '10⁸ m³ per year', freq: 'annual',
    about: 'Annual flow of the Nile at Aswan, 1871–1970: noisy, with a drop around 1898 and no season. Few points and little pattern: "next year = this year" is hard to beat.',
    source: 'Cobb (1978); R datasets::Nile',
    defaults: { window: 10, diff: 'none', log: false, horizon: 10 },
  },
  {
    id: 'sine', title: 'Synthetic: sine mixture', units: 'units', freq: 'index',
    about: 'Two sine waves (periods 25 and 60 steps) plus Gaussian noise (σ = 0.2), 1,000 steps, made from the seed.',
    source: 'generated in the page',
    defaults: { window: 60, diff: 'none', log: false, horizon: 120 },
  },
  {
    id: 'trend', title: 'Synthetic: trend + season', units: 'units', freq: 'monthly',
    about: 'A straight-line trend, a 12-month season and noise, 240 months, made from the seed.',
    source: 'generated in the page',
    defaults: { window: 24, diff: '1', log: false, horizon: 36 },
  },
];

/**
 * @typedef {object} TextInfo
 * @property {string} id
 * @property {string} title
 * @property {string} about
 * @property {string} [file]
 */

/** @type {TextInfo[]} */
export const TEXTS = [
  { id: 'genesis', file: 'kjv-genesis.txt', title: 'Genesis (KJV)', about: 'The Book of Genesis, King James Version, one verse a line (197 KB, 60 symbols).' },
  { id: 'psalms', file: 'kjv-psalms.txt', title: 'Psalms (KJV)', about: 'The Book of Psalms, King James Version, one verse a line (224 KB, 63 symbols).' },
];

/**
 * The memory experiments: each a race of models that differ in one thing, with the settings
 * that make its point (chosen from measurements: see tests/web/presets.test.mjs).
 * @type {{id: string, title: string, about: string, defaults: Record<string, any>}[]}
 */
export const EXPERIMENTS = [
  {
    id: 'gap', title: 'Remember across a gap: RNN vs LSTM vs GRU',
    about: 'The adding problem: add the two numbers marked in a long sequence, the first of them near the start. The three cells race on the same data, from the same initialisation scheme, with the same optimizer and size.',
    defaults: { gap: 100, budget: 3000, hidden: 32, lr: 0.003, clip: 1, opt: 'adam', batch: 32 },
  },
  {
    id: 'clip', title: 'Exploding gradients: clipping on and off',
    about: 'Two identical plain RNNs on the adding problem with a large learning rate (plain SGD, 0.5); one clips its gradient norm, the other does not.',
    defaults: { gap: 50, budget: 400, cell: 'rnn', hidden: 32, lr: 0.5, clip: 1, opt: 'sgd', batch: 32 },
  },
  {
    id: 'nomemory', title: 'With and without memory: one-to-one vs many-to-many',
    about: 'Two identical LSTMs learn Genesis character by character. One reads sequences of 64 characters and carries its state along them; the other sees one character at a time from a blank state (sequence length 1), so it can only learn which letter tends to follow which.',
    defaults: { gap: 64, budget: 600, cell: 'lstm', hidden: 128, lr: 0.003, clip: 5, opt: 'adam', batch: 32 },
  },
];

/** The classification data: verses of two books. */
export const BOOK_SETS = [
  { id: 'books', title: 'Genesis or Psalms?', about: 'Which book is a verse from?', defaults: {} },
];

/** The encoder-decoder's data: dates as people write them, to ISO. */
export const DATE_SETS = [
  { id: 'dates', title: 'Dates → ISO 8601', about: 'Dates as people write them, rewritten as YYYY-MM-DD.', defaults: {} },
];

/** Per task, what its "data" setting chooses among. */
export const CATALOG = { forecast: SERIES, text: TEXTS, memory: EXPERIMENTS, classify: BOOK_SETS, translate: DATE_SETS };
