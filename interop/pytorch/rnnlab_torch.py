"""rnnlab <-> PyTorch: load the weights JSON rnnlab writes (the playground's "weights as JSON
under PyTorch's names", or JSON.stringify of model.getWeights() wrapped as below) into
nn.RNN / nn.LSTM / nn.GRU + nn.Linear with load_state_dict, train on in PyTorch, and write a
state_dict back as JSON that rnnlab's model.setWeights() loads.

The JSON:  {"format": "rnnlab-weights", "names": "pytorch", "config": model.config,
            "weights": {"weight_ih_l0": {"shape": [...], "data": [...]}, ...}}

Needs only torch. Example:

    import rnnlab_torch
    net = rnnlab_torch.load("forecast.weights.json")       # an nn.Module, eval mode
    y = net(x)                                              # what model.predict(x) returns
    ...train net in PyTorch (net.logits(x) for a softmax head's cross-entropy)...
    rnnlab_torch.save(net, "tuned.weights.json")           # then in JS:
    # const j = JSON.parse(text); model.setWeights(Object.fromEntries(Object.entries(j.weights)
    #   .map(([k, t]) => [k, {shape: t.shape, data: Float32Array.from(t.data)}])))

Layers are one single-layer module each (hidden sizes may differ between layers), so
rnnlab's `weight_ih_l1` is this module's `layers.1.weight_ih_l0`. rnnlab's classic GRU
(Keras reset_after=False) is not a torch.nn module: ClassicGRU below computes it.
"""
import json
import sys

import torch
from torch import nn

FORMAT = "rnnlab-weights"


class ClassicGRU(nn.Module):
    """One GRU layer with the reset gate applied before the recurrent product:
    n = tanh(W_in x + b_in + W_hn (r * h) + b_hn). Parameter names and gate order (r, z, n)
    are nn.GRU's."""

    def __init__(self, inputs, hidden):
        super().__init__()
        self.hidden_size = hidden
        self.weight_ih_l0 = nn.Parameter(torch.zeros(3 * hidden, inputs))
        self.weight_hh_l0 = nn.Parameter(torch.zeros(3 * hidden, hidden))
        self.bias_ih_l0 = nn.Parameter(torch.zeros(3 * hidden))
        self.bias_hh_l0 = nn.Parameter(torch.zeros(3 * hidden))

    def forward(self, x, h=None):
        H = self.hidden_size
        if h is None:
            h = x.new_zeros(1, x.shape[0], H)
        ht = h[0]
        gi = x @ self.weight_ih_l0.t() + self.bias_ih_l0  # all steps at once
        w_hr, w_hz, w_hn = self.weight_hh_l0.split(H)
        b_hr, b_hz, b_hn = self.bias_hh_l0.split(H)
        out = []
        for t in range(x.shape[1]):
            i_r, i_z, i_n = gi[:, t].split(H, dim=1)
            r = torch.sigmoid(i_r + ht @ w_hr.t() + b_hr)
            z = torch.sigmoid(i_z + ht @ w_hz.t() + b_hz)
            n = torch.tanh(i_n + (r * ht) @ w_hn.t() + b_hn)
            ht = (1 - z) * n + z * ht
            out.append(ht)
        return torch.stack(out, dim=1), ht.unsqueeze(0)


class RnnlabNet(nn.Module):
    """An rnnlab Model as a torch module: [embedding | one-hot] -> recurrent layers -> linear head."""

    def __init__(self, config):
        super().__init__()
        self.config = dict(config)
        c = self.config
        cell = c["cell"]
        encoding = c.get("inputEncoding", "features")
        if encoding == "embedding":
            self.embedding = nn.Embedding(c["vocabSize"], c["embeddingSize"])
            width = c["embeddingSize"]
        else:
            self.embedding = None
            width = c["vocabSize"] if encoding == "onehot" else c["inputSize"]
        hidden = c["hiddenSize"] if isinstance(c["hiddenSize"], list) else [c["hiddenSize"]]
        layers = []
        for h in hidden:
            if cell == "gru" and c.get("gruVariant", "pytorch") == "classic":
                layers.append(ClassicGRU(width, h))
            else:
                layers.append({"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell](width, h, batch_first=True))
            width = h
        self.layers = nn.ModuleList(layers)
        self.dropout = nn.Dropout(c.get("dropout", 0.0))
        self.head = nn.Linear(width, c["outputSize"])

    def logits(self, x):
        """The head's output before any softmax: [batch, outputs] or [batch, steps, outputs]."""
        c = self.config
        encoding = c.get("inputEncoding", "features")
        if encoding == "embedding":
            x = self.embedding(x.long())
        elif encoding == "onehot":
            x = nn.functional.one_hot(x.long(), c["vocabSize"]).float()
        for k, layer in enumerate(self.layers):
            if k > 0:
                x = self.dropout(x)  # between layers, as rnnlab and nn.LSTM(dropout=) do
            x, _ = layer(x)
        if c["output"] == "last":
            x = x[:, -1]
        return self.head(x)

    def forward(self, x):
        """What rnnlab's predict() returns: values, or probabilities for a softmax head."""
        y = self.logits(x)
        return torch.softmax(y, dim=-1) if self.config["head"] == "softmax" else y


def _module_name(name):
    """rnnlab's tensor name -> this module's state_dict key."""
    for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        if name.startswith(kind + "_l"):
            return "layers.%d.%s_l0" % (int(name[len(kind) + 2:]), kind)
    return name  # embedding.weight, head.weight, head.bias


def _rnnlab_name(key):
    parts = key.split(".")
    if parts[0] == "layers":
        return "%s_l%s" % (parts[2][:-3], parts[1])
    return key


def load(source):
    """An RnnlabNet (eval mode) from rnnlab's weights JSON: a path, the JSON text, or the parsed dict."""
    if isinstance(source, dict):
        doc = source
    elif isinstance(source, str) and source.lstrip().startswith("{"):
        doc = json.loads(source)
    else:
        with open(source, encoding="utf-8") as f:
            doc = json.load(f)
    if doc.get("format") != FORMAT or doc.get("names", "pytorch") != "pytorch":
        raise ValueError("not rnnlab weights JSON under PyTorch's names (format %r)" % doc.get("format"))
    net = RnnlabNet(doc["config"])
    state = {}
    for name, t in doc["weights"].items():
        state[_module_name(name)] = torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])
    net.load_state_dict(state)  # strict: every tensor, no extra
    return net.eval()


def to_json(net):
    """The module's state_dict as rnnlab's weights JSON (a dict; json.dumps it)."""
    weights = {}
    for key, t in net.state_dict().items():
        t = t.detach().to(torch.float32).contiguous()
        weights[_rnnlab_name(key)] = {"shape": list(t.shape), "data": t.flatten().tolist()}
    return {"format": FORMAT, "names": "pytorch", "config": net.config, "weights": weights}


def save(net, path):
    """Writes to_json(net) to a file."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(to_json(net), f)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 rnnlab_torch.py model.weights.json   (prints the torch module)")
    print(load(sys.argv[1]))
