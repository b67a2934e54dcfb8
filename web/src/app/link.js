// The experiment in the page's address: every setting in the hash (see state/schema.js), read
// when the page opens or a link is followed, written back whenever a setting changes.
import { defaults, fromHash, toHash } from '../state/schema.js';

/**
 * The state the address names; what it got wrong becomes notices. A link cannot carry the
 * user's own data, so `data=custom` falls back to the task's default data set.
 * @param {(text: string, kind: string) => void} notice
 * @param {{first: boolean}} when the page's first load (which says so) or a link followed later
 */
export function stateFromLink(notice, { first }) {
  const { state, notices } = fromHash(location.hash);
  for (const n of notices) notice(`Link: ${n}.`, 'warn');
  if (state.data === 'custom') {
    if (first) notice('This link used data of its own, which links cannot carry: the default data set is shown instead. Load your file again to continue.', 'warn');
    state.data = defaults(state.task).data;
  }
  return state;
}

/** Puts a state in the address (no new history entry: the back button leaves the page). */
export function writeLink(state) {
  history.replaceState(null, '', toHash(state));
}

/**
 * Calls `onFollow` when the address changes to another experiment than `current()` (a link
 * followed inside the page, or the address edited).
 * @param {() => Record<string, any>} current
 * @param {() => void} onFollow
 */
export function watchLink(current, onFollow) {
  addEventListener('hashchange', () => {
    if (location.hash !== toHash(current())) onFollow();
  });
}
