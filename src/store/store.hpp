// Storage interface: partners, API keys (hashed), plans and monthly quotas, daily usage
// aggregates and (issue 5) linked candidates. Domain records only: the store never sees CV
// content, and never a key in clear (only its SHA-256 hash).
//
//   auto store = store::OpenStore("sqlite:var/jobzen.db");
//   if (!store) return store.error();
//   auto created = (*store)->CreatePartner({.name = "Acme", .tier = store::Tier::kBasic});
//   // created->key is the only copy of the key in clear: print it once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.hpp"

namespace jobzen::store {

// Plans, ordered: a route marked `x+` needs tier x or above.
enum class Tier { kBasic = 0, kStandard = 1, kPremium = 2, kEnterprise = 3 };

std::string_view TierName(Tier tier);
std::optional<Tier> ParseTier(std::string_view name);
// Default live monthly quota of a tier (API.md); enterprise has none (set per partner).
std::optional<std::int64_t> DefaultMonthlyQuota(Tier tier);
inline constexpr std::int64_t kDefaultSandboxQuota = 1000;

// Success of an operation that returns nothing.
struct Ok {};

struct Partner {
  std::int64_t id = 0;
  std::string name;
  Tier tier = Tier::kBasic;
  std::int64_t monthly_quota = 0;  // live calls per month
  std::int64_t sandbox_quota = kDefaultSandboxQuota;
  std::string created_at;          // RFC 3339 UTC
};

struct KeyInfo {
  std::int64_t id = 0;
  std::int64_t partner_id = 0;
  bool sandbox = false;
  std::string hint;        // "SBX_…wxyz": the kind and last four characters, for operators
  std::string created_at;
  bool revoked = false;
};

// What a valid key grants: the key's id and sandbox flag and its partner.
struct Principal {
  std::int64_t key_id = 0;
  bool sandbox = false;
  Partner partner;
  // The monthly quota that applies to this key (sandbox keys have their own).
  std::int64_t quota() const { return sandbox ? partner.sandbox_quota : partner.monthly_quota; }
};

struct NewPartner {
  std::string name;
  Tier tier = Tier::kBasic;
  bool sandbox = false;                     // the first key is a sandbox key (SBX_)
  std::optional<std::int64_t> quota;        // quota of that key's kind; default by tier / 1000
};

struct CreatedPartner {
  Partner partner;
  KeyInfo key;
  std::string key_secret;  // the key in clear: returned once, never stored
};

struct PartnerSummary {
  Partner partner;
  std::vector<KeyInfo> keys;
};

// One counter increment of the daily usage aggregates.
struct UsageDelta {
  std::int64_t partner_id = 0;
  std::string day;         // YYYY-MM-DD (UTC)
  std::string endpoint;    // match, analyze, score, status, usage...
  int status = 200;
  bool sandbox = false;
  std::int64_t calls = 1;
};

struct UsageDay {
  std::string date;                               // YYYY-MM-DD
  std::int64_t calls = 0;
  std::int64_t errors = 0;                        // status >= 400
  std::map<std::string, std::int64_t> by_endpoint;
};

// A candidate linked to a partner (issue 5 fills these in). Only the extracted profile is
// stored, never the CV.
struct CandidateProfile {
  std::string ref;
  bool active = false;
  bool has_profile = false;
  std::string linked_at;
  std::vector<std::string> skills;
  std::vector<std::string> positions;
  std::vector<std::string> languages;
  std::optional<int> experience_years;
  std::string seniority;
  std::string profile_summary;
};

// The storage interface. Implementations are thread-safe: every method may be called from
// any thread. Errors carry code "store_error" and a detail that never holds a key or CV.
class Store {
 public:
  virtual ~Store() = default;

  // Creates a partner and its first key (live or sandbox). The key in clear is only in the
  // result. Errors "invalid_argument" (empty name, enterprise live partner without quota).
  virtual Result<CreatedPartner> CreatePartner(const NewPartner& request) = 0;
  // Adds a key to an existing partner; the key in clear is returned once.
  virtual Result<CreatedPartner> CreateKey(std::int64_t partner_id, bool sandbox) = 0;
  virtual Result<std::vector<PartnerSummary>> ListPartners() = 0;
  // Revokes a key: it stops authenticating at once (servers may cache keys for a short TTL).
  // Error "not_found" when no such key.
  virtual Result<Ok> RevokeKey(std::int64_t key_id) = 0;

  // The principal of a key given in clear, nullopt when unknown or revoked. The key is hashed
  // before the lookup and compared in constant time.
  virtual Result<std::optional<Principal>> Authenticate(std::string_view key) = 0;

  // Quota units used in a period ("YYYY-MM") by a partner's live or sandbox keys.
  virtual Result<std::int64_t> QuotaUsed(std::int64_t partner_id, std::string_view period, bool sandbox) = 0;
  // Atomically takes one unit when used < limit: true when taken, false when over quota.
  // Concurrent callers never take more than `limit` units in a period.
  virtual Result<bool> ReserveQuota(std::int64_t partner_id, std::string_view period, bool sandbox,
                                    std::int64_t limit) = 0;
  // Gives back one unit taken by ReserveQuota (the call failed).
  virtual Result<Ok> ReleaseQuota(std::int64_t partner_id, std::string_view period, bool sandbox) = 0;

  // Adds usage counters, all in one transaction.
  virtual Result<Ok> AddUsage(const std::vector<UsageDelta>& deltas) = 0;
  // Usage of a partner's live or sandbox keys between two days (inclusive), days with calls
  // only, in date order.
  virtual Result<std::vector<UsageDay>> Usage(std::int64_t partner_id, bool sandbox, std::string_view from,
                                              std::string_view to) = 0;

  // The candidate `ref` linked to the partner, nullopt when none (or another partner's).
  virtual Result<std::optional<CandidateProfile>> FindCandidate(std::int64_t partner_id, std::string_view ref) = 0;

  // Cheap liveness probe of the database (for /readyz).
  virtual Result<Ok> Ping() = 0;
};

// Opens the store a DSN names: "sqlite:PATH" (or "sqlite://PATH"): the embedded default,
// created with its parent directory when missing and migrated to the current schema.
// "postgresql://..." is recognised but not built yet: error "unsupported_dsn".
Result<std::unique_ptr<Store>> OpenStore(std::string_view dsn);

// The DSN used when none is given: sqlite:var/jobzen.db (relative to the working directory).
inline constexpr std::string_view kDefaultDsn = "sqlite:var/jobzen.db";

// A new random key: "SBX_" or "LIVE_" followed by 32 base62 characters (CSPRNG).
std::string GenerateKey(bool sandbox);
// True when `key` has the shape of a JobZen key (prefix and 32 base62 characters).
bool LooksLikeKey(std::string_view key);
// SHA-256 of a key, 32 raw bytes.
std::string HashKey(std::string_view key);

}  // namespace jobzen::store
