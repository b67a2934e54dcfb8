// Model configuration: what a network looks like. Validated once, in validate().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rnnlab {

enum class CellType { kRnn, kLstm, kGru };
// Gate blocks per layer: LSTM i, f, g, o; GRU r, z, n; RNN one (its tanh pre-activation).
constexpr int gates_per_cell(CellType cell) { return cell == CellType::kLstm ? 4 : cell == CellType::kGru ? 3 : 1; }

// Where the GRU applies its reset gate.
//  kPyTorch: n = tanh(W_in x + b_in + r * (W_hn h + b_hn))   (= Keras reset_after=True,
//            ONNX linear_before_reset=1)
//  kClassic: n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)   (= Keras reset_after=False, TF.js)
enum class GruVariant { kPyTorch, kClassic };

enum class InputEncoding {
  kFeatures,   // real-valued [B, T, input_size]
  kEmbedding,  // token ids [B, T] -> learned table [vocab_size, embedding_size]
  kOneHot,     // token ids [B, T] -> one-hot of vocab_size (computed as a column gather)
};

enum class OutputMode { kLast, kSequence };  // many-to-one | many-to-many
enum class HeadType { kLinear, kSoftmax };   // regression | classification / next token

// Largest parameter count a model may have: 16 M floats = 64 MB of weights, which
// with gradients and Adam moments is 256 MB, the practical ceiling of a browser tab.
constexpr int64_t kMaxParameters = 16 * 1024 * 1024;
// Largest number of activations cached for BPTT (batch * steps * widest gate row).
constexpr int64_t kMaxActivations = 64 * 1024 * 1024;

// The embedding width an embedding_size of 0 ("automatic") stands for: min(vocab, 64).
inline int resolved_embedding_size(int requested, int vocab) {
  return requested > 0 ? requested : (vocab < 64 ? vocab : 64);
}

struct ModelConfig {
  CellType cell = CellType::kLstm;
  GruVariant gru_variant = GruVariant::kPyTorch;
  InputEncoding input_encoding = InputEncoding::kFeatures;
  int input_size = 1;       // features per step (kFeatures only)
  int vocab_size = 0;       // number of token ids (kEmbedding, kOneHot)
  int embedding_size = 0;   // kEmbedding only; 0 picks min(vocab_size, 64)
  std::vector<int> hidden_sizes = {32};  // one entry per stacked layer
  int output_size = 1;
  OutputMode output = OutputMode::kLast;
  HeadType head = HeadType::kLinear;
  float dropout = 0.0f;     // between stacked layers, training only (as torch.nn.LSTM)
  uint64_t seed = 42;

  // Throws rnnlab::Error naming the first bad field (by its name in rnnlab/schema.h).
  void validate() const;
  // The parameters this configuration describes (what Model::parameter_count() reports),
  // counted without allocating anything. Exact for any config within the schema's limits;
  // never overflows whatever the fields hold (saturates at INT64_MAX).
  int64_t parameter_count() const;
  bool token_input() const { return input_encoding != InputEncoding::kFeatures; }
  // Width of the vectors fed to the first recurrent layer.
  int layer0_input_size() const;
  int gates_per_cell() const { return rnnlab::gates_per_cell(cell); }
};

// The encoder-decoder (rnnlab/seq2seq.h).
struct Seq2SeqConfig {
  CellType cell = CellType::kGru;
  GruVariant gru_variant = GruVariant::kPyTorch;
  int input_vocab = 0, output_vocab = 0;
  int embedding_size = 0;  // 0: min(vocab, 64), per side
  std::vector<int> hidden_sizes = {64};  // shared by encoder and decoder
  float dropout = 0.0f;
  uint64_t seed = 42;

  void validate() const;  // throws rnnlab::Error naming the bad field
  int64_t parameter_count() const;  // as ModelConfig::parameter_count()
  // The decoder's start token (an extra row of its embedding, never a prediction).
  int start_token() const { return output_vocab; }
};

// Sampling options of Model::generate().
struct SampleOptions {
  float temperature = 1.0f;  // > 0; lower is greedier
  int top_k = 0;             // keep the k most likely tokens; 0 = all
  float top_p = 1.0f;        // keep the smallest set with this much probability; 1 = all
  uint64_t seed = 1;

  void validate() const;  // the schema's limits
};

// Decoding options of Seq2Seq::translate().
struct TranslateOptions {
  int max_length = 32;  // tokens emitted per row
  int stop_token = -1;  // ends a row once emitted; -1: none (must be below output_vocab)

  void validate() const;  // the schema's limits (stop_token's upper bound is the model's)
};

// Names used by the JS API and the model file ("lstm", "pytorch", "onehot", ...).
CellType parse_cell(const std::string& name);
GruVariant parse_gru_variant(const std::string& name);
InputEncoding parse_input_encoding(const std::string& name);
OutputMode parse_output_mode(const std::string& name);
HeadType parse_head(const std::string& name);
const char* to_string(CellType v);
const char* to_string(GruVariant v);
const char* to_string(InputEncoding v);
const char* to_string(OutputMode v);
const char* to_string(HeadType v);

}  // namespace rnnlab
