// TrainOptions: the schema's limits plus the rules between fields, and the names of the
// optimizer, loss and schedule enums (the schema's choices).
#include <string>

#include "core/require.h"
#include "rnnlab/schema.h"
#include "rnnlab/train.h"

namespace rnnlab {
namespace {

template <class E>
E parse_choice(const char* field, const std::string& name) {
  const schema::Field& f = schema::find(schema::train_options(), field)->field;
  return static_cast<E>(static_cast<int>(schema::parse(f, name, field).number));
}

template <class E>
const char* choice_of(const char* field, E value) {
  return schema::choice_c_str(schema::find(schema::train_options(), field)->field,
                              static_cast<int>(value));
}

}  // namespace

void TrainOptions::validate() const {
  schema::validate(schema::train_options(), *this);
  RNNLAB_REQUIRE(!optimizer.nesterov || optimizer.momentum > 0.0f, "optimizer.nesterov",
                 "needs momentum > 0");
}

void OptimizerConfig::validate() const {
  TrainOptions o;  // the other options at their (valid) defaults
  o.optimizer = *this;
  o.validate();
}

OptimizerType parse_optimizer(const std::string& name) {
  return parse_choice<OptimizerType>("optimizer.type", name);
}
LossType parse_loss(const std::string& name) { return parse_choice<LossType>("loss", name); }
ScheduleType parse_schedule(const std::string& name) {
  return parse_choice<ScheduleType>("optimizer.schedule.type", name);
}
const char* to_string(OptimizerType v) { return choice_of("optimizer.type", v); }
const char* to_string(LossType v) { return choice_of("loss", v); }

}  // namespace rnnlab
