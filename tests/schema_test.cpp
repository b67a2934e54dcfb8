// The schema tables (rnnlab/schema.h) against the structs they describe: a default, a name or a
// condition that drifts from the C++ code fails here; tests/js/schema.test.mjs holds the JS
// layer to the same tables.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

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

}  // namespace
}  // namespace rnnlab
