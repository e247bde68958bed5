// Signed double-submit CSRF tokens (OpenSSL HMAC-SHA256, RAND_bytes, CRYPTO_memcmp).
#include "api/csrf.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "store/store.hpp"

namespace jobzen::api {

namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string RandomBytes(std::size_t n) {
  std::string out(n, '\0');
  // A CSPRNG failure leaves no safe fallback: the handler's catch turns this into a 500.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

bool IsBase62(char c) { return kBase62.find(c) != std::string_view::npos; }

std::string Base64Url(const unsigned char* data, std::size_t n) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kAlphabet[(acc << (6 - bits)) & 0x3f];
  return out;
}

}  // namespace

std::string CsrfSecret(std::string_view configured) {
  if (!configured.empty()) return std::string(configured);
  static const std::string process_secret = RandomBytes(32);  // initialised once, thread-safe
  return process_secret;
}

std::string NewCsrfNonce() { return store::GenerateCode(kCsrfNonceChars); }

std::optional<std::string> CsrfNonceFromCookie(std::string_view header) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != kCsrfCookie) continue;
    std::string_view value = pair.substr(eq + 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    bool ok = value.size() == kCsrfNonceChars;
    for (const char c : value) ok = ok && IsBase62(c);
    // A stale duplicate (another path) may come first: keep looking for a well-formed one.
    if (ok) return std::string(value);
  }
  return std::nullopt;
}

std::string CsrfSetCookie(std::string_view nonce, bool secure) {
  std::string cookie = std::string(kCsrfCookie) + "=" + std::string(nonce) + "; Path=/; HttpOnly; SameSite=Strict";
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string CsrfToken(std::string_view secret, std::string_view nonce, std::string_view scope) {
  const std::string message = std::string(nonce) + "|" + std::string(scope);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &len) == nullptr) {
    throw std::runtime_error("HMAC failed");
  }
  return Base64Url(mac.data(), len);
}

bool CsrfValid(std::string_view secret, std::string_view nonce, std::string_view scope, std::string_view token) {
  const std::string expected = CsrfToken(secret, nonce, scope);
  return token.size() == expected.size() && CRYPTO_memcmp(token.data(), expected.data(), expected.size()) == 0;
}

}  // namespace jobzen::api
