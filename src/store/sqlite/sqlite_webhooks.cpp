// SQLite store: webhook endpoints (secrets sealed, AAD "webhook-secret:<partner>"), the
// outbox delivered in order per candidate, and the delivery attempts the portal lists.
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_impl.hpp"

namespace jobzen::store {

namespace {

constexpr std::size_t kEventIdChars = 24;
constexpr std::size_t kMaxErrorBytes = 200;

// Columns every outbox query selects first, in ReadEvent's order.
#define JOBZEN_EVENT_COLUMNS                                                                                 \
  "o.seq, o.event_id, o.partner_id, o.type, o.ref, o.timestamp, o.linked_at, o.has_profile, o.attempts, " \
  "o.next_attempt_ms, o.status"

OutboxEvent ReadEvent(sqlite3_stmt* s) {
  OutboxEvent e;
  e.seq = sqlite3_column_int64(s, 0);
  e.event_id = Text(s, 1);
  e.partner_id = sqlite3_column_int64(s, 2);
  e.type = Text(s, 3);
  e.ref = Text(s, 4);
  e.timestamp = Text(s, 5);
  e.linked_at = Text(s, 6);
  e.has_profile = sqlite3_column_int(s, 7) != 0;
  e.attempts = sqlite3_column_int(s, 8);
  e.next_attempt_ms = sqlite3_column_int64(s, 9);
  e.status = Text(s, 10);
  return e;
}

// Events are stored as a comma list, matched with instr() when a candidate changes.
std::string JoinEvents(const std::vector<std::string>& events) {
  std::string out;
  for (const std::string& e : events) {
    if (!out.empty()) out += ',';
    out += e;
  }
  return out;
}

std::vector<std::string> SplitEvents(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return out;
}

Result<Ok> CheckWebhook(std::string_view url, const std::vector<std::string>& events) {
  if (url.empty()) return Error{"invalid_argument", "the webhook needs a url"};
  for (const std::string& e : events) {
    if (e.empty() || e.find(',') != std::string::npos) return Error{"invalid_argument", "malformed event type"};
  }
  return Ok{};
}

std::string_view OutcomeStatus(AttemptOutcome::Next next) {
  switch (next) {
    case AttemptOutcome::Next::kDelivered: return "delivered";
    case AttemptOutcome::Next::kRetry: return "pending";
    case AttemptOutcome::Next::kFailed: return "failed";
  }
  return "failed";
}

// A short reason, cut on a UTF-8 boundary: the log is for people, not for response bodies.
std::string_view ShortError(std::string_view error) {
  if (error.size() <= kMaxErrorBytes) return error;
  std::size_t cut = kMaxErrorBytes;
  while (cut > 0 && (static_cast<unsigned char>(error[cut]) & 0xC0) == 0x80) --cut;
  return error.substr(0, cut);
}

}  // namespace

// --- Helpers on Impl ---

Result<std::optional<Webhook>> SqliteStore::Impl::ReadWebhookLocked(std::int64_t partner_id) {
  auto s = Prepare(
      "SELECT url, events, secret, previous_secret, previous_valid_until, created_at, updated_at FROM webhooks "
      "WHERE partner_id = ?1");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_DONE) return std::optional<Webhook>();
  if (rc != SQLITE_ROW) return Fail("read webhook");
  Webhook w;
  w.partner_id = partner_id;
  w.url = Text(*s, 0);
  w.events = SplitEvents(Text(*s, 1));
  auto secret = cipher.Open(Text(*s, 2), SecretAad(partner_id));
  if (!secret) return secret.error();
  w.secret = std::move(*secret);
  if (sqlite3_column_type(*s, 3) != SQLITE_NULL) {
    auto previous = cipher.Open(Text(*s, 3), PreviousSecretAad(partner_id));
    if (!previous) return previous.error();
    w.previous_secret = std::move(*previous);
  }
  w.previous_valid_until = Text(*s, 4);
  w.created_at = Text(*s, 5);
  w.updated_at = Text(*s, 6);
  return std::optional<Webhook>(std::move(w));
}

Result<std::int64_t> SqliteStore::Impl::ReencryptWebhooksLocked() {
  struct Row {
    std::int64_t partner_id;
    std::string secret;
    std::optional<std::string> previous;
  };
  std::vector<Row> rows;
  {
    auto s = Prepare("SELECT partner_id, secret, previous_secret FROM webhooks WHERE key_id IS NOT ?1");
    if (!s) return s.error();
    StmtScope scope(*s);
    BindText(*s, 1, cipher.CurrentKeyId());
    int rc;
    while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
      Row row{sqlite3_column_int64(*s, 0), Text(*s, 1), std::nullopt};
      if (sqlite3_column_type(*s, 2) != SQLITE_NULL) row.previous = Text(*s, 2);
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return Fail("re-encrypt scan");
  }
  for (const Row& row : rows) {
    auto secret = Reseal(row.secret, SecretAad(row.partner_id));
    if (!secret) return secret.error();
    std::optional<std::string> previous;
    if (row.previous) {
      auto p = Reseal(*row.previous, PreviousSecretAad(row.partner_id));
      if (!p) return p.error();
      previous = std::move(*p);
    }
    auto s = Prepare("UPDATE webhooks SET secret = ?2, previous_secret = ?3, key_id = ?4 WHERE partner_id = ?1");
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, row.partner_id);
    BindBlob(*s, 2, *secret);
    if (previous) BindBlob(*s, 3, *previous);
    BindText(*s, 4, cipher.CurrentKeyId());
    if (auto r = Done(*s, "re-encrypt webhook"); !r) return r.error();
  }
  return static_cast<std::int64_t>(rows.size());
}

// --- Webhook settings ---

Result<std::pair<Webhook, bool>> SqliteStore::PutWebhook(std::int64_t partner_id, std::string_view url,
                                                         const std::vector<std::string>& events,
                                                         std::string_view new_secret, std::string_view now) {
  if (auto r = CheckWebhook(url, events); !r) return r.error();
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  auto existing = impl_->ReadWebhookLocked(partner_id);
  if (!existing) return existing.error();
  const bool created = !*existing;
  if (created && new_secret.empty()) return Error{"invalid_argument", "a new webhook needs a secret"};
  Webhook w = created ? Webhook{partner_id, "", {}, std::string(new_secret), "", "", std::string(now), ""}
                      : std::move(**existing);
  w.url = std::string(url);
  w.events = events;
  w.updated_at = std::string(now);
  auto sealed = impl_->cipher.Seal(w.secret, SecretAad(partner_id));
  if (!sealed) return sealed.error();
  // On update only url, events and updated_at change: the secrets are kept as sealed.
  auto s = impl_->Prepare(
      "INSERT INTO webhooks(partner_id, url, events, secret, key_id, created_at, updated_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT(partner_id) DO UPDATE SET url = excluded.url, "
      "events = excluded.events, updated_at = excluded.updated_at");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, w.url);
  BindText(*s, 3, JoinEvents(w.events));
  BindBlob(*s, 4, *sealed);
  BindText(*s, 5, impl_->cipher.CurrentKeyId());
  BindText(*s, 6, now);
  if (auto r = impl_->Done(*s, "put webhook"); !r) return r.error();
  if (auto r = txn.Commit(); !r) return r.error();
  return std::pair<Webhook, bool>(std::move(w), created);
}

Result<std::optional<Webhook>> SqliteStore::GetWebhook(std::int64_t partner_id) {
  std::lock_guard lock(impl_->mu);
  return impl_->ReadWebhookLocked(partner_id);
}

Result<Webhook> SqliteStore::RotateWebhookSecret(std::int64_t partner_id, std::string_view new_secret,
                                                 std::string_view previous_valid_until, std::string_view now) {
  if (new_secret.empty()) return Error{"invalid_argument", "the new secret is empty"};
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  auto existing = impl_->ReadWebhookLocked(partner_id);
  if (!existing) return existing.error();
  if (!*existing) return Error{"not_found", "no webhook for this partner"};
  Webhook w = std::move(**existing);
  w.previous_secret = std::move(w.secret);
  w.secret = std::string(new_secret);
  w.previous_valid_until = std::string(previous_valid_until);
  w.updated_at = std::string(now);
  // Each column has its own AAD, so current and previous cannot be swapped in the file.
  auto secret = impl_->cipher.Seal(w.secret, SecretAad(partner_id));
  if (!secret) return secret.error();
  auto previous = impl_->cipher.Seal(w.previous_secret, PreviousSecretAad(partner_id));
  if (!previous) return previous.error();
  auto s = impl_->Prepare(
      "UPDATE webhooks SET secret = ?2, previous_secret = ?3, previous_valid_until = ?4, key_id = ?5, "
      "updated_at = ?6 WHERE partner_id = ?1");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindBlob(*s, 2, *secret);
  BindBlob(*s, 3, *previous);
  BindTextOrNull(*s, 4, previous_valid_until);
  BindText(*s, 5, impl_->cipher.CurrentKeyId());
  BindText(*s, 6, now);
  if (auto r = impl_->Done(*s, "rotate webhook secret"); !r) return r.error();
  if (auto r = txn.Commit(); !r) return r.error();
  return w;
}

Result<bool> SqliteStore::DeleteWebhook(std::int64_t partner_id) {
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  // Attempts of the dropped events go first (they reference them); delivered and failed
  // events stay in the delivery log.
  static constexpr const char* kSteps[] = {
      "DELETE FROM webhooks WHERE partner_id = ?1",
      "DELETE FROM webhook_attempts WHERE seq IN (SELECT seq FROM outbox WHERE partner_id = ?1 AND status = 'pending')",
      "DELETE FROM outbox WHERE partner_id = ?1 AND status = 'pending'",
  };
  for (const char* sql : kSteps) {
    auto s = impl_->Prepare(sql);
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, partner_id);
    if (auto r = impl_->Done(*s, "delete webhook"); !r) return r.error();
    if (sql == kSteps[0] && impl_->Changes() == 0) return false;
  }
  if (auto r = txn.Commit(); !r) return r.error();
  return true;
}

// --- Outbox ---

Result<OutboxEvent> SqliteStore::Enqueue(const OutboxEvent& event) {
  OutboxEvent e = event;
  if (e.event_id.empty()) e.event_id = "msg_" + GenerateCode(kEventIdChars);
  e.attempts = 0;
  e.status = "pending";
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "INSERT INTO outbox(event_id, partner_id, type, ref, timestamp, linked_at, has_profile, attempts, "
      "next_attempt_ms, status) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, 'pending')");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindText(*s, 1, e.event_id);
  sqlite3_bind_int64(*s, 2, e.partner_id);
  BindText(*s, 3, e.type);
  BindText(*s, 4, e.ref);
  BindText(*s, 5, e.timestamp);
  BindText(*s, 6, e.linked_at);
  sqlite3_bind_int(*s, 7, e.has_profile ? 1 : 0);
  sqlite3_bind_int64(*s, 8, e.next_attempt_ms);
  if (auto r = impl_->Done(*s, "enqueue"); !r) return r.error();
  e.seq = sqlite3_last_insert_rowid(impl_->db.get());
  return e;
}

// "Head" below: the oldest pending event of its (partner, ref). Only heads are due, so a
// candidate's events reach the receiver in order even while one of them is retried.
Result<std::vector<OutboxEvent>> SqliteStore::DueEvents(std::int64_t now_ms, std::size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "SELECT " JOBZEN_EVENT_COLUMNS " FROM outbox o WHERE o.status = 'pending' AND o.next_attempt_ms <= ?1 "
      "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.partner_id = o.partner_id AND p.ref = o.ref "
      "AND p.status = 'pending' AND p.seq < o.seq) ORDER BY o.seq LIMIT ?2");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, now_ms);
  BindLimit(*s, 2, limit);
  std::vector<OutboxEvent> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(ReadEvent(*s));
  if (rc != SQLITE_DONE) return impl_->Fail("due events");
  return out;
}

Result<std::optional<std::int64_t>> SqliteStore::NextDue() {
  std::lock_guard lock(impl_->mu);
  // Heads only: a queued event behind one that waits for its retry is not due before it,
  // and counting it would wake the worker for nothing, again and again.
  auto s = impl_->Prepare(
      "SELECT MIN(o.next_attempt_ms) FROM outbox o WHERE o.status = 'pending' "
      "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.partner_id = o.partner_id AND p.ref = o.ref "
      "AND p.status = 'pending' AND p.seq < o.seq)");
  if (!s) return s.error();
  StmtScope scope(*s);
  if (sqlite3_step(*s) != SQLITE_ROW) return impl_->Fail("next due");
  if (sqlite3_column_type(*s, 0) == SQLITE_NULL) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(sqlite3_column_int64(*s, 0));
}

Result<Ok> SqliteStore::RecordAttempt(const DeliveryAttempt& attempt, const AttemptOutcome& outcome) {
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  {
    auto s = impl_->Prepare(
        "INSERT INTO webhook_attempts(seq, partner_id, at, status_code, latency_ms, error) "
        "SELECT seq, partner_id, ?2, ?3, ?4, ?5 FROM outbox WHERE seq = ?1");
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, attempt.seq);
    BindText(*s, 2, attempt.at);
    sqlite3_bind_int(*s, 3, attempt.status_code);
    sqlite3_bind_double(*s, 4, attempt.latency_ms);
    BindText(*s, 5, ShortError(attempt.error));
    if (auto r = impl_->Done(*s, "record attempt"); !r) return r.error();
    if (impl_->Changes() == 0) return Error{"not_found", "no outbox event " + std::to_string(attempt.seq)};
  }
  auto s = impl_->Prepare(
      "UPDATE outbox SET attempts = attempts + 1, status = ?2, "
      "next_attempt_ms = CASE WHEN ?3 THEN ?4 ELSE next_attempt_ms END WHERE seq = ?1");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, attempt.seq);
  BindText(*s, 2, OutcomeStatus(outcome.next));
  sqlite3_bind_int(*s, 3, outcome.next == AttemptOutcome::Next::kRetry ? 1 : 0);
  sqlite3_bind_int64(*s, 4, outcome.retry_at_ms);
  if (auto r = impl_->Done(*s, "record attempt"); !r) return r.error();
  if (auto r = txn.Commit(); !r) return r.error();
  return Ok{};
}

Result<std::vector<DeliveryAttempt>> SqliteStore::ListAttempts(std::int64_t partner_id, std::size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "SELECT a.seq, o.event_id, o.type, a.at, a.status_code, a.latency_ms, a.error FROM webhook_attempts a "
      "JOIN outbox o ON o.seq = a.seq WHERE a.partner_id = ?1 ORDER BY a.id DESC LIMIT ?2");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindLimit(*s, 2, limit);
  std::vector<DeliveryAttempt> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) {
    out.push_back({sqlite3_column_int64(*s, 0), Text(*s, 1), Text(*s, 2), Text(*s, 3), sqlite3_column_int(*s, 4),
                   sqlite3_column_double(*s, 5), Text(*s, 6)});
  }
  if (rc != SQLITE_DONE) return impl_->Fail("list attempts");
  return out;
}

Result<std::vector<OutboxEvent>> SqliteStore::ListEvents(std::int64_t partner_id, std::size_t limit) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare("SELECT " JOBZEN_EVENT_COLUMNS " FROM outbox o WHERE o.partner_id = ?1 ORDER BY o.seq DESC LIMIT ?2");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindLimit(*s, 2, limit);
  std::vector<OutboxEvent> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(ReadEvent(*s));
  if (rc != SQLITE_DONE) return impl_->Fail("list events");
  return out;
}

#undef JOBZEN_EVENT_COLUMNS

}  // namespace jobzen::store
