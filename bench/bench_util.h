// Helpers of rnnlab_bench: timing statistics, the data recipes of CONFIGS.md, the machine
// load, and a tiny JSON writer. Header-only; nothing here is part of the library.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "rnnlab/rng.h"

namespace bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Summary of one configuration's timed repetitions, all in milliseconds.
struct Stats {
  int n = 0;
  double median = 0, mean = 0, min = 0, max = 0, p10 = 0, p90 = 0;
};

// Linear interpolation between order statistics (numpy's default percentile).
inline double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  double pos = q * static_cast<double>(sorted.size() - 1);
  size_t lo = static_cast<size_t>(pos);
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

inline Stats summarize(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  s.n = static_cast<int>(ms.size());
  s.median = percentile(ms, 0.5);
  s.mean = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
  s.min = ms.front();
  s.max = ms.back();
  s.p10 = percentile(ms, 0.1);
  s.p90 = percentile(ms, 0.9);
  return s;
}

// 1, 5 and 15 minute load averages (zeros where /proc/loadavg is missing).
inline std::array<double, 3> loadavg() {
  std::array<double, 3> l{0, 0, 0};
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &l[0], &l[1], &l[2]) != 3) l = {0, 0, 0};
    std::fclose(f);
  }
  return l;
}

// CONFIGS.md series: y(t) = sin(0.1 t) + 0.5 sin(0.031 t) + N(0, 0.05), t = 0 .. n-1.
inline std::vector<float> sine_series(int n, uint64_t seed) {
  rnnlab::Rng rng(seed);
  std::vector<float> y(n);
  for (int t = 0; t < n; ++t)
    y[t] = static_cast<float>(std::sin(0.1 * t) + 0.5 * std::sin(0.031 * t) + 0.05 * rng.normal());
  return y;
}

// One minibatch of many-to-one windows: x [B, T, 1], y [B, 1] (the value after the window).
struct SeriesBatch {
  std::vector<float> x, y;
};

inline std::vector<SeriesBatch> series_batches(const std::vector<float>& s, int count, int B,
                                               int T, uint64_t seed) {
  rnnlab::Rng rng(seed, 3);
  std::vector<SeriesBatch> out(count);
  const uint32_t starts = static_cast<uint32_t>(s.size() - T);  // start + T is a valid target
  for (auto& b : out) {
    b.x.resize(static_cast<size_t>(B) * T);
    b.y.resize(B);
    for (int i = 0; i < B; ++i) {
      uint32_t s0 = rng.below(starts);
      std::copy_n(s.begin() + s0, T, b.x.begin() + static_cast<size_t>(i) * T);
      b.y[i] = s[s0 + T];
    }
  }
  return out;
}

// Text mapped onto at most `vocab - 1` symbols (the most frequent bytes, in byte order) plus
// one fallback id for every other byte: CONFIGS.md's 65-symbol vocabulary.
struct Corpus {
  std::string path;
  std::vector<int32_t> ids;
  int distinct = 0;     // distinct bytes in the file
  int symbols = 0;      // ids in use (<= vocab)
  std::vector<int> id_of_byte = std::vector<int>(256, -1);
};

inline bool read_file(const std::string& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

inline Corpus load_corpus(const std::string& path, const std::string& text, int vocab) {
  Corpus c;
  c.path = path;
  std::array<size_t, 256> freq{};
  for (unsigned char ch : text) freq[ch]++;
  std::vector<int> bytes;
  for (int b = 0; b < 256; ++b)
    if (freq[b]) bytes.push_back(b);
  c.distinct = static_cast<int>(bytes.size());
  if (static_cast<int>(bytes.size()) > vocab - 1) {
    std::stable_sort(bytes.begin(), bytes.end(), [&](int a, int b) { return freq[a] > freq[b]; });
    bytes.resize(vocab - 1);
    std::sort(bytes.begin(), bytes.end());
  }
  for (size_t i = 0; i < bytes.size(); ++i) c.id_of_byte[bytes[i]] = static_cast<int>(i);
  const int fallback = static_cast<int>(bytes.size());
  c.symbols = fallback + (c.distinct > fallback ? 1 : 0);
  c.ids.reserve(text.size());
  for (unsigned char ch : text) c.ids.push_back(c.id_of_byte[ch] >= 0 ? c.id_of_byte[ch] : fallback);
  return c;
}

// One minibatch of next-character windows: x [B, T] ids, y [B, T] = x shifted by one.
struct TokenBatch {
  std::vector<int32_t> x, y;
};

inline std::vector<TokenBatch> token_batches(const std::vector<int32_t>& ids, int count, int B,
                                             int T, uint64_t seed) {
  rnnlab::Rng rng(seed, 5);
  std::vector<TokenBatch> out(count);
  const uint32_t starts = static_cast<uint32_t>(ids.size() - T);
  for (auto& b : out) {
    b.x.resize(static_cast<size_t>(B) * T);
    b.y.resize(static_cast<size_t>(B) * T);
    for (int i = 0; i < B; ++i) {
      uint32_t s0 = rng.below(starts);
      std::copy_n(ids.begin() + s0, T, b.x.begin() + static_cast<size_t>(i) * T);
      std::copy_n(ids.begin() + s0 + 1, T, b.y.begin() + static_cast<size_t>(i) * T);
    }
  }
  return out;
}

// Minimal JSON: an object writer that keeps key order.
class Json {
 public:
  void key(const std::string& k) {
    sep();
    out_ += quote(k) + ": ";
    fresh_ = true;
  }
  void str(const std::string& k, const std::string& v) { key(k), raw(quote(v)); }
  void num(const std::string& k, double v) { key(k), raw(number(v)); }
  void integer(const std::string& k, long long v) { key(k), raw(std::to_string(v)); }
  void null(const std::string& k) { key(k), raw("null"); }
  void nums(const std::string& k, const double* v, size_t n) {
    key(k);
    std::string s = "[";
    for (size_t i = 0; i < n; ++i) s += (i ? ", " : "") + number(v[i]);
    raw(s + "]");
  }
  void begin_object(const std::string& k = "") { open(k, "{"); }
  void end_object() { close("}"); }
  void begin_array(const std::string& k) { open(k, "["); }
  void end_array() { close("]"); }
  const std::string& text() const { return out_; }

 private:
  std::string out_;
  int depth_ = 0;
  bool fresh_ = true;  // nothing written yet at this level (no comma needed)

  void sep() {
    if (!fresh_) out_ += ",";
    if (depth_ > 0) out_ += "\n" + std::string(2 * depth_, ' ');
    fresh_ = false;
  }
  void raw(const std::string& v) {
    out_ += v;
    fresh_ = false;
  }
  void open(const std::string& k, const char* bracket) {
    if (!k.empty()) key(k);
    else if (!out_.empty()) sep();  // an element of an array
    out_ += bracket;
    depth_++;
    fresh_ = true;
  }
  void close(const char* bracket) {
    depth_--;
    out_ += "\n" + std::string(2 * depth_, ' ') + bracket;
    fresh_ = false;
  }
  static std::string number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
  }
  static std::string quote(const std::string& s) {
    std::string q = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') q += '\\', q += ch;
      else if (static_cast<unsigned char>(ch) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", ch);
        q += buf;
      } else q += ch;
    }
    return q + "\"";
  }
};

}  // namespace bench
