// API key authentication over the store, with a short-lived in-memory cache of valid keys so
// that cheap endpoints (/status) do not hit the database for every call. The cache is keyed by
// the key's SHA-256 hash: no key in clear is kept in memory beyond the request.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/result.hpp"
#include "store/store.hpp"

namespace jobzen::api {

// Thread-safe. A revoked key keeps working for at most `ttl` (0 disables the cache).
class Authenticator {
 public:
  Authenticator(store::Store& store, std::chrono::milliseconds ttl);

  // The principal of a key, nullopt when unknown or revoked; an error when the store fails.
  Result<std::optional<store::Principal>> Authenticate(std::string_view key);

 private:
  struct Entry {
    store::Principal principal;
    std::chrono::steady_clock::time_point expires;
  };
  store::Store& store_;
  std::chrono::milliseconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // by SHA-256 of the key
};

}  // namespace jobzen::api
