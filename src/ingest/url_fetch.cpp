// cv_url fetching and webhook POSTs through libcurl, one hop at a time: parse, resolve, check,
// pin, connect (re-checked in the open-socket callback); FetchUrl follows a redirect by starting
// over, PostUrl never does.
#include "ingest/url_fetch.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "ingest/pdf.hpp"

namespace jobzen::ingest {

namespace {

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct CurlStrDeleter {
  void operator()(char* s) const { curl_free(s); }
};
struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { freeaddrinfo(a); }
};
using CurlStr = std::unique_ptr<char, CurlStrDeleter>;

// How errors and their details name the URL and the exchange: cv_url for FetchUrl, a generic
// destination for PostUrl and CheckDestination (their callers show the detail to a partner).
struct Labels {
  std::string_view forbidden;    // error code of a refused URL or destination
  std::string_view unreachable;  // error code of a failed exchange
  std::string_view noun;         // "cv_url": "<noun> must use https://"
  std::string_view action;       // "fetching cv_url": "<action> timed out"
};
constexpr Labels kCvUrl{"cv_url_forbidden", "cv_url_unreachable", "cv_url", "fetching cv_url"};
constexpr Labels kPost{"destination_forbidden", "destination_unreachable", "url", "the request"};

std::string Cat(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string s(a);
  s.append(b).append(c);
  return s;
}
Error Forbidden(const Labels& l, std::string detail) { return Error{std::string(l.forbidden), std::move(detail)}; }
Error Unreachable(const Labels& l, std::string detail) { return Error{std::string(l.unreachable), std::move(detail)}; }
// FetchUrl only: PostUrl counts the response and discards it.
Error TooLarge() { return Error{"payload_too_large", "the cv_url document is over the size limit"}; }
Error NonPublic(const Labels& l) {
  return Forbidden(l, Cat(l.noun, " points to a private, loopback or otherwise non-public address"));
}

bool InV4(std::uint32_t a, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

bool IsPublicV4(std::uint32_t a) {  // host byte order
  struct Range {
    std::uint32_t net;
    int bits;
  };
  static constexpr Range kBlocked[] = {
      {0x00000000, 8},  {0x0A000000, 8},  {0x64400000, 10}, {0x7F000000, 8},  {0xA9FE0000, 16},
      {0xAC100000, 12}, {0xC0000000, 24}, {0xC0000200, 24}, {0xC0586300, 24}, {0xC0A80000, 16},
      {0xC6120000, 15}, {0xC6336400, 24}, {0xCB007100, 24}, {0xE0000000, 4},  {0xF0000000, 4},
  };
  for (const Range& r : kBlocked) {
    if (InV4(a, r.net, r.bits)) return false;
  }
  return true;
}

bool IsPublicV6(const unsigned char* b) {
  static constexpr unsigned char kZero[16] = {};
  const auto v4_at = [&](int offset) {
    return (std::uint32_t{b[offset]} << 24) | (std::uint32_t{b[offset + 1]} << 16) | (std::uint32_t{b[offset + 2]} << 8) |
           std::uint32_t{b[offset + 3]};
  };
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return false;  // :: and ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judge the IPv4 address.
  if (std::memcmp(b, kZero, 10) == 0 && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0))) {
    return IsPublicV4(v4_at(12));
  }
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return IsPublicV4(v4_at(12));  // 64:ff9b::/96
  if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(v4_at(2));                                 // 2002::/16 6to4
  if ((b[0] & 0xfe) == 0xfc) return false;                                                       // fc00::/7 ULA
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;                                       // fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;                                       // fec0::/10
  if (b[0] == 0xff) return false;                                                                // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;                // documentation
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return false;                // Teredo
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, kZero, 6) == 0) return false;           // 100::/64 discard
  return (b[0] & 0xe0) == 0x20;  // only 2000::/3 is global unicast
}

struct Hop {
  std::string scheme, host, port;
};

Result<Hop> ParseUrl(const std::string& url, const Labels& l) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return Error{"internal_error", "curl_url failed"};
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return Forbidden(l, Cat(l.noun, " is not a valid absolute URL"));
  }
  Hop hop;
  auto get = [&](CURLUPart part, std::string* out, unsigned flags) {
    char* raw = nullptr;
    if (curl_url_get(u.get(), part, &raw, flags) != CURLUE_OK || raw == nullptr) return false;
    CurlStr s(raw);
    *out = s.get();
    return true;
  };
  if (!get(CURLUPART_SCHEME, &hop.scheme, 0)) return Forbidden(l, Cat(l.noun, " has no scheme"));
  std::transform(hop.scheme.begin(), hop.scheme.end(), hop.scheme.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  if (hop.scheme != "https") return Forbidden(l, Cat(l.noun, " must use https://"));
  std::string user;
  if (get(CURLUPART_USER, &user, 0) && !user.empty()) return Forbidden(l, Cat(l.noun, " must not contain credentials"));
  if (!get(CURLUPART_HOST, &hop.host, 0) || hop.host.empty()) return Forbidden(l, Cat(l.noun, " has no host"));
  if (!get(CURLUPART_PORT, &hop.port, CURLU_DEFAULT_PORT)) hop.port = "443";
  if (hop.host.size() > 2 && hop.host.front() == '[' && hop.host.back() == ']') {
    hop.host = hop.host.substr(1, hop.host.size() - 2);
    // A zone id ("fe80::1%eth0") is link-local by definition.
    if (hop.host.find('%') != std::string::npos) return Forbidden(l, Cat(l.noun, " points to a non-public address"));
  }
  return hop;
}

std::string NumericHost(const sockaddr* sa) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf.data(), buf.size());
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf.data(), buf.size());
  }
  return buf.data();
}

// What the open-socket callback checks: the address curl connects to is the pinned one, and
// allowed.
struct SocketGuard {
  bool allow_private = false;
  std::string pinned;   // numeric address we resolved and checked
  bool refused = false;
};

curl_socket_t OpenSocket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* guard = static_cast<SocketGuard*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const sockaddr* sa = &address->addr;
  if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  if ((!guard->allow_private && !IsPublicAddress(sa)) || NumericHost(sa) != guard->pinned) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// Collects the response body up to max_bytes; with `keep` false only counts it (PostUrl).
struct Sink {
  std::string* out;
  std::size_t max_bytes;
  bool keep = true;
  std::size_t seen = 0;
  bool too_large = false;
};

std::size_t Write(char* data, std::size_t size, std::size_t n, void* userp) {
  auto* sink = static_cast<Sink*>(userp);
  const std::size_t bytes = size * n;
  sink->seen += bytes;
  if (sink->seen > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  if (sink->keep) sink->out->append(data, bytes);
  return bytes;
}

Error FromCurl(CURLcode rc, const Labels& l) {
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: return Unreachable(l, Cat(l.action, " timed out"));
    case CURLE_COULDNT_CONNECT: return Unreachable(l, Cat("could not connect to the ", l.noun, " host"));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR: return Unreachable(l, Cat("TLS connection to the ", l.noun, " host failed"));
    case CURLE_FILESIZE_EXCEEDED: return TooLarge();
    case CURLE_UNSUPPORTED_PROTOCOL: return Forbidden(l, Cat(l.noun, " must use https://"));
    default: return Unreachable(l, Cat(l.action, " failed"));
  }
}

// Resolves the host ourselves and checks every address: a name with one private address is
// refused (DNS answers can be chosen by whoever controls the name). Returns the address to pin.
Result<std::string> ResolveChecked(const Hop& hop, const UrlFetchOptions& options, const Labels& l) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  if (getaddrinfo(hop.host.c_str(), hop.port.c_str(), &hints, &raw) != 0 || raw == nullptr) {
    return Unreachable(l, Cat("the ", l.noun, " host could not be resolved"));
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(raw);
  std::string pinned;
  for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    if (!options.allow_private && !IsPublicAddress(a->ai_addr)) return NonPublic(l);
    if (pinned.empty()) pinned = NumericHost(a->ai_addr);
  }
  if (pinned.empty()) return Unreachable(l, Cat("the ", l.noun, " host could not be resolved"));
  return pinned;
}

// One HTTPS exchange with a checked and pinned destination. It owns the curl handle and all
// that the handle's callbacks and options point to, so it is neither copied nor moved.
struct Exchange {
  Exchange() = default;
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  std::string url;
  std::unique_ptr<CURL, EasyDeleter> curl;
  std::unique_ptr<curl_slist, SlistDeleter> resolve;
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  SocketGuard guard;
  std::string body;
  Sink sink{&body, 0};
};

using Clock = std::chrono::steady_clock;

void InitCurlOnce() {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Parses, resolves, checks and pins one URL, and sets up a handle for it: https only, no
// redirect following, TLS 1.2+ verified, the time left until `deadline`, the body sink (kept or
// only counted).
Result<std::unique_ptr<Exchange>> Prepare(const std::string& url, const UrlFetchOptions& options,
                                          Clock::time_point deadline, const Labels& l, bool keep_body,
                                          const char* user_agent) {
  auto hop = ParseUrl(url, l);
  if (!hop) return hop.error();
  auto pinned = ResolveChecked(*hop, options, l);
  if (!pinned) return pinned.error();
  auto x = std::make_unique<Exchange>();
  x->url = url;
  x->curl.reset(curl_easy_init());
  if (!x->curl) return Error{"internal_error", "curl_easy_init failed"};
  CURL* c = x->curl.get();
  // Pin the name to the checked address, so curl does not resolve it again.
  const bool v6 = pinned->find(':') != std::string::npos;
  const std::string pin = hop->host + ":" + hop->port + ":" + (v6 ? "[" + *pinned + "]" : *pinned);
  x->resolve.reset(curl_slist_append(nullptr, pin.c_str()));
  x->guard = SocketGuard{options.allow_private, *pinned, false};
  x->sink = Sink{&x->body, options.max_bytes, keep_body};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return Unreachable(l, Cat(l.action, " timed out"));
  curl_easy_setopt(c, CURLOPT_URL, x->url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_RESOLVE, x->resolve.get());
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &x->guard);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  // A kept body is capped up front from Content-Length too; a counted one is just cut off.
  if (keep_body) curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x->sink);
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  return x;
}

// Runs the exchange; returns the HTTP status. A counted (not kept) body over the cap only
// ends the transfer early: the status already arrived.
Result<long> Perform(Exchange& x, const Labels& l) {
  const CURLcode rc = curl_easy_perform(x.curl.get());
  if (x.guard.refused) return NonPublic(l);
  if (x.sink.too_large) {
    if (x.sink.keep) return TooLarge();
  } else if (rc != CURLE_OK) {
    return FromCurl(rc, l);
  }
  long status = 0;
  curl_easy_getinfo(x.curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The document kind from Content-Type (sniffed when absent or generic), "cv_unreadable" else.
Result<DocumentKind> KindOf(Exchange& x) {
  char* type_raw = nullptr;
  curl_easy_getinfo(x.curl.get(), CURLINFO_CONTENT_TYPE, &type_raw);
  std::string type = type_raw != nullptr ? type_raw : "";
  type = type.substr(0, type.find(';'));
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  if (type == "application/pdf" || type == "application/x-pdf") return DocumentKind::kPdf;
  if (type.rfind("text/", 0) == 0) return DocumentKind::kText;
  if (type.empty() || type == "application/octet-stream" || type == "binary/octet-stream") {
    return LooksLikePdf(x.body) ? DocumentKind::kPdf : DocumentKind::kText;
  }
  return Error{"cv_unreadable", "the cv_url document type is neither PDF nor text"};
}

// Sets the POST body and headers. The body is not copied: it must outlive the perform.
Result<bool> SetPost(Exchange& x, const HeaderList& headers, std::string_view body) {
  const auto has_break = [](std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; };
  // "Expect:" turns off curl's 100-continue wait, which costs a round trip or a second.
  std::vector<std::string> lines{"Expect:"};
  for (const auto& [name, value] : headers) {
    if (name.empty() || has_break(name) || has_break(value)) {
      return Error{"invalid_argument", "a request header is empty or has a line break"};
    }
    lines.push_back(name + ": " + value);
  }
  for (const std::string& line : lines) {
    curl_slist* head = curl_slist_append(x.headers.get(), line.c_str());
    if (head == nullptr) return Error{"internal_error", "curl_slist_append failed"};
    (void)x.headers.release();  // curl_slist_append returned the same list, or a new first node
    x.headers.reset(head);
  }
  CURL* c = x.curl.get();
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, x.headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  return true;
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    return IsPublicV4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    return IsPublicV6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr.s6_addr);
  }
  return false;
}

bool IsPublicAddress(std::string_view numeric) {
  const std::string s(numeric);
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET, s.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&v4));
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&v6));
  }
  return false;
}

Result<FetchedDocument> FetchUrl(std::string_view url_in, const UrlFetchOptions& options) {
  InitCurlOnce();
  const auto deadline = Clock::now() + options.timeout;
  std::string url(url_in);
  for (int hop_index = 0;; ++hop_index) {
    auto x = Prepare(url, options, deadline, kCvUrl, true, "JobZen-cv_url/1");
    if (!x) return x.error();
    auto status = Perform(**x, kCvUrl);
    if (!status) return status.error();
    if (IsRedirect(*status)) {
      char* location = nullptr;
      curl_easy_getinfo((*x)->curl.get(), CURLINFO_REDIRECT_URL, &location);
      if (location == nullptr) return Unreachable(kCvUrl, "cv_url redirected without a location");
      if (hop_index >= options.max_redirects) return Forbidden(kCvUrl, "cv_url redirected too many times");
      url = location;  // checked like the first URL on the next turn
      continue;
    }
    if (*status < 200 || *status >= 300) {
      return Unreachable(kCvUrl, "the cv_url host answered HTTP " + std::to_string(*status));
    }
    auto kind = KindOf(**x);
    if (!kind) return kind.error();
    return FetchedDocument{std::move((*x)->body), *kind};
  }
}

Result<PostResult> PostUrl(std::string_view url, const HeaderList& headers, std::string_view body,
                           const UrlFetchOptions& options) {
  InitCurlOnce();
  auto x = Prepare(std::string(url), options, Clock::now() + options.timeout, kPost, false, "JobZen/1");
  if (!x) return x.error();
  if (auto set = SetPost(**x, headers, body); !set) return set.error();
  auto status = Perform(**x, kPost);
  if (!status) return status.error();
  curl_off_t total_us = 0;
  curl_easy_getinfo((*x)->curl.get(), CURLINFO_TOTAL_TIME_T, &total_us);
  return PostResult{static_cast<int>(*status), std::chrono::microseconds(total_us)};
}

Result<Destination> CheckDestination(std::string_view url, const UrlFetchOptions& options) {
  InitCurlOnce();
  auto hop = ParseUrl(std::string(url), kPost);
  if (!hop) return hop.error();
  auto address = ResolveChecked(*hop, options, kPost);
  if (!address) return address.error();
  return Destination{hop->host, hop->port, *address};
}

}  // namespace jobzen::ingest
