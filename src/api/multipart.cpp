// Form body parsers: multipart/form-data per RFC 7578 / RFC 2046 section 5.1 and
// application/x-www-form-urlencoded per the WHATWG URL standard.
#include "api/multipart.hpp"

#include <utility>

namespace jobzen::api {

namespace {

constexpr std::size_t kMaxBoundaryChars = 70;  // RFC 2046

Error Malformed(std::string detail) { return Error{"malformed_form", std::move(detail)}; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The lower-case media type of a header value: "multipart/form-data; ..." -> "multipart/form-data".
std::string MediaType(std::string_view value) { return Lower(Trim(value.substr(0, value.find(';')))); }

// The parameter `name` (lower-case) of a header value `type; a=1; b="x;y"`, unquoted,
// nullopt when absent or when a quoted string is unterminated.
std::optional<std::string> Param(std::string_view value, std::string_view name) {
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    const std::size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string key = Lower(Trim(value.substr(i, eq - i)));
    std::size_t j = eq + 1;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
    std::string v;
    if (j < value.size() && value[j] == '"') {
      // quoted-string: backslash escapes the next character; ';' inside does not split.
      for (++j; j < value.size() && value[j] != '"'; ++j) {
        if (value[j] == '\\' && j + 1 < value.size()) ++j;
        v += value[j];
      }
      if (j >= value.size()) return std::nullopt;
      i = value.find(';', j);
    } else {
      i = value.find(';', j);
      v = std::string(Trim(value.substr(j, i == std::string_view::npos ? std::string_view::npos : i - j)));
    }
    if (key == name) return v;
  }
  return std::nullopt;
}

// Where the text of the delimiter line starting at `at` ends (after "--boundary").
std::size_t AfterDashBoundary(std::string_view body, std::size_t at, std::string_view dash_boundary) {
  return at + (body.substr(at, 2) == "\r\n" ? 2 : 0) + dash_boundary.size();
}

// Where the next delimiter line starts at or after `from` (the position of its leading CRLF,
// or 0 for a body that opens with it); npos when none. A match must be followed by "--",
// transport padding or CRLF: content that merely contains "--boundary" plus more is content.
std::size_t FindDelimiter(std::string_view body, std::string_view dash_boundary, std::size_t from) {
  const std::string needle = "\r\n" + std::string(dash_boundary);
  std::size_t at = from == 0 && body.substr(0, dash_boundary.size()) == dash_boundary ? 0 : body.find(needle, from);
  while (at != std::string_view::npos) {
    const std::string_view rest = body.substr(AfterDashBoundary(body, at, dash_boundary));
    std::size_t k = 0;
    while (k < rest.size() && (rest[k] == ' ' || rest[k] == '\t')) ++k;
    if (rest.substr(0, 2) == "--" || rest.substr(k, 2) == "\r\n") return at;
    at = body.find(needle, at + 1);
  }
  return std::string_view::npos;
}

// Fills a part from its header block (lines separated by CRLF, no trailing blank line).
std::optional<Error> ReadPartHeaders(std::string_view block, FormPart* part) {
  bool disposition = false;
  while (!block.empty()) {
    const std::size_t eol = block.find("\r\n");
    const std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Malformed("a part header line has no name");
    const std::string name = Lower(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-type") part->content_type = std::string(value);
    if (name != "content-disposition") continue;
    auto field = Param(value, "name");
    if (MediaType(value) != "form-data" || !field) return Malformed("a part is not form-data with a name");
    part->name = std::move(*field);
    part->filename = Param(value, "filename");
    disposition = true;
  }
  if (!disposition) return Malformed("a part has no Content-Disposition");
  return std::nullopt;
}

// %XX and '+' decoding of one urlencoded name or value.
std::optional<std::string> FormDecode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex(s[i + 1]);
      const int lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

}  // namespace

const FormPart* Form::Find(std::string_view name) const {
  for (const FormPart& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string_view Form::Value(std::string_view name) const {
  const FormPart* p = Find(name);
  return p == nullptr ? std::string_view() : std::string_view(p->data);
}

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  auto boundary = Param(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryChars) return std::nullopt;
  // A boundary ending in a space is invalid (RFC 2046 bchars): padding would be ambiguous.
  if (boundary->back() == ' ') return std::nullopt;
  return boundary;
}

Result<Form> ParseMultipart(std::string_view content_type, std::string_view body, const FormLimits& limits) {
  const auto boundary = MultipartBoundary(content_type);
  if (!boundary) return Malformed("the multipart Content-Type has no valid boundary parameter");
  const std::string dash_boundary = "--" + *boundary;
  std::size_t at = FindDelimiter(body, dash_boundary, 0);
  if (at == std::string_view::npos) return Malformed("the multipart body has no opening boundary");
  Form form;
  while (true) {
    // Skip the delimiter line: CRLF (except at the very start), "--boundary", padding, CRLF.
    std::size_t pos = AfterDashBoundary(body, at, dash_boundary);
    if (body.substr(pos, 2) == "--") return form;  // the close delimiter; the epilogue is ignored
    pos = body.find("\r\n", pos) + 2;
    if (form.parts.size() >= limits.max_parts) return Malformed("the form has too many parts");
    const std::string_view window = body.substr(pos, limits.max_header_bytes + 4);
    const std::size_t blank = window.substr(0, 2) == "\r\n" ? 0 : window.find("\r\n\r\n");
    if (blank == std::string_view::npos) return Malformed("a part's headers are too long or not terminated");
    FormPart part;
    if (auto bad = ReadPartHeaders(window.substr(0, blank), &part)) return *bad;
    const std::size_t content = pos + blank + (blank == 0 ? 2 : 4);
    at = FindDelimiter(body, dash_boundary, content);
    if (at == std::string_view::npos) return Malformed("the multipart body has no closing boundary");
    part.data = std::string(body.substr(content, at - content));
    form.parts.push_back(std::move(part));
  }
}

Result<Form> ParseUrlEncoded(std::string_view body, const FormLimits& limits) {
  Form form;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (form.parts.size() >= limits.max_parts) return Malformed("the form has too many fields");
    const std::size_t eq = pair.find('=');
    auto name = FormDecode(pair.substr(0, eq));
    auto value = FormDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!name || !value) return Malformed("the form has a malformed %-escape");
    form.parts.push_back(FormPart{std::move(*name), std::nullopt, "", std::move(*value)});
  }
  return form;
}

Result<Form> ParseForm(std::string_view content_type, std::string_view body, const FormLimits& limits) {
  const std::string type = MediaType(content_type);
  if (type == "multipart/form-data") return ParseMultipart(content_type, body, limits);
  if (type == "application/x-www-form-urlencoded") return ParseUrlEncoded(body, limits);
  return Error{"unsupported_media_type", "send the form as multipart/form-data or application/x-www-form-urlencoded"};
}

}  // namespace jobzen::api
