// What the inside views say about each gate and state of a cell: its title, its kind (a
// sigmoid gate in [0, 1], a tanh quantity in [-1, 1], or an unbounded signed value) and one
// sentence on what it does, in PyTorch's equations and conventions.

/** What each gate and state is, in one sentence (PyTorch's equations and conventions). */
export const GATE_INFO = {
  lstm: {
    i: { title: 'input gate i', kind: 'gate', explain: 'How much of the candidate g is written into the cell state (0 = nothing).' },
    f: { title: 'forget gate f', kind: 'gate', explain: 'How much of the previous cell state is kept (1 = all of it, 0 = erased).' },
    g: { title: 'cell candidate g', kind: 'tanh', explain: 'The new content that could be written, between −1 and 1.' },
    o: { title: 'output gate o', kind: 'gate', explain: 'How much of tanh(c) is exposed as the hidden state h.' },
  },
  gru: {
    r: { title: 'reset gate r', kind: 'gate', explain: 'How much of the previous hidden state the candidate may use.' },
    z: { title: 'update gate z', kind: 'gate', explain: 'How much of the previous hidden state is kept: h = (1 − z)·n + z·h₋₁ (PyTorch’s convention).' },
    n: { title: 'candidate n', kind: 'tanh', explain: 'The new state proposed at this step, between −1 and 1.' },
  },
  rnn: {},
};
export const STATE_INFO = {
  c: { title: 'cell state c', kind: 'signed', explain: 'The LSTM’s memory: changed only through f and i, so it can carry a value across many steps. Unbounded; the colour scale says how far it reaches.' },
  h: { title: 'hidden state h', kind: 'tanh', explain: 'What the layer passes to the next step and to the layer above (and, at the top, to the output).' },
};
