// Standard Webhooks 1.0 signing: secrets "whsec_<base64>", the webhook-signature header
// "v1,<base64 HMAC-SHA256 of '<id>.<timestamp>.<body>'>" and the check a receiver makes.
//
//   const std::string secret = webhooks::GenerateSecret();        // shown to the partner once
//   auto header = webhooks::SignatureHeader({secret}, "msg_...", 1614265330, body);
//   // receiver side (our tests, and the reference in docs/webhooks.md):
//   auto ok = webhooks::Verify(secret, {id, timestamp, *header}, body, now_unix);
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace jobzen::webhooks {

// A new signing secret: "whsec_" + base64 of 32 bytes from the OpenSSL CSPRNG. Throws
// std::runtime_error when the CSPRNG fails (there is no safe fallback for a secret).
std::string GenerateSecret();

// "v1,<base64 HMAC-SHA256>" of "<msg_id>.<unix_ts>.<body>" keyed with the base64-decoded
// secret ("whsec_" stripped when present; missing base64 padding tolerated). Error
// "invalid_secret" when the secret does not decode to at least one byte.
Result<std::string> Sign(std::string_view secret, std::string_view msg_id, std::int64_t unix_ts,
                         std::string_view body);

// The webhook-signature header value: one Sign() per secret, space-separated, in the given
// order (during a rotation both the new and the previous secret sign). Error "invalid_secret"
// when any secret is malformed or none is given.
Result<std::string> SignatureHeader(const std::vector<std::string>& secrets, std::string_view msg_id,
                                    std::int64_t unix_ts, std::string_view body);

// The three headers a receiver gets, as received.
struct SignedHeaders {
  std::string_view id;         // webhook-id
  std::string_view timestamp;  // webhook-timestamp: unix seconds, decimal
  std::string_view signature;  // webhook-signature: space-separated "v1,<base64>" entries
};

// What a successful check establishes: the message id (the receiver's idempotency key) and
// its timestamp.
struct Verified {
  std::string msg_id;
  std::int64_t timestamp = 0;
};

inline constexpr std::chrono::seconds kDefaultTolerance{300};

// The receiver's check: the timestamp is a decimal within `tolerance` of `now_unix` (either
// way: older ones may be replays, newer ones a wrong clock), and one v1 entry of the header
// matches, compared in constant time (CRYPTO_memcmp); other versions are ignored. Errors
// "invalid_secret", "missing_header", "invalid_timestamp", "timestamp_out_of_tolerance",
// "signature_mismatch".
Result<Verified> Verify(std::string_view secret, const SignedHeaders& headers, std::string_view body,
                        std::int64_t now_unix, std::chrono::seconds tolerance = kDefaultTolerance);

}  // namespace jobzen::webhooks
