// Problem details: the code -> (status, title) table and the JSON body.
#include "api/problem.hpp"

#include <boost/json.hpp>

namespace jobzen::api {

namespace {

struct CodeInfo {
  std::string_view code;
  int status;
  std::string_view title;
};

// Every error code the API answers with. Handlers name a code; this table alone decides the
// HTTP status.
constexpr CodeInfo kCodes[] = {
    {"bad_request", 400, "Malformed HTTP request"},
    {"invalid_json", 400, "Malformed JSON body"},
    {"missing_api_key", 401, "Missing API key"},
    {"invalid_api_key", 401, "Invalid API key"},
    {"plan_insufficient", 403, "Plan insufficient"},
    {"not_found", 404, "Not found"},
    {"candidate_not_found", 404, "Candidate not found"},
    {"webhook_not_found", 404, "Webhook not set"},
    {"method_not_allowed", 405, "Method not allowed"},
    {"profile_not_ready", 409, "Candidate profile not ready"},
    {"invitation_not_pending", 409, "Invitation not pending"},
    {"payload_too_large", 413, "Payload too large"},
    {"unsupported_media_type", 415, "Unsupported media type"},
    {"validation_failed", 422, "Validation failed"},
    {"cv_missing", 422, "No CV source"},
    {"cv_unreadable", 422, "CV unreadable"},
    {"cv_url_forbidden", 422, "CV URL not allowed"},
    {"cv_url_unreachable", 422, "CV URL could not be fetched"},
    {"webhook_url_forbidden", 422, "Webhook URL not allowed"},
    {"idempotency_key_reused", 422, "Idempotency key reused"},
    {"quota_exceeded", 429, "Monthly quota exceeded"},
    {"rate_limited", 429, "Too many requests"},
    {"headers_too_large", 431, "Request headers too large"},
    {"internal_error", 500, "Internal error"},
    {"service_unavailable", 503, "Service unavailable"},
};

const CodeInfo* Find(std::string_view code) {
  for (const CodeInfo& c : kCodes) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace

int StatusOf(std::string_view code) {
  const CodeInfo* c = Find(code);
  return c != nullptr ? c->status : 500;
}

std::string_view TitleOf(std::string_view code) {
  const CodeInfo* c = Find(code);
  return c != nullptr ? c->title : "Internal error";
}

Problem FromError(const Error& error, std::string field) {
  Problem p;
  // Unknown codes are internal: their detail may name internals, so it is not shown.
  if (Find(error.code) == nullptr || StatusOf(error.code) >= 500) {
    p.code = "internal_error";
    p.detail = "The request could not be processed; try again later.";
    return p;
  }
  p.code = error.code;
  p.detail = error.detail;
  if (!field.empty()) p.errors.push_back({std::move(field), error.detail});
  return p;
}

HttpResponse ProblemResponse(const Problem& problem) {
  namespace json = boost::json;
  const int status = StatusOf(problem.code);
  json::object o;
  o["type"] = "https://docs.jobzen.io/errors/" + problem.code;
  o["title"] = TitleOf(problem.code);
  o["status"] = status;
  o["code"] = problem.code;
  o["detail"] = problem.detail.empty() ? std::string(TitleOf(problem.code)) : problem.detail;
  json::array errors;
  for (const FieldError& e : problem.errors) errors.push_back(json::object{{"field", e.field}, {"message", e.message}});
  o["errors"] = std::move(errors);
  for (const auto& [k, v] : problem.extras) o[k] = v;
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.headers = problem.headers;
  r.body = json::serialize(o);
  return r;
}

}  // namespace jobzen::api
