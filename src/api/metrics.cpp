// Metrics: atomic counters and their Prometheus text rendering.
#include "api/metrics.hpp"

#include <cstdio>

namespace jobzen::api {

std::size_t Metrics::EndpointIndex(std::string_view endpoint) {
  for (std::size_t i = 0; i < kEndpoints.size(); ++i) {
    if (kEndpoints[i] == endpoint) return i;
  }
  return kEndpoints.size() - 1;
}

void Metrics::Record(std::string_view endpoint, int status, double seconds) {
  PerEndpoint& e = endpoints_[EndpointIndex(endpoint)];
  if (status >= 100 && status <= 599) e.by_status[static_cast<std::size_t>(status - 100)].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  e.buckets[b].fetch_add(1, std::memory_order_relaxed);
  e.sum_us.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  e.count.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(8192);
  char line[256];
  out += "# HELP jobzen_requests_total HTTP requests by endpoint and status.\n"
         "# TYPE jobzen_requests_total counter\n";
  for (std::size_t i = 0; i < kEndpoints.size(); ++i) {
    for (std::size_t s = 0; s < 500; ++s) {
      const std::uint64_t n = endpoints_[i].by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::snprintf(line, sizeof line, "jobzen_requests_total{endpoint=\"%.*s\",status=\"%zu\"} %llu\n",
                    static_cast<int>(kEndpoints[i].size()), kEndpoints[i].data(), s + 100,
                    static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP jobzen_request_duration_seconds Server-side request latency by endpoint.\n"
         "# TYPE jobzen_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kEndpoints.size(); ++i) {
    const PerEndpoint& e = endpoints_[i];
    const std::uint64_t count = e.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const auto name = kEndpoints[i];
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += e.buckets[b].load(std::memory_order_relaxed);
      if (b < kBuckets.size()) {
        std::snprintf(line, sizeof line, "jobzen_request_duration_seconds_bucket{endpoint=\"%.*s\",le=\"%g\"} %llu\n",
                      static_cast<int>(name.size()), name.data(), kBuckets[b], static_cast<unsigned long long>(cumulative));
      } else {
        std::snprintf(line, sizeof line, "jobzen_request_duration_seconds_bucket{endpoint=\"%.*s\",le=\"+Inf\"} %llu\n",
                      static_cast<int>(name.size()), name.data(), static_cast<unsigned long long>(cumulative));
      }
      out += line;
    }
    std::snprintf(line, sizeof line, "jobzen_request_duration_seconds_sum{endpoint=\"%.*s\"} %.6f\n",
                  static_cast<int>(name.size()), name.data(),
                  static_cast<double>(e.sum_us.load(std::memory_order_relaxed)) / 1e6);
    out += line;
    std::snprintf(line, sizeof line, "jobzen_request_duration_seconds_count{endpoint=\"%.*s\"} %llu\n",
                  static_cast<int>(name.size()), name.data(), static_cast<unsigned long long>(count));
    out += line;
  }
  out += "# HELP jobzen_request_duration_quantile_seconds Latency quantiles estimated from the histogram.\n"
         "# TYPE jobzen_request_duration_quantile_seconds gauge\n";
  for (std::size_t i = 0; i < kEndpoints.size(); ++i) {
    if (endpoints_[i].count.load(std::memory_order_relaxed) == 0) continue;
    for (const double q : {0.5, 0.9, 0.99}) {
      std::snprintf(line, sizeof line, "jobzen_request_duration_quantile_seconds{endpoint=\"%.*s\",quantile=\"%g\"} %.6f\n",
                    static_cast<int>(kEndpoints[i].size()), kEndpoints[i].data(), q, Quantile(kEndpoints[i], q));
      out += line;
    }
  }
  char block[1024];
  std::snprintf(block, sizeof block,
                "# HELP jobzen_quota_rejections_total Calls refused with quota_exceeded.\n"
                "# TYPE jobzen_quota_rejections_total counter\n"
                "jobzen_quota_rejections_total %llu\n"
                "# HELP jobzen_rate_limit_rejections_total Calls refused with rate_limited.\n"
                "# TYPE jobzen_rate_limit_rejections_total counter\n"
                "jobzen_rate_limit_rejections_total %llu\n",
                static_cast<unsigned long long>(quota_rejections_.load(std::memory_order_relaxed)),
                static_cast<unsigned long long>(rate_limited_.load(std::memory_order_relaxed)));
  out += block;
  std::snprintf(line, sizeof line,
                "# HELP jobzen_requests_in_flight Requests being processed.\n"
                "# TYPE jobzen_requests_in_flight gauge\n"
                "jobzen_requests_in_flight %lld\n",
                static_cast<long long>(in_flight_.load(std::memory_order_relaxed)));
  out += line;
  return out;
}

double Metrics::Quantile(std::string_view endpoint, double q) const {
  const PerEndpoint& e = endpoints_[EndpointIndex(endpoint)];
  std::array<std::uint64_t, kBuckets.size() + 1> counts{};
  std::uint64_t total = 0;
  for (std::size_t b = 0; b < counts.size(); ++b) total += counts[b] = e.buckets[b].load(std::memory_order_relaxed);
  if (total == 0) return 0;
  const double rank = q * static_cast<double>(total);
  double cumulative = 0;
  for (std::size_t b = 0; b < counts.size(); ++b) {
    const double next = cumulative + static_cast<double>(counts[b]);
    if (next >= rank && counts[b] > 0) {
      if (b == kBuckets.size()) return kBuckets.back();
      const double lo = b == 0 ? 0.0 : kBuckets[b - 1];
      return lo + (kBuckets[b] - lo) * (rank - cumulative) / static_cast<double>(counts[b]);
    }
    cumulative = next;
  }
  return kBuckets.back();
}

}  // namespace jobzen::api
