// Private to the SQLite store: the connection state (SqliteStore::Impl), RAII handles,
// statement and transaction scopes, binding helpers and the helpers shared by the files that
// implement SqliteStore (sqlite_store.cpp, sqlite_candidates.cpp, sqlite_webhooks.cpp).
#pragma once

#include <openssl/crypto.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/cipher.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace jobzen::store {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Runs SQL without results (pragmas, transaction control, migrations).
inline Result<Ok> ExecSql(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    Error e{"store_error", msg != nullptr ? msg : "exec failed"};
    sqlite3_free(msg);
    return e;
  }
  return Ok{};
}

struct SqliteStore::Impl {
  explicit Impl(ProfileCipher c) : cipher(std::move(c)) {}

  DbPtr db;
  std::string path;
  std::mutex mu;  // one connection: every statement runs under it
  std::unordered_map<const char*, StmtPtr> statements;
  const ProfileCipher cipher;  // immutable: safe to use under or outside mu

  Error Fail(std::string_view what) const {
    return Error{"store_error", std::string(what) + ": " + sqlite3_errmsg(db.get())};
  }

  // A cached prepared statement, reset and unbound. Caller holds mu. Keyed by the address of
  // a string literal, so each call site prepares once. A caller must not prepare the same
  // literal again while it still steps the statement.
  Result<sqlite3_stmt*> Prepare(const char* sql) {
    auto it = statements.find(sql);
    if (it == statements.end()) {
      sqlite3_stmt* raw = nullptr;
      if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
        return Fail("prepare");
      }
      it = statements.emplace(sql, StmtPtr(raw)).first;
    }
    sqlite3_reset(it->second.get());
    sqlite3_clear_bindings(it->second.get());
    return it->second.get();
  }

  Result<Ok> Exec(const char* sql) { return ExecSql(db.get(), sql); }

  // Steps a statement that returns no row; `what` names it in the error.
  Result<Ok> Done(sqlite3_stmt* s, std::string_view what) const {
    if (sqlite3_step(s) != SQLITE_DONE) return Fail(what);
    return Ok{};
  }

  std::int64_t Changes() const { return sqlite3_changes64(db.get()); }

  // --- Opening (sqlite_store.cpp) ---

  Result<int> UserVersion();
  // Applies the migrations this build has and the file lacks, each in its own transaction.
  Result<Ok> Migrate();
  // Error "master_key" when a stored record was sealed by a key the ring lacks.
  Result<Ok> CheckSealingKeys();

  // The plaintext of `sealed` sealed again under the current key (master key rotation).
  Result<std::string> Reseal(std::string_view sealed, std::string_view aad) const {
    auto plain = cipher.Open(sealed, aad);
    if (!plain) return plain.error();
    auto out = cipher.Seal(*plain, aad);
    OPENSSL_cleanse(plain->data(), plain->size());
    return out;
  }

  // ReencryptAll's steps, one per table: the number of rows re-sealed. Caller holds a Txn.
  // Re-seals under the current key one sealed column of rows keyed by (partner_id, a text
  // key): `select_sql` yields (partner_id, key, sealed) of the rows sealed by another key
  // (?1 = current key id), `update_sql` writes (?1 partner_id, ?2 key, ?3 sealed, ?4 key id).
  // Both are string literals (the statement cache is keyed by their address).
  Result<std::int64_t> ResealColumnLocked(const char* select_sql, const char* update_sql,
                                          std::string (*aad)(std::int64_t, std::string_view));
  Result<std::int64_t> ReencryptProfilesLocked();    // sqlite_candidates.cpp
  Result<std::int64_t> ReencryptWebhooksLocked();    // sqlite_webhooks.cpp
  Result<std::int64_t> ReencryptIdempotentLocked();  // sqlite_idempotency.cpp

  // --- Candidates (sqlite_candidates.cpp). Caller holds mu and, for writes, a Txn. ---

  // Queues an event for the partner's webhook, only when it subscribes to `type`: the
  // transactional outbox half of a candidate change.
  Result<Ok> QueueEventLocked(std::int64_t partner_id, std::string_view type, std::string_view ref,
                              std::string_view now, std::string_view linked_at, bool has_profile);
  // Deletes the candidate and queues candidate.dissociated. False when there is none.
  Result<bool> DeleteCandidateLocked(std::int64_t partner_id, std::string_view ref, std::string_view now);
  // The candidate a manage-token hash belongs to, the profile decrypted only when asked.
  Result<std::optional<ManagedCandidate>> FindManagedLocked(std::string_view token_hash, bool with_profile);
  // Decrypts and decodes a candidate's sealed profile.
  Result<StoredProfile> OpenProfile(std::int64_t partner_id, std::string_view ref, std::string_view sealed) const;
  Result<std::string> SealProfile(std::int64_t partner_id, std::string_view ref, const StoredProfile& profile) const;

  // --- Webhooks (sqlite_webhooks.cpp) ---

  Result<std::optional<Webhook>> ReadWebhookLocked(std::int64_t partner_id);
};

// Resets a statement on scope exit so it holds no read lock between calls.
class StmtScope {
 public:
  explicit StmtScope(sqlite3_stmt* s) : s_(s) {}
  ~StmtScope() { sqlite3_reset(s_); }
  StmtScope(const StmtScope&) = delete;
  StmtScope& operator=(const StmtScope&) = delete;

 private:
  sqlite3_stmt* s_;
};

// BEGIN IMMEDIATE on construction (take the write lock first, so a read-then-write cannot
// deadlock against another process), ROLLBACK on destruction unless committed: every early
// return undoes the partial change. Caller holds mu and checks begun() first; declare it
// before the statements it covers, so their scopes reset them before the ROLLBACK.
class Txn {
 public:
  explicit Txn(sqlite3* db) : db_(db), begun_(ExecSql(db, "BEGIN IMMEDIATE")) {}
  ~Txn() {
    if (begun_ && !committed_) (void)ExecSql(db_, "ROLLBACK");
  }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  const Result<Ok>& begun() const { return begun_; }
  Result<Ok> Commit() {
    auto r = ExecSql(db_, "COMMIT");
    if (r) committed_ = true;
    return r;
  }

 private:
  sqlite3* db_;
  Result<Ok> begun_;
  bool committed_ = false;
};

inline void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
inline void BindBlob(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
// NULL for "": optional text columns (linked_at, revoked_at...) stay NULL when unset.
inline void BindTextOrNull(sqlite3_stmt* s, int i, std::string_view v) {
  if (v.empty()) {
    sqlite3_bind_null(s, i);
  } else {
    BindText(s, i, v);
  }
}
// A LIMIT from a size_t: huge values mean "no limit" rather than wrapping negative.
inline void BindLimit(sqlite3_stmt* s, int i, std::size_t limit) {
  constexpr std::size_t kMax = static_cast<std::size_t>(INT64_MAX);
  sqlite3_bind_int64(s, i, static_cast<sqlite3_int64>(limit > kMax ? kMax : limit));
}

// Text or blob column as bytes; "" for NULL.
inline std::string Text(sqlite3_stmt* s, int col) {
  const void* p = sqlite3_column_blob(s, col);
  return p == nullptr ? std::string()
                      : std::string(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
}

// RFC 3339 UTC "YYYY-MM-DDTHH:MM:SS[.fff]Z" of the current time (seconds).
std::string NowRfc3339();
std::string FormatRfc3339(std::int64_t unix_seconds);
// Unix milliseconds of an RFC 3339 UTC time, nullopt when it does not parse.
std::optional<std::int64_t> ParseUnixMs(std::string_view rfc3339);

// AADs: each sealed value is bound to its row and column, so it opens nowhere else.
std::string ProfileAad(std::int64_t partner_id, std::string_view ref);
std::string SecretAad(std::int64_t partner_id);
std::string PreviousSecretAad(std::int64_t partner_id);
std::string IdempotencyAad(std::int64_t partner_id, std::string_view key);

}  // namespace jobzen::store
