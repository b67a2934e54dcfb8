// The five tasks as the app knows them: each one's controller (its page), and for tasks whose
// model can be saved, how their data loads and prepares and which model files fit.
import * as forecast from '../forecast/page.js';
import * as text from '../text/page.js';
import * as classify from '../classify/page.js';
import { TranslateController } from '../translate/page.js';
import { MemoryController } from '../memory/page.js';

/**
 * @typedef {{Controller: any, load?: Function, prepare?: Function, compatible?: Function}} TaskEntry
 * @type {Record<string, TaskEntry>}
 */
export const TASKS = {
  forecast: { Controller: forecast.ForecastController, load: forecast.loadSeries, prepare: forecast.prepare, compatible: forecast.compatible },
  text: { Controller: text.TextController, load: text.loadText, prepare: text.prepare, compatible: text.compatible },
  classify: { Controller: classify.ClassifyController, load: classify.loadBooks, prepare: classify.prepare, compatible: classify.compatible },
  // Translate trains a WorkerSeq2Seq in a session like the others; Memory builds a race. Neither saves model files.
  translate: { Controller: TranslateController },
  memory: { Controller: MemoryController },
};

/** Words under the loss chart: what the loss of this task measures. */
export function lossExplanation(task) {
  if (task === 'text') return 'Cross-entropy: how surprised the model is by the true next character, in nats (divide by ln 2 for bits), on training batches (blue) and held-out text (orange). The dashed line is a model that knows only how often each letter occurs.';
  if (task === 'translate') return 'Cross-entropy of each character written, in nats, averaged over the ten characters of a date, on training batches (blue) and a fixed quarter of the held-out dates (orange).';
  if (task === 'classify') return 'Cross-entropy of the book predicted, in nats, on training batches (blue, with the range of each stretch shaded) and on a sample of held-out verses (orange). Guessing 50:50 scores ln 2 ≈ 0.69.';
  return 'Mean squared error of the next value, in normalised units, on training batches (blue, with the range of each stretch shaded) and on the held-out validation part (orange). Validation rising while training falls means overfitting.';
}
