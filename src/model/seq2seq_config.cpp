// Seq2SeqConfig's checks: the schema's limits plus the parameter cap.
#include <cstdint>
#include <string>

#include "core/require.h"
#include "rnnlab/config.h"
#include "rnnlab/schema.h"

namespace rnnlab {

void Seq2SeqConfig::validate() const {
  schema::validate(schema::seq2seq_config(), *this);
  // Parameter count in 64 bits before anything is allocated.
  int64_t g = cell == CellType::kLstm ? 4 : cell == CellType::kGru ? 3 : 1;
  int64_t n = 0;
  for (int side = 0; side < 2; ++side) {
    int vocab = side == 0 ? input_vocab : output_vocab + 1;
    int64_t in = resolved_embedding_size(embedding_size, side == 0 ? input_vocab : output_vocab);
    n += vocab * in;
    for (int h : hidden_sizes) n += g * h * (in + h + 2), in = h;
  }
  n += static_cast<int64_t>(output_vocab) * (hidden_sizes.back() + 1);
  RNNLAB_REQUIRE(n <= kMaxParameters, "hidden_sizes",
                 "the model would have " + std::to_string(n) + " parameters, above the cap of " +
                     std::to_string(kMaxParameters),
                 ErrorCode::kTooLarge);
}

}  // namespace rnnlab
