// Private to the service: the shared state and the per-call context the handlers see.
// service.cpp holds routing and the account/ops handlers, compute.cpp the engine handlers.
#pragma once

#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/auth.hpp"
#include "api/calendar.hpp"
#include "api/metrics.hpp"
#include "api/problem.hpp"
#include "api/rate_limit.hpp"
#include "api/service.hpp"
#include "api/usage_recorder.hpp"
#include "engine/extract.hpp"
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
  std::vector<std::string> params;           // the route's "{}" path segments, decoded

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

  // Linked candidates, invitations and webhook settings (candidates.cpp).
  HttpResponse CreateInvitation(Call& call);
  HttpResponse ListInvitations(Call& call);
  HttpResponse RevokeInvitation(Call& call);
  HttpResponse CandidateProfile(Call& call);
  HttpResponse DissociateCandidate(Call& call);
  HttpResponse PutWebhook(Call& call);
  HttpResponse GetWebhook(Call& call);
  HttpResponse DeleteWebhook(Call& call);
  HttpResponse TestWebhook(Call& call);
  HttpResponse RotateWebhookSecret(Call& call);

  // The candidate's pages (pages.cpp): server-rendered HTML, no API key.
  HttpResponse InvitePage(Call& call);
  HttpResponse InviteSubmit(Call& call);
  HttpResponse ManagePage(Call& call);
  HttpResponse ManageReplace(Call& call);
  HttpResponse ManageDissociate(Call& call);

  // A CV document (text bytes in any supported encoding, or a PDF) -> its profile, within the
  // configured limits. Errors as ingest's (cv_unreadable, payload_too_large...). The bytes
  // are only read.
  Result<engine::Profile> ProfileFromDocument(std::string_view bytes, bool pdf, engine::ExtractOptions options) const;

  // Wakes the webhook worker after an event was queued (no-op when none is attached).
  void EventsQueued() const {
    if (config.on_events_queued) config.on_events_queued();
  }
  // The absolute base of links we hand out (invitation and management URLs), no trailing '/'.
  std::string PublicBase(const Call& call) const;
};

// A request's JSON object body, or the problem answering it (415 unsupported_media_type,
// 400 invalid_json, 422 when not an object).
struct JsonBody {
  boost::json::value doc;
  std::optional<Problem> problem;
  const boost::json::object& object() const { return doc.get_object(); }
};
JsonBody ParseJsonBody(const HttpRequest& req);

// A JSON 200 response.
HttpResponse JsonResponse(std::string body, int status = 200);

}  // namespace jobzen::api
