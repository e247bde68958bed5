// Prometheus metrics of the HTTP API: requests by endpoint and status, latency histograms by
// endpoint, quota and rate-limit rejections, requests in flight. Lock-free counters: Record()
// may be called from any thread at full request rate.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace jobzen::api {

class Metrics {
 public:
  // Endpoints are a fixed set (route names); anything else is counted as "other".
  static constexpr std::array<std::string_view, 11> kEndpoints = {
      "match", "analyze", "score", "status", "usage", "openapi", "healthz", "readyz", "metrics", "coach", "other"};
  static constexpr std::array<double, 16> kBuckets = {0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005,
                                                      0.01,    0.025,  0.05,    0.1,   0.25,   0.5,   1.0,   5.0};

  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One finished request: endpoint name, HTTP status (100..599), server-side seconds.
  void Record(std::string_view endpoint, int status, double seconds);
  void QuotaRejected() { quota_rejections_.fetch_add(1, std::memory_order_relaxed); }
  void RateLimited() { rate_limited_.fetch_add(1, std::memory_order_relaxed); }
  void InFlight(int delta) { in_flight_.fetch_add(delta, std::memory_order_relaxed); }

  // The text exposition format (version 0.0.4).
  std::string Render() const;

  // Estimated latency quantile (0..1) of an endpoint from its histogram, in seconds
  // (linear interpolation inside the bucket); 0 when no request was recorded.
  double Quantile(std::string_view endpoint, double q) const;

 private:
  static std::size_t EndpointIndex(std::string_view endpoint);
  struct PerEndpoint {
    std::array<std::atomic<std::uint64_t>, 500> by_status{};  // index: status - 100
    std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<std::uint64_t> sum_us{0};
    std::atomic<std::uint64_t> count{0};
  };
  std::array<PerEndpoint, kEndpoints.size()> endpoints_{};
  std::atomic<std::uint64_t> quota_rejections_{0};
  std::atomic<std::uint64_t> rate_limited_{0};
  std::atomic<std::int64_t> in_flight_{0};
};

}  // namespace jobzen::api
