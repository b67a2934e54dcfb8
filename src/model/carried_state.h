// The recurrent state a model carries from one call to the next: per layer [B, H] hidden (and
// LSTM cell) states. Model keeps it for stateful training, step(), forecast() and generate();
// Seq2Seq hands the encoder's final state to the decoder and carries it through decoding.
#pragma once

#include <vector>

#include "core/buffer.h"
#include "model/recurrent_stack.h"

namespace rnnlab {

class CarriedState {
 public:
  explicit CarriedState(size_t layers = 0) { resize(layers); }
  void resize(size_t layers);

  // Zeros for `batch` rows of every layer of `stack`.
  void zero(const RecurrentStack& stack, int batch);
  // The states of `stack`'s last forward after its step t (t = the chunk's length: the end).
  void capture(const RecurrentStack& stack, int t);
  void clear() { has_ = false; }

  bool has() const { return has_; }
  // Rows held; 0 without a state.
  int batch() const { return has_ ? batch_ : 0; }
  // Per-layer initial states for RecurrentStack::forward; c0 only has entries for LSTMs.
  const std::vector<const float*>* h0() const { return &h0_; }
  const std::vector<const float*>* c0() const { return &c0_; }

 private:
  std::vector<Buffer> h_, c_;
  std::vector<const float*> h0_, c0_;
  int batch_ = 0;
  bool has_ = false;
};

}  // namespace rnnlab
