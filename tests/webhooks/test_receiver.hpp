// Helpers for tests against the local HTTPS test receiver (tests/api's TlsTestServer): the
// options that reach it, a receiver's signature check of a recorded request, and waiting.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>
#include <thread>

#include "ingest/url_fetch.hpp"
#include "tls_test_server.hpp"
#include "webhooks/signature.hpp"
#include "webhooks/utc_time.hpp"

namespace jobzen::testing {

// Loopback allowed (the receiver listens on 127.0.0.1), its self-signed certificate trusted,
// a 3 s timeout; otherwise `base`'s settings.
inline ingest::UrlFetchOptions ReceiverOptions(const TlsTestServer& receiver, ingest::UrlFetchOptions base = {}) {
  base.allow_private = true;
  base.ca_file = receiver.ca_file();
  base.timeout = std::chrono::milliseconds(3000);
  return base;
}

// What a receiver does with a request: the Standard Webhooks check against `secret`, now.
inline Result<webhooks::Verified> VerifyRequest(std::string_view secret, const TlsRequest& r) {
  const auto header = [&](const char* name) -> std::string_view {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string_view{} : std::string_view(it->second);
  };
  return webhooks::Verify(secret, {header("webhook-id"), header("webhook-timestamp"), header("webhook-signature")},
                          r.body, webhooks::NowUnixMs() / 1000);
}

// Polls `done` every 5 ms until it holds (true) or `timeout` passes (false).
inline bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace jobzen::testing
