// Replays the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/) and the minimized
// inputs of past findings (tests/fuzz/regressions/<target>/) through the fuzz harness, in
// every build: native, wasm (under node), and the sanitizer build. A finding fixed in the
// library stays fixed here even where libFuzzer does not run. (The regressions also have
// tests of their own, in robustness_test.cpp, that say what was wrong.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/harness.h"

namespace fs = std::filesystem;

namespace rnnlab {
namespace {

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<uint8_t> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class FuzzReplay : public ::testing::TestWithParam<fuzz::FuzzTarget> {};

TEST_P(FuzzReplay, CorpusAndRegressionsPass) {
  const fuzz::FuzzTarget& t = GetParam();
  const fs::path root = RNNLAB_FUZZ_DIR;
  const std::vector<fs::path> seeds = files_in(root / "corpus" / t.name);
  EXPECT_GE(seeds.size(), 3u) << "the seed corpus of " << t.name << " is (nearly) empty";
  std::vector<fs::path> all = seeds;
  for (const fs::path& p : files_in(root / "regressions" / t.name)) all.push_back(p);
  for (const fs::path& p : all) {
    const std::vector<uint8_t> bytes = read_file(p);
    try {
      t.run(bytes.data(), bytes.size());
    } catch (const std::exception& e) {
      ADD_FAILURE() << p << ": " << e.what();
    }
  }
}

TEST(FuzzReplay, EveryTargetHasACorpusFolder) {
  for (const fuzz::FuzzTarget& t : fuzz::targets())
    EXPECT_TRUE(fs::is_directory(fs::path(RNNLAB_FUZZ_DIR) / "corpus" / t.name)) << t.name;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(fuzz::targets()),
                         [](const ::testing::TestParamInfo<fuzz::FuzzTarget>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace rnnlab
