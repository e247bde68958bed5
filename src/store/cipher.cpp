// ProfileCipher: AES-256-GCM sealing with OpenSSL EVP, one random 96-bit nonce per record,
// the key chosen on opening by the key id the record carries.
#include "store/cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <memory>

namespace jobzen::store {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

constexpr unsigned char kFormatVersion = 0x01;
// Domain separation: the id is a hash of the key, but not a hash anything else computes.
constexpr std::string_view kKeyIdPrefix = "jobzen master key id v1:";

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string KeyId(std::string_view key) {
  std::string input(kKeyIdPrefix);
  input.append(key);
  std::string id = HashKey(input).substr(0, ProfileCipher::kKeyIdBytes);
  OPENSSL_cleanse(input.data(), input.size());
  return id;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

// One opaque error for every way opening can fail: the caller learns nothing about which
// check tripped, and nothing of the content.
Error OpenFailed() { return Error{"store_error", "a stored record cannot be decrypted (unknown master key or damaged data)"}; }

}  // namespace

ProfileCipher::~ProfileCipher() {
  for (std::string& k : keys_) OPENSSL_cleanse(k.data(), k.size());
}

Result<ProfileCipher> ProfileCipher::FromRawKeys(std::vector<std::string> raw_keys) {
  if (raw_keys.empty()) return Error{"master_key", "no master key configured"};
  ProfileCipher c;
  for (std::string& key : raw_keys) {
    if (key.size() != kKeyBytes) return Error{"master_key", "a master key must be 32 bytes"};
    std::string id = KeyId(key);
    if (std::find(c.ids_.begin(), c.ids_.end(), id) != c.ids_.end()) {
      return Error{"master_key", "the same master key is listed twice"};
    }
    c.ids_hex_.push_back(Hex(id));
    c.ids_.push_back(std::move(id));
    c.keys_.push_back(std::move(key));
  }
  return c;
}

std::string ProfileCipher::KeyIdOf(std::string_view sealed) {
  if (sealed.size() < 1 + kKeyIdBytes) return "";
  return Hex(sealed.substr(1, kKeyIdBytes));
}

Result<std::string> ProfileCipher::Seal(std::string_view plaintext, std::string_view aad) const {
  const Error failed{"store_error", "encryption failed"};
  std::string out(1, static_cast<char>(kFormatVersion));
  out += ids_.front();
  std::array<unsigned char, kNonceBytes> nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) return failed;
  out.append(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  const std::size_t header = out.size();
  out.resize(header + plaintext.size() + kTagBytes);

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  // GCM's default IV length is 12 bytes, which is the nonce size we use.
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(keys_.front()), nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), Bytes(out) + header, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + header + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          Bytes(out) + header + plaintext.size()) != 1) {
    return failed;
  }
  return out;
}

Result<std::string> ProfileCipher::Open(std::string_view sealed, std::string_view aad) const {
  if (sealed.size() < kOverhead || static_cast<unsigned char>(sealed[0]) != kFormatVersion) return OpenFailed();
  const auto id = std::find(ids_.begin(), ids_.end(), sealed.substr(1, kKeyIdBytes));
  if (id == ids_.end()) return OpenFailed();
  const std::string& key = keys_[static_cast<std::size_t>(id - ids_.begin())];
  const std::string_view nonce = sealed.substr(1 + kKeyIdBytes, kNonceBytes);
  const std::string_view body = sealed.substr(1 + kKeyIdBytes + kNonceBytes, sealed.size() - kOverhead);
  std::string tag(sealed.substr(sealed.size() - kTagBytes));
  std::string out(body.size(), '\0');

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), Bytes(out), &len, Bytes(body), static_cast<int>(body.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), Bytes(tag)) == 1 &&
      // Final checks the tag: until it passes, `out` is unauthenticated and must not escape.
      EVP_DecryptFinal_ex(ctx.get(), Bytes(out) + len, &len) == 1;
  if (!ok) {
    OPENSSL_cleanse(out.data(), out.size());
    return OpenFailed();
  }
  return out;
}

}  // namespace jobzen::store
