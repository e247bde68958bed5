// API keys and random codes (invitation codes, manage tokens, ids): generation from the
// OpenSSL CSPRNG, shape check and SHA-256 hashing.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include "store/store.hpp"

namespace jobzen::store {

namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kKeyChars = 32;

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// `chars` uniform base62 characters from the CSPRNG. Throws when the CSPRNG fails: there is
// no safe fallback for a secret.
std::string RandomBase62(std::size_t chars) {
  std::string out;
  out.reserve(chars);
  while (out.size() < chars) {
    std::array<unsigned char, 64> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    for (const unsigned char b : bytes) {
      // Rejection sampling keeps the 62 symbols uniform: 248 = 4 * 62.
      if (b >= 248) continue;
      out += kBase62[b % 62];
      if (out.size() == chars) break;
    }
  }
  return out;
}

}  // namespace

std::string GenerateKey(bool sandbox) { return (sandbox ? "SBX_" : "LIVE_") + RandomBase62(kKeyChars); }

std::string GenerateCode(std::size_t chars) { return RandomBase62(chars); }

bool LooksLikeKey(std::string_view key) {
  std::string_view rest;
  if (key.substr(0, 4) == "SBX_") {
    rest = key.substr(4);
  } else if (key.substr(0, 5) == "LIVE_") {
    rest = key.substr(5);
  } else {
    return false;
  }
  if (rest.size() != kKeyChars) return false;
  for (const char c : rest) {
    if (!IsBase62(c)) return false;
  }
  return true;
}

std::string HashKey(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(key.data(), key.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest failed");
  }
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

}  // namespace jobzen::store
