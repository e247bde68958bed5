// HTML form bodies: multipart/form-data (RFC 7578, binary-safe, for file uploads) and
// application/x-www-form-urlencoded (WHATWG: '+' is a space, %XX escapes), within limits.
//
//   auto form = ParseForm(req.content_type, req.body);
//   if (!form) return BadRequest(form.error());
//   std::string_view consent = form->Value("consent");
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace jobzen::api {

// One field of a form. Text fields and files alike keep their raw bytes.
struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // set for a file input (possibly "" when none chosen)
  std::string content_type;             // the part's Content-Type, "" when absent
  std::string data;
  bool operator==(const FormPart&) const = default;
};

struct Form {
  std::vector<FormPart> parts;  // in body order

  // The first part named `name`, nullptr when none. Valid while the form lives.
  const FormPart* Find(std::string_view name) const;
  // The data of the first part named `name`, "" when none.
  std::string_view Value(std::string_view name) const;
};

struct FormLimits {
  std::size_t max_parts = 32;           // fields per form
  std::size_t max_header_bytes = 2048;  // the header block of one multipart part
};

// The boundary parameter of a multipart Content-Type (quoted or not, 1..70 characters),
// nullopt when absent or invalid.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Parses a multipart/form-data body. Preamble and epilogue are ignored; every part needs a
// `Content-Disposition: form-data; name=...` header. Errors (code "malformed_form", a detail
// that never quotes the body): no boundary parameter, no opening or closing delimiter, a
// header block without its blank line or over max_header_bytes, a bad header, more than
// max_parts parts.
Result<Form> ParseMultipart(std::string_view content_type, std::string_view body, const FormLimits& limits = {});

// Parses "a=1&b=x+y%21". Errors "malformed_form": a bad %-escape, more than max_parts pairs.
Result<Form> ParseUrlEncoded(std::string_view body, const FormLimits& limits = {});

// Either of the above by Content-Type (media type compared case-insensitively); error
// "unsupported_media_type" for any other.
Result<Form> ParseForm(std::string_view content_type, std::string_view body, const FormLimits& limits = {});

}  // namespace jobzen::api
