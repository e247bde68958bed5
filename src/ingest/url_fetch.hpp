// cv_url: fetches a CV over HTTPS with a timeout, a size cap, a redirect limit, and refusal of
// private, loopback, link-local and other non-public destinations, checked on the addresses
// that DNS returns (which are then pinned, so the connection goes where we checked), on the
// socket actually opened, and again on every redirect hop. The content stays in memory; it is
// never written to disk or logs, and error details never quote it. PostUrl sends a body to a
// destination under the same rules (webhook delivery); CheckDestination applies them without
// connecting (validating a webhook URL when it is set).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/result.hpp"

struct sockaddr;

namespace jobzen::ingest {

struct UrlFetchOptions {
  std::chrono::milliseconds timeout{10000};         // whole fetch, all redirect hops included
  std::chrono::milliseconds connect_timeout{5000};
  std::size_t max_bytes = 10 * 1024 * 1024;         // body size cap (PostUrl: response bytes read)
  int max_redirects = 3;                            // FetchUrl only: PostUrl never follows one
  bool allow_private = false;  // tests only: allow loopback/private destinations
  std::string ca_file;         // PEM bundle to trust instead of the system store ("" = system)
};

enum class DocumentKind { kPdf, kText };

struct FetchedDocument {
  std::string bytes;
  DocumentKind kind = DocumentKind::kText;
};

// Fetches an https:// URL. The kind comes from Content-Type: application/pdf -> PDF, text/* ->
// text, application/octet-stream or none -> sniffed (%PDF- signature); anything else is
// "cv_unreadable". Other errors: "cv_url_forbidden" (not https, malformed, credentials in the
// URL, a non-public destination, too many redirects), "cv_url_unreachable" (DNS, connection,
// TLS, timeout, HTTP status >= 400), "payload_too_large" (over max_bytes).
// Thread-safe; blocks the calling thread for at most about timeout (plus DNS resolution).
Result<FetchedDocument> FetchUrl(std::string_view url, const UrlFetchOptions& options);

// The answer to a POST: any HTTP status (a 3xx too, since redirects are not followed) and the
// time from the start of the connection to the end of the response.
struct PostResult {
  int status_code = 0;
  std::chrono::microseconds latency{0};
};

// Extra request headers, "name" -> "value" (no CR or LF in either).
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// POSTs `body` to an https:// URL with `headers`, under FetchUrl's destination rules: https
// only, no credentials, every resolved address checked (refused when non-public unless
// options.allow_private) and the connection pinned to the checked one, TLS verified
// (options.ca_file), all within options.timeout. Redirects are not followed. The response body
// is read up to options.max_bytes and discarded (more is cut off without error), never kept or
// logged. Errors: "destination_forbidden" (not https, malformed, credentials, non-public
// address), "destination_unreachable" (DNS, connection, TLS, timeout), "invalid_argument" (a
// header with a line break). Details name the URL "url" and never quote the body.
// Thread-safe; blocks the calling thread for at most about timeout (plus DNS resolution).
Result<PostResult> PostUrl(std::string_view url, const HeaderList& headers, std::string_view body,
                           const UrlFetchOptions& options);

// Where a checked URL would connect: the host and port it names and the first address DNS gave.
struct Destination {
  std::string host;
  std::string port;
  std::string address;  // numeric
};

// Applies PostUrl's destination rules without connecting: parses the URL (https, no
// credentials), resolves the host and checks every address. Errors as PostUrl's
// ("destination_forbidden", "destination_unreachable" when the name does not resolve); the
// details are fit to show to whoever gave the URL. A later PostUrl checks again (DNS changes).
Result<Destination> CheckDestination(std::string_view url, const UrlFetchOptions& options);

// True for a globally routable unicast address; false for loopback, private (RFC 1918, ULA),
// link-local, CGNAT, multicast, documentation, benchmarking, reserved, unspecified, and
// IPv4-mapped/NAT64/6to4 forms of those.
bool IsPublicAddress(const sockaddr* address);
// The same for a numeric address ("10.0.0.1", "::1"); false when not numeric.
bool IsPublicAddress(std::string_view numeric);

}  // namespace jobzen::ingest
