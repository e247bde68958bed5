// RFC 9457 problem details (application/problem+json) and the one table that maps our error
// codes to HTTP statuses and titles.
//   {"type": "https://docs.jobzen.io/errors/<code>", "title": "...", "status": 422,
//    "code": "<code>", "detail": "...", "errors": [{"field": "job_listings[3].title", "message": "..."}]}
// Details and messages are written by us and never quote request content (CV text).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.hpp"
#include "engine/result.hpp"

namespace jobzen::api {

struct FieldError {
  std::string field;    // JSON path: "job_listings[3].title", "options.as_of", "cv_text"
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Problem {
  std::string code;  // stable machine code: validation_failed, quota_exceeded...
  std::string detail;
  std::vector<FieldError> errors;
  std::vector<std::pair<std::string, std::string>> extras;   // extra string members (reset_at, required_tier)
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers (Retry-After, Allow)
};

// HTTP status of a code (500 for codes not in the table).
int StatusOf(std::string_view code);
// Short human title of a code.
std::string_view TitleOf(std::string_view code);

// A problem from an engine/ingest/store error; `field`, when given, becomes errors[0].field.
Problem FromError(const Error& error, std::string field = "");

// The problem+json response.
HttpResponse ProblemResponse(const Problem& problem);

}  // namespace jobzen::api
