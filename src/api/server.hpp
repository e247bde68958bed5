// The HTTP/1.1 server of `jobzen serve`: Boost.Beast over Asio, keep-alive, a pool of I/O
// threads, engine work on a separate worker pool (results posted back to the connection),
// header and body size limits, idle/read/write timeouts, and a graceful shutdown on SIGTERM
// or SIGINT that stops accepting, closes idle connections and drains requests in flight.
// Beast and Asio stay inside server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "engine/result.hpp"

namespace jobzen::api {

class Service;

struct ServerConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;                        // 0: an ephemeral port (see port_file)
  unsigned io_threads = 2;                           // threads running the sockets
  unsigned workers = 2;                              // threads running engine work
  std::size_t max_header_bytes = 16 * 1024;          // request line and headers
  std::size_t max_body_bytes = 15 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{15000};     // wait for (the headers of) the next request
  std::chrono::milliseconds read_timeout{30000};     // read a request body
  std::chrono::milliseconds write_timeout{30000};    // write a response
  std::chrono::milliseconds shutdown_timeout{30000}; // drain in-flight requests on SIGTERM/SIGINT
  std::size_t max_connections = 4096;                // further connections are closed at once
  std::string port_file;                             // when set, the bound port is written there
};

// Serves until SIGTERM or SIGINT, then drains and returns. Errors: "listen_failed" (address in
// use, bad host). Writes "listening on HOST:PORT" on stderr once bound.
Result<int> RunServer(const ServerConfig& config, Service& service);

}  // namespace jobzen::api
