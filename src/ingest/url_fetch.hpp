// cv_url: fetches a CV over HTTPS with a timeout, a size cap, a redirect limit, and refusal of
// private, loopback, link-local and other non-public destinations, checked on the addresses
// that DNS returns (which are then pinned, so the connection goes where we checked), on the
// socket actually opened, and again on every redirect hop. The content stays in memory; it is
// never written to disk or logs, and error details never quote it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/result.hpp"

struct sockaddr;

namespace jobzen::ingest {

struct UrlFetchOptions {
  std::chrono::milliseconds timeout{10000};         // whole fetch, all redirect hops included
  std::chrono::milliseconds connect_timeout{5000};
  std::size_t max_bytes = 10 * 1024 * 1024;         // body size cap
  int max_redirects = 3;
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

// True for a globally routable unicast address; false for loopback, private (RFC 1918, ULA),
// link-local, CGNAT, multicast, documentation, benchmarking, reserved, unspecified, and
// IPv4-mapped/NAT64/6to4 forms of those.
bool IsPublicAddress(const sockaddr* address);
// The same for a numeric address ("10.0.0.1", "::1"); false when not numeric.
bool IsPublicAddress(std::string_view numeric);

}  // namespace jobzen::ingest
