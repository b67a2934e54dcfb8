// The smallest event source: listeners get the name of what happened.

export class Emitter {
  constructor() {
    /** @type {Set<(what: string) => void>} */
    this.listeners = new Set();
  }

  /** Subscribes; returns the unsubscribe function. */
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** @param {string} what */
  emit(what) {
    for (const fn of this.listeners) fn(what);
  }
}
