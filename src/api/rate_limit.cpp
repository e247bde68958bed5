// Token buckets: refill lazily on each call, rate tokens per second up to burst.
#include "api/rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace jobzen::api {

RateLimiter::RateLimiter(double rate, double burst) : rate_(std::max(rate, 1e-6)), burst_(std::max(burst, 1.0)) {}

RateDecision RateLimiter::Take(const std::string& name, Clock::time_point now) { return Apply(name, now, true); }
RateDecision RateLimiter::Peek(const std::string& name, Clock::time_point now) { return Apply(name, now, false); }

RateDecision RateLimiter::Apply(const std::string& name, Clock::time_point now, bool take) {
  Shard& shard = shards_[std::hash<std::string>{}(name) % shards_.size()];
  RateDecision d;
  d.limit = static_cast<int>(burst_);
  double tokens = 0;
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.buckets.find(name);
    if (it == shard.buckets.end()) {
      if (!take) {
        d.remaining = d.limit;
        return d;
      }
      // Bounded memory: when a shard grows large (many client addresses), forget buckets
      // that have refilled completely; they hold no information.
      if (shard.buckets.size() > 50000) {
        std::erase_if(shard.buckets, [&](const auto& kv) {
          return kv.second.tokens + std::chrono::duration<double>(now - kv.second.last).count() * rate_ >= burst_;
        });
      }
      it = shard.buckets.emplace(name, Bucket{burst_, now}).first;
    }
    Bucket& b = it->second;
    const double elapsed = std::max(0.0, std::chrono::duration<double>(now - b.last).count());
    b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
    b.last = now;
    if (take) {
      if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
      } else {
        d.allowed = false;
      }
    }
    tokens = b.tokens;
  }
  d.remaining = static_cast<int>(std::floor(tokens));
  d.reset = static_cast<int>(std::ceil((burst_ - tokens) / rate_));
  if (!d.allowed) d.retry_after = std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / rate_)));
  return d;
}

}  // namespace jobzen::api
