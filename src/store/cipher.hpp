// Encryption at rest for the store: a keyring of 32-byte master keys sealing records with
// AES-256-GCM, and the loading of those keys (options, $JOBZEN_MASTER_KEY, or a key file).
// Private to the store: OpenSSL stays in cipher.cpp.
//
//   auto cipher = ProfileCipher::Load(options, "var/jobzen.db");
//   auto sealed = cipher->Seal(plaintext, "profile:7:cand-42");
//   auto opened = cipher->Open(*sealed, "profile:7:cand-42");  // fails with another AAD
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"
#include "store/store.hpp"

namespace jobzen::store {

// A keyring: the first key seals, every key opens the records it sealed. Sealed record:
//   version (1 byte, 0x01) | key id (8 bytes) | nonce (12 bytes) | ciphertext | tag (16 bytes)
// The key id is a truncated SHA-256 of the key under a domain prefix: it names the key
// without revealing it. The AAD (not stored) binds a record to its row, so a sealed value
// copied into another row or column no longer opens. Immutable after construction, so
// const methods are safe from any thread. Key bytes are wiped on destruction.
class ProfileCipher {
 public:
  static constexpr std::size_t kKeyBytes = 32;
  static constexpr std::size_t kKeyIdBytes = 8;
  static constexpr std::size_t kNonceBytes = 12;
  static constexpr std::size_t kTagBytes = 16;
  static constexpr std::size_t kOverhead = 1 + kKeyIdBytes + kNonceBytes + kTagBytes;

  // A keyring of raw 32-byte keys, the first current. Error "master_key" when empty, when a
  // key has the wrong size, or when two keys are the same.
  static Result<ProfileCipher> FromRawKeys(std::vector<std::string> raw_keys);
  // The keys `options` name (see MasterKeyOptions): explicit keys, else $JOBZEN_MASTER_KEY,
  // else the key file (default "master.key" beside `db_path`), created 0600 with a fresh key
  // when missing. Error "master_key" for a malformed key, or a key file that cannot be read
  // or created safely (including one open to group or others). Details never quote a key.
  static Result<ProfileCipher> Load(const MasterKeyOptions& options, std::string_view db_path);

  ProfileCipher(ProfileCipher&& other) noexcept = default;
  ProfileCipher& operator=(ProfileCipher&& other) noexcept = default;
  ProfileCipher(const ProfileCipher&) = delete;
  ProfileCipher& operator=(const ProfileCipher&) = delete;
  ~ProfileCipher();

  // Encrypts `plaintext` under the current key with a fresh random nonce, bound to `aad`.
  // Error "store_error" only when OpenSSL fails.
  Result<std::string> Seal(std::string_view plaintext, std::string_view aad) const;
  // Decrypts a record sealed by any key of the ring with the same `aad`. Error "store_error"
  // (without detail about the content) for an unknown key id, a truncated record, a wrong
  // AAD or any tampered byte.
  Result<std::string> Open(std::string_view sealed, std::string_view aad) const;

  // Hex id (16 digits) of the current key: stored beside records so ReencryptAll finds the
  // ones sealed by older keys.
  const std::string& CurrentKeyId() const { return ids_hex_.front(); }
  // True when the ring holds the key of this hex id.
  bool HasKeyId(std::string_view hex_id) const {
    for (const std::string& id : ids_hex_) {
      if (id == hex_id) return true;
    }
    return false;
  }
  // Hex id of the key that sealed `sealed`, "" when the record is too short to say.
  static std::string KeyIdOf(std::string_view sealed);

 private:
  ProfileCipher() = default;
  std::vector<std::string> keys_;     // raw 32 bytes each; [0] is current
  std::vector<std::string> ids_;      // raw 8-byte ids, parallel to keys_
  std::vector<std::string> ids_hex_;  // the same in hex
};

// One master key from its text form: 64 hex digits or base64 (standard or URL-safe, padding
// optional) of 32 bytes, surrounding spaces ignored. Error "master_key" otherwise.
Result<std::string> DecodeMasterKey(std::string_view text);
// Comma- or newline-separated keys (the variable and key file form), blanks skipped.
Result<std::vector<std::string>> DecodeMasterKeyList(std::string_view text);
// Standard padded base64 of `bytes` (new key files).
std::string EncodeBase64(std::string_view bytes);

}  // namespace jobzen::store
