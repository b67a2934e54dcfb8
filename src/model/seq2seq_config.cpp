// Seq2SeqConfig's parameter count and checks: the schema's limits plus the parameter cap.
#include <cstdint>
#include <string>

#include "core/require.h"
#include "rnnlab/config.h"
#include "rnnlab/schema.h"

namespace rnnlab {
namespace {

// As in model_config.cpp: counted in double, exact below 2^53, never overflowing.
int64_t saturate(double n) {
  if (!(n < 9.2e18)) return INT64_MAX;
  return n < 0 ? 0 : static_cast<int64_t>(n);
}

}  // namespace

int64_t Seq2SeqConfig::parameter_count() const {
  const double g = cell == CellType::kLstm ? 4 : cell == CellType::kGru ? 3 : 1;
  double n = 0;
  for (int side = 0; side < 2; ++side) {
    const double vocab = side == 0 ? input_vocab : static_cast<double>(output_vocab) + 1;
    double in = resolved_embedding_size(embedding_size, side == 0 ? input_vocab : output_vocab);
    n += vocab * in;
    for (int h : hidden_sizes) n += g * h * (in + h + 2), in = h;
  }
  if (!hidden_sizes.empty()) n += static_cast<double>(output_vocab) * (hidden_sizes.back() + 1.0);
  return saturate(n);
}

void Seq2SeqConfig::validate() const {
  schema::validate(schema::seq2seq_config(), *this);
  // Parameter count before anything is allocated (model_config.cpp).
  const int64_t n = parameter_count();
  RNNLAB_REQUIRE(n <= kMaxParameters, "hidden_sizes",
                 "the model would have " + std::to_string(n) + " parameters, above the cap of " +
                     std::to_string(kMaxParameters),
                 ErrorCode::kTooLarge);
}

}  // namespace rnnlab
