// Plain HTTP request/response values exchanged between the Beast server (server.cpp) and the
// service (service.hpp), so that handlers compile without Beast or Asio.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace jobzen::api {

// One request as the server read it. Only the headers the service uses are kept.
struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // path and query, as sent
  std::string content_type;  // Content-Type, as sent ("" when absent)
  std::string api_key;       // X-JobZen-Key, else X-JobZen.io-Key ("" when absent)
  std::string request_id;    // X-Request-Id, as sent (checked by the service)
  std::string remote_ip;     // peer address, for the rate limit of unauthenticated calls
  std::string idempotency_key;  // Idempotency-Key, as sent
  std::string cookie;           // Cookie, as sent (candidate pages: CSRF cookie)
  std::string accept_language;  // Accept-Language, as sent (candidate pages)
  std::string host;             // Host, as sent (links when no public URL is configured)
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;
  bool close = false;  // close the connection after this response
};

}  // namespace jobzen::api
