#include "train/optimizer.h"

#include <algorithm>
#include <cmath>

#include "core/parallel_gemm.h"

namespace rnnlab {

void Optimizer::configure(const OptimizerConfig& config, size_t n) {
  if (!configured_ || config.type != config_.type || m_.size() != n) {
    steps_ = 0;
    m_.assign(n, 0.0f);
    v_.assign(config.type == OptimizerType::kSgd ? 0 : n, 0.0f);
  }
  config_ = config;
  configured_ = true;
}

void Optimizer::reset() {
  configured_ = false;
  steps_ = 0;
  m_.clear();
  v_.clear();
}

float scheduled_lr(const OptimizerConfig& c, int64_t step) {
  const ScheduleConfig& s = c.schedule;
  switch (s.type) {
    case ScheduleType::kConstant:
      return c.lr;
    case ScheduleType::kStep:
      return static_cast<float>(c.lr * std::pow(static_cast<double>(s.gamma),
                                                static_cast<double>(step / s.step_size)));
    case ScheduleType::kCosine: {
      double t = static_cast<double>(std::min<int64_t>(step, s.t_max)) / s.t_max;
      return static_cast<float>(s.eta_min + (c.lr - s.eta_min) * (1.0 + std::cos(3.14159265358979323846 * t)) / 2.0);
    }
  }
  return c.lr;
}

float Optimizer::step(float* p, const float* grads, size_t n) {
  const OptimizerConfig& c = config_;
  const float lr = scheduled_lr(c, steps_);
  const float wd = c.weight_decay;
  ++steps_;
  // Every parameter is updated on its own: ranges of them over the pool, the same bits.
  auto each = [&](auto&& update) {
    parallel_blocks(kernels::active(), static_cast<int>(n), 256, 8.0 * n, [&](int first, int last) {
      for (size_t i = first; i < static_cast<size_t>(last); ++i) update(i);
    });
  };
  switch (c.type) {
    case OptimizerType::kSgd: {
      const float mu = c.momentum;
      each([&](size_t i) {
        float g = grads[i] + wd * p[i];
        if (mu != 0.0f) {
          m_[i] = steps_ == 1 ? g : mu * m_[i] + g;  // torch: buf = g on the first step
          g = c.nesterov ? g + mu * m_[i] : m_[i];
        }
        p[i] -= lr * g;
      });
      break;
    }
    case OptimizerType::kRmsProp: {
      const float a = c.alpha, mu = c.momentum;
      each([&](size_t i) {
        float g = grads[i] + wd * p[i];
        v_[i] = a * v_[i] + (1.0f - a) * g * g;
        float step_dir = g / (std::sqrt(v_[i]) + c.eps);
        if (mu != 0.0f) {
          m_[i] = mu * m_[i] + step_dir;
          step_dir = m_[i];
        }
        p[i] -= lr * step_dir;
      });
      break;
    }
    case OptimizerType::kAdam:
    case OptimizerType::kAdamW: {
      const bool decoupled = c.type == OptimizerType::kAdamW;
      const float b1 = c.beta1, b2 = c.beta2;
      const double t = static_cast<double>(steps_);
      const float step_size = static_cast<float>(lr / (1.0 - std::pow(static_cast<double>(b1), t)));
      const float bc2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(static_cast<double>(b2), t)));
      const float decay = 1.0f - lr * wd;
      each([&](size_t i) {
        float g = grads[i];
        if (decoupled) p[i] *= decay;
        else g += wd * p[i];
        m_[i] = m_[i] * b1 + g * (1.0f - b1);
        v_[i] = v_[i] * b2 + g * g * (1.0f - b2);
        p[i] -= step_size * (m_[i] / (std::sqrt(v_[i]) / bc2_sqrt + c.eps));
      });
      break;
    }
  }
  return lr;
}

double global_norm(const float* g, size_t n) {
  double s = 0.0;
  for (size_t i = 0; i < n; ++i) s += static_cast<double>(g[i]) * g[i];
  return std::sqrt(s);
}

void clip_by_global_norm(float* g, size_t n, double norm, float max_norm) {
  double coef = max_norm / (norm + 1e-6);
  if (coef >= 1.0) return;
  float f = static_cast<float>(coef);
  for (size_t i = 0; i < n; ++i) g[i] *= f;
}

}  // namespace rnnlab
