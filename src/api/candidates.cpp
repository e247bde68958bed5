// Linked candidates for partners: invitations (create, list, revoke), a candidate's stored
// profile and dissociation, webhook settings (set, read, test, rotate the secret, remove), and
// Idempotency-Key replays for the POSTs that create something.
#include <openssl/crypto.h>

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>

#include "api/candidate_mapping.hpp"
#include "api/json_mapping.hpp"
#include "api/service_impl.hpp"
#include "ingest/url_fetch.hpp"
#include "webhooks/signature.hpp"
#include "webhooks/worker.hpp"

namespace jobzen::api {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxRefChars = 256;
constexpr std::size_t kMaxIdempotencyKey = 255;
constexpr std::size_t kMaxUrlChars = 2048;
constexpr std::size_t kListLimit = 500;
constexpr std::array<std::string_view, 2> kEvents = {"candidate.linked", "candidate.dissociated"};
constexpr std::int64_t kRotationGraceSeconds = 24 * 3600;

// A candidate ref: 1..256 characters of printable text (it is echoed in URLs and webhooks).
bool ValidRef(std::string_view ref) {
  if (ref.empty() || ref.size() > kMaxRefChars) return false;
  for (const char c : ref) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Problem Invalid(std::string field, std::string message) {
  Problem p{"validation_failed", field + ": " + message, {}, {}, {}};
  p.errors.push_back({std::move(field), std::move(message)});
  return p;
}

Problem CandidateNotFound() {
  return Problem{"candidate_not_found", "no candidate with this ref is linked to your account", {}, {}, {}};
}

json::object InvitationJson(const store::Invitation& inv) {
  json::object o;
  o["id"] = inv.id;
  o["candidate_ref"] = inv.candidate_ref;
  o["code_hint"] = inv.code_hint;
  o["status"] = inv.status;
  o["created_at"] = inv.created_at;
  o["expires_at"] = inv.expires_at;
  o["linked_at"] = StringOrNull(inv.linked_at);
  o["revoked_at"] = StringOrNull(inv.revoked_at);
  return o;
}

json::object AttemptJson(const store::DeliveryAttempt& a) {
  json::object o;
  o["event_id"] = a.event_id;
  o["type"] = a.type;
  o["at"] = a.at;
  o["status_code"] = a.status_code;
  o["latency_ms"] = a.latency_ms;
  o["error"] = StringOrNull(a.error);
  return o;
}

// Settings as GET /webhooks shows them: never a secret.
json::object WebhookJson(const store::Webhook& w, std::string_view now) {
  json::object o;
  o["url"] = w.url;
  o["events"] = Strings(w.events);
  o["created_at"] = w.created_at;
  o["updated_at"] = w.updated_at;
  const bool rotating = !w.previous_secret.empty() && w.previous_valid_until > now;
  o["previous_secret_valid_until"] = rotating ? json::value(w.previous_valid_until) : json::value(nullptr);
  return o;
}

// SHA-256 of what makes a request the same request for Idempotency-Key.
std::string RequestHash(const Call& call) {
  return store::HashKey(std::string(call.req.method) + ' ' + std::string(call.path) + '\n' + call.req.body);
}

// Replays of one Idempotency-Key are serialised in this process so two concurrent first calls
// do not both create: a small array of mutexes picked by the key's hash.
std::mutex& IdempotencyLock(std::int64_t partner_id, std::string_view key) {
  static std::array<std::mutex, 64> locks;
  const std::size_t h = std::hash<std::string_view>{}(key) ^ static_cast<std::size_t>(partner_id);
  return locks[h % locks.size()];
}

// Runs `create` at most once per (partner, Idempotency-Key): a later call with the same key
// and body replays the first 2xx response; the same key with another body is 422.
HttpResponse Idempotent(Service::Impl& s, Call& call, const std::function<HttpResponse()>& create) {
  const std::string& key = call.req.idempotency_key;
  if (key.empty()) return create();
  if (key.size() > kMaxIdempotencyKey) return ProblemResponse(Invalid("Idempotency-Key", "at most 255 characters"));
  const std::int64_t partner = call.principal->partner.id;
  std::lock_guard lock(IdempotencyLock(partner, key));
  const std::string hash = RequestHash(call);
  auto found = s.store.FindIdempotent(partner, key);
  if (!found) return ProblemResponse(FromError(found.error()));
  if (*found) {
    const store::IdempotentResponse& first = **found;
    if (first.request_hash.size() != hash.size() ||
        CRYPTO_memcmp(first.request_hash.data(), hash.data(), hash.size()) != 0) {
      return ProblemResponse(Problem{"idempotency_key_reused",
                                     "this Idempotency-Key was used with a different request", {}, {}, {}});
    }
    HttpResponse replay = JsonResponse(first.body, first.status);
    replay.headers.emplace_back("Idempotency-Replayed", "true");
    return replay;
  }
  HttpResponse response = create();
  if (response.status >= 200 && response.status < 300) {
    // A failure to save only loses the replay, not the creation: answer anyway.
    (void)s.store.SaveIdempotent(partner, key, {hash, response.status, response.body}, NowRfc3339());
  }
  return response;
}

// Reads `expires_in_days` (optional integer in 1..max).
std::optional<Problem> ReadDays(const json::object& body, int fallback, int max, int* days) {
  *days = fallback;
  const json::value* v = body.if_contains("expires_in_days");
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > max) {
    return Invalid("expires_in_days", "must be an integer from 1 to " + std::to_string(max));
  }
  *days = static_cast<int>(v->as_int64());
  return std::nullopt;
}

// Reads and checks a webhook's {url, events}.
std::optional<Problem> ReadWebhook(const json::object& body, const ingest::UrlFetchOptions& rules, std::string* url,
                                   std::vector<std::string>* events) {
  const json::value* u = body.if_contains("url");
  if (u == nullptr || !u->is_string() || u->get_string().empty()) return Invalid("url", "must be an https:// URL");
  if (u->get_string().size() > kMaxUrlChars) return Invalid("url", "at most 2048 characters");
  *url = std::string(u->get_string());
  if (auto checked = ingest::CheckDestination(*url, rules); !checked) {
    return Problem{"webhook_url_forbidden", checked.error().detail, {{"url", checked.error().detail}}, {}, {}};
  }
  events->clear();
  const json::value* e = body.if_contains("events");
  if (e == nullptr || e->is_null()) {
    events->assign(kEvents.begin(), kEvents.end());
    return std::nullopt;
  }
  if (!e->is_array() || e->get_array().empty()) return Invalid("events", "must be a non-empty array of event types");
  for (std::size_t i = 0; i < e->get_array().size(); ++i) {
    const json::value& item = e->get_array()[i];
    const bool known = item.is_string() &&
                       std::find(kEvents.begin(), kEvents.end(), std::string_view(item.get_string())) != kEvents.end();
    if (!known) {
      return Invalid("events[" + std::to_string(i) + "]", "must be candidate.linked or candidate.dissociated");
    }
    if (std::find(events->begin(), events->end(), item.get_string()) == events->end()) {
      events->emplace_back(item.get_string());
    }
  }
  return std::nullopt;
}

}  // namespace

std::string Service::Impl::PublicBase(const Call& call) const {
  std::string base = config.public_base_url;
  if (base.empty()) {
    // Without a configured public URL, links point back at the host the partner called.
    const bool sane_host = !call.req.host.empty() && call.req.host.size() <= 255 &&
                           call.req.host.find_first_of("/\\ \t\"<>") == std::string::npos;
    base = "http://" + (sane_host ? call.req.host : std::string("127.0.0.1"));
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

HttpResponse Service::Impl::CreateInvitation(Call& call) {
  return Idempotent(*this, call, [&]() -> HttpResponse {
    const JsonBody body = ParseJsonBody(call.req);
    if (body.problem) return ProblemResponse(*body.problem);
    const json::value* ref = body.object().if_contains("candidate_ref");
    if (ref == nullptr || !ref->is_string() || !ValidRef(ref->get_string())) {
      return ProblemResponse(Invalid("candidate_ref", "must be a string of 1 to 256 printable characters"));
    }
    int days = 0;
    if (auto bad = ReadDays(body.object(), config.invitation_default_days, config.invitation_max_days, &days)) {
      return ProblemResponse(*bad);
    }
    store::NewInvitation request;
    request.partner_id = call.principal->partner.id;
    request.candidate_ref = std::string(ref->get_string());
    request.code = store::GenerateCode(32);
    request.expires_at = NowRfc3339(static_cast<std::int64_t>(days) * 86400);
    auto created = store.CreateInvitation(request, NowRfc3339());
    if (!created) return ProblemResponse(FromError(created.error()));
    json::object o = InvitationJson(*created);
    // The code in clear exists only in this response (the store keeps its hash).
    o["code"] = request.code;
    o["url"] = PublicBase(call) + "/invite/" + request.code;
    return JsonResponse(Compact(o), 201);
  });
}

HttpResponse Service::Impl::ListInvitations(Call& call) {
  auto list = store.ListInvitations(call.principal->partner.id, NowRfc3339(), kListLimit);
  if (!list) return ProblemResponse(FromError(list.error()));
  json::array items;
  for (const store::Invitation& inv : *list) items.push_back(InvitationJson(inv));
  return JsonResponse(Compact(json::object{{"invitations", std::move(items)}}));
}

HttpResponse Service::Impl::RevokeInvitation(Call& call) {
  auto revoked = store.RevokeInvitation(call.principal->partner.id, call.params.at(0), NowRfc3339());
  if (!revoked) {
    const Error& e = revoked.error();
    if (e.code == "not_found") return ProblemResponse(Problem{"not_found", "no such invitation", {}, {}, {}});
    if (e.code == "conflict") {
      return ProblemResponse(Problem{"invitation_not_pending", "only a pending invitation can be revoked", {}, {}, {}});
    }
    return ProblemResponse(FromError(e));
  }
  return JsonResponse(Compact(InvitationJson(*revoked)));
}

HttpResponse Service::Impl::CandidateProfile(Call& call) {
  const std::string& ref = call.params.at(0);
  if (!ValidRef(ref)) return ProblemResponse(CandidateNotFound());
  auto found = store.FindCandidate(call.principal->partner.id, ref);
  if (!found) return ProblemResponse(FromError(found.error()));
  // Another partner's candidate is indistinguishable from an unknown one: 404, never 403.
  if (!*found) return ProblemResponse(CandidateNotFound());
  return JsonResponse(Compact(CandidateJson(**found)));
}

HttpResponse Service::Impl::DissociateCandidate(Call& call) {
  const std::string& ref = call.params.at(0);
  if (!ValidRef(ref)) return ProblemResponse(CandidateNotFound());
  auto removed = store.DissociateCandidate(call.principal->partner.id, ref, NowRfc3339());
  if (!removed) return ProblemResponse(FromError(removed.error()));
  if (!*removed) return ProblemResponse(CandidateNotFound());
  EventsQueued();
  return JsonResponse(Compact(json::object{{"ref", ref}, {"active", false}, {"has_profile", false}}));
}

HttpResponse Service::Impl::PutWebhook(Call& call) {
  const JsonBody body = ParseJsonBody(call.req);
  if (body.problem) return ProblemResponse(*body.problem);
  std::string url;
  std::vector<std::string> events;
  if (auto bad = ReadWebhook(body.object(), config.webhook_destination, &url, &events)) {
    return ProblemResponse(*bad);
  }
  const std::string secret = webhooks::GenerateSecret();
  auto put = store.PutWebhook(call.principal->partner.id, url, events, secret, NowRfc3339());
  if (!put) return ProblemResponse(FromError(put.error()));
  const auto& [hook, created] = *put;
  json::object o = WebhookJson(hook, NowRfc3339());
  // The signing secret is shown once, when the endpoint is first set (and on rotation).
  if (created) o["secret"] = hook.secret;
  return JsonResponse(Compact(o), created ? 201 : 200);
}

HttpResponse Service::Impl::GetWebhook(Call& call) {
  const std::int64_t partner = call.principal->partner.id;
  auto hook = store.GetWebhook(partner);
  if (!hook) return ProblemResponse(FromError(hook.error()));
  if (!*hook) return ProblemResponse(Problem{"webhook_not_found", "no webhook is set; PUT /api/v1/webhooks", {}, {}, {}});
  auto attempts = store.ListAttempts(partner, 50);
  if (!attempts) return ProblemResponse(FromError(attempts.error()));
  auto events = store.ListEvents(partner, 50);
  if (!events) return ProblemResponse(FromError(events.error()));
  json::object o = WebhookJson(**hook, NowRfc3339());
  json::array log;
  for (const store::DeliveryAttempt& a : *attempts) log.push_back(AttemptJson(a));
  o["recent_attempts"] = std::move(log);
  json::array queue;
  for (const store::OutboxEvent& e : *events) {
    queue.push_back(json::object{{"event_id", e.event_id}, {"type", e.type},      {"ref", e.ref},
                                 {"timestamp", e.timestamp}, {"status", e.status}, {"attempts", e.attempts}});
  }
  o["recent_events"] = std::move(queue);
  return JsonResponse(Compact(o));
}

HttpResponse Service::Impl::DeleteWebhook(Call& call) {
  auto removed = store.DeleteWebhook(call.principal->partner.id);
  if (!removed) return ProblemResponse(FromError(removed.error()));
  if (!*removed) return ProblemResponse(Problem{"webhook_not_found", "no webhook is set", {}, {}, {}});
  return JsonResponse(R"({"deleted":true})");
}

HttpResponse Service::Impl::TestWebhook(Call& call) {
  auto attempt = webhooks::SendTest(store, call.principal->partner.id, config.webhook_destination);
  if (!attempt) {
    if (attempt.error().code == "not_found") {
      return ProblemResponse(Problem{"webhook_not_found", "no webhook is set; PUT /api/v1/webhooks", {}, {}, {}});
    }
    return ProblemResponse(FromError(attempt.error()));
  }
  json::object o = AttemptJson(*attempt);
  o["delivered"] = attempt->status_code >= 200 && attempt->status_code < 300;
  return JsonResponse(Compact(o));
}

HttpResponse Service::Impl::RotateWebhookSecret(Call& call) {
  return Idempotent(*this, call, [&]() -> HttpResponse {
    const std::string secret = webhooks::GenerateSecret();
    const std::string until = NowRfc3339(kRotationGraceSeconds);
    auto rotated = store.RotateWebhookSecret(call.principal->partner.id, secret, until, NowRfc3339());
    if (!rotated) {
      if (rotated.error().code == "not_found") {
        return ProblemResponse(Problem{"webhook_not_found", "no webhook is set; PUT /api/v1/webhooks", {}, {}, {}});
      }
      return ProblemResponse(FromError(rotated.error()));
    }
    json::object o = WebhookJson(*rotated, NowRfc3339());
    o["secret"] = rotated->secret;
    return JsonResponse(Compact(o));
  });
}

}  // namespace jobzen::api
