// Authenticator: store lookups behind a TTL cache keyed by key hash.
#include "api/auth.hpp"

namespace jobzen::api {

Authenticator::Authenticator(store::Store& store, std::chrono::milliseconds ttl) : store_(store), ttl_(ttl) {}


Result<std::optional<store::Principal>> Authenticator::Authenticate(std::string_view key) {
  if (!store::LooksLikeKey(key)) return std::optional<store::Principal>();
  if (ttl_.count() <= 0) return store_.Authenticate(key);
  const std::string hash = store::HashKey(key);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(hash); it != cache_.end() && it->second.expires > now) {
      return std::optional<store::Principal>(it->second.principal);
    }
  }
  auto found = store_.Authenticate(key);
  if (!found) return found.error();
  std::lock_guard lock(mu_);
  if (cache_.size() > 100000) cache_.clear();  // bounded; refills from the store
  if (*found) {
    cache_[hash] = Entry{**found, now + ttl_};
  } else {
    cache_.erase(hash);
  }
  return found;
}

}  // namespace jobzen::api
