// Seq2SeqConfig's parameter count and checks: the schema's limits plus the parameter cap.
#include <cstdint>
#include <string>

#include "core/require.h"
#include "model/parameter_count.h"
#include "rnnlab/config.h"
#include "rnnlab/schema.h"

namespace rnnlab {

int64_t Seq2SeqConfig::parameter_count() const {
  double n = 0;
  for (int side = 0; side < 2; ++side) {
    // The decoder's embedding has one more row, its start token.
    const double vocab = side == 0 ? input_vocab : static_cast<double>(output_vocab) + 1;
    const double in = resolved_embedding_size(embedding_size, side == 0 ? input_vocab : output_vocab);
    n += vocab * in + param_count::stack(gates_per_cell(cell), in, hidden_sizes);
  }
  if (!hidden_sizes.empty()) n += static_cast<double>(output_vocab) * (hidden_sizes.back() + 1.0);
  return param_count::saturate(n);
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
