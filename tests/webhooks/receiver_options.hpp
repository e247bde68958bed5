// Request options that reach the local HTTPS test receiver (tests/api's TlsTestServer).
#pragma once

#include <chrono>

#include "ingest/url_fetch.hpp"
#include "tls_test_server.hpp"

namespace jobzen::testing {

// Loopback allowed (the receiver listens on 127.0.0.1), its self-signed certificate trusted,
// a 3 s timeout; otherwise `base`'s settings.
inline ingest::UrlFetchOptions ReceiverOptions(const TlsTestServer& receiver, ingest::UrlFetchOptions base = {}) {
  base.allow_private = true;
  base.ca_file = receiver.ca_file();
  base.timeout = std::chrono::milliseconds(3000);
  return base;
}

}  // namespace jobzen::testing
