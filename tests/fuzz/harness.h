// What the fuzz targets (tests/fuzz/fuzz_target.cpp, one binary per target under libFuzzer)
// and the replay test (tests/fuzz_replay_test.cpp, every build) run on one input: each entry
// point that reads bytes from outside the library, plus what a caller would do next with what
// it accepted, and the invariants that must then hold.
//
// An input may be refused: the library throws rnnlab::Error, which the harness expects and
// swallows. Anything else is a finding: a sanitizer report, a crash, an exception of another
// type (std::bad_alloc included: sizes must be checked before allocating), or a broken
// invariant, thrown as fuzz::Broken (libFuzzer reports an escaping exception as a crash and
// keeps the input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace rnnlab::fuzz {

// An accepted input that broke one of the library's promises.
struct Broken : std::logic_error {
  using std::logic_error::logic_error;
};

using Entry = void (*)(const uint8_t* data, size_t size);

struct FuzzTarget {
  const char* name;  // the binary is fuzz_<name>; corpus/<name>/, regressions/<name>/
  Entry run;
  const char* what;  // the entry point, for scripts/fuzz.sh and the README's table
};

// Every target, in the order scripts/fuzz.sh runs them.
const std::vector<FuzzTarget>& targets();
const FuzzTarget* find_target(const std::string& name);

// Model files (load_model), whole or with the size field and CRC made to agree.
void model_file(const uint8_t* data, size_t size);
// Seq2Seq files (load_seq2seq), the same way.
void seq2seq_file(const uint8_t* data, size_t size);
// Configuration text (what createModel / createSeq2Seq send across the boundary).
void config_text(const uint8_t* data, size_t size);
// Named tensors (setWeights' manifest and values) into one of several small models.
void weights(const uint8_t* data, size_t size);
// The date,value CSV reader.
void csv(const uint8_t* data, size_t size);
// Strict UTF-8 decoding, the character vocabulary built from text, restored from a saved
// symbol list, encoding and decoding.
void utf8_vocab(const uint8_t* data, size_t size);

}  // namespace rnnlab::fuzz
