// Prints, as JSON, a native training run that the wasm build must reproduce
// (tests/js/parity_native.test.mjs): the config, the seeded initial weights (bit patterns),
// the batch, and the loss after each of `steps` Adam steps.
//   training_trace <cell> <gru_variant> <input: features|embedding|onehot> <steps> [kernel set]
// The kernel set (rnnlab::kernels::use: reference, portable, sse2, avx2, avx512) defaults to the
// one the library picks for this CPU ("kernels" in the output says which ran). wasm's SIMD
// build runs the arithmetic of `sse2` (and so of avx2 and avx512); its baseline build that of
// `portable` in a native build with scalar Eigen (EIGEN_DONT_VECTORIZE).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "rnnlab/error.h"
#include "rnnlab/kernels.h"
#include "rnnlab/model.h"
#include "rnnlab/rng.h"

namespace {

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

template <class T>
void print_array(const char* name, const std::vector<T>& v, bool last = false) {
  std::printf("\"%s\":[", name);
  for (size_t i = 0; i < v.size(); ++i) {
    if constexpr (std::is_same_v<T, float>) std::printf(i ? ",%.9g" : "%.9g", static_cast<double>(v[i]));
    else std::printf(i ? ",%lld" : "%lld", static_cast<long long>(v[i]));
  }
  std::printf("]%s", last ? "" : ",");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 && argc != 6) {
    std::fprintf(stderr, "usage: %s <rnn|lstm|gru> <pytorch|classic> <features|embedding|onehot> <steps> [kernel set]\n", argv[0]);
    return 2;
  }
  if (argc == 6 && !rnnlab::kernels::use(argv[5])) {
    std::fprintf(stderr, "training_trace: no kernel set '%s' runs on this machine\n", argv[5]);
    return 2;
  }
  try {
    rnnlab::ModelConfig cfg;
    cfg.cell = rnnlab::parse_cell(argv[1]);
    cfg.gru_variant = rnnlab::parse_gru_variant(argv[2]);
    cfg.input_encoding = rnnlab::parse_input_encoding(argv[3]);
    const int steps = std::stoi(argv[4]);
    const bool tokens = cfg.token_input();
    const int B = 8, T = 12, V = 11;
    cfg.hidden_sizes = {16, 8};
    cfg.seed = 2024;
    cfg.input_size = 3;
    if (tokens) {
      cfg.vocab_size = V;
      cfg.output_size = V;
      cfg.head = rnnlab::HeadType::kSoftmax;
      cfg.output = rnnlab::OutputMode::kSequence;
    } else {
      cfg.output_size = 2;
    }
    rnnlab::Model model(cfg);
    rnnlab::Rng rng(7);
    std::vector<float> x(static_cast<size_t>(B) * T * cfg.input_size), y(static_cast<size_t>(B) * 2);
    std::vector<int32_t> ids(static_cast<size_t>(B) * T), next(ids.size());
    for (auto& v : x) v = rng.uniform(-1.0f, 1.0f);
    for (auto& v : y) v = rng.uniform(-1.0f, 1.0f);
    for (auto& v : ids) v = static_cast<int32_t>(rng.below(V));
    for (size_t i = 0; i < ids.size(); ++i) next[i] = ids[(i + 1) % ids.size()];

    std::printf("{\"kernels\":\"%s\",\"B\":%d,\"T\":%d,", rnnlab::kernels::active().name, B, T);
    std::printf("\"weights\":{");
    auto weights = model.get_weights();
    for (size_t w = 0; w < weights.size(); ++w) {
      std::printf("%s\"%s\":[", w ? "," : "", weights[w].name.c_str());
      const auto& d = weights[w].tensor.data;
      for (size_t i = 0; i < d.size(); ++i) std::printf(i ? ",%u" : "%u", bits(d[i]));
      std::printf("]");
    }
    std::printf("},");
    if (tokens) {
      print_array("ids", ids);
      print_array("targets", next);
    } else {
      print_array("x", x);
      print_array("y", y);
    }
    rnnlab::TrainOptions opt;
    opt.optimizer.type = rnnlab::OptimizerType::kAdam;
    opt.optimizer.lr = 1e-2f;
    std::vector<float> losses;
    for (int s = 0; s < steps; ++s) {
      losses.push_back(tokens ? model.train_batch(rnnlab::Input::tokens(ids.data(), B, T),
                                                  rnnlab::Target::labels(next.data()), opt).loss
                              : model.train_batch(rnnlab::Input::features(x.data(), B, T),
                                                  rnnlab::Target::values(y.data()), opt).loss);
    }
    print_array("losses", losses, true);
    std::printf("}\n");
  } catch (const rnnlab::Error& e) {
    std::fprintf(stderr, "training_trace: %s\n", e.what());
    return 1;
  }
  return 0;
}
