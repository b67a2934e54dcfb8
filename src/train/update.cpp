#include "train/update.h"

#include <cmath>
#include <cstring>
#include <string>

#include "rnnlab/error.h"

namespace rnnlab {

void check_finite_loss(double loss, int64_t steps_so_far) {
  // The loss is accumulated in double but reported as float: it must fit a float.
  if (std::isfinite(static_cast<float>(loss))) return;
  throw Error(ErrorCode::kNonFiniteLoss, "loss",
              "became " + std::string(std::isnan(loss) ? "NaN" : "Infinity (beyond float range)") + " after " +
                  std::to_string(steps_so_far) +
                  " optimizer steps; training stopped and the weights were left at the last "
                  "finite step. Lower the learning rate or set clipNorm");
}

UpdateResult apply_update(Parameters& p, Optimizer& opt, const TrainOptions& options,
                          std::vector<float>& backup) {
  const size_t n = p.count();
  double norm = global_norm(p.grads().data(), n);
  if (!std::isfinite(norm))
    throw Error(ErrorCode::kNonFiniteLoss, "loss",
                "gradients became NaN or Infinity; training stopped and the weights were left "
                "at the last finite step. Lower the learning rate or set clipNorm");
  if (options.clip_norm > 0.0f) clip_by_global_norm(p.grads().data(), n, norm, options.clip_norm);
  backup.resize(n);
  std::memcpy(backup.data(), p.values().data(), n * sizeof(float));
  UpdateResult r;
  r.grad_norm = static_cast<float>(norm);
  r.lr = opt.step(p.values().data(), p.grads().data(), n);
  p.touch();
  for (size_t i = 0; i < n; ++i) {
    if (std::isfinite(p.values()[i])) continue;
    std::memcpy(p.values().data(), backup.data(), n * sizeof(float));
    opt.reset();
    throw Error(ErrorCode::kNonFiniteLoss, "optimizer.lr",
                "the update overflowed to NaN or Infinity; the weights were restored to the "
                "last finite step (optimizer state reset). Lower the learning rate");
  }
  return r;
}

}  // namespace rnnlab
