// The settings as form fields, generated from the schema: a labelled select, number box,
// checkbox or text box per setting, its help as the description, and a message slot beside it
// for errors that setting caused. Values are checked before they are handed on; a bad one is
// refused with the reason and the field goes back to the last good value.
import { BY_KEY, SETTINGS, appliesTo, checkValue, textFor, valuesOf } from '../state/schema.js';
import { h, replace } from '../lib/dom.js';

export class SettingsForm {
  /**
   * @param {Record<string, HTMLElement>} groups host element per schema group
   * @param {(key: string, value: any) => void} onChange
   */
  constructor(groups, onChange) {
    this.groups = groups;
    this.onChange = onChange;
    /** @type {Map<string, {wrap: HTMLElement, input: HTMLInputElement | HTMLSelectElement, message: HTMLElement}>} */
    this.fields = new Map();
    this.task = '';
  }

  /** Builds the fields for a task and fills them from `state`. */
  render(state) {
    this.task = state.task;
    this.fields.clear();
    for (const [group, host] of Object.entries(this.groups)) {
      const list = SETTINGS.filter((s) => s.group === group && s.key !== 'task' && appliesTo(s, state.task));
      replace(host, ...list.map((s) => this.#field(s, state)));
    }
    this.sync(state);
  }

  #field(s, state) {
    const id = `set-${s.key}`;
    const helpId = `${id}-help`;
    let input;
    const commit = () => this.#commit(s.key);
    if (s.kind === 'enum') {
      input = h('select', { id, name: s.key, 'aria-describedby': helpId, onchange: commit },
        valuesOf(s, state.task).map((v) => h('option', { value: v }, s.names?.[v] ?? v)));
    } else if (s.kind === 'bool') {
      input = h('input', { id, name: s.key, type: 'checkbox', 'aria-describedby': helpId, onchange: commit });
    } else if (s.kind === 'text') {
      input = h('input', { id, name: s.key, type: 'text', maxLength: s.maxLength ?? 200, 'aria-describedby': helpId, spellcheck: false, oninput: debounce(commit, 250) });
    } else {
      input = h('input', {
        id, name: s.key, type: 'number', inputMode: s.kind === 'int' ? 'numeric' : 'decimal', min: String(s.min), max: String(s.max),
        step: s.kind === 'int' ? '1' : s.step ? String(s.step) : 'any', 'aria-describedby': helpId, onchange: commit,
        onkeydown: (/** @type {KeyboardEvent} */ e) => { if (e.key === 'Enter') commit(); },
      });
    }
    const message = h('div', { class: 'field-message', role: 'alert', id: `${id}-message` });
    const label = textFor(s.label, state.task);
    const help = textFor(s.help, state.task);
    const wrap = h('div', { class: `field field-${s.kind}`, dataset: { key: s.key }, title: help },
      s.kind === 'bool' ? h('label', { for: id, class: 'check' }, input, ` ${label}`) : [h('label', { for: id }, label), input],
      h('small', { class: 'help', id: helpId }, help),
      message);
    this.fields.set(s.key, { wrap, input: /** @type {any} */ (input), message });
    return wrap;
  }

  #commit(key) {
    const f = this.fields.get(key);
    const s = BY_KEY.get(key);
    if (!f || !s) return;
    const raw = s.kind === 'bool' ? /** @type {HTMLInputElement} */ (f.input).checked : f.input.value;
    const c = checkValue(s, raw, /** @type {any} */ (this.task));
    if (!c.ok) {
      this.error(key, `${textFor(s.label, this.task)} ${c.why}; kept ${this.last?.[key]}`);
      this.sync(this.last);
      return;
    }
    this.error(key, '');
    this.onChange(key, c.value);
  }

  /** Shows (or clears) a message beside a setting's field; falls back to `fallbackHost`. */
  error(key, text) {
    const f = this.fields.get(key);
    if (!f) return false;
    replace(f.message, text);
    f.wrap.classList.toggle('has-error', !!text);
    return true;
  }

  /** Puts `state`'s values into the fields and shows or hides conditional ones. */
  sync(state) {
    this.last = { ...state };
    for (const [key, f] of this.fields) {
      const s = /** @type {any} */ (BY_KEY.get(key));
      const v = state[key];
      if (s.kind === 'bool') /** @type {HTMLInputElement} */ (f.input).checked = !!v;
      else if (document.activeElement !== f.input || s.kind !== 'text') f.input.value = String(v);
      f.wrap.hidden = s.when ? !s.when(state) : false;
    }
    // A group with nothing to show (Training, when the forecaster chooses for itself) hides too.
    for (const host of Object.values(this.groups)) {
      const box = host.closest('fieldset');
      if (box) box.hidden = host.children.length > 0 && [...host.children].every((c) => /** @type {HTMLElement} */ (c).hidden);
    }
  }

  /** Moves focus to a setting's field (after an error). */
  focus(key) {
    this.fields.get(key)?.input.focus();
  }
}

function debounce(fn, ms) {
  let t = 0;
  return () => {
    clearTimeout(t);
    t = /** @type {any} */ (setTimeout(fn, ms));
  };
}
