// SQLite implementation of the store: the embedded default. One file (WAL journal), schema
// migrations in code (PRAGMA user_version), one connection guarded by a mutex.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/store.hpp"

namespace jobzen::store {

class SqliteStore final : public Store {
 public:
  // Opens (creating the file and its parent directory when missing) and migrates.
  // Errors "store_error" name the path and SQLite's message.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
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
