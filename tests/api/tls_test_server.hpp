// A tiny HTTPS server for tests: a self-signed certificate made with the openssl command line
// (SAN localhost and 127.0.0.1), fixed routes (and one-shot answers queued before them), one
// connection at a time on its own thread; requests are recorded with their headers and body.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace jobzen::testing {

struct TlsRoute {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string location;  // for redirects
  int delay_ms = 0;      // wait before answering
};

// A request as received: method, path, headers (lower-case names) and the body (read by
// Content-Length).
struct TlsRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
};

class TlsTestServer {
 public:
  // Writes cert.pem and key.pem into dir and listens on 127.0.0.1, on `port` (0: ephemeral;
  // a fixed one lets a test bring a receiver back up where it was).
  explicit TlsTestServer(const std::filesystem::path& dir, int port = 0);
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  void Route(const std::string& path, TlsRoute route);
  // Answers the next request for `path` with `route` once; queued answers go first, in order.
  void RouteOnce(const std::string& path, TlsRoute route);
  // Every request received so far, in order.
  std::vector<TlsRequest> Requests() const;
  int port() const { return port_; }
  std::string ca_file() const { return (dir_ / "cert.pem").string(); }
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(port_) + path;
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::filesystem::path dir_;
  int port_ = 0;
};

}  // namespace jobzen::testing
