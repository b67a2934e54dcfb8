// One libFuzzer target: built once per entry of harness.cpp's targets() with
// -DRNNLAB_FUZZ_TARGET=<name> (tests/fuzz/CMakeLists.txt). Run through scripts/fuzz.sh.
#include <cstddef>
#include <cstdint>

#include "harness.h"

#ifndef RNNLAB_FUZZ_TARGET
#error "compile with -DRNNLAB_FUZZ_TARGET=<a function of harness.h>"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // rnnlab::Error is swallowed inside (a refusal); anything escaping is a finding.
  rnnlab::fuzz::RNNLAB_FUZZ_TARGET(data, size);
  return 0;
}
