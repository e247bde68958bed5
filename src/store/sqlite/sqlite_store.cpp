// SQLite store: RAII handles for sqlite3 and sqlite3_stmt, cached prepared statements,
// versioned migrations, and a quota reservation done in one UPSERT statement.
#include "store/sqlite/sqlite_store.hpp"

#include <openssl/crypto.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <unordered_map>

namespace jobzen::store {

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Migrations, applied in order; PRAGMA user_version holds the number applied. Append only:
// never edit a migration that has shipped.
constexpr const char* kMigrations[] = {
    // 1: partners, hashed keys, monthly quota counters, daily usage aggregates.
    R"sql(
CREATE TABLE partners(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  tier TEXT NOT NULL CHECK (tier IN ('basic', 'standard', 'premium', 'enterprise')),
  monthly_quota INTEGER NOT NULL CHECK (monthly_quota >= 0),
  sandbox_quota INTEGER NOT NULL CHECK (sandbox_quota >= 0),
  created_at TEXT NOT NULL);
CREATE TABLE api_keys(
  id INTEGER PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  key_hash BLOB NOT NULL UNIQUE,
  sandbox INTEGER NOT NULL,
  hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT,
  expires_at TEXT);
CREATE INDEX api_keys_partner ON api_keys(partner_id);
CREATE TABLE quota_usage(
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  period TEXT NOT NULL,
  sandbox INTEGER NOT NULL,
  used INTEGER NOT NULL CHECK (used >= 0),
  PRIMARY KEY (partner_id, period, sandbox)) WITHOUT ROWID;
CREATE TABLE usage_daily(
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  sandbox INTEGER NOT NULL,
  day TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  status INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  PRIMARY KEY (partner_id, sandbox, day, endpoint, status)) WITHOUT ROWID;
)sql",
};

std::string NowRfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(t),
                                                    static_cast<std::size_t>(sqlite3_column_bytes(s, col)));
}

}  // namespace

struct SqliteStore::Impl {
  DbPtr db;
  std::string path;
  std::mutex mu;  // one connection: every statement runs under it
  std::unordered_map<const char*, StmtPtr> statements;

  Error Fail(std::string_view what) const {
    return Error{"store_error", std::string(what) + ": " + sqlite3_errmsg(db.get())};
  }

  // A cached prepared statement, reset and unbound. Caller holds mu. Keyed by the address of
  // a string literal, so each call site prepares once.
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

  Result<Ok> Exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db.get(), sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      Error e{"store_error", msg != nullptr ? msg : "exec failed"};
      sqlite3_free(msg);
      return e;
    }
    return Ok{};
  }
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

namespace {

void BindText(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void BindBlob(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

Partner ReadPartner(sqlite3_stmt* s, int first) {
  Partner p;
  p.id = sqlite3_column_int64(s, first);
  p.name = Text(s, first + 1);
  p.tier = ParseTier(Text(s, first + 2)).value_or(Tier::kBasic);
  p.monthly_quota = sqlite3_column_int64(s, first + 3);
  p.sandbox_quota = sqlite3_column_int64(s, first + 4);
  p.created_at = Text(s, first + 5);
  return p;
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

int SqliteStore::SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  const bool existed = fs::exists(path, ec);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  auto impl = std::make_unique<Impl>();
  impl->db.reset(raw);
  impl->path = path;
  if (rc != SQLITE_OK) return Error{"store_error", "cannot open " + path + ": " + sqlite3_errstr(rc)};
  // Keys (hashed) and usage only, but still nobody else's business.
  if (!existed) ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(raw, 5000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
    if (auto r = impl->Exec(pragma); !r) return Error{"store_error", path + ": " + r.error().detail};
  }
  int version = 0;
  {
    auto s = impl->Prepare("PRAGMA user_version");
    if (!s) return s.error();
    StmtScope scope(*s);
    if (sqlite3_step(*s) == SQLITE_ROW) version = sqlite3_column_int(*s, 0);
  }
  if (version > SchemaVersion()) {
    return Error{"store_error", path + " has schema version " + std::to_string(version) +
                                    ", newer than this build (" + std::to_string(SchemaVersion()) + ")"};
  }
  for (int v = version; v < SchemaVersion(); ++v) {
    // BEGIN IMMEDIATE: two processes opening a fresh file cannot both migrate.
    if (auto r = impl->Exec("BEGIN IMMEDIATE"); !r) return r.error();
    int current = 0;
    {
      auto s = impl->Prepare("PRAGMA user_version");
      if (!s) return s.error();
      StmtScope scope(*s);
      if (sqlite3_step(*s) == SQLITE_ROW) current = sqlite3_column_int(*s, 0);
    }
    if (current > v) {
      (void)impl->Exec("ROLLBACK");
      v = current - 1;
      continue;
    }
    const std::string set_version = "PRAGMA user_version = " + std::to_string(v + 1);
    auto r = impl->Exec(kMigrations[v]);
    if (r) r = impl->Exec(set_version.c_str());
    if (r) r = impl->Exec("COMMIT");
    if (!r) {
      (void)impl->Exec("ROLLBACK");
      return Error{"store_error", path + ": migration " + std::to_string(v + 1) + " failed: " + r.error().detail};
    }
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

Result<CreatedPartner> SqliteStore::InsertKeyLocked(const Partner& partner, bool sandbox) {
  const std::string secret = GenerateKey(sandbox);
  KeyInfo key;
  key.partner_id = partner.id;
  key.sandbox = sandbox;
  key.hint = std::string(sandbox ? "SBX_" : "LIVE_") + "..." + secret.substr(secret.size() - 4);
  key.created_at = NowRfc3339();
  auto s = impl_->Prepare("INSERT INTO api_keys(partner_id, key_hash, sandbox, hint, created_at) VALUES(?1, ?2, ?3, ?4, ?5)");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner.id);
  BindBlob(*s, 2, HashKey(secret));
  sqlite3_bind_int(*s, 3, sandbox ? 1 : 0);
  BindText(*s, 4, key.hint);
  BindText(*s, 5, key.created_at);
  if (sqlite3_step(*s) != SQLITE_DONE) return impl_->Fail("insert key");
  key.id = sqlite3_last_insert_rowid(impl_->db.get());
  return CreatedPartner{partner, key, secret};
}

Result<CreatedPartner> SqliteStore::CreatePartner(const NewPartner& request) {
  if (request.name.empty()) return Error{"invalid_argument", "the partner needs a name"};
  if (request.quota && *request.quota < 0) return Error{"invalid_argument", "the quota must be >= 0"};
  Partner p;
  p.name = request.name;
  p.tier = request.tier;
  p.created_at = NowRfc3339();
  const auto tier_default = DefaultMonthlyQuota(request.tier);
  if (request.sandbox) {
    p.sandbox_quota = request.quota.value_or(kDefaultSandboxQuota);
    p.monthly_quota = tier_default.value_or(0);
  } else {
    if (!request.quota && !tier_default) {
      return Error{"invalid_argument", "an enterprise partner needs --quota N (no default quota)"};
    }
    p.monthly_quota = request.quota ? *request.quota : *tier_default;
    p.sandbox_quota = kDefaultSandboxQuota;
  }
  std::lock_guard lock(impl_->mu);
  if (auto r = impl_->Exec("BEGIN IMMEDIATE"); !r) return r.error();
  auto fail = [&](Error e) -> Result<CreatedPartner> {
    (void)impl_->Exec("ROLLBACK");
    return e;
  };
  {
    auto s = impl_->Prepare(
        "INSERT INTO partners(name, tier, monthly_quota, sandbox_quota, created_at) VALUES(?1, ?2, ?3, ?4, ?5)");
    if (!s) return fail(s.error());
    StmtScope scope(*s);
    BindText(*s, 1, p.name);
    BindText(*s, 2, TierName(p.tier));
    sqlite3_bind_int64(*s, 3, p.monthly_quota);
    sqlite3_bind_int64(*s, 4, p.sandbox_quota);
    BindText(*s, 5, p.created_at);
    if (sqlite3_step(*s) != SQLITE_DONE) return fail(impl_->Fail("insert partner"));
    p.id = sqlite3_last_insert_rowid(impl_->db.get());
  }
  auto created = InsertKeyLocked(p, request.sandbox);
  if (!created) return fail(created.error());
  if (auto r = impl_->Exec("COMMIT"); !r) return fail(r.error());
  return created;
}

Result<CreatedPartner> SqliteStore::CreateKey(std::int64_t partner_id, bool sandbox) {
  std::lock_guard lock(impl_->mu);
  Partner p;
  {
    auto s = impl_->Prepare("SELECT id, name, tier, monthly_quota, sandbox_quota, created_at FROM partners WHERE id = ?1");
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, partner_id);
    if (sqlite3_step(*s) != SQLITE_ROW) return Error{"not_found", "no partner " + std::to_string(partner_id)};
    p = ReadPartner(*s, 0);
  }
  return InsertKeyLocked(p, sandbox);
}

Result<std::vector<PartnerSummary>> SqliteStore::ListPartners() {
  std::lock_guard lock(impl_->mu);
  std::vector<PartnerSummary> out;
  {
    auto s = impl_->Prepare("SELECT id, name, tier, monthly_quota, sandbox_quota, created_at FROM partners ORDER BY id");
    if (!s) return s.error();
    StmtScope scope(*s);
    while (sqlite3_step(*s) == SQLITE_ROW) out.push_back({ReadPartner(*s, 0), {}});
  }
  auto s = impl_->Prepare(
      "SELECT id, partner_id, sandbox, hint, created_at, revoked_at IS NOT NULL FROM api_keys ORDER BY id");
  if (!s) return s.error();
  StmtScope scope(*s);
  while (sqlite3_step(*s) == SQLITE_ROW) {
    KeyInfo k;
    k.id = sqlite3_column_int64(*s, 0);
    k.partner_id = sqlite3_column_int64(*s, 1);
    k.sandbox = sqlite3_column_int(*s, 2) != 0;
    k.hint = Text(*s, 3);
    k.created_at = Text(*s, 4);
    k.revoked = sqlite3_column_int(*s, 5) != 0;
    for (auto& p : out) {
      if (p.partner.id == k.partner_id) p.keys.push_back(k);
    }
  }
  return out;
}

Result<Ok> SqliteStore::RevokeKey(std::int64_t key_id) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare("UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, key_id);
  BindText(*s, 2, NowRfc3339());
  if (sqlite3_step(*s) != SQLITE_DONE) return impl_->Fail("revoke key");
  if (sqlite3_changes(impl_->db.get()) != 1) {
    return Error{"not_found", "no active key " + std::to_string(key_id)};
  }
  return Ok{};
}

Result<std::optional<Principal>> SqliteStore::Authenticate(std::string_view key) {
  if (!LooksLikeKey(key)) return std::optional<Principal>();
  const std::string hash = HashKey(key);
  const std::string now = NowRfc3339();
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "SELECT k.id, k.key_hash, k.sandbox, p.id, p.name, p.tier, p.monthly_quota, p.sandbox_quota, p.created_at "
      "FROM api_keys k JOIN partners p ON p.id = k.partner_id "
      "WHERE k.key_hash = ?1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?2)");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindBlob(*s, 1, hash);
  BindText(*s, 2, now);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_DONE) return std::optional<Principal>();
  if (rc != SQLITE_ROW) return impl_->Fail("authenticate");
  const void* stored = sqlite3_column_blob(*s, 1);
  const int stored_len = sqlite3_column_bytes(*s, 1);
  // The index found the row by hash; the constant-time compare keeps the final check free of
  // early exits all the same.
  if (stored == nullptr || static_cast<std::size_t>(stored_len) != hash.size() ||
      CRYPTO_memcmp(stored, hash.data(), hash.size()) != 0) {
    return std::optional<Principal>();
  }
  Principal p;
  p.key_id = sqlite3_column_int64(*s, 0);
  p.sandbox = sqlite3_column_int(*s, 2) != 0;
  p.partner = ReadPartner(*s, 3);
  return std::optional<Principal>(std::move(p));
}

Result<std::int64_t> SqliteStore::QuotaUsed(std::int64_t partner_id, std::string_view period, bool sandbox) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare("SELECT used FROM quota_usage WHERE partner_id = ?1 AND period = ?2 AND sandbox = ?3");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, period);
  sqlite3_bind_int(*s, 3, sandbox ? 1 : 0);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_ROW) return static_cast<std::int64_t>(sqlite3_column_int64(*s, 0));
  if (rc == SQLITE_DONE) return std::int64_t{0};
  return impl_->Fail("quota used");
}

Result<bool> SqliteStore::ReserveQuota(std::int64_t partner_id, std::string_view period, bool sandbox,
                                       std::int64_t limit) {
  std::lock_guard lock(impl_->mu);
  // One statement, so one transaction: the check and the increment cannot be split by another
  // writer, in this process (the mutex) or another one (SQLite's write lock).
  auto s = impl_->Prepare(
      "INSERT INTO quota_usage(partner_id, period, sandbox, used) SELECT ?1, ?2, ?3, 1 WHERE ?4 > 0 "
      "ON CONFLICT(partner_id, period, sandbox) DO UPDATE SET used = used + 1 WHERE used < ?4");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, period);
  sqlite3_bind_int(*s, 3, sandbox ? 1 : 0);
  sqlite3_bind_int64(*s, 4, limit);
  if (sqlite3_step(*s) != SQLITE_DONE) return impl_->Fail("reserve quota");
  return sqlite3_changes(impl_->db.get()) == 1;
}

Result<Ok> SqliteStore::ReleaseQuota(std::int64_t partner_id, std::string_view period, bool sandbox) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "UPDATE quota_usage SET used = used - 1 WHERE partner_id = ?1 AND period = ?2 AND sandbox = ?3 AND used > 0");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, period);
  sqlite3_bind_int(*s, 3, sandbox ? 1 : 0);
  if (sqlite3_step(*s) != SQLITE_DONE) return impl_->Fail("release quota");
  return Ok{};
}

Result<Ok> SqliteStore::AddUsage(const std::vector<UsageDelta>& deltas) {
  if (deltas.empty()) return Ok{};
  std::lock_guard lock(impl_->mu);
  if (auto r = impl_->Exec("BEGIN IMMEDIATE"); !r) return r.error();
  for (const UsageDelta& d : deltas) {
    auto s = impl_->Prepare(
        "INSERT INTO usage_daily(partner_id, sandbox, day, endpoint, status, calls) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT(partner_id, sandbox, day, endpoint, status) DO UPDATE SET calls = calls + excluded.calls");
    if (!s) {
      (void)impl_->Exec("ROLLBACK");
      return s.error();
    }
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, d.partner_id);
    sqlite3_bind_int(*s, 2, d.sandbox ? 1 : 0);
    BindText(*s, 3, d.day);
    BindText(*s, 4, d.endpoint);
    sqlite3_bind_int(*s, 5, d.status);
    sqlite3_bind_int64(*s, 6, d.calls);
    if (sqlite3_step(*s) != SQLITE_DONE) {
      Error e = impl_->Fail("add usage");
      (void)impl_->Exec("ROLLBACK");
      return e;
    }
  }
  if (auto r = impl_->Exec("COMMIT"); !r) {
    (void)impl_->Exec("ROLLBACK");
    return r.error();
  }
  return Ok{};
}

Result<std::vector<UsageDay>> SqliteStore::Usage(std::int64_t partner_id, bool sandbox, std::string_view from,
                                                 std::string_view to) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "SELECT day, endpoint, status, SUM(calls) FROM usage_daily "
      "WHERE partner_id = ?1 AND sandbox = ?2 AND day >= ?3 AND day <= ?4 "
      "GROUP BY day, endpoint, status ORDER BY day, endpoint");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  sqlite3_bind_int(*s, 2, sandbox ? 1 : 0);
  BindText(*s, 3, from);
  BindText(*s, 4, to);
  std::vector<UsageDay> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    std::string day = Text(*s, 0);
    if (out.empty() || out.back().date != day) out.push_back(UsageDay{std::move(day), 0, 0, {}});
    const std::int64_t calls = sqlite3_column_int64(*s, 3);
    out.back().calls += calls;
    if (sqlite3_column_int(*s, 2) >= 400) out.back().errors += calls;
    out.back().by_endpoint[Text(*s, 1)] += calls;
  }
  if (rc != SQLITE_DONE) return impl_->Fail("usage");
  return out;
}

Result<std::optional<CandidateProfile>> SqliteStore::FindCandidate(std::int64_t /*partner_id*/,
                                                                   std::string_view /*ref*/) {
  // Linked candidates arrive with issue 5 (a candidates table in migration 2); until then no
  // partner has any.
  return std::optional<CandidateProfile>();
}

Result<Ok> SqliteStore::Ping() {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare("SELECT 1");
  if (!s) return s.error();
  StmtScope scope(*s);
  if (sqlite3_step(*s) != SQLITE_ROW) return impl_->Fail("ping");
  return Ok{};
}

}  // namespace jobzen::store
