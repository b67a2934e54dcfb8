// The schema tables (rnnlab/schema.h) against the structs they describe: a default, a name or a
// condition that drifts from the C++ code fails here; tests/js/schema.test.mjs holds the JS
// layer to the same tables.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/c_numbers.h"
#include "rnnlab/rng.h"

#include "rnnlab/config.h"
#include "rnnlab/schema.h"
#include "rnnlab/train.h"

namespace rnnlab {
namespace {

using schema::Field;
using schema::Table;
using schema::Type;
using schema::Value;

// The table's default, as a Value.
Value default_of(const Field& f) {
  if (f.type == Type::kIntList) return schema::parse(f, f.def_list, f.name);
  Value v;
  v.number = f.def;
  // (Only for seeds: a negative default such as stop_token's -1 has no uint64 value.)
  if (f.type == Type::kSeed) v.seed = static_cast<uint64_t>(f.def);
  return v;
}

template <class S>
void expect_consistent(const Table<S>& table, const char* what) {
  const S defaults{};
  std::set<std::string> names;
  for (const auto& m : table) {
    const Field& f = m.field;
    SCOPED_TRACE(std::string(what) + "." + f.name);
    EXPECT_TRUE(names.insert(f.name).second) << "duplicate name";
    Value got;
    m.get(defaults, got);
    // The struct's default member initialiser is the table's default.
    EXPECT_EQ(schema::format(f, got), schema::format(f, default_of(f)));
    if (f.type == Type::kEnum) EXPECT_FALSE(schema::choice_name(f, static_cast<int>(f.def)).empty());
    if (f.type == Type::kIntList) EXPECT_GE(f.max_count, 1);
    // Conditions name an enum field of the same table and only its choices.
    for (const char* cond : {f.when, f.alt_when}) {
      if (!cond) continue;
      const std::string c = cond, on = c.substr(0, c.find('='));
      const auto* other = schema::find(table, on);
      ASSERT_NE(other, nullptr) << "condition " << c << " names no field";
      EXPECT_EQ(other->field.type, Type::kEnum) << c;
      std::string rest = c.substr(c.find('=') + 1) + "|";
      for (size_t p = 0, q; (q = rest.find('|', p)) != std::string::npos; p = q + 1)
        EXPECT_GE(schema::choice_index(other->field, rest.substr(p, q - p)), 0) << c;
    }
    // Write then read back through the text form.
    S s{};
    m.set(s, default_of(f));
    Value back;
    m.get(s, back);
    EXPECT_EQ(schema::format(f, back), schema::format(f, default_of(f)));
  }
}

TEST(Schema, TablesMatchTheStructs) {
  expect_consistent(schema::model_config(), "model_config");
  expect_consistent(schema::seq2seq_config(), "seq2seq_config");
  expect_consistent(schema::train_options(), "train_options");
  expect_consistent(schema::sample_options(), "sample_options");
  expect_consistent(schema::translate_options(), "translate_options");
}

TEST(Schema, EnumNamesAreTheTablesChoices) {
  for (CellType c : {CellType::kRnn, CellType::kLstm, CellType::kGru})
    EXPECT_EQ(parse_cell(to_string(c)), c);
  EXPECT_STREQ(to_string(CellType::kLstm), "lstm");
  EXPECT_STREQ(to_string(GruVariant::kClassic), "classic");
  EXPECT_STREQ(to_string(InputEncoding::kOneHot), "onehot");
  EXPECT_STREQ(to_string(HeadType::kSoftmax), "softmax");
  EXPECT_STREQ(to_string(OutputMode::kSequence), "sequence");
  EXPECT_STREQ(to_string(OptimizerType::kAdamW), "adamw");
  EXPECT_STREQ(to_string(LossType::kCrossEntropy), "crossentropy");
  EXPECT_EQ(parse_schedule("cosine"), ScheduleType::kCosine);
}

TEST(Schema, NonDefaultConfigsRoundTripThroughPairs) {
  ModelConfig c;
  c.cell = CellType::kGru, c.gru_variant = GruVariant::kClassic;
  c.input_encoding = InputEncoding::kEmbedding, c.vocab_size = 77, c.embedding_size = 9;
  c.hidden_sizes = {12, 7}, c.output_size = 5, c.output = OutputMode::kSequence;
  c.head = HeadType::kSoftmax, c.dropout = 0.1f, c.seed = 18446744073709551615ull;
  const auto pairs = schema::to_pairs(schema::model_config(), c);
  const ModelConfig d = schema::from_pairs(schema::model_config(), pairs);
  EXPECT_EQ(schema::to_pairs(schema::model_config(), d), pairs);
  EXPECT_EQ(d.seed, c.seed);
  EXPECT_EQ(d.hidden_sizes, c.hidden_sizes);

  TrainOptions o;
  o.optimizer.type = OptimizerType::kSgd, o.optimizer.nesterov = true, o.optimizer.momentum = 0.5f;
  o.optimizer.schedule.type = ScheduleType::kStep, o.optimizer.schedule.step_size = 7;
  o.loss = LossType::kHuber, o.huber_delta = 0.25f, o.clip_norm = 3, o.tbptt = 4, o.stateful = true;
  const auto opairs = schema::to_pairs(schema::train_options(), o);
  EXPECT_EQ(schema::to_pairs(schema::train_options(), schema::from_pairs(schema::train_options(), opairs)),
            opairs);
}

TEST(Schema, SlotsDecodeInTableOrderAndRefuseNonIntegers) {
  const auto& t = schema::train_options();
  std::vector<double> slots;
  for (const auto& m : t) slots.push_back(m.field.def);
  slots[0] = 0;  // optimizer.type = sgd
  TrainOptions o = schema::from_slots(t, slots.data());
  EXPECT_EQ(o.optimizer.type, OptimizerType::kSgd);
  EXPECT_EQ(o.optimizer.lr, 1e-3f);
  EXPECT_EQ(o.optimizer.schedule.t_max, 1000);
  slots[0] = 9;
  try {
    schema::from_slots(t, slots.data());
    FAIL() << "an enum slot out of range must throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "optimizer.type");
  }
}

TEST(Schema, ChecksNameTheFieldAndUseTheTablesLimits) {
  ModelConfig c;
  c.hidden_sizes = {8193};
  try {
    c.validate();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "hidden_sizes");
    EXPECT_EQ(e.code(), ErrorCode::kTooLarge);
  }
  c.hidden_sizes = {8192};
  c.input_encoding = InputEncoding::kOneHot;  // vocab_size now applies: 0 is below its minimum
  try {
    c.validate();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "vocab_size");
  }
  TrainOptions o;
  o.optimizer.type = OptimizerType::kAdam;
  o.optimizer.momentum = 5;  // does not apply to Adam: not checked
  EXPECT_NO_THROW(o.validate());
  o.optimizer.type = OptimizerType::kSgd;
  EXPECT_THROW(o.validate(), Error);
}

TEST(Schema, ErrorCodesStartWithTheCoresOwn) {
  const auto& codes = schema::error_codes();
  ASSERT_GE(codes.size(), 8u);
  for (int i = 0; i < 8; ++i)
    EXPECT_STREQ(codes[i].name, error_code_name(static_cast<ErrorCode>(i)));
  std::set<std::string> seen;
  for (const auto& c : codes) EXPECT_TRUE(seen.insert(c.name).second) << c.name;
}

// ---------------------------------------------------------------------------------------
// Numbers as text without iostreams (core/c_numbers.h): strtod/snprintf in the C locale.
// ---------------------------------------------------------------------------------------

uint32_t float_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

TEST(CNumbers, ParsesWholeTextCorrectlyRounded) {
  struct Case {
    const char* text;
    double want;
  };
  const Case cases[] = {
      {"0.1", 0x1.999999999999ap-4},
      {"-2.5e-3", -0.0025},
      {"1e+05", 1e5},
      {"2.2250738585072011e-308", 0x0.fffffffffffffp-1022},  // the subnormal that hung old parsers
      {"4.9406564584124654e-324", 0x0.0000000000001p-1022},  // smallest subnormal
      {"1e-400", 0.0},                                      // underflow to zero
      {"9007199254740993", 9007199254740992.0},             // midpoint: ties to even
      {"9007199254740993.000000000000000000001", 9007199254740994.0},  // just above it
      {"9007199254740995", 9007199254740996.0},             // midpoint, even is above
      {"3.40282347e+38", 3.40282347e+38},
      {"0x1.8p1", 3.0},
      {"0x68e3bb98f5a722b128p-1114", 0x68e3bb99p-1074},  // subnormal, above the midpoint
      {"0x1p-1075", 0.0},                                // half the smallest: ties to even
      {"0x1.0000000000001p-1075", 0x1p-1074},            // just above half of it
      {"1.7976931348623157e308", 0x1.fffffffffffffp+1023},
  };
  for (const Case& c : cases) {
    double v = -1.0;
    ASSERT_TRUE(detail::parse_c_double(c.text, v)) << c.text;
    EXPECT_EQ(v, c.want) << c.text;
  }
  double v = 0.0;
  ASSERT_TRUE(detail::parse_c_double("1e400", v));
  EXPECT_TRUE(std::isinf(v) && v > 0);
  for (const char* bad : {"", "1.5x", "x", "1e", "-", ".", "1,5", "0.1 "})
    EXPECT_FALSE(detail::parse_c_double(bad, v)) << "'" << bad << "'";
  EXPECT_FALSE(detail::parse_c_double(std::string("1\0" "2", 3), v)) << "an embedded NUL";
}

TEST(CNumbers, FormatsLikePrintfG) {
  EXPECT_EQ(detail::format_c_g(0.5), "0.5");
  EXPECT_EQ(detail::format_c_g(1e-5), "1e-05");
  EXPECT_EQ(detail::format_c_g(123456789.0), "1.23457e+08");
  EXPECT_EQ(detail::format_c_g(-0.0), "-0");
  EXPECT_EQ(detail::format_c_g(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(detail::format_c_g(0.1f, 9), "0.100000001");
  EXPECT_EQ(detail::format_float_shortest(0.1f), "0.1");
  EXPECT_EQ(detail::format_float_shortest(3.0e-8f), "3e-08");
  EXPECT_EQ(detail::format_float_shortest(std::numeric_limits<float>::max()), "3.4028235e+38");
  EXPECT_EQ(detail::format_float_shortest(std::numeric_limits<float>::denorm_min()), "1e-45");
}

// Every float written by format_float_shortest reads back to the same bits, and no shorter
// "%g" text would (random bit patterns over the whole range, subnormals included).
TEST(CNumbers, ShortestFloatTextRoundTrips) {
  Rng rng(2024);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t bits = rng.next_u32();
    float f;
    std::memcpy(&f, &bits, sizeof f);
    if (!std::isfinite(f)) continue;
    const std::string s = detail::format_float_shortest(f);
    double back = 0.0;
    ASSERT_TRUE(detail::parse_c_double(s, back)) << s;
    ASSERT_EQ(float_bits(static_cast<float>(back)), bits) << s;
    int digits = 0;  // significant digits: from the first non-zero one
    for (char c : s.substr(0, s.find('e'))) digits += (digits > 0 || (c >= '1' && c <= '9')) && c >= '0' && c <= '9';
    if (digits > 1) {
      double shorter = 0.0;
      ASSERT_TRUE(detail::parse_c_double(detail::format_c_g(f, digits - 1), shorter));
      EXPECT_NE(float_bits(static_cast<float>(shorter)), bits) << s << " is not the shortest";
    }
  }
}

// The C syntax beyond plain decimals (white space, signs, hex, inf, nan) against glibc's strtod,
// and printf's "%g" of floats against the C library's snprintf (the test runs under the "C"
// locale). The strtod half runs natively only: musl's (Emscripten) rounds some long subnormal
// hex texts down ("0x68e3bb98f5a722b128p-1114" to 0x68e3bb98 * 2^-1074; the exact value is
// above the midpoint, see ParsesWholeTextCorrectlyRounded).
TEST(CNumbers, AgreesWithLibc) {
  Rng rng(5);
#if defined(__GLIBC__)
  const char* const texts[] = {
      " 1.5", "\t-2", "+3", "inf", "-Infinity", "INF", "infin", "nan", "NaN(12_ab)", "nan(", "nan()",
      "0x", "0x.", "0x.8", "0X1P-1074", "0x1p-1075", "0x1.0000000000001p-1075", "0x1p-1076",
      "0x1.fffffffffffff8p1023", "0x1.fffffffffffff7ffp1023", "0x10", "0x1.8", "0x1p", "0xg", "1e+",
      "5.", ".5", "00000.000001", "1E5", "1e99999999999", "1e-99999999999", "0e999999", "0x0p99999",
      "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623158e308", "1e309"};
  std::vector<std::string> cases(std::begin(texts), std::end(texts));
  for (int i = 0; i < 20000; ++i) {  // random hex texts, exponents over the whole range
    std::string t = rng.next_u32() % 2 ? "-0x" : "0x";
    const int n = 1 + static_cast<int>(rng.next_u32() % 20);
    for (int d = 0; d < n; ++d) {
      t += "0123456789abcdef"[rng.next_u32() % 16];
      if (d == 0 && rng.next_u32() % 2) t += '.';
    }
    if (rng.next_u32() % 3) t += "p" + std::to_string(static_cast<int>(rng.next_u32() % 2300) - 1150);
    cases.push_back(t);
  }
  for (const std::string& t : cases) {
    char* end = nullptr;
    const double want = std::strtod(t.c_str(), &end);
    double got = 0.0;
    const bool ok = detail::parse_c_double(t, got);
    ASSERT_EQ(ok, *end == '\0') << t;
    if (ok && !std::isnan(want)) ASSERT_EQ(std::memcmp(&got, &want, sizeof got), 0) << t;
    if (ok && std::isnan(want)) ASSERT_TRUE(std::isnan(got)) << t;
  }
#endif
  for (int i = 0; i < 20000; ++i) {  // random floats, every precision
    const uint32_t bits = rng.next_u32();
    float f;
    std::memcpy(&f, &bits, sizeof f);
    const int precision = static_cast<int>(rng.next_u32() % 12);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, static_cast<double>(f));
    ASSERT_EQ(detail::format_c_g(f, precision), buffer) << "%." << precision << "g";
  }
}

#if defined(__cpp_lib_to_chars)
// Natively (libstdc++ has floating-point <charconv>), an independent exact oracle: std::from_chars
// and std::to_chars (whose precision form is specified as printf's). Random decimal texts of
// 1 to 25 significant digits with exponents over the whole double range, halfway cases among them.
TEST(CNumbers, AgreesWithCharconv) {
  Rng rng(77);
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    if (rng.next_u32() % 2) text += '-';
    const int digits = 1 + static_cast<int>(rng.next_u32() % 25);
    for (int d = 0; d < digits; ++d) {
      text += static_cast<char>('0' + rng.next_u32() % 10);
      if (d == 0 && digits > 1 && rng.next_u32() % 2) text += '.';
    }
    if (rng.next_u32() % 4) text += "e" + std::to_string(static_cast<int>(rng.next_u32() % 660) - 340);
    double want = 0.0, got = 0.0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), want);
    ASSERT_TRUE(detail::parse_c_double(text, got)) << text;
    if (r.ec == std::errc::result_out_of_range) continue;  // from_chars leaves want untouched
    ASSERT_EQ(r.ec, std::errc()) << text;
    ASSERT_EQ(std::memcmp(&got, &want, sizeof got), 0) << text << ": " << got << " vs " << want;
    const int precision = 1 + static_cast<int>(rng.next_u32() % 17);
    char buffer[64];
    const auto w = std::to_chars(buffer, buffer + sizeof buffer, want, std::chars_format::general, precision);
    ASSERT_EQ(detail::format_c_g(want, precision), std::string(buffer, w.ptr)) << text << " %." << precision << "g";
  }
}
#endif

}  // namespace
}  // namespace rnnlab
