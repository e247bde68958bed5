// Storage interface: partners, API keys (hashed), plans and monthly quotas, daily usage
// aggregates, linked candidates and their encrypted profiles, invitations, webhook settings
// and the webhook outbox. Domain records only: the store never sees CV
// content, and never a key in clear (only its SHA-256 hash).
//
//   auto store = store::OpenStore("sqlite:var/jobzen.db");
//   if (!store) return store.error();
//   auto created = (*store)->CreatePartner({.name = "Acme", .tier = store::Tier::kBasic});
//   // created->key is the only copy of the key in clear: print it once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// A spoken language of a stored profile: ISO 639-1 code and CEFR level ("" when unstated).
struct StoredLanguage {
  std::string code;
  std::string level;
  bool operator==(const StoredLanguage&) const = default;
};

// The extracted profile of a linked candidate: what the fast path scores with and what
// GET /candidates/{ref}/profile shows. Never the CV, and no name, e-mail, phone or address.
// Encrypted at rest (AES-256-GCM) by the store; callers see it in clear.
struct StoredProfile {
  std::vector<std::string> skills;               // canonical names
  std::vector<std::string> positions;            // titles held, most recent first
  std::vector<std::string> relevant_job_titles;  // normalised occupation labels
  std::vector<StoredLanguage> languages;
  std::optional<int> experience_years;
  std::string seniority;
  std::string education_level;
  std::vector<std::string> certifications;
  std::vector<std::string> sectors;
  std::string profile_summary;
  std::string lang;                              // language of the labels and summary
  bool operator==(const StoredProfile&) const = default;
};

// A candidate linked to a partner. `profile` is set when has_profile.
struct CandidateProfile {
  std::string ref;
  bool active = false;
  bool has_profile = false;
  std::string linked_at;                         // RFC 3339 UTC
  std::optional<StoredProfile> profile;
};

// Invitation statuses: pending (can be used), linked (used), expired, revoked.
struct Invitation {
  std::string id;              // "inv_" + 20 base62: the public handle (revocation, listing)
  std::int64_t partner_id = 0;
  std::string candidate_ref;
  std::string code_hint;       // "…wxyz": the last four characters of the code
  std::string status;          // pending, linked, expired, revoked (expired: computed at read)
  std::string created_at;      // RFC 3339 UTC
  std::string expires_at;
  std::string linked_at;       // "" unless linked
  std::string revoked_at;      // "" unless revoked
};

struct NewInvitation {
  std::int64_t partner_id = 0;
  std::string candidate_ref;   // 1..256 characters, chosen by the partner
  std::string code;            // the code in clear (GenerateCode); the store keeps its hash
  std::string expires_at;      // RFC 3339 UTC
};

// What the candidate's invitation page needs: the invitation and who asks.
struct InvitationView {
  Invitation invitation;
  std::string partner_name;
};

// A candidate as seen from their private management link.
struct ManagedCandidate {
  std::int64_t partner_id = 0;
  std::string partner_name;
  CandidateProfile candidate;
};

// Linking through an invitation code: consent was given; `profile` is absent when the
// candidate linked without a CV yet (has_profile false). The manage token is the secret of
// the candidate's private link, kept hashed.
struct LinkRequest {
  std::string code;
  std::string now;             // RFC 3339 UTC: expiry is checked against it
  std::optional<StoredProfile> profile;
  std::string manage_token;    // in clear (GenerateCode); the store keeps its hash
};

// A partner's webhook endpoint. Secrets are "whsec_<base64>", encrypted at rest. During a
// rotation `previous_secret` still signs until `previous_valid_until`.
struct Webhook {
  std::int64_t partner_id = 0;
  std::string url;
  std::vector<std::string> events;   // candidate.linked, candidate.dissociated
  std::string secret;
  std::string previous_secret;       // "" when none
  std::string previous_valid_until;  // RFC 3339 UTC, "" when none
  std::string created_at;
  std::string updated_at;
};

// One event waiting in (or done with) the outbox. The body is rendered from these fields
// (webhooks/), so it is byte-identical on every retry; `event_id` is the webhook-id.
struct OutboxEvent {
  std::int64_t seq = 0;              // delivery order
  std::string event_id;              // "msg_" + 24 base62, unique, stable across retries
  std::int64_t partner_id = 0;
  std::string type;                  // candidate.linked, candidate.dissociated
  std::string ref;
  std::string timestamp;             // RFC 3339 UTC: when the event happened
  std::string linked_at;             // "" for candidate.dissociated
  bool has_profile = false;
  int attempts = 0;                  // attempts made so far
  std::int64_t next_attempt_ms = 0;  // unix milliseconds
  std::string status;                // pending, delivered, failed
};

// One delivery attempt, as the portal shows it.
struct DeliveryAttempt {
  std::int64_t seq = 0;              // the outbox event
  std::string event_id;
  std::string type;
  std::string at;                    // RFC 3339 UTC (milliseconds)
  int status_code = 0;               // HTTP status, 0 when no response (DNS, refused, timeout)
  double latency_ms = 0;
  std::string error;                 // short reason when status_code is 0 or >= 300; never a body
};

// What to do with an event after an attempt.
struct AttemptOutcome {
  enum class Next { kDelivered, kRetry, kFailed } next = Next::kDelivered;
  std::int64_t retry_at_ms = 0;      // with kRetry
};

// A stored response for Idempotency-Key replays (encrypted at rest: it may hold a secret).
struct IdempotentResponse {
  std::string request_hash;          // SHA-256 of method, path and body
  int status = 0;
  std::string body;
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

  // --- Linked candidates (profiles decrypted on read, encrypted on write) ---

  // The candidate `ref` linked to the partner, nullopt when none (or another partner's, or
  // dissociated).
  virtual Result<std::optional<CandidateProfile>> FindCandidate(std::int64_t partner_id, std::string_view ref) = 0;
  // Removes the candidate and its stored profile and, when the partner's webhook wants it,
  // queues candidate.dissociated, in one transaction. False when no such candidate.
  virtual Result<bool> DissociateCandidate(std::int64_t partner_id, std::string_view ref, std::string_view now) = 0;

  // Creates an invitation (the id is generated). Error "invalid_argument" on an empty ref.
  virtual Result<Invitation> CreateInvitation(const NewInvitation& request, std::string_view now) = 0;
  // A partner's invitations, newest first, statuses as of `now`, at most `limit`.
  virtual Result<std::vector<Invitation>> ListInvitations(std::int64_t partner_id, std::string_view now,
                                                          std::size_t limit) = 0;
  // Revokes a pending invitation. Errors "not_found" (no such id for this partner) and
  // "conflict" (already linked, revoked or expired).
  virtual Result<Invitation> RevokeInvitation(std::int64_t partner_id, std::string_view id, std::string_view now) = 0;
  // The invitation a code opens, whatever its status; nullopt when the code is unknown.
  virtual Result<std::optional<InvitationView>> FindInvitationByCode(std::string_view code, std::string_view now) = 0;
  // Uses a pending invitation: marks it linked, creates or replaces the candidate (partner,
  // ref) with the profile and the manage token, and queues candidate.linked, all in one
  // transaction. Errors "not_found" (unknown code), "gone" (expired, revoked or already used).
  virtual Result<ManagedCandidate> LinkCandidate(const LinkRequest& request) = 0;

  // The candidate a management token belongs to; nullopt when unknown or dissociated.
  virtual Result<std::optional<ManagedCandidate>> FindByManageToken(std::string_view token) = 0;
  // Replaces the stored profile from the management link (no event). Error "not_found".
  virtual Result<ManagedCandidate> ReplaceProfile(std::string_view token, const StoredProfile& profile,
                                                  std::string_view now) = 0;
  // Dissociation by the candidate: as DissociateCandidate. False when the token is unknown.
  virtual Result<bool> DissociateByToken(std::string_view token, std::string_view now) = 0;

  // --- Webhooks and their outbox ---

  // Sets the partner's endpoint; keeps the secrets when one exists, else stores `new_secret`.
  // Returns the webhook and whether it was created (the caller shows the secret only then).
  virtual Result<std::pair<Webhook, bool>> PutWebhook(std::int64_t partner_id, std::string_view url,
                                                      const std::vector<std::string>& events,
                                                      std::string_view new_secret, std::string_view now) = 0;
  virtual Result<std::optional<Webhook>> GetWebhook(std::int64_t partner_id) = 0;
  // Installs `new_secret`; the current one becomes previous until `previous_valid_until`.
  // Error "not_found" when the partner has no webhook.
  virtual Result<Webhook> RotateWebhookSecret(std::int64_t partner_id, std::string_view new_secret,
                                              std::string_view previous_valid_until, std::string_view now) = 0;
  // Removes the endpoint; pending events of the partner are dropped. False when none.
  virtual Result<bool> DeleteWebhook(std::int64_t partner_id) = 0;

  // Queues an event outside a candidate change (webhooks/test goes through here too when the
  // caller wants it recorded). Returns the event with its seq and id.
  virtual Result<OutboxEvent> Enqueue(const OutboxEvent& event) = 0;
  // Pending events due at `now_ms`, oldest first, at most `limit`, and only the oldest
  // pending event of each (partner, ref): per-candidate order holds.
  virtual Result<std::vector<OutboxEvent>> DueEvents(std::int64_t now_ms, std::size_t limit) = 0;
  // The earliest next_attempt_ms among pending events, nullopt when none (the worker sleeps
  // until then).
  virtual Result<std::optional<std::int64_t>> NextDue() = 0;
  // Records an attempt and moves the event on (delivered, retry at, failed).
  virtual Result<Ok> RecordAttempt(const DeliveryAttempt& attempt, const AttemptOutcome& outcome) = 0;
  // A partner's most recent attempts, newest first.
  virtual Result<std::vector<DeliveryAttempt>> ListAttempts(std::int64_t partner_id, std::size_t limit) = 0;
  // A partner's events (any status), newest first: the portal's delivery log.
  virtual Result<std::vector<OutboxEvent>> ListEvents(std::int64_t partner_id, std::size_t limit) = 0;

  // --- Idempotency-Key ---

  virtual Result<std::optional<IdempotentResponse>> FindIdempotent(std::int64_t partner_id, std::string_view key) = 0;
  // Saves the first response for a key (kept 24 h); a concurrent duplicate loses quietly.
  virtual Result<Ok> SaveIdempotent(std::int64_t partner_id, std::string_view key, const IdempotentResponse& response,
                                    std::string_view now) = 0;

  // Re-encrypts every stored profile and secret under the current master key; returns how
  // many records changed (master key rotation).
  virtual Result<std::int64_t> ReencryptAll() = 0;

  // Cheap liveness probe of the database (for /readyz).
  virtual Result<Ok> Ping() = 0;
};

// Master keys for encryption at rest (AES-256-GCM). Each record carries the id of the key
// that sealed it, so a new key can be introduced while old records stay readable.
struct MasterKeyOptions {
  // Base64 (or 64 hex digits) 32-byte keys, the first one current, the others still accepted
  // for reading. Empty: $JOBZEN_MASTER_KEY (comma-separated, same form), else the key file.
  std::vector<std::string> keys;
  // Key file used when neither `keys` nor the variable gives one: created with mode 0600 and
  // a fresh random key when missing. Empty: "master.key" beside the SQLite database.
  std::string key_file;
};

// Opens the store a DSN names: "sqlite:PATH" (or "sqlite://PATH"): the embedded default,
// created with its parent directory when missing and migrated to the current schema.
// "postgresql://..." is recognised but not built yet: error "unsupported_dsn". Errors
// "master_key" when a key is malformed or the key file cannot be read or created safely.
Result<std::unique_ptr<Store>> OpenStore(std::string_view dsn, const MasterKeyOptions& keys = {});

// The DSN used when none is given: sqlite:var/jobzen.db (relative to the working directory).
inline constexpr std::string_view kDefaultDsn = "sqlite:var/jobzen.db";

// A new random key: "SBX_" or "LIVE_" followed by 32 base62 characters (CSPRNG).
std::string GenerateKey(bool sandbox);
// True when `key` has the shape of a JobZen key (prefix and 32 base62 characters).
bool LooksLikeKey(std::string_view key);
// SHA-256 of a key, 32 raw bytes.
std::string HashKey(std::string_view key);
// A random secret of `chars` base62 characters (CSPRNG): invitation codes, manage tokens,
// ids. 32 characters carry about 190 bits.
std::string GenerateCode(std::size_t chars = 32);

}  // namespace jobzen::store
