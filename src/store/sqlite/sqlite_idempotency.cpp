// SQLite store: responses kept for Idempotency-Key replays, 24 hours, bodies sealed (AAD
// "idem:<partner>:<key>") since a replayed response may carry a secret or a profile.
#include <ctime>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_impl.hpp"

namespace jobzen::store {

namespace {

constexpr std::int64_t kKeepSeconds = 24 * 60 * 60;

// The oldest created_at still kept when it is `now` ("" when `now` does not parse: purge
// nothing rather than everything).
std::string Cutoff(std::string_view now) {
  const auto ms = ParseUnixMs(now);
  return ms ? FormatRfc3339(*ms / 1000 - kKeepSeconds) : std::string();
}

}  // namespace

Result<std::optional<IdempotentResponse>> SqliteStore::FindIdempotent(std::int64_t partner_id, std::string_view key) {
  // No `now` in the interface: the clock decides what is older than 24 hours.
  const std::string cutoff = Cutoff(NowRfc3339());
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "SELECT request_hash, status, body FROM idempotency WHERE partner_id = ?1 AND key = ?2 AND created_at > ?3");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, key);
  BindText(*s, 3, cutoff);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_DONE) return std::optional<IdempotentResponse>();
  if (rc != SQLITE_ROW) return impl_->Fail("find idempotent response");
  auto body = impl_->cipher.Open(Text(*s, 2), IdempotencyAad(partner_id, key));
  if (!body) return body.error();
  return std::optional<IdempotentResponse>(IdempotentResponse{Text(*s, 0), sqlite3_column_int(*s, 1), std::move(*body)});
}

Result<Ok> SqliteStore::SaveIdempotent(std::int64_t partner_id, std::string_view key,
                                       const IdempotentResponse& response, std::string_view now) {
  auto sealed = impl_->cipher.Seal(response.body, IdempotencyAad(partner_id, key));
  if (!sealed) return sealed.error();
  const std::string cutoff = Cutoff(now);
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  {
    // Purge first: an expired row would otherwise make INSERT OR IGNORE keep a stale response
    // for a key the client reuses after a day.
    auto s = impl_->Prepare("DELETE FROM idempotency WHERE created_at <= ?1");
    if (!s) return s.error();
    StmtScope scope(*s);
    BindText(*s, 1, cutoff);
    if (auto r = impl_->Done(*s, "purge idempotent responses"); !r) return r.error();
  }
  auto s = impl_->Prepare(
      "INSERT OR IGNORE INTO idempotency(partner_id, key, request_hash, status, body, key_id, created_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, key);
  BindBlob(*s, 3, response.request_hash);
  sqlite3_bind_int(*s, 4, response.status);
  BindBlob(*s, 5, *sealed);
  BindText(*s, 6, impl_->cipher.CurrentKeyId());
  BindText(*s, 7, now);
  if (auto r = impl_->Done(*s, "save idempotent response"); !r) return r.error();
  if (auto r = txn.Commit(); !r) return r.error();
  return Ok{};
}

Result<std::int64_t> SqliteStore::Impl::ReencryptIdempotentLocked() {
  return ResealColumnLocked("SELECT partner_id, key, body FROM idempotency WHERE key_id IS NOT ?1",
                            "UPDATE idempotency SET body = ?3, key_id = ?4 WHERE partner_id = ?1 AND key = ?2",
                            &IdempotencyAad);
}

}  // namespace jobzen::store
