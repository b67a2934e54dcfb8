// What the page says to people outside the views: dismissable notices at the top (info, warn,
// error) and the one-line status beside the transport.
import { h, replace } from '../lib/dom.js';

/** Notices shown at once; older ones go. */
const MAX_NOTICES = 4;
/** How long an info notice stays (warnings and errors stay until dismissed). */
const INFO_MS = 8000;

export class Notices {
  /**
   * @param {HTMLElement} list where notices go
   * @param {HTMLElement} statusLine the status beside the transport
   */
  constructor(list, statusLine) {
    this.list = list;
    this.statusLine = statusLine;
  }

  /** A message at the top of the page (info, warn or error), dismissable. */
  notice(text, kind = 'info') {
    // The same message twice in a row shows once.
    for (const el of this.list.children) if (el.firstChild?.textContent === text) el.remove();
    const item = h('div', { class: `notice-item ${kind}`, role: kind === 'error' ? 'alert' : 'status' },
      h('span', null, text),
      h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
    this.list.append(item);
    while (this.list.children.length > MAX_NOTICES) this.list.firstElementChild?.remove();
    if (kind === 'info') setTimeout(() => item.remove(), INFO_MS);
  }

  status(text) {
    replace(this.statusLine, text);
  }
}

/** An error's words for people. */
export function message(e) {
  if (!e) return 'unknown error';
  if (e instanceof Error) return e.message;
  return String(e);
}
