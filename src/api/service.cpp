// Service: routing table, authentication, tier and rate-limit checks, the common response
// headers, metrics and access log, and the account (/status, /usage) and ops handlers.
#include "api/service.hpp"

#include <unistd.h>

#include <boost/json.hpp>

#include <cstdio>
#include <ctime>
#include <random>

#include "api/json_mapping.hpp"
#include "api/openapi.hpp"
#include "api/service_impl.hpp"

namespace jobzen::api {
namespace json = boost::json;

namespace {

using Handler = HttpResponse (Service::Impl::*)(Call&);

struct Route {
  std::string_view method;
  std::string_view path;
  std::string_view endpoint;
  bool auth;                        // needs an API key
  store::Tier tier;                 // minimum tier when auth
  bool compute;                     // engine work: runs on the worker pool
  Handler handler;
};

// Paths match segment by segment; a "{}" segment matches any one non-empty segment, whose
// percent-decoded value the handler finds in Call::params.
const Route kRoutes[] = {
    {"POST", "/api/v1/match", "match", true, store::Tier::kBasic, true, &Service::Impl::Match},
    {"POST", "/api/v1/analyze", "analyze", true, store::Tier::kStandard, true, &Service::Impl::Analyze},
    {"POST", "/api/v1/score", "score", true, store::Tier::kBasic, true, &Service::Impl::Score},
    {"GET", "/api/v1/status", "status", true, store::Tier::kBasic, false, &Service::Impl::Status},
    {"GET", "/api/v1/usage", "usage", true, store::Tier::kBasic, false, &Service::Impl::Usage},
    {"POST", "/api/v1/invitations", "invitations", true, store::Tier::kBasic, false, &Service::Impl::CreateInvitation},
    {"GET", "/api/v1/invitations", "invitations", true, store::Tier::kBasic, false, &Service::Impl::ListInvitations},
    {"DELETE", "/api/v1/invitations/{}", "invitations", true, store::Tier::kBasic, false, &Service::Impl::RevokeInvitation},
    {"GET", "/api/v1/candidates/{}/profile", "candidates", true, store::Tier::kBasic, false, &Service::Impl::CandidateProfile},
    {"DELETE", "/api/v1/candidates/{}", "candidates", true, store::Tier::kBasic, false, &Service::Impl::DissociateCandidate},
    {"PUT", "/api/v1/webhooks", "webhooks", true, store::Tier::kBasic, false, &Service::Impl::PutWebhook},
    {"GET", "/api/v1/webhooks", "webhooks", true, store::Tier::kBasic, false, &Service::Impl::GetWebhook},
    {"DELETE", "/api/v1/webhooks", "webhooks", true, store::Tier::kBasic, false, &Service::Impl::DeleteWebhook},
    {"POST", "/api/v1/webhooks/test", "webhooks", true, store::Tier::kBasic, true, &Service::Impl::TestWebhook},
    {"POST", "/api/v1/webhooks/rotate-secret", "webhooks", true, store::Tier::kBasic, false, &Service::Impl::RotateWebhookSecret},
    {"GET", "/invite/{}", "invite_page", false, store::Tier::kBasic, false, &Service::Impl::InvitePage},
    {"POST", "/invite/{}", "invite_page", false, store::Tier::kBasic, true, &Service::Impl::InviteSubmit},
    {"GET", "/manage/{}", "manage_page", false, store::Tier::kBasic, false, &Service::Impl::ManagePage},
    {"POST", "/manage/{}/replace", "manage_page", false, store::Tier::kBasic, true, &Service::Impl::ManageReplace},
    {"POST", "/manage/{}/dissociate", "manage_page", false, store::Tier::kBasic, false, &Service::Impl::ManageDissociate},
    {"GET", "/api/v1/openapi.json", "openapi", false, store::Tier::kBasic, false, &Service::Impl::OpenApi},
    {"GET", "/healthz", "healthz", false, store::Tier::kBasic, false, &Service::Impl::Healthz},
    {"GET", "/readyz", "readyz", false, store::Tier::kBasic, false, &Service::Impl::Readyz},
    {"GET", "/metrics", "metrics", false, store::Tier::kBasic, false, &Service::Impl::MetricsText},
};

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one path segment; nullopt on a malformed escape or a control character.
// Segments are split on the raw '/' before decoding, so "%2F" is a slash inside a parameter
// (a candidate ref may hold one).
std::optional<std::string> DecodeSegment(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;
    out += c;
  }
  return out;
}

// Matches a concrete path against a route pattern, filling the "{}" parameters.
bool MatchPath(std::string_view pattern, std::string_view path, std::vector<std::string>* params) {
  params->clear();
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const std::string_view want = pattern.substr(0, pattern.find('/'));
    const std::string_view got = path.substr(0, path.find('/'));
    if (want == "{}") {
      auto decoded = DecodeSegment(got);
      if (got.empty() || !decoded) return false;
      params->push_back(std::move(*decoded));
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(want.size());
    path.remove_prefix(got.size());
  }
  return true;
}

const Route* FindRoute(std::string_view path, bool* path_known, std::string_view method,
                       std::vector<std::string>* params) {
  *path_known = false;
  std::vector<std::string> scratch;
  for (const Route& r : kRoutes) {
    if (!MatchPath(r.path, path, &scratch)) continue;
    *path_known = true;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      *params = std::move(scratch);
      return &r;
    }
  }
  return nullptr;
}

// An incoming X-Request-Id is echoed when it is short and plain; otherwise we make one.
bool SaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
                    c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}() ^ (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

std::string_view QueryParam(std::string_view query, std::string_view name, bool* present) {
  *present = false;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      *present = true;
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// One metadata line per request: never a key, a body or a query string.
void AccessLog(const Call& call, int status) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char ts[32];
  std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  char line[512];
  const int n = std::snprintf(
      line, sizeof line, "%s.%03dZ rid=%s key=%lld endpoint=%.*s status=%d latency_ms=%.3f items=%zu cv=%.*s\n", ts,
      static_cast<int>(ms), call.request_id.c_str(),
      call.principal ? static_cast<long long>(call.principal->key_id) : 0LL, static_cast<int>(call.endpoint.size()),
      call.endpoint.data(), status, call.ElapsedMs(), call.items,
      static_cast<int>(call.cv_input.empty() ? 1 : call.cv_input.size()), call.cv_input.empty() ? "-" : call.cv_input.data());
  if (n > 0) {
    // One write per line: lines from concurrent requests do not interleave.
    [[maybe_unused]] const ssize_t w = ::write(STDERR_FILENO, line, static_cast<std::size_t>(std::min(n, 511)));
  }
}

}  // namespace

HttpResponse JsonResponse(std::string body, int status) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Service::Service(ServiceConfig config, std::shared_ptr<const engine::Taxonomy> taxonomy, store::Store& store)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(taxonomy), store)) {}
Service::~Service() = default;

Metrics& Service::metrics() { return impl_->metrics; }
void Service::SetDraining() { impl_->draining = true; }
Result<store::Ok> Service::FlushUsage() { return impl_->usage.Flush(); }

std::vector<std::pair<std::string, std::string>> Service::Routes() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& r : kRoutes) out.emplace_back(std::string(r.method), std::string(r.path));
  return out;
}

bool Service::IsCompute(const HttpRequest& request) const {
  const auto [path, query] = SplitTarget(request.target);
  bool known = false;
  std::vector<std::string> params;
  const Route* r = FindRoute(path, &known, request.method, &params);
  return r != nullptr && r->compute;
}

HttpResponse Service::Handle(const HttpRequest& request) {
  Call call{request, std::chrono::steady_clock::now(), {}, {}, {}, "other", {}, {}, Today(), 0, {}, {}};
  call.request_id = SaneRequestId(request.request_id) ? request.request_id : NewRequestId();
  std::tie(call.path, call.query) = SplitTarget(request.target);
  impl_->metrics.InFlight(1);
  HttpResponse response;
  try {
    bool known = false;
    const Route* route = FindRoute(call.path, &known, request.method, &call.params);
    if (route == nullptr) {
      Problem p;
      if (known) {
        p.code = "method_not_allowed";
        p.detail = "this endpoint does not accept " + std::string(request.method.substr(0, 16));
        std::string allow;
        for (const Route& r : kRoutes) {
          std::vector<std::string> ignored;
          if (MatchPath(r.path, call.path, &ignored)) allow += (allow.empty() ? "" : ", ") + std::string(r.method);
        }
        p.headers.emplace_back("Allow", allow);
      } else {
        p.code = "not_found";
        p.detail = "no such endpoint; see /api/v1/openapi.json";
      }
      response = ProblemResponse(p);
    } else {
      call.endpoint = route->endpoint;
      std::optional<HttpResponse> refused;
      if (route->auth) refused = impl_->Authorize(call, route->tier);
      response = refused ? std::move(*refused) : (impl_.get()->*(route->handler))(call);
    }
  } catch (const std::exception&) {
    // Never leak internals (exception text may name files or values): a generic problem.
    response = ProblemResponse(Problem{"internal_error", "The request could not be processed; try again later.", {}, {}, {}});
  }
  impl_->metrics.InFlight(-1);
  if (request.method == "HEAD") response.body.clear();
  return impl_->Finish(call, std::move(response));
}

HttpResponse Service::Reject(const HttpRequest& partial, const std::string& code, const std::string& detail) {
  Call call{partial, std::chrono::steady_clock::now(), {}, {}, {}, "other", {}, {}, Today(), 0, {}, {}};
  call.request_id = SaneRequestId(partial.request_id) ? partial.request_id : NewRequestId();
  std::tie(call.path, call.query) = SplitTarget(partial.target);
  for (const Route& r : kRoutes) {
    std::vector<std::string> ignored;
    if (MatchPath(r.path, call.path, &ignored)) call.endpoint = r.endpoint;
  }
  HttpResponse r = ProblemResponse(Problem{code, detail, {}, {}, {}});
  r.close = true;
  return impl_->Finish(call, std::move(r));
}

std::optional<HttpResponse> Service::Impl::Authorize(Call& call, std::optional<store::Tier> tier) {
  const std::string& key = call.req.api_key;
  auto refuse_anonymous = [&](const char* code, const char* detail) {
    // Unauthenticated calls spend the bucket of the client address (slows key guessing).
    call.rate = limiter.Take("ip:" + call.req.remote_ip);
    if (!call.rate->allowed) {
      metrics.RateLimited();
      return ProblemResponse(Problem{"rate_limited", "too many requests; retry after the Retry-After delay", {}, {},
                                     {{"Retry-After", std::to_string(call.rate->retry_after)}}});
    }
    return ProblemResponse(Problem{code, detail, {}, {}, {}});
  };
  if (key.empty()) {
    return refuse_anonymous("missing_api_key", "send your API key in the X-JobZen-Key header");
  }
  auto principal = auth.Authenticate(key);
  if (!principal) {
    return ProblemResponse(Problem{"service_unavailable", "the service is temporarily unavailable", {}, {}, {{"Retry-After", "1"}}});
  }
  if (!*principal) return refuse_anonymous("invalid_api_key", "the API key is unknown, revoked or expired");
  call.principal = std::move(**principal);
  call.rate = limiter.Take("k:" + std::to_string(call.principal->key_id));
  if (!call.rate->allowed) {
    metrics.RateLimited();
    return ProblemResponse(Problem{"rate_limited", "rate limit exceeded; retry after the Retry-After delay", {}, {},
                                   {{"Retry-After", std::to_string(call.rate->retry_after)}}});
  }
  if (tier && call.principal->partner.tier < *tier) {
    const std::string name(store::TierName(*tier));
    return ProblemResponse(Problem{"plan_insufficient",
                                   "this endpoint needs the " + name + " plan or above; your plan is " +
                                       std::string(store::TierName(call.principal->partner.tier)),
                                   {},
                                   {{"required_tier", name}},
                                   {}});
  }
  return std::nullopt;
}

HttpResponse Service::Impl::Finish(Call& call, HttpResponse response) {
  response.headers.emplace_back("X-Request-Id", call.request_id);
  const RateDecision rate = call.rate ? *call.rate : limiter.Peek("ip:" + call.req.remote_ip);
  response.headers.emplace_back("RateLimit-Limit", std::to_string(rate.limit));
  response.headers.emplace_back("RateLimit-Remaining", std::to_string(rate.remaining));
  response.headers.emplace_back("RateLimit-Reset", std::to_string(rate.reset));
  response.headers.emplace_back("Cache-Control", "no-store");
  const double ms = call.ElapsedMs();
  metrics.Record(call.endpoint, response.status, ms / 1000.0);
  if (call.principal) {
    usage.Record(call.principal->partner.id, call.principal->sandbox, FormatDate(call.today), call.endpoint,
                 response.status);
  }
  if (config.access_log) AccessLog(call, response.status);
  return response;
}

HttpResponse Service::Impl::Status(Call& call) {
  const store::Principal& p = *call.principal;
  auto used = store.QuotaUsed(p.partner.id, Period(call.today), p.sandbox);
  if (!used) return ProblemResponse(FromError(used.error()));
  const std::int64_t total = p.quota();
  json::object o;
  o["partner"] = p.partner.name;
  o["tier"] = store::TierName(p.partner.tier);
  o["sandbox"] = p.sandbox;
  o["quota_used"] = *used;
  o["quota_total"] = total;
  o["quota_remaining"] = std::max<std::int64_t>(0, total - *used);
  o["reset_at"] = ResetAt(call.today);
  return JsonResponse(Compact(o));
}

HttpResponse Service::Impl::Usage(Call& call) {
  Problem invalid{"validation_failed", "invalid date range", {}, {}, {}};
  auto date_param = [&](const char* name, Date fallback) -> std::optional<Date> {
    bool present = false;
    const std::string_view v = QueryParam(call.query, name, &present);
    if (!present) return fallback;
    const auto d = ParseDate(v);
    if (!d) invalid.errors.push_back({name, "must be a date YYYY-MM-DD"});
    return d;
  };
  const auto to = date_param("to", call.today);
  const auto from = date_param("from", CivilFromDays(DaysFromCivil(to.value_or(call.today)) - 29));
  if (from && to && *from > *to) invalid.errors.push_back({"from", "must not be after to"});
  if (from && to && DaysFromCivil(*to) - DaysFromCivil(*from) + 1 > 366) {
    invalid.errors.push_back({"to", "the range is at most 366 days"});
  }
  if (!invalid.errors.empty()) return ProblemResponse(invalid);
  (void)this->usage.Flush();  // this call's own counters are recorded after it answers
  const store::Principal& p = *call.principal;
  auto days = store.Usage(p.partner.id, p.sandbox, FormatDate(*from), FormatDate(*to));
  if (!days) return ProblemResponse(FromError(days.error()));
  json::array out;
  std::int64_t total = 0;
  std::size_t next = 0;
  for (long d = DaysFromCivil(*from); d <= DaysFromCivil(*to); ++d) {
    const std::string date = FormatDate(CivilFromDays(d));
    json::object day{{"date", date}, {"calls", 0}, {"errors", 0}, {"by_endpoint", json::object()}};
    if (next < days->size() && (*days)[next].date == date) {
      const store::UsageDay& u = (*days)[next++];
      day["calls"] = u.calls;
      day["errors"] = u.errors;
      json::object by;
      for (const auto& [endpoint, n] : u.by_endpoint) by[endpoint] = n;
      day["by_endpoint"] = std::move(by);
      total += u.calls;
    }
    out.push_back(std::move(day));
  }
  json::object o{{"from", FormatDate(*from)}, {"to", FormatDate(*to)}, {"sandbox", p.sandbox}};
  o["days"] = std::move(out);
  o["total_calls"] = total;
  return JsonResponse(Compact(o));
}

HttpResponse Service::Impl::Healthz(Call&) { return JsonResponse(R"({"status":"ok"})"); }

HttpResponse Service::Impl::Readyz(Call&) {
  if (draining) return JsonResponse(R"({"status":"draining"})", 503);
  if (!store.Ping()) return JsonResponse(R"({"status":"database_unavailable"})", 503);
  return JsonResponse(R"({"status":"ready"})");
}

HttpResponse Service::Impl::MetricsText(Call&) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics.Render();
  return r;
}

HttpResponse Service::Impl::OpenApi(Call&) { return JsonResponse(std::string(OpenApiJson())); }

}  // namespace jobzen::api
