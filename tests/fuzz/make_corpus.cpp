// Writes the generated seeds of the fuzz corpora (files named gen-*; the hand-written seeds
// beside them stay): small valid inputs of every kind, from which libFuzzer mutates.
//   build/sanitize/tests/fuzz/fuzz_make_corpus tests/fuzz/corpus
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "io/boundary_formats.h"
#include "rnnlab/model.h"
#include "rnnlab/model_file.h"
#include "rnnlab/seq2seq.h"

using namespace rnnlab;

namespace {

std::string root;

void write(const std::string& target, const std::string& name, const std::string& bytes) {
  const std::string path = root + "/" + target + "/gen-" + name;
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

std::string str(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

// The setWeights input of harness.cpp's weights(): model byte, manifest, NUL, values.
std::string weights_input(int which, const std::vector<NamedTensor>& w) {
  std::string manifest, values;
  for (const NamedTensor& t : w) {
    if (!manifest.empty()) manifest += '\n';
    manifest += t.name + '\t';
    for (size_t i = 0; i < t.tensor.shape.size(); ++i)
      manifest += (i ? "," : "") + std::to_string(t.tensor.shape[i]);
    values.append(reinterpret_cast<const char*>(t.tensor.data.data()), 4 * t.tensor.data.size());
  }
  return std::string(1, static_cast<char>(which)) + manifest + '\0' + values;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <tests/fuzz/corpus>\n", argv[0]);
    return 2;
  }
  root = argv[1];

  // Models of every cell, input encoding, head and output mode, kept tiny.
  std::vector<std::pair<std::string, ModelConfig>> models;
  {
    ModelConfig c;
    c.input_size = 2, c.hidden_sizes = {3, 2}, c.dropout = 0.25f;
    models.emplace_back("lstm-features-stacked", c);
    c = ModelConfig{};
    c.cell = CellType::kGru, c.input_encoding = InputEncoding::kEmbedding, c.vocab_size = 5;
    c.embedding_size = 3, c.hidden_sizes = {4}, c.output_size = 5;
    c.output = OutputMode::kSequence, c.head = HeadType::kSoftmax;
    models.emplace_back("gru-embedding-softmax-sequence", c);
    c = ModelConfig{};
    c.cell = CellType::kGru, c.gru_variant = GruVariant::kClassic;
    c.input_encoding = InputEncoding::kOneHot, c.vocab_size = 4, c.hidden_sizes = {3};
    c.output_size = 4, c.head = HeadType::kSoftmax;
    models.emplace_back("gruclassic-onehot-softmax", c);
    c = ModelConfig{};
    c.cell = CellType::kRnn, c.hidden_sizes = {2}, c.seed = 9007199254740991ull;
    models.emplace_back("rnn-features", c);
  }
  for (const auto& [name, c] : models) {
    const Model m(c);
    write("model_file", name, str(save_model(m, name == "rnn-features" ? "{\"normalizer\":[1.5,2]}" : "")));
    write("config_text", "model-" + name, config_to_text(c));
  }
  const Model m0(models[0].second);
  write("seq2seq_file", "model-file-kind0", str(save_model(m0)));

  for (CellType cell : {CellType::kGru, CellType::kLstm, CellType::kRnn}) {
    Seq2SeqConfig c;
    c.cell = cell, c.input_vocab = 5, c.output_vocab = 4, c.embedding_size = 3, c.hidden_sizes = {3};
    const std::string name = std::string(to_string(cell));
    const Seq2Seq s(c);
    write("seq2seq_file", name, str(save_seq2seq(s, "dates")));
    write("config_text", "seq2seq-" + name, config_to_text(c));
    if (cell == CellType::kGru) write("model_file", "seq2seq-kind1", str(save_seq2seq(s)));
  }

  // weights(): the exact getWeights() of each of harness.cpp's six models.
  for (int which = 0; which < 4; ++which) {
    ModelConfig c;
    switch (which) {  // as harness.cpp's weights_model()
      case 0: c.input_size = 2, c.hidden_sizes = {3, 2}; break;
      case 1:
        c.cell = CellType::kGru, c.input_encoding = InputEncoding::kEmbedding, c.vocab_size = 5;
        c.embedding_size = 3, c.hidden_sizes = {4}, c.output_size = 5;
        c.output = OutputMode::kSequence, c.head = HeadType::kSoftmax;
        break;
      case 2:
        c.cell = CellType::kGru, c.gru_variant = GruVariant::kClassic;
        c.input_encoding = InputEncoding::kOneHot, c.vocab_size = 4, c.hidden_sizes = {3};
        c.output_size = 2, c.head = HeadType::kSoftmax;
        break;
      default: c.cell = CellType::kRnn, c.hidden_sizes = {2}; break;
    }
    write("weights", "model" + std::to_string(which), weights_input(which, Model(c).get_weights()));
  }
  for (int which = 4; which < 6; ++which) {
    Seq2SeqConfig c;
    c.cell = which == 4 ? CellType::kGru : CellType::kLstm;
    c.input_vocab = 5, c.output_vocab = 4, c.embedding_size = 3, c.hidden_sizes = {3};
    write("weights", "seq2seq" + std::to_string(which), weights_input(which, Seq2Seq(c).get_weights()));
  }
  std::printf("seeds written under %s\n", root.c_str());
  return 0;
}
