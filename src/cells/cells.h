// Factories of the concrete cells (lstm_layer.cpp, gru_layer.cpp, rnn_layer.cpp).
#pragma once

#include <memory>
#include <string>

#include "cells/recurrent_layer.h"

namespace rnnlab {

std::unique_ptr<RecurrentLayer> make_lstm_layer(int input_size, int hidden, Parameters& params,
                                                const std::string& prefix, int index);
std::unique_ptr<RecurrentLayer> make_gru_layer(int input_size, int hidden, Parameters& params,
                                               const std::string& prefix, int index);
std::unique_ptr<RecurrentLayer> make_gru_classic_layer(int input_size, int hidden,
                                                       Parameters& params,
                                                       const std::string& prefix, int index);
std::unique_ptr<RecurrentLayer> make_rnn_layer(int input_size, int hidden, Parameters& params,
                                               const std::string& prefix, int index);

}  // namespace rnnlab
