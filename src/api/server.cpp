// Beast/Asio server: a listener, one Session per connection (on its own strand), an
// asio::thread_pool for engine work, a usage flusher thread and the shutdown sequence.
// Timeouts: the next request's headers must arrive within idle_timeout, its body within
// read_timeout, and the response must be written within write_timeout, so a slow client can
// hold a connection for a bounded time only.
#include "api/server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/http_types.hpp"
#include "api/service.hpp"

namespace jobzen::api {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// State shared by the listener and every session.
struct Shared {
  Shared(const ServerConfig& c, Service& s, asio::thread_pool& p) : config(c), service(s), pool(p) {}
  const ServerConfig& config;
  Service& service;
  asio::thread_pool& pool;
  std::atomic<bool> draining{false};
  std::mutex mu;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
  std::atomic<std::size_t> count{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    shared_.count.fetch_add(1);
  }
  ~Session() {
    {
      std::lock_guard lock(shared_.mu);
      shared_.sessions.erase(this);
    }
    shared_.count.fetch_sub(1);
  }

  void Start() {
    {
      std::lock_guard lock(shared_.mu);
      shared_.sessions.emplace(this, weak_from_this());
    }
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // Shutdown: an idle connection is closed now; a busy one after its response.
  void Drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->CloseNow();
    });
  }

 private:
  void ReadHeader() {
    busy_ = false;
    if (shared_.draining) return CloseNow();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.config.max_header_bytes));
    parser_->body_limit(shared_.config.max_body_bytes);
    stream_.expires_after(shared_.config.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    const auto& req = parser_->get();
    if (const auto length = parser_->content_length(); length && *length > shared_.config.max_body_bytes) {
      return Reject("payload_too_large",
                    "the request body is over " + std::to_string(shared_.config.max_body_bytes) + " bytes");
    }
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
      stream_.expires_after(shared_.config.write_timeout);
      return http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
        if (wec) return self->CloseNow();
        self->ReadBody();
      });
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(shared_.config.read_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    stream_.expires_never();  // processing time is ours; the write has its own deadline
    http::request<http::string_body> req = parser_->release();
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    HttpRequest r = Convert(std::move(req));
    if (shared_.service.IsCompute(r)) {
      asio::post(shared_.pool, [self = shared_from_this(), r = std::move(r)]() mutable {
        HttpResponse response = self->shared_.service.Handle(r);
        r = HttpRequest{};  // the CV leaves memory before the response is written
        asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
          self->Write(std::move(response));
        });
      });
      return;
    }
    Write(shared_.service.Handle(r));
  }

  void OnReadError(beast::error_code ec) {
    busy_ = true;
    if (ec == http::error::header_limit) {
      return Reject("headers_too_large", "the request headers are over " +
                                             std::to_string(shared_.config.max_header_bytes) + " bytes");
    }
    if (ec == http::error::body_limit) {
      return Reject("payload_too_large",
                    "the request body is over " + std::to_string(shared_.config.max_body_bytes) + " bytes");
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      return Reject("bad_request", "the request is not valid HTTP/1.1");
    }
    // EOF, reset, timeout (a slow or idle client): close without a response.
    CloseNow();
  }

  HttpRequest Convert(http::request<http::string_body>&& req) const {
    HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.content_type = std::string(req[http::field::content_type]);
    r.api_key = std::string(req["X-JobZen-Key"]);
    if (r.api_key.empty()) r.api_key = std::string(req["X-JobZen.io-Key"]);
    r.request_id = std::string(req["X-Request-Id"]);
    r.remote_ip = remote_;
    r.idempotency_key = std::string(req["Idempotency-Key"]);
    r.cookie = std::string(req[http::field::cookie]);
    r.accept_language = std::string(req[http::field::accept_language]);
    r.host = std::string(req[http::field::host]);
    r.body = std::move(req.body());
    return r;
  }

  // Answers a request that was not read whole, then closes the connection.
  void Reject(const std::string& code, const std::string& detail) {
    HttpRequest partial;
    if (parser_) {
      const auto& h = parser_->get();
      partial.method = std::string(h.method_string());
      partial.target = std::string(h.target());
      partial.request_id = std::string(h["X-Request-Id"]);
      version_ = h.version() == 0 ? 11 : h.version();
    }
    partial.remote_ip = remote_;
    keep_alive_ = false;
    Write(shared_.service.Reject(partial, code, detail));
  }

  void Write(HttpResponse response) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status),
                                                                   version_ == 0 ? 11 : version_);
    res->set(http::field::server, "jobzen");
    res->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res->set(name, value);
    res->body() = std::move(response.body);
    const bool close = response.close || !keep_alive_ || shared_.draining;
    res->keep_alive(!close);
    res->prepare_payload();
    stream_.expires_after(shared_.config.write_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res, close](beast::error_code ec, std::size_t) {
      if (ec) return self->CloseNow();
      if (close) return self->CloseGracefully();
      self->ReadHeader();
    });
  }

  // Half-closes, then discards what the client still sends for a moment, so that a client
  // still uploading an oversized body reads our response instead of a connection reset.
  void CloseGracefully() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    Discard();
  }

  void Discard() {
    stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->CloseNow();
      self->Discard();
    });
  }

  void CloseNow() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::array<char, 16384> discard_{};
  std::string remote_;
  bool busy_ = false;
  bool keep_alive_ = true;
  unsigned version_ = 11;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, tcp::acceptor&& acceptor, Shared& shared)
      : ioc_(ioc), acceptor_(std::move(acceptor)), shared_(shared) {}

  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void Stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      if (shared_.count.load() >= shared_.config.max_connections || shared_.draining) {
        socket.close(ec);
      } else {
        beast::error_code nd;
        socket.set_option(tcp::no_delay(true), nd);
        std::make_shared<Session>(std::move(socket), shared_)->Start();
      }
    }
    Accept();
  }

  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  Shared& shared_;
};

void WritePortFile(const std::string& path, unsigned short port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
}

}  // namespace

Result<int> RunServer(const ServerConfig& config, Service& service) {
  std::signal(SIGPIPE, SIG_IGN);
  // Declaration order is destruction order reversed: handlers still queued in the io_context
  // hold sessions, whose destructors use `shared`, so the io_context goes first.
  asio::thread_pool pool(std::max(1u, config.workers));
  Shared shared(config, service, pool);
  asio::io_context ioc(static_cast<int>(std::max(1u, config.io_threads)));
  beast::error_code ec;
  const auto address = asio::ip::make_address(config.host, ec);
  if (ec) return Error{"listen_failed", "--listen needs a numeric address (127.0.0.1, 0.0.0.0, ::1)"};
  tcp::acceptor acceptor(ioc);
  const tcp::endpoint endpoint(address, config.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error{"listen_failed", "cannot listen on " + config.host + ":" + std::to_string(config.port) + ": " + ec.message()};
  }
  const unsigned short port = acceptor.local_endpoint().port();

  auto listener = std::make_shared<Listener>(ioc, std::move(acceptor), shared);
  listener->Accept();

  std::mutex mu;
  std::condition_variable cv;
  bool stop_requested = false;
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code sec, int) {
    if (sec) return;
    std::lock_guard lock(mu);
    stop_requested = true;
    cv.notify_all();
  });

  auto guard = asio::make_work_guard(ioc);
  std::vector<std::thread> io_threads;
  for (unsigned i = 0; i < std::max(1u, config.io_threads); ++i) io_threads.emplace_back([&] { ioc.run(); });

  // Usage counters reach the database once a second, off the request path.
  std::thread flusher([&] {
    std::unique_lock lock(mu);
    while (!stop_requested) {
      cv.wait_for(lock, std::chrono::seconds(1));
      lock.unlock();
      (void)service.FlushUsage();
      lock.lock();
    }
  });

  std::cerr << "jobzen: listening on " << config.host << ":" << port << std::endl;
  if (!config.port_file.empty()) WritePortFile(config.port_file, port);

  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return stop_requested; });
  }
  std::cerr << "jobzen: shutting down, draining requests in flight" << std::endl;
  service.SetDraining();
  shared.draining = true;
  listener->Stop();
  {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.mu);
      for (auto& [ptr, weak] : shared.sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->Drain();
  }
  const auto deadline = std::chrono::steady_clock::now() + config.shutdown_timeout;
  while (shared.count.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::size_t abandoned = shared.count.load();
  guard.reset();
  ioc.stop();
  for (auto& t : io_threads) t.join();
  pool.join();
  flusher.join();
  (void)service.FlushUsage();
  if (abandoned > 0) std::cerr << "jobzen: shutdown timeout, " << abandoned << " connection(s) cut" << std::endl;
  std::cerr << "jobzen: stopped" << std::endl;
  return 0;
}

}  // namespace jobzen::api
