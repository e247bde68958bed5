// TlsTestServer: Asio SSL, synchronous accept loop on a thread; stopped by a self-connection.
#include "tls_test_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <stdexcept>
#include <thread>

namespace jobzen::testing {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct TlsTestServer::Impl {
  asio::io_context ioc;
  ssl::context ctx{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<std::string, TlsRoute> routes;
  std::map<std::string, std::deque<TlsRoute>> once;
  std::vector<TlsRequest> requests;

  // Method, path and lower-cased headers of the head; the body is read by the caller.
  static TlsRequest ParseHead(const std::string& head) {
    TlsRequest r;
    const std::size_t sp1 = head.find(' ');
    const std::size_t sp2 = head.find(' ', sp1 + 1);
    r.method = head.substr(0, sp1);
    r.path = head.substr(sp1 + 1, sp2 - sp1 - 1);
    for (std::size_t at = head.find("\r\n"); at != std::string::npos && at + 2 < head.size();) {
      const std::size_t next = head.find("\r\n", at + 2);
      const std::string line = head.substr(at + 2, next - at - 2);
      at = next;
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const std::size_t value = line.find_first_not_of(' ', colon + 1);
      r.headers[name] = value == std::string::npos ? "" : line.substr(value);
    }
    return r;
  }

  // The answer for a request (a queued one-shot first), recording the request.
  TlsRoute Answer(TlsRequest request) {
    std::lock_guard lock(mu);
    TlsRoute route{404, "text/plain", "not found", "", 0};
    if (auto q = once.find(request.path); q != once.end() && !q->second.empty()) {
      route = q->second.front();
      q->second.pop_front();
    } else if (auto it = routes.find(request.path); it != routes.end()) {
      route = it->second;
    }
    requests.push_back(std::move(request));
    return route;
  }

  void Serve(tcp::socket socket) {
    boost::system::error_code ec;
    ssl::stream<tcp::socket> stream(std::move(socket), ctx);
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) return;
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      const std::size_t n = stream.read_some(asio::buffer(buf), ec);
      if (ec) return;
      request.append(buf, n);
    }
    const std::size_t head_end = request.find("\r\n\r\n");
    if (head_end == std::string::npos) return;
    TlsRequest parsed = ParseHead(request.substr(0, head_end));
    parsed.body = request.substr(head_end + 4);
    const auto length = parsed.headers.find("content-length");
    const std::size_t want = length == parsed.headers.end() ? 0 : std::strtoul(length->second.c_str(), nullptr, 10);
    while (parsed.body.size() < want && parsed.body.size() < (1u << 20)) {
      const std::size_t n = stream.read_some(asio::buffer(buf), ec);
      if (ec) return;
      parsed.body.append(buf, n);
    }
    const TlsRoute route = Answer(std::move(parsed));
    if (route.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(route.delay_ms));
    std::string response = "HTTP/1.1 " + std::to_string(route.status) + " X\r\nConnection: close\r\n";
    if (!route.content_type.empty()) response += "Content-Type: " + route.content_type + "\r\n";
    if (!route.location.empty()) response += "Location: " + route.location + "\r\n";
    response += "Content-Length: " + std::to_string(route.body.size()) + "\r\n\r\n" + route.body;
    asio::write(stream, asio::buffer(response), ec);
    stream.shutdown(ec);
  }
};

TlsTestServer::TlsTestServer(const std::filesystem::path& dir, int port) : impl_(std::make_unique<Impl>()), dir_(dir) {
  const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
                          "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
                          (dir / "key.pem").string() + "' -out '" + (dir / "cert.pem").string() + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed (is the openssl command installed?)");
  impl_->ctx.use_certificate_chain_file((dir / "cert.pem").string());
  impl_->ctx.use_private_key_file((dir / "key.pem").string(), ssl::context::pem);
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->thread = std::thread([impl = impl_.get()] {
    while (!impl->stop) {
      boost::system::error_code ec;
      tcp::socket socket(impl->ioc);
      impl->acceptor.accept(socket, ec);
      if (ec || impl->stop) continue;
      impl->Serve(std::move(socket));
    }
  });
}

TlsTestServer::~TlsTestServer() {
  impl_->stop = true;
  try {
    asio::io_context ioc;
    tcp::socket s(ioc);
    boost::system::error_code ec;
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)), ec);
  } catch (...) {
  }
  impl_->thread.join();
}

void TlsTestServer::Route(const std::string& path, TlsRoute route) {
  std::lock_guard lock(impl_->mu);
  impl_->routes[path] = std::move(route);
}

void TlsTestServer::RouteOnce(const std::string& path, TlsRoute route) {
  std::lock_guard lock(impl_->mu);
  impl_->once[path].push_back(std::move(route));
}

std::vector<TlsRequest> TlsTestServer::Requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->requests;
}

}  // namespace jobzen::testing
