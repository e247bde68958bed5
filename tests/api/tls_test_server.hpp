// A tiny HTTPS server for tests: a self-signed certificate made with the openssl command line
// (SAN localhost and 127.0.0.1), fixed routes, one connection at a time on its own thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace jobzen::testing {

struct TlsRoute {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string location;  // for redirects
  int delay_ms = 0;      // wait before answering
};

class TlsTestServer {
 public:
  // Writes cert.pem and key.pem into dir and listens on 127.0.0.1 (ephemeral port).
  explicit TlsTestServer(const std::filesystem::path& dir);
  ~TlsTestServer();
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  void Route(const std::string& path, TlsRoute route);
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
