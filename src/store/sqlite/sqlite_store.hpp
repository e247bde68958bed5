// SQLite implementation of the store: the embedded default. One file (WAL journal), schema
// migrations in code (PRAGMA user_version), one connection guarded by a mutex. Profiles,
// webhook secrets and idempotent responses are sealed with AES-256-GCM (store/cipher.hpp)
// before they reach SQLite; codes and tokens are kept as SHA-256 hashes.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/store.hpp"

namespace jobzen::store {

class SqliteStore final : public Store {
 public:
  // Opens (creating the file and its parent directory when missing) and migrates, with the
  // master keys `keys` names (the default key file is "master.key" beside `path`).
  // Errors "store_error" name the path and SQLite's message; "master_key" as OpenStore.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, const MasterKeyOptions& keys = {});
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<CreatedPartner> CreatePartner(const NewPartner& request) override;
  Result<CreatedPartner> CreateKey(std::int64_t partner_id, bool sandbox) override;
  Result<std::vector<PartnerSummary>> ListPartners() override;
  Result<Ok> RevokeKey(std::int64_t key_id) override;
  Result<std::optional<Principal>> Authenticate(std::string_view key) override;
  Result<std::int64_t> QuotaUsed(std::int64_t partner_id, std::string_view period, bool sandbox) override;
  Result<bool> ReserveQuota(std::int64_t partner_id, std::string_view period, bool sandbox,
                            std::int64_t limit) override;
  Result<Ok> ReleaseQuota(std::int64_t partner_id, std::string_view period, bool sandbox) override;
  Result<Ok> AddUsage(const std::vector<UsageDelta>& deltas) override;
  Result<std::vector<UsageDay>> Usage(std::int64_t partner_id, bool sandbox, std::string_view from,
                                      std::string_view to) override;
  Result<std::optional<CandidateProfile>> FindCandidate(std::int64_t partner_id, std::string_view ref) override;
  Result<bool> DissociateCandidate(std::int64_t partner_id, std::string_view ref, std::string_view now) override;
  Result<Invitation> CreateInvitation(const NewInvitation& request, std::string_view now) override;
  Result<std::vector<Invitation>> ListInvitations(std::int64_t partner_id, std::string_view now,
                                                  std::size_t limit) override;
  Result<Invitation> RevokeInvitation(std::int64_t partner_id, std::string_view id, std::string_view now) override;
  Result<std::optional<InvitationView>> FindInvitationByCode(std::string_view code, std::string_view now) override;
  Result<ManagedCandidate> LinkCandidate(const LinkRequest& request) override;
  Result<std::optional<ManagedCandidate>> FindByManageToken(std::string_view token) override;
  Result<ManagedCandidate> ReplaceProfile(std::string_view token, const StoredProfile& profile,
                                          std::string_view now) override;
  Result<bool> DissociateByToken(std::string_view token, std::string_view now) override;
  Result<std::pair<Webhook, bool>> PutWebhook(std::int64_t partner_id, std::string_view url,
                                              const std::vector<std::string>& events, std::string_view new_secret,
                                              std::string_view now) override;
  Result<std::optional<Webhook>> GetWebhook(std::int64_t partner_id) override;
  Result<Webhook> RotateWebhookSecret(std::int64_t partner_id, std::string_view new_secret,
                                      std::string_view previous_valid_until, std::string_view now) override;
  Result<bool> DeleteWebhook(std::int64_t partner_id) override;
  Result<OutboxEvent> Enqueue(const OutboxEvent& event) override;
  Result<std::vector<OutboxEvent>> DueEvents(std::int64_t now_ms, std::size_t limit) override;
  Result<std::optional<std::int64_t>> NextDue() override;
  Result<Ok> RecordAttempt(const DeliveryAttempt& attempt, const AttemptOutcome& outcome) override;
  Result<std::vector<DeliveryAttempt>> ListAttempts(std::int64_t partner_id, std::size_t limit) override;
  Result<std::vector<OutboxEvent>> ListEvents(std::int64_t partner_id, std::size_t limit) override;
  Result<std::optional<IdempotentResponse>> FindIdempotent(std::int64_t partner_id, std::string_view key) override;
  Result<Ok> SaveIdempotent(std::int64_t partner_id, std::string_view key, const IdempotentResponse& response,
                            std::string_view now) override;
  Result<std::int64_t> ReencryptAll() override;
  Result<Ok> Ping() override;

  // The schema version this build migrates to.
  static int SchemaVersion();

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  Result<CreatedPartner> InsertKeyLocked(const Partner& partner, bool sandbox);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobzen::store
