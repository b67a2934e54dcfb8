// Refuses a model too large for a browser tab before a worker tries to build it. The core
// answers both questions: how many parameters the configuration has (rnn.parameterCount, its
// own count, embedding widths and all) and where its cap is (rnn.limits.maxParameters, the
// kMaxParameters it refuses above), so the page and the core cannot disagree.

/**
 * Throws (code TOO_LARGE, words for people, naming the core's cap) when the options describe
 * a model above the core's cap; a bad option throws the RnnlabError createModel would.
 * @param {import('rnnlab').Rnnlab} rnn
 * @param {Record<string, any>} options createModel's options (createSeq2Seq's with `seq2seq`)
 * @param {{seq2seq?: boolean}} [kind]
 */
export function checkModelSize(rnn, options, kind) {
  const count = rnn.parameterCount(options, { seq2seq: !!kind?.seq2seq });
  const cap = rnn.limits.maxParameters;
  if (count > cap) {
    const mb = (n) => Math.round((n * 16) / 2 ** 20).toLocaleString('en-US');
    throw Object.assign(new RangeError(`this model would have ${count.toLocaleString('en-US')} parameters, more than the ${cap.toLocaleString('en-US')} rnnlab can train (${mb(cap)} MB with gradients and Adam's moments; this one would need ${mb(count)} MB): use fewer hidden units or layers`), { code: 'TOO_LARGE' });
  }
}
