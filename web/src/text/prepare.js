// Text made ready for a character model: a vocabulary (capped: rarer characters share one
// fallback symbol, and the page says which), the text as ids, and a chronological split into
// a training part and a held-out tail for the validation loss.

/** Most distinct characters a text model gets; rarer ones map to one fallback symbol. */
export const MAX_VOCAB = 96;
/** The fallback symbol shown for characters outside the vocabulary. */
export const FALLBACK = '\ufffd';
/** Longest text the playground trains on (characters). */
export const MAX_TEXT = 5_000_000;

/**
 * @param {import('rnnlab').Rnnlab} rnn
 * @param {string} text
 * @param {{valFraction: number, seqLen: number}} s
 */
export function prepareText(rnn, text, s) {
  if (typeof text !== 'string' || text.trim() === '') throw new RangeError('the text is empty: paste or choose some text first');
  if (text.length > MAX_TEXT) {
    throw new RangeError(`the text has ${text.length.toLocaleString('en-US')} characters; the playground trains on at most ${MAX_TEXT.toLocaleString('en-US')}`);
  }
  const text2 = text.replace(/\r\n?/g, '\n');
  // Count characters (code points) to report which ones fall outside the cap.
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const ch of text2) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const distinct = counts.size;
  const capped = distinct > MAX_VOCAB;
  const vocab = capped
    ? rnn.data.charVocab(text2, { maxSize: MAX_VOCAB, fallback: FALLBACK })
    : rnn.data.charVocab(text2);
  const kept = new Set(vocab.symbols);
  const dropped = capped ? [...counts.entries()].filter(([c]) => !kept.has(c)).sort((a, b) => b[1] - a[1]) : [];
  const ids = vocab.encode(text2);
  const valLen = Math.round(ids.length * s.valFraction);
  const trainLen = ids.length - valLen;
  const need = s.seqLen + 2;
  if (trainLen < need) {
    throw new RangeError(`the text has ${ids.length} characters, ${trainLen} for training; sequences of ${s.seqLen} need at least ${need} (paste more text or shorten the BPTT length)`);
  }
  // Unigram entropy of the training part: the loss of a model that knows only letter frequencies.
  const freq = new Float64Array(vocab.size);
  for (let i = 0; i < trainLen; i++) freq[ids[i]]++;
  let unigram = 0;
  for (const c of freq) if (c > 0) unigram -= (c / trainLen) * Math.log(c / trainLen);
  return {
    vocab,
    ids,
    train: ids.subarray(0, trainLen),
    val: ids.subarray(trainLen),
    distinct,
    /** Characters mapped to the fallback symbol, most frequent first: [char, count][]. */
    dropped,
    /** Baselines in nats per character: uniform guessing and letter frequencies. */
    baselines: { uniform: Math.log(vocab.size), unigram },
  };
}
