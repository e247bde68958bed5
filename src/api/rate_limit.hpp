// Per-key token buckets (default 20 requests/s, burst 40) and the RateLimit-* header values.
// Unauthenticated calls are limited per client address with the same parameters.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace jobzen::api {

struct RateDecision {
  bool allowed = true;
  int limit = 0;        // RateLimit-Limit: the bucket size (burst)
  int remaining = 0;    // RateLimit-Remaining: whole tokens left
  int reset = 0;        // RateLimit-Reset: seconds until the bucket is full again
  int retry_after = 0;  // Retry-After when refused: seconds until one token is back (>= 1)
};

// Thread-safe. Buckets are sharded by name to keep lock contention low.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate: tokens per second (> 0); burst: bucket size (>= 1).
  RateLimiter(double rate, double burst);

  // Takes a token from the bucket of `name` ("k:<key id>" or "ip:<address>").
  RateDecision Take(const std::string& name, Clock::time_point now = Clock::now());
  // The bucket's state without taking a token.
  RateDecision Peek(const std::string& name, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  RateDecision Apply(const std::string& name, Clock::time_point now, bool take);
  double rate_;
  double burst_;
  std::array<Shard, 16> shards_;
};

}  // namespace jobzen::api
