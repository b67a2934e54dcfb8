// rnnlab_bench: the canonical configurations of bench/CONFIGS.md timed
// on one thread (or --threads N: the core's pool, products split by fixed blocks). Prints figures only (it checks nothing): median ms per training step after
// warm-up, samples/s or tokens/s, GFLOP/s from CONFIGS.md's FLOP counts, and the two
// inference figures (FORECAST, GEN). bench/pytorch_bench.py runs the same set in PyTorch with
// the same flags and the same --json layout; bench/compare.sh interleaves the two.
//
//   rnnlab_bench [--steps N] [--warmup N] [--only ID[,ID...]] [--json] [--kernels NAME]
//                [--threads N] [--text PATH] [--list]
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "bench_util.h"
#include "core/thread_pool.h"
#include "rnnlab/error.h"
#include "rnnlab/kernels.h"
#include "rnnlab/model.h"

namespace {

using bench::Clock;

struct Options {
  int steps = 30;   // timed repetitions
  int warmup = 5;   // untimed repetitions first
  std::vector<std::string> only;
  bool json = false;
  bool list = false;
  std::string kernels;
  std::string text;
  int threads = 1;
  std::vector<int> gen_hidden;  // --gen-hidden: GEN with these hidden sizes (untrained)
  int hidden = 0, seq = 0, batch = 0, features = 8;  // --hidden/--seq/--batch: SHAPE
};

// What one configuration measured.
struct Result {
  std::string id, kind, desc;  // kind: train | forecast | generate
  bench::Stats ms;
  double cpu_median = 0;       // the main thread's CPU time per run (median ms)
  std::string unit;            // samples/s, tokens/s, steps/s, chars/s
  double throughput = 0;
  double flops = 0;            // per training step (CONFIGS.md), 0 for inference
  double loss_first = NAN, loss_last = NAN;
  size_t params = 0;
  std::string note;
};

// A training configuration of CONFIGS.md's table.
struct TrainConfig {
  const char* id;
  rnnlab::CellType cell;
  std::vector<int> hidden;
  int T, B;
  float lr;
  bool chars;     // CHAR: one-hot 65 in, softmax 65 at every step, cross-entropy
  double flops;   // CONFIGS.md: matrix products only, forward + 2x backward
  int features = 1;  // inputs per step (SHAPE: random features, as bench/js's SHAPE)
};

// --hidden/--seq/--batch: one LSTM layer over `features` random inputs, a dense-1 head on the
// last step, MSE, Adam 1e-3 (bench/js/common.mjs's shapeConfig, the scaling sweep's model).
TrainConfig shape_config(int hidden, int seq, int batch, int features) {
  const double forward = 2.0 * batch * seq * 4 * hidden * (features + hidden) + 2.0 * batch * hidden;
  return {"SHAPE", rnnlab::CellType::kLstm, {hidden}, seq, batch, 1e-3f, false, 3 * forward, features};
}

const std::vector<TrainConfig>& train_configs() {
  using rnnlab::CellType;
  static const std::vector<TrainConfig> c = {
      {"TS-S", CellType::kLstm, {32}, 32, 32, 1e-2f, false, 26.0e6},
      {"TS-M", CellType::kLstm, {128, 128}, 64, 64, 1e-3f, false, 4845e6},
      {"CHAR", CellType::kLstm, {256}, 64, 32, 2e-3f, true, 4244e6},
      {"GRU-S", CellType::kGru, {32}, 32, 32, 1e-2f, false, 19.5e6},
      {"RNN-S", CellType::kRnn, {32}, 32, 32, 1e-2f, false, 6.5e6},
  };
  return c;
}

const char* kAllIds[] = {"TS-S", "TS-M", "CHAR", "GRU-S", "RNN-S", "FORECAST", "GEN"};
constexpr int kVocab = 65;
constexpr int kSeriesPoints = 4000;
constexpr int kBatches = 16;           // distinct minibatches cycled through
constexpr int kForecastSteps = 200;
constexpr int kGenChars = 500;
const char* kPrime = "In the beginning";
volatile double g_sink = 0;  // keeps inference results observable

std::string desc_of(const TrainConfig& c) {
  std::string layers;
  for (size_t i = 0; i < c.hidden.size(); ++i)
    layers += (i ? "x" : "") + std::to_string(c.hidden[i]);
  std::string cell = rnnlab::to_string(c.cell);
  for (char& ch : cell) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  char buf[160];
  const std::string head = c.chars ? "onehot65->softmax65 CE" : std::to_string(c.features) + "->1 MSE";
  std::snprintf(buf, sizeof buf, "%s %s T%d B%d %s Adam %g", cell.c_str(), layers.c_str(), c.T,
                c.B, head.c_str(), static_cast<double>(c.lr));
  return buf;
}

rnnlab::ModelConfig model_config(const TrainConfig& c) {
  rnnlab::ModelConfig m;
  m.cell = c.cell;
  m.hidden_sizes = c.hidden;
  m.seed = 42;
  if (c.chars) {
    m.input_encoding = rnnlab::InputEncoding::kOneHot;
    m.vocab_size = kVocab;
    m.output_size = kVocab;
    m.output = rnnlab::OutputMode::kSequence;
    m.head = rnnlab::HeadType::kSoftmax;
  } else {
    m.input_encoding = rnnlab::InputEncoding::kFeatures;
    m.input_size = c.features;
    m.output_size = 1;
    m.output = rnnlab::OutputMode::kLast;
    m.head = rnnlab::HeadType::kLinear;
  }
  return m;
}

rnnlab::TrainOptions train_options(const TrainConfig& c) {
  rnnlab::TrainOptions o;
  o.optimizer.type = rnnlab::OptimizerType::kAdam;
  o.optimizer.lr = c.lr;
  o.loss = c.chars ? rnnlab::LossType::kCrossEntropy : rnnlab::LossType::kMse;
  return o;
}

// Runs fn `warmup` times untimed, then `steps` times timed; returns the timed ms.
// The calling thread's CPU time (ms): on a shared machine it separates the code's cost from
// time spent descheduled, and with --threads it is the serial part plus this thread's share,
// i.e. the wall time the run would take on idle cores.
double thread_cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
std::vector<double> g_cpu_ms;  // per timed run of the last time_runs

std::vector<double> time_runs(int warmup, int steps, const std::function<void(int)>& fn) {
  for (int i = 0; i < warmup; ++i) fn(i);
  std::vector<double> ms;
  ms.reserve(steps);
  g_cpu_ms.clear();
  for (int i = 0; i < steps; ++i) {
    auto t0 = Clock::now();
    const double c0 = thread_cpu_ms();
    fn(warmup + i);
    ms.push_back(bench::ms_since(t0));
    g_cpu_ms.push_back(thread_cpu_ms() - c0);
  }
  return ms;
}

// Data shared by the configurations (built on first use).
struct Data {
  std::vector<float> series;
  bench::Corpus corpus;
  bool corpus_loaded = false;
  std::string text_override;

  const std::vector<float>& sine() {
    if (series.empty()) series = bench::sine_series(kSeriesPoints, 2026);
    return series;
  }
  const bench::Corpus& text() {
    if (corpus_loaded) return corpus;
    std::vector<std::string> candidates;
    if (!text_override.empty()) candidates.push_back(text_override);
    candidates.push_back(std::string(RNNLAB_PROJECT_DIR) + "/data/text/kjv-genesis.txt");
    for (const auto& p : candidates) {
      std::string raw;
      if (bench::read_file(p, raw) && raw.size() > 1000) {
        corpus = bench::load_corpus(p, raw, kVocab);
        corpus_loaded = true;
        return corpus;
      }
    }
    std::string tried;
    for (const auto& p : candidates) tried += (tried.empty() ? "" : " and ") + p;
    throw std::runtime_error("no text corpus found (tried " + tried + "; use --text PATH)");
  }
};

// Trains a fresh model of config c on `data`'s batches; returns the timing.
Result run_train(const TrainConfig& c, const Options& opt, Data& data) {
  Result r;
  r.id = c.id;
  r.kind = "train";
  r.desc = desc_of(c);
  r.flops = c.flops;
  rnnlab::Model model(model_config(c));
  r.params = model.parameter_count();
  const rnnlab::TrainOptions to = train_options(c);
  std::vector<double> losses;
  std::vector<double> ms;
  if (c.chars) {
    const bench::Corpus& text = data.text();
    auto batches = bench::token_batches(text.ids, kBatches, c.B, c.T, 7);
    ms = time_runs(opt.warmup, opt.steps, [&](int i) {
      const auto& b = batches[i % kBatches];
      auto res = model.train_batch(rnnlab::Input::tokens(b.x.data(), c.B, c.T),
                                   rnnlab::Target::labels(b.y.data()), to);
      losses.push_back(res.loss);
    });
    r.unit = "tokens/s";
    r.note = "text " + text.path + " (" + std::to_string(text.distinct) + " distinct bytes, " +
             std::to_string(text.symbols) + " ids used of 65)";
  } else if (c.features > 1) {
    std::vector<std::vector<float>> xs(kBatches), ys(kBatches);
    rnnlab::Rng rng(7, 5);
    for (int i = 0; i < kBatches; ++i) {
      xs[i].resize(static_cast<size_t>(c.B) * c.T * c.features);
      ys[i].resize(c.B);
      for (auto& v : xs[i]) v = static_cast<float>(rng.normal());
      for (auto& v : ys[i]) v = static_cast<float>(0.5 * rng.normal());
    }
    ms = time_runs(opt.warmup, opt.steps, [&](int i) {
      auto res = model.train_batch(rnnlab::Input::features(xs[i % kBatches].data(), c.B, c.T),
                                   rnnlab::Target::values(ys[i % kBatches].data()), to);
      losses.push_back(res.loss);
    });
    r.unit = "samples/s";
  } else {
    auto batches = bench::series_batches(data.sine(), kBatches, c.B, c.T, 7);
    ms = time_runs(opt.warmup, opt.steps, [&](int i) {
      const auto& b = batches[i % kBatches];
      auto res = model.train_batch(rnnlab::Input::features(b.x.data(), c.B, c.T),
                                   rnnlab::Target::values(b.y.data()), to);
      losses.push_back(res.loss);
    });
    r.unit = "samples/s";
  }
  r.ms = bench::summarize(ms);
  r.cpu_median = bench::summarize(g_cpu_ms).median;
  const double per_step = c.chars ? static_cast<double>(c.B) * c.T : c.B;
  r.throughput = r.ms.median > 0 ? per_step * 1000.0 / r.ms.median : 0;
  if (!losses.empty()) r.loss_first = losses.front(), r.loss_last = losses.back();
  return r;
}

// FORECAST: TS-S model (after the warm-up training steps), one window, 200 steps, batch 1.
Result run_forecast(const Options& opt, Data& data) {
  const TrainConfig& c = train_configs()[0];
  Result r;
  r.id = "FORECAST";
  r.kind = "forecast";
  r.desc = "TS-S model: window 32 + 200-step forecast, B1";
  rnnlab::Model model(model_config(c));
  r.params = model.parameter_count();
  auto batches = bench::series_batches(data.sine(), kBatches, c.B, c.T, 7);
  const rnnlab::TrainOptions to = train_options(c);
  for (int i = 0; i < std::max(opt.warmup, 5); ++i)
    model.train_batch(rnnlab::Input::features(batches[i % kBatches].x.data(), c.B, c.T),
                      rnnlab::Target::values(batches[i % kBatches].y.data()), to);
  const float* window = data.sine().data() + 1000;
  auto ms = time_runs(opt.warmup, opt.steps, [&](int) {
    auto out = model.forecast(window, c.T, kForecastSteps);
    g_sink = g_sink + out.back();
  });
  r.ms = bench::summarize(ms);
  r.cpu_median = bench::summarize(g_cpu_ms).median;
  r.unit = "steps/s";
  r.throughput = r.ms.median > 0 ? kForecastSteps * 1000.0 / r.ms.median : 0;
  r.note = "ms = one whole 200-step forecast";
  return r;
}

// GEN: CHAR model (after the warm-up training steps), prime "In the beginning", 500 chars.
// hidden > 0: the same with an untrained LSTM of that size (GEN-H<n>, the batch-1 threads
// crossover: --gen-hidden).
Result run_generate(const Options& opt, Data& data, int hidden = 0) {
  const TrainConfig& c = train_configs()[2];
  Result r;
  r.id = hidden ? "GEN-H" + std::to_string(hidden) : "GEN";
  r.kind = "generate";
  r.desc = hidden ? "LSTM " + std::to_string(hidden) + " untrained: prime 16 + 500 chars"
                  : "CHAR model: prime 16 + 500 sampled chars, B1 t=1";
  rnnlab::ModelConfig mc = model_config(c);
  if (hidden) mc.hidden_sizes = {hidden};
  rnnlab::Model model(mc);
  r.params = model.parameter_count();
  const bench::Corpus& text = data.text();
  auto batches = bench::token_batches(text.ids, kBatches, c.B, c.T, 7);
  const rnnlab::TrainOptions to = train_options(c);
  for (int i = 0; !hidden && i < std::max(opt.warmup, 5); ++i)
    model.train_batch(rnnlab::Input::tokens(batches[i % kBatches].x.data(), c.B, c.T),
                      rnnlab::Target::labels(batches[i % kBatches].y.data()), to);
  std::vector<int32_t> prime;
  for (const char* p = kPrime; *p; ++p) {
    int id = text.id_of_byte[static_cast<unsigned char>(*p)];
    prime.push_back(id >= 0 ? id : text.symbols - 1);
  }
  rnnlab::SampleOptions so;
  so.temperature = 1.0f;
  auto ms = time_runs(opt.warmup, opt.steps, [&](int i) {
    so.seed = 1 + static_cast<uint64_t>(i);
    auto out = model.generate(prime, kGenChars, so);
    g_sink = g_sink + out.back();
  });
  r.ms = bench::summarize(ms);
  r.cpu_median = bench::summarize(g_cpu_ms).median;
  r.unit = "chars/s";
  r.throughput = r.ms.median > 0 ? kGenChars * 1000.0 / r.ms.median : 0;
  r.note = "ms = prime + 500 sampled chars";
  return r;
}

bool selected(const Options& o, const std::string& id) {
  if (o.only.empty()) return true;
  for (const auto& s : o.only)
    if (strcasecmp(s.c_str(), id.c_str()) == 0) return true;
  return false;
}

void usage(FILE* f) {
  std::fprintf(f,
               "usage: rnnlab_bench [--steps N] [--warmup N] [--only ID[,ID...]] [--json]\n"
               "                    [--kernels NAME] [--threads N] [--text PATH] [--list]\n"
               "                    [--gen-hidden H[,H...]] (GEN with untrained LSTMs of size H)\n"
               "                    [--hidden H --seq T --batch B [--features F]] (SHAPE: an LSTM H\n"
               "                    over F random features, dense-1 head, MSE: the scaling sweep's model)\n"
               "IDs: TS-S TS-M CHAR GRU-S RNN-S FORECAST GEN (CONFIGS.md)\n");
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(std::string(name) + " needs a value");
      return argv[++i];
    };
    if (a == "--steps") o.steps = std::max(1, std::atoi(value("--steps").c_str()));
    else if (a == "--warmup") o.warmup = std::max(0, std::atoi(value("--warmup").c_str()));
    else if (a == "--only") {
      std::string v = value("--only");
      size_t p = 0;
      while (p <= v.size()) {
        size_t q = v.find(',', p);
        if (q == std::string::npos) q = v.size();
        if (q > p) o.only.push_back(v.substr(p, q - p));
        p = q + 1;
      }
    } else if (a == "--json") o.json = true;
    else if (a == "--list") o.list = true;
    else if (a == "--kernels") o.kernels = value("--kernels");
    else if (a == "--threads") o.threads = std::atoi(value("--threads").c_str());
    else if (a == "--gen-hidden") {
      std::string list = value("--gen-hidden");
      for (size_t p = 0; p < list.size();) {
        size_t e = list.find(',', p);
        if (e == std::string::npos) e = list.size();
        o.gen_hidden.push_back(std::atoi(list.substr(p, e - p).c_str()));
        p = e + 1;
      }
    }
    else if (a == "--text") o.text = value("--text");
    else if (a == "--hidden") o.hidden = std::atoi(value("--hidden").c_str());
    else if (a == "--seq") o.seq = std::atoi(value("--seq").c_str());
    else if (a == "--batch") o.batch = std::atoi(value("--batch").c_str());
    else if (a == "--features") o.features = std::atoi(value("--features").c_str());
    else if (a == "-h" || a == "--help") {
      usage(stdout);
      std::exit(0);
    } else {
      std::fprintf(stderr, "unknown argument '%s'\n", a.c_str());
      usage(stderr);
      return false;
    }
  }
  const bool shape = o.hidden || o.seq || o.batch;
  if (shape && (o.hidden < 1 || o.seq < 1 || o.batch < 1 || o.features < 1)) {
    std::fprintf(stderr, "--hidden, --seq and --batch go together (positive integers; --features too)\n");
    return false;
  }
  if (shape && o.only.empty()) o.only.push_back("SHAPE");
  for (const auto& s : o.only) {
    if (strcasecmp(s.c_str(), "SHAPE") == 0 && shape) continue;
    bool known = false;
    for (const char* id : kAllIds) known |= strcasecmp(s.c_str(), id) == 0;
    if (!known) {
      std::fprintf(stderr, "unknown configuration '%s'\n", s.c_str());
      usage(stderr);
      return false;
    }
  }
  return true;
}

void write_json(const Options& o, const std::vector<Result>& results,
                const std::array<double, 3>& load0, const std::array<double, 3>& load1) {
  const auto& k = rnnlab::kernels::active();
  bench::Json j;
  j.begin_object();
  j.str("impl", "rnnlab");
  j.str("impl_version", RNNLAB_VERSION);
  j.str("kernels", k.name);
  j.str("gemm", k.gemm_name);
  j.integer("threads", rnnlab::thread_pool().size());
  j.integer("warmup", o.warmup);
  j.integer("steps", o.steps);
  j.nums("loadavg_start", load0.data(), 3);
  j.nums("loadavg_end", load1.data(), 3);
  j.begin_array("results");
  for (const auto& r : results) {
    j.begin_object();
    j.str("id", r.id);
    j.str("kind", r.kind);
    j.str("desc", r.desc);
    j.num("median_ms", r.ms.median);
    j.num("mean_ms", r.ms.mean);
    j.num("min_ms", r.ms.min);
    j.num("max_ms", r.ms.max);
    j.num("p10_ms", r.ms.p10);
    j.num("p90_ms", r.ms.p90);
    j.integer("n", r.ms.n);
    j.num("cpu_median_ms", r.cpu_median);
    j.str("unit", r.unit);
    j.num("throughput", r.throughput);
    if (r.flops > 0) {
      j.num("flops", r.flops);
      j.num("gflops", r.flops / (r.ms.median * 1e6));
    } else {
      j.null("flops");
      j.null("gflops");
    }
    if (r.kind == "train") {
      j.num("loss_first", r.loss_first);
      j.num("loss_last", r.loss_last);
    }
    j.integer("params", static_cast<long long>(r.params));
    j.str("note", r.note);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  std::printf("%s\n", j.text().c_str());
}

void print_header(const Options& o, const std::array<double, 3>& load) {
  const auto& k = rnnlab::kernels::active();
  std::printf("rnnlab_bench: kernels %s (gemm %s), %d thread(s), %d warm-up + %d timed per config\n",
              k.name, k.gemm_name, rnnlab::thread_pool().size(), o.warmup, o.steps);
  std::printf("load average at start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  if (o.warmup < 5 || o.steps < 30)
    std::printf("note: fewer repetitions than CONFIGS.md asks (>= 5 warm-up, >= 30 timed)\n");
  std::printf("%-9s %-50s %9s %9s %9s %9s %16s %8s\n", "id", "configuration", "median ms",
              "mean ms", "min ms", "p90 ms", "throughput", "GFLOP/s");
  std::fflush(stdout);
}

void print_row(const Result& r) {
  char gf[16] = "-";
  if (r.flops > 0) std::snprintf(gf, sizeof gf, "%.1f", r.flops / (r.ms.median * 1e6));
  char tp[32];
  std::snprintf(tp, sizeof tp, "%.0f %s", r.throughput, r.unit.c_str());
  std::printf("%-9s %-50s %9.3f %9.3f %9.3f %9.3f %16s %8s\n", r.id.c_str(), r.desc.c_str(),
              r.ms.median, r.ms.mean, r.ms.min, r.ms.p90, tp, gf);
  std::printf("%-9s   main thread CPU time %.3f ms (median)\n", "", r.cpu_median);
  if (r.kind == "train")
    std::printf("%-9s   loss %.4g -> %.4g over %d steps; %zu parameters%s%s\n", "",
                r.loss_first, r.loss_last, r.ms.n, r.params, r.note.empty() ? "" : "; ",
                r.note.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    if (!parse(argc, argv, o)) return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  rnnlab::set_threads(o.threads);
  if (!o.kernels.empty() && !rnnlab::kernels::use(o.kernels.c_str())) {
    std::fprintf(stderr, "no kernel set '%s' in this build; have:", o.kernels.c_str());
    for (const auto* s : rnnlab::kernels::all()) std::fprintf(stderr, " %s", s->name);
    std::fprintf(stderr, "\n");
    return 2;
  }
  if (o.list) {
    for (const char* id : kAllIds) std::printf("%s\n", id);
    std::printf("kernel sets:");
    for (const auto* s : rnnlab::kernels::all()) std::printf(" %s(%s)", s->name, s->gemm_name);
    std::printf("\n");
    return 0;
  }
  Data data;
  data.text_override = o.text;
  auto load0 = bench::loadavg();
  if (!o.json) print_header(o, load0);
  std::vector<Result> results;
  try {
    if (o.hidden && selected(o, "SHAPE")) {
      results.push_back(run_train(shape_config(o.hidden, o.seq, o.batch, o.features), o, data));
      if (!o.json) print_row(results.back());
    }
    for (const auto& c : train_configs())
      if (selected(o, c.id)) {
        results.push_back(run_train(c, o, data));
        if (!o.json) print_row(results.back());
      }
    if (selected(o, "FORECAST")) {
      results.push_back(run_forecast(o, data));
      if (!o.json) print_row(results.back());
    }
    if (selected(o, "GEN")) {
      results.push_back(run_generate(o, data));
      if (!o.json) print_row(results.back());
    }
    for (int h : o.gen_hidden) {
      results.push_back(run_generate(o, data, h));
      if (!o.json) print_row(results.back());
    }
  } catch (const rnnlab::Error& e) {
    std::fprintf(stderr, "rnnlab error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  auto load1 = bench::loadavg();
  if (o.json) write_json(o, results, load0, load1);
  else std::printf("load average at end: %.2f %.2f %.2f\n", load1[0], load1[1], load1[2]);
  return 0;
}
