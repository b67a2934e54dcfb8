// RnnlabError: the one error type the package throws (besides errors thrown by user callbacks).

/**
 * Every code an {@link RnnlabError} can carry. The first eight come from the C++ core
 * (rnnlab::ErrorCode); the others from the JS layer and the boundary.
 * @type {readonly string[]}
 */
export const ERROR_CODES = Object.freeze([
  'INVALID_CONFIG', // an option or argument value outside its domain, or an unknown option
  'SHAPE_MISMATCH', // data whose length or shape does not fit the model or the other arguments
  'NON_FINITE_DATA', // NaN or Infinity in inputs, targets, masks or weights
  'TOO_LARGE', // above a size cap (parameters, activations, windows)
  'NON_FINITE_LOSS', // training diverged; the weights stay at the last finite step
  'BAD_MODEL_FILE', // corrupt, truncated or foreign model bytes
  'UNSUPPORTED_VERSION', // a model file newer than this build reads
  'INVALID_STATE', // e.g. step() before resetState(), forecast() on a token model
  'INVALID_ARGUMENT', // an argument of the wrong type (not a typed array, not a string, ...)
  'DISPOSED', // a model used after dispose()
  'OUT_OF_MEMORY', // the WebAssembly heap could not grow
  'LOAD_FAILED', // init() could not load or instantiate the WebAssembly module
  'INTERNAL', // a bug: an unexpected C++ exception or a detached result view
  'ABORTED', // an operation stopped by its AbortSignal (forecaster.fit)
]);

/**
 * The error rnnlab throws: a real `Error` with a stable `code` and the `field` at fault.
 * `message` starts with the field name when there is one, e.g.
 * `hiddenSize: must be an integer in [1, 8192], got 0`.
 */
export class RnnlabError extends Error {
  /**
   * @param {string} code one of {@link ERROR_CODES}
   * @param {string} field the option or argument at fault ('' if none)
   * @param {string} message what is wrong and what is expected
   */
  constructor(code, field, message) {
    super(field ? `${field}: ${message}` : message);
    this.name = 'RnnlabError';
    /** @type {string} */
    this.code = code;
    /** @type {string} */
    this.field = field || '';
  }
}

/**
 * Throws an RnnlabError.
 * @param {string} code
 * @param {string} field
 * @param {string} message
 * @returns {never}
 */
export function fail(code, field, message) {
  throw new RnnlabError(code, field, message);
}
