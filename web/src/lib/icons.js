// Transport icons as inline SVG (no icon font: nothing to fetch, and they render everywhere).
import { h } from './dom.js';

const PATHS = {
  play: 'M8 5v14l11-7z',
  pause: 'M7 5h4v14H7zM13 5h4v14h-4z',
  step: 'M6 5v14l9-7zM16 5h3v14h-3z',
  reset: 'M12 5a7 7 0 1 1-6.6 4.7l1.9.6A5 5 0 1 0 12 7v3L7.5 6 12 2z',
  restart: 'M17.7 6.3A8 8 0 1 0 20 12h-2a6 6 0 1 1-1.8-4.2L13 11h7V4z',
};

/** An icon by name, hidden from screen readers (its button carries the label). */
export function icon(name) {
  return h('svg:svg', { viewBox: '0 0 24 24', width: '20', height: '20', 'aria-hidden': 'true', focusable: 'false' },
    h('svg:path', { d: PATHS[name], fill: 'currentColor' }));
}
