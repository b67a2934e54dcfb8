// The four shapes of recurrent models, each drawn unrolled, with the presets of this page
// that show it. Links are ordinary URLs: the state they name is the whole experiment.
import { drawUnrolled } from './unrolled.js';
import { h, replace } from '../lib/dom.js';

const SHAPES = [
  {
    title: 'One-to-one', shape: 'one-to-one', inputs: ['x'],
    text: 'One input, one output, nothing carried over: what a plain feed-forward classifier does. Here, the text model that sees one character at a time from a blank state, raced against one with memory.',
    links: [['Memory: with and without memory', '#task=memory&data=nomemory']],
  },
  {
    title: 'One-to-many', shape: 'one-to-many', inputs: ['▸', '', '', ''],
    text: 'One start, a sequence out, each output fed back in: generating text, music or a caption. Here, text from nothing but a line break, and a forecast continued from a single value.',
    links: [['Text from an empty prime', '#task=text&data=genesis&prime='], ['Forecast from one value', '#task=forecast&data=nottingham&mode=manual&context=1']],
  },
  {
    title: 'Many-to-one', shape: 'many-to-one', inputs: ['O', ' ', 'L', 'O', 'R', 'D'],
    text: 'A sequence in, one answer at the end: classifying a review’s sentiment or a verse’s book, or predicting the next value of a series.',
    links: [['Classify: Genesis or Psalms?', '#task=classify'], ['Forecast a series', '#task=forecast']],
  },
  {
    title: 'Many-to-many', shape: 'many-to-many', inputs: ['A', 'n', 'd', ' ', 'G', 'o'],
    text: 'A sequence in, a sequence out: an output at every step (the text model predicting each next character), or, with an encoder and a decoder, an output of another length (translation).',
    links: [['Generate text', '#task=text'], ['Translate dates (encoder-decoder)', '#task=translate']],
  },
];

/** @param {HTMLElement} host */
export function renderShapes(host) {
  replace(host,
    h('h2', { id: 'shapes-title' }, 'The four shapes of recurrent models'),
    h('div', { class: 'shape-cards' }, SHAPES.map((s) => {
      const diagram = h('div', { class: 'shape-diagram' });
      drawUnrolled(diagram, { shape: /** @type {any} */ (s.shape), cell: 'rnn', layers: 1, inputs: s.inputs, caption: s.text });
      return h('article', { class: 'shape-card' },
        h('h3', null, s.title),
        diagram,
        h('ul', { class: 'shape-links' }, s.links.map(([label, href]) => h('li', null, h('a', { href }, label)))));
    })));
}
