// Unit tests of the API's small parts: calendar, token buckets, problem mapping, metrics.
#include <gtest/gtest.h>

#include "api/calendar.hpp"
#include "api/metrics.hpp"
#include "api/problem.hpp"
#include "api/rate_limit.hpp"

namespace {

using namespace jobzen::api;

TEST(Calendar, ParseDateIsStrict) {
  struct Case {
    const char* text;
    bool valid;
  };
  const Case cases[] = {{"2026-01-31", true}, {"2024-02-29", true}, {"2025-02-29", false}, {"2026-04-31", false},
                        {"2026-13-01", false}, {"2026-00-10", false}, {"2026-1-01", false}, {"20260101", false},
                        {"2026-01-01T", false}, {"", false}, {"1899-12-31", false}, {"2000-02-29", true}, {"1900-02-29", false}};
  for (const Case& c : cases) EXPECT_EQ(ParseDate(c.text).has_value(), c.valid) << c.text;
}

TEST(Calendar, DaysRoundTripAndResetAt) {
  for (long d = -1000; d < 30000; d += 37) EXPECT_EQ(DaysFromCivil(CivilFromDays(d)), d);
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(ResetAt({2026, 11, 29}), "2026-12-01T00:00:00Z");
  EXPECT_EQ(ResetAt({2026, 12, 31}), "2027-01-01T00:00:00Z");
  EXPECT_EQ(Period({2026, 3, 5}), "2026-03");
  EXPECT_EQ(FormatDate(Today(std::chrono::system_clock::time_point(std::chrono::seconds(86400 * 365)))), "1971-01-01");
}

TEST(RateLimiter, BurstThenRefill) {
  RateLimiter limiter(20, 40);
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 40; ++i) {
    const RateDecision d = limiter.Take("k:1", t0);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 39 - i);
    EXPECT_EQ(d.limit, 40);
  }
  const RateDecision refused = limiter.Take("k:1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1);
  EXPECT_EQ(refused.reset, 2);
  EXPECT_TRUE(limiter.Take("k:2", t0).allowed) << "buckets are per key";
  EXPECT_TRUE(limiter.Take("k:1", t0 + std::chrono::milliseconds(60)).allowed) << "20/s refills one token in 50 ms";
  EXPECT_EQ(limiter.Peek("k:3", t0).remaining, 40);
}

TEST(Problem, TableMapsCodesToStatuses) {
  const std::pair<const char*, int> cases[] = {
      {"invalid_json", 400}, {"validation_failed", 422}, {"cv_missing", 422}, {"cv_unreadable", 422},
      {"payload_too_large", 413}, {"unsupported_media_type", 415}, {"missing_api_key", 401}, {"invalid_api_key", 401},
      {"plan_insufficient", 403}, {"quota_exceeded", 429}, {"rate_limited", 429}, {"candidate_not_found", 404},
      {"no_such_code", 500}};
  for (const auto& [code, status] : cases) EXPECT_EQ(StatusOf(code), status) << code;
  const HttpResponse r = ProblemResponse(FromError({"cv_unreadable", "the PDF is encrypted"}, "cv_pdf_base64"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_NE(r.body.find(R"("errors":[{"field":"cv_pdf_base64","message":"the PDF is encrypted"}])"), std::string::npos);
  // Internal errors never show their detail.
  const HttpResponse internal = ProblemResponse(FromError({"store_error", "disk I/O error at /var/secret"}));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("/var/secret"), std::string::npos);
}

TEST(Metrics, RendersCountersHistogramsAndQuantiles) {
  Metrics m;
  for (int i = 0; i < 100; ++i) m.Record("match", 200, 0.0012);
  m.Record("match", 422, 0.0001);
  m.Record("unknown-endpoint", 404, 0.0001);
  m.QuotaRejected();
  m.RateLimited();
  const std::string text = m.Render();
  EXPECT_NE(text.find("jobzen_requests_total{endpoint=\"match\",status=\"200\"} 100\n"), std::string::npos);
  EXPECT_NE(text.find("jobzen_requests_total{endpoint=\"other\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("jobzen_request_duration_seconds_count{endpoint=\"match\"} 101\n"), std::string::npos);
  EXPECT_NE(text.find("jobzen_quota_rejections_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("jobzen_rate_limit_rejections_total 1\n"), std::string::npos);
  const double p50 = m.Quantile("match", 0.5);
  EXPECT_GT(p50, 0.001);
  EXPECT_LE(p50, 0.0015);
}

}  // namespace
