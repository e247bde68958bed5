// SQLite store: opening and versioned migrations, partners and keys, a quota reservation
// done in one UPSERT statement, usage aggregates, and master key rotation (ReencryptAll).
// Candidates and invitations live in sqlite_candidates.cpp, webhooks and the outbox in
// sqlite_webhooks.cpp, Idempotency-Key responses in sqlite_idempotency.cpp.
#include "store/sqlite/sqlite_store.hpp"

#include <openssl/crypto.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <vector>

#include "store/sqlite/sqlite_impl.hpp"

namespace jobzen::store {

namespace {

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
    // 2 (issue 5): invitations, linked candidates, webhooks, their outbox and attempts, and
    // Idempotency-Key responses. Codes and tokens are SHA-256 hashes; profiles, secrets and
    // response bodies are AES-256-GCM records (key_id names the master key that sealed them,
    // so ReencryptAll finds the old ones).
    R"sql(
CREATE TABLE invitations(
  id TEXT PRIMARY KEY,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  candidate_ref TEXT NOT NULL,
  code_hash BLOB NOT NULL UNIQUE,
  code_hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  linked_at TEXT,
  revoked_at TEXT);
CREATE INDEX invitations_partner ON invitations(partner_id, created_at);
CREATE TABLE candidates(
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  ref TEXT NOT NULL,
  active INTEGER NOT NULL,
  linked_at TEXT NOT NULL,
  manage_token_hash BLOB NOT NULL UNIQUE,
  profile BLOB,
  key_id TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (partner_id, ref));
CREATE TABLE webhooks(
  partner_id INTEGER PRIMARY KEY REFERENCES partners(id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret BLOB NOT NULL,
  previous_secret BLOB,
  previous_valid_until TEXT,
  key_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  type TEXT NOT NULL,
  ref TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  has_profile INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')));
CREATE INDEX outbox_due ON outbox(status, next_attempt_ms);
CREATE INDEX outbox_candidate ON outbox(partner_id, ref, status, seq);
CREATE INDEX outbox_partner ON outbox(partner_id, seq);
CREATE TABLE webhook_attempts(
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL REFERENCES outbox(seq),
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  at TEXT NOT NULL,
  status_code INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  error TEXT NOT NULL);
CREATE INDEX webhook_attempts_partner ON webhook_attempts(partner_id, id);
CREATE INDEX webhook_attempts_seq ON webhook_attempts(seq);
CREATE TABLE idempotency(
  partner_id INTEGER NOT NULL REFERENCES partners(id),
  key TEXT NOT NULL,
  request_hash BLOB NOT NULL,
  status INTEGER NOT NULL,
  body BLOB NOT NULL,
  key_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (partner_id, key)) WITHOUT ROWID;
CREATE INDEX idempotency_created ON idempotency(created_at);
)sql",
};

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

std::string NowRfc3339() { return FormatRfc3339(static_cast<std::int64_t>(std::time(nullptr))); }

std::string FormatRfc3339(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::int64_t> ParseUnixMs(std::string_view t) {
  // "YYYY-MM-DDTHH:MM:SS" then an optional fraction, then 'Z'.
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t.back() != 'Z') {
    return std::nullopt;
  }
  auto number = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = number(0, 4) - 1900;
  tm.tm_mon = number(5, 2) - 1;
  tm.tm_mday = number(8, 2);
  tm.tm_hour = number(11, 2);
  tm.tm_min = number(14, 2);
  tm.tm_sec = number(17, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0) {
    return std::nullopt;
  }
  int millis = 0;
  if (t.size() > 20) {
    if (t[19] != '.') return std::nullopt;
    const std::size_t digits = t.size() - 21;
    const int frac = number(20, std::min<std::size_t>(digits, 3));
    if (digits == 0 || frac < 0) return std::nullopt;
    millis = frac * (digits == 1 ? 100 : digits == 2 ? 10 : 1);
  }
  return static_cast<std::int64_t>(timegm(&tm)) * 1000 + millis;
}

std::string ProfileAad(std::int64_t partner_id, std::string_view ref) {
  return "profile:" + std::to_string(partner_id) + ":" + std::string(ref);
}
std::string SecretAad(std::int64_t partner_id) { return "webhook-secret:" + std::to_string(partner_id); }
std::string PreviousSecretAad(std::int64_t partner_id) {
  return "webhook-previous-secret:" + std::to_string(partner_id);
}
std::string IdempotencyAad(std::int64_t partner_id, std::string_view key) {
  return "idem:" + std::to_string(partner_id) + ":" + std::string(key);
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

int SqliteStore::SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Result<int> SqliteStore::Impl::UserVersion() {
  auto s = Prepare("PRAGMA user_version");
  if (!s) return s.error();
  StmtScope scope(*s);
  if (sqlite3_step(*s) != SQLITE_ROW) return Fail("user_version");
  return sqlite3_column_int(*s, 0);
}

Result<Ok> SqliteStore::Impl::Migrate() {
  auto version = UserVersion();
  if (!version) return version.error();
  if (*version > SchemaVersion()) {
    return Error{"store_error", path + " has schema version " + std::to_string(*version) +
                                    ", newer than this build (" + std::to_string(SchemaVersion()) + ")"};
  }
  for (int v = *version; v < SchemaVersion(); ++v) {
    // BEGIN IMMEDIATE: two processes opening a fresh file cannot both migrate.
    Txn txn(db.get());
    if (!txn.begun()) return txn.begun().error();
    auto current = UserVersion();
    if (!current) return current.error();
    if (*current > v) {
      v = *current - 1;  // another process migrated meanwhile
      continue;
    }
    const std::string set_version = "PRAGMA user_version = " + std::to_string(v + 1);
    auto r = Exec(kMigrations[v]);
    if (r) r = Exec(set_version.c_str());
    if (r) r = txn.Commit();
    if (!r) return Error{"store_error", path + ": migration " + std::to_string(v + 1) + " failed: " + r.error().detail};
  }
  return Ok{};
}

// Refuses a database holding records sealed by a key the ring lacks (a lost key file, a wrong
// $JOBZEN_MASTER_KEY): started anyway, it would answer "not found" for those profiles and seal
// new ones under another key, and the operator would learn it from partners.
Result<std::int64_t> SqliteStore::Impl::ResealColumnLocked(const char* select_sql, const char* update_sql,
                                                           std::string (*aad)(std::int64_t, std::string_view)) {
  struct Row {
    std::int64_t partner_id;
    std::string key;
    std::string sealed;
  };
  std::vector<Row> rows;
  {
    auto s = Prepare(select_sql);
    if (!s) return s.error();
    StmtScope scope(*s);
    BindText(*s, 1, cipher.CurrentKeyId());
    int rc;
    while ((rc = sqlite3_step(*s)) == SQLITE_ROW) rows.push_back({sqlite3_column_int64(*s, 0), Text(*s, 1), Text(*s, 2)});
    if (rc != SQLITE_DONE) return Fail("re-encrypt scan");
  }
  for (const Row& row : rows) {
    auto sealed = Reseal(row.sealed, aad(row.partner_id, row.key));
    if (!sealed) return sealed.error();
    auto s = Prepare(update_sql);
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, row.partner_id);
    BindText(*s, 2, row.key);
    BindBlob(*s, 3, *sealed);
    BindText(*s, 4, cipher.CurrentKeyId());
    if (auto r = Done(*s, "re-encrypt"); !r) return r.error();
  }
  return static_cast<std::int64_t>(rows.size());
}

Result<Ok> SqliteStore::Impl::CheckSealingKeys() {
  Impl& impl = *this;
  auto s = impl.Prepare(
      "SELECT key_id FROM candidates WHERE profile IS NOT NULL UNION SELECT key_id FROM webhooks "
      "UNION SELECT key_id FROM idempotency");
  if (!s) return s.error();
  StmtScope scope(*s);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    const std::string id = Text(*s, 0);
    if (!id.empty() && !impl.cipher.HasKeyId(id)) {
      return Error{"master_key", impl.path + " holds records sealed by master key " + id +
                                     ", which is not configured: restore that key ($JOBZEN_MASTER_KEY or the key "
                                     "file) before starting; see docs/candidates.md"};
    }
  }
  if (rc != SQLITE_DONE) return impl.Fail("check sealing keys");
  return Ok{};
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, const MasterKeyOptions& keys) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  // Keys first: the default key file lives beside the database, and a store that could not
  // read what it wrote must not start.
  auto cipher = ProfileCipher::Load(keys, path);
  if (!cipher) return cipher.error();
  const bool existed = fs::exists(path, ec);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  auto impl = std::make_unique<Impl>(std::move(*cipher));
  impl->db.reset(raw);
  impl->path = path;
  if (rc != SQLITE_OK) return Error{"store_error", "cannot open " + path + ": " + sqlite3_errstr(rc)};
  // Hashed keys, usage, sealed profiles: nobody else's business. SQLite gives -wal and -shm
  // the database file's mode.
  if (!existed) ::chmod(path.c_str(), 0600);
  sqlite3_busy_timeout(raw, 5000);
  // secure_delete: a dissociated candidate's sealed profile is zeroed, not left in free pages
  // where the master key could still open it.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                             "PRAGMA secure_delete=ON"}) {
    if (auto r = impl->Exec(pragma); !r) return Error{"store_error", path + ": " + r.error().detail};
  }
  if (auto r = impl->Migrate(); !r) return r.error();
  if (auto r = impl->CheckSealingKeys(); !r) return r.error();
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

Result<std::int64_t> SqliteStore::ReencryptAll() {
  std::lock_guard lock(impl_->mu);
  // One transaction: a crash half-way leaves every record readable with the same key list.
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  std::int64_t changed = 0;
  for (auto step : {&Impl::ReencryptProfilesLocked, &Impl::ReencryptWebhooksLocked, &Impl::ReencryptIdempotentLocked}) {
    auto n = ((*impl_).*step)();
    if (!n) return n.error();
    changed += *n;
  }
  if (auto r = txn.Commit(); !r) return r.error();
  return changed;
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
