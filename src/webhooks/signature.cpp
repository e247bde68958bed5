// Standard Webhooks signing with OpenSSL: HMAC-SHA256, base64 through EVP_EncodeBlock and
// EVP_DecodeBlock (which report padding bytes as data: trimmed here), CRYPTO_memcmp.
#include "webhooks/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace jobzen::webhooks {

namespace {

constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::string_view kVersion = "v1,";

std::string Base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Strict standard base64 (padding optional); nullopt on any other character.
std::optional<std::string> Unbase64(std::string_view text) {
  std::string padded(text);
  if (padded.size() % 4 == 1) return std::nullopt;
  while (padded.size() % 4 != 0) padded += '=';
  // EVP_DecodeBlock skips surrounding whitespace; a secret must not have any.
  if (padded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
      std::string::npos) {
    return std::nullopt;
  }
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()), static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  // DecodeBlock counts each '=' as a zero byte of output.
  std::size_t pad = 0;
  while (pad < 2 && padded.size() > pad && padded[padded.size() - 1 - pad] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::optional<std::string> SecretKey(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) == kSecretPrefix) secret.remove_prefix(kSecretPrefix.size());
  auto key = Unbase64(secret);
  if (!key || key->empty()) return std::nullopt;
  return key;
}

Error InvalidSecret() { return Error{"invalid_secret", "the signing secret is not whsec_ followed by base64"}; }

// The raw 32-byte HMAC; the key was checked by the caller.
std::string Mac(const std::string& key, std::string_view msg_id, std::int64_t unix_ts, std::string_view body) {
  std::string content;
  content.reserve(msg_id.size() + body.size() + 24);
  content.append(msg_id).append(".").append(std::to_string(unix_ts)).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac.data(), &len);
  return Base64(mac.data(), len);
}

}  // namespace

std::string GenerateSecret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return std::string(kSecretPrefix) + Base64(bytes.data(), bytes.size());
}

Result<std::string> Sign(std::string_view secret, std::string_view msg_id, std::int64_t unix_ts, std::string_view body) {
  const auto key = SecretKey(secret);
  if (!key) return InvalidSecret();
  return std::string(kVersion) + Mac(*key, msg_id, unix_ts, body);
}

Result<std::string> SignatureHeader(const std::vector<std::string>& secrets, std::string_view msg_id,
                                    std::int64_t unix_ts, std::string_view body) {
  if (secrets.empty()) return InvalidSecret();
  std::string header;
  for (const std::string& secret : secrets) {
    auto signature = Sign(secret, msg_id, unix_ts, body);
    if (!signature) return signature.error();
    if (!header.empty()) header += ' ';
    header += *signature;
  }
  return header;
}

Result<Verified> Verify(std::string_view secret, const SignedHeaders& headers, std::string_view body,
                        std::int64_t now_unix, std::chrono::seconds tolerance) {
  const auto key = SecretKey(secret);
  if (!key) return InvalidSecret();
  if (headers.id.empty() || headers.timestamp.empty() || headers.signature.empty()) {
    return Error{"missing_header", "webhook-id, webhook-timestamp and webhook-signature are required"};
  }
  std::int64_t ts = 0;
  const char* end = headers.timestamp.data() + headers.timestamp.size();
  if (auto [p, ec] = std::from_chars(headers.timestamp.data(), end, ts); ec != std::errc{} || p != end) {
    return Error{"invalid_timestamp", "webhook-timestamp is not unix seconds"};
  }
  // Compared as a difference so that far-off values cannot overflow.
  if (ts < now_unix - tolerance.count() || ts > now_unix + tolerance.count()) {
    return Error{"timestamp_out_of_tolerance", "webhook-timestamp is too far from now"};
  }
  const std::string expected = Mac(*key, headers.id, ts, body);
  std::string_view rest = headers.signature;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view entry = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    if (entry.substr(0, kVersion.size()) != kVersion) continue;
    const std::string_view given = entry.substr(kVersion.size());
    if (given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0) {
      return Verified{std::string(headers.id), ts};
    }
  }
  return Error{"signature_mismatch", "no webhook-signature entry matches"};
}

}  // namespace jobzen::webhooks
