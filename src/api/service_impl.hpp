// Private to the service: the shared state and the per-call context the handlers see.
// service.cpp holds routing and the account/ops handlers, compute.cpp the engine handlers.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "api/auth.hpp"
#include "api/calendar.hpp"
#include "api/metrics.hpp"
#include "api/problem.hpp"
#include "api/rate_limit.hpp"
#include "api/service.hpp"
#include "api/usage_recorder.hpp"
#include "engine/scoring.hpp"
#include "engine/taxonomy.hpp"

namespace jobzen::api {

// One request on its way through the service.
struct Call {
  const HttpRequest& req;
  std::chrono::steady_clock::time_point start;
  std::string_view path;
  std::string_view query;
  std::string request_id;
  std::string_view endpoint = "other";       // metric and log name
  std::optional<store::Principal> principal;
  std::optional<RateDecision> rate;
  Date today;
  std::size_t items = 0;                     // listings (for the log)
  std::string_view cv_input;                 // kind of CV source (for the log)

  double ElapsedMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
};

struct Service::Impl {
  Impl(ServiceConfig c, std::shared_ptr<const engine::Taxonomy> t, store::Store& s)
      : config(std::move(c)),
        taxonomy(std::move(t)),
        store(s),
        limiter(config.rate_per_second, config.rate_burst),
        auth(s, config.auth_cache_ttl),
        usage(s) {}

  ServiceConfig config;
  std::shared_ptr<const engine::Taxonomy> taxonomy;
  store::Store& store;
  Metrics metrics;
  RateLimiter limiter;
  Authenticator auth;
  UsageRecorder usage;
  engine::OfferCache offer_cache{10000};  // parsed offers reused across /match and /score calls
  std::atomic<bool> draining{false};

  HttpResponse Finish(Call& call, HttpResponse response);
  std::optional<HttpResponse> Authorize(Call& call, std::optional<store::Tier> tier);

  // Account and ops handlers (service.cpp).
  HttpResponse Status(Call& call);
  HttpResponse Usage(Call& call);
  HttpResponse Healthz(Call& call);
  HttpResponse Readyz(Call& call);
  HttpResponse MetricsText(Call& call);
  HttpResponse OpenApi(Call& call);

  // Engine handlers (compute.cpp).
  HttpResponse Match(Call& call);
  HttpResponse Analyze(Call& call);
  HttpResponse Score(Call& call);
};

// A JSON 200 response.
HttpResponse JsonResponse(std::string body, int status = 200);

}  // namespace jobzen::api
