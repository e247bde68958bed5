// SQLite store: invitations and linked candidates. Codes and manage tokens are looked up by
// their SHA-256; profiles are sealed per row (AAD "profile:<partner>:<ref>"). Every candidate
// change queues its webhook event in the same transaction (transactional outbox).
#include <openssl/crypto.h>

#include <utility>
#include <vector>

#include "store/profile_codec.hpp"
#include "store/sqlite/sqlite_impl.hpp"

namespace jobzen::store {

namespace {

constexpr std::size_t kMaxRefChars = 256;
constexpr std::size_t kEventIdChars = 24;
constexpr std::size_t kInvitationIdChars = 20;

// Columns every invitation query selects first, in ReadInvitation's order.
#define JOBZEN_INVITATION_COLUMNS \
  "i.id, i.partner_id, i.candidate_ref, i.code_hint, i.created_at, i.expires_at, i.linked_at, i.revoked_at"

// Expired is not stored: it is whatever is still pending once `now` reaches expires_at.
std::string InvitationStatus(const Invitation& inv, std::string_view now) {
  if (!inv.linked_at.empty()) return "linked";
  if (!inv.revoked_at.empty()) return "revoked";
  if (now >= inv.expires_at) return "expired";
  return "pending";
}

Invitation ReadInvitation(sqlite3_stmt* s, std::string_view now) {
  Invitation inv;
  inv.id = Text(s, 0);
  inv.partner_id = sqlite3_column_int64(s, 1);
  inv.candidate_ref = Text(s, 2);
  inv.code_hint = Text(s, 3);
  inv.created_at = Text(s, 4);
  inv.expires_at = Text(s, 5);
  inv.linked_at = Text(s, 6);
  inv.revoked_at = Text(s, 7);
  inv.status = InvitationStatus(inv, now);
  return inv;
}

// Four characters tell codes apart in a list; a short code shows none, so the hint never
// gives away a guessable part of it.
std::string CodeHint(std::string_view code) {
  return code.size() >= 16 ? "..." + std::string(code.substr(code.size() - 4)) : "...";
}

Error BadArgument(std::string detail) { return Error{"invalid_argument", std::move(detail)}; }

}  // namespace

// --- Helpers on Impl ---

Result<std::string> SqliteStore::Impl::SealProfile(std::int64_t partner_id, std::string_view ref,
                                                   const StoredProfile& profile) const {
  std::string plain = EncodeProfile(profile);
  auto sealed = cipher.Seal(plain, ProfileAad(partner_id, ref));
  OPENSSL_cleanse(plain.data(), plain.size());
  return sealed;
}

Result<StoredProfile> SqliteStore::Impl::OpenProfile(std::int64_t partner_id, std::string_view ref,
                                                     std::string_view sealed) const {
  auto plain = cipher.Open(sealed, ProfileAad(partner_id, ref));
  if (!plain) return plain.error();
  auto profile = DecodeProfile(*plain);
  OPENSSL_cleanse(plain->data(), plain->size());
  return profile;
}

Result<Ok> SqliteStore::Impl::QueueEventLocked(std::int64_t partner_id, std::string_view type, std::string_view ref,
                                               std::string_view now, std::string_view linked_at, bool has_profile) {
  // The subscription test sits in the INSERT itself: no webhook, or one without this event
  // type, queues nothing.
  auto s = Prepare(
      "INSERT INTO outbox(event_id, partner_id, type, ref, timestamp, linked_at, has_profile, attempts, "
      "next_attempt_ms, status) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, 'pending' "
      "WHERE EXISTS (SELECT 1 FROM webhooks WHERE partner_id = ?2 "
      "AND instr(',' || events || ',', ',' || ?3 || ',') > 0)");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindText(*s, 1, "msg_" + GenerateCode(kEventIdChars));
  sqlite3_bind_int64(*s, 2, partner_id);
  BindText(*s, 3, type);
  BindText(*s, 4, ref);
  BindText(*s, 5, now);
  BindText(*s, 6, linked_at);
  sqlite3_bind_int(*s, 7, has_profile ? 1 : 0);
  sqlite3_bind_int64(*s, 8, ParseUnixMs(now).value_or(0));
  return Done(*s, "queue event");
}

Result<bool> SqliteStore::Impl::DeleteCandidateLocked(std::int64_t partner_id, std::string_view ref,
                                                      std::string_view now) {
  {
    auto s = Prepare("DELETE FROM candidates WHERE partner_id = ?1 AND ref = ?2");
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, partner_id);
    BindText(*s, 2, ref);
    if (auto r = Done(*s, "dissociate"); !r) return r.error();
  }
  if (Changes() == 0) return false;
  if (auto r = QueueEventLocked(partner_id, "candidate.dissociated", ref, now, "", false); !r) return r.error();
  return true;
}

Result<std::optional<ManagedCandidate>> SqliteStore::Impl::FindManagedLocked(std::string_view token_hash,
                                                                             bool with_profile) {
  auto s = Prepare(
      "SELECT c.partner_id, p.name, c.ref, c.active, c.linked_at, c.profile FROM candidates c "
      "JOIN partners p ON p.id = c.partner_id WHERE c.manage_token_hash = ?1");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindBlob(*s, 1, token_hash);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_DONE) return std::optional<ManagedCandidate>();
  if (rc != SQLITE_ROW) return Fail("find by manage token");
  ManagedCandidate m;
  m.partner_id = sqlite3_column_int64(*s, 0);
  m.partner_name = Text(*s, 1);
  m.candidate.ref = Text(*s, 2);
  m.candidate.active = sqlite3_column_int(*s, 3) != 0;
  m.candidate.linked_at = Text(*s, 4);
  m.candidate.has_profile = sqlite3_column_type(*s, 5) != SQLITE_NULL;
  if (with_profile && m.candidate.has_profile) {
    auto profile = OpenProfile(m.partner_id, m.candidate.ref, Text(*s, 5));
    if (!profile) return profile.error();
    m.candidate.profile = std::move(*profile);
  }
  return std::optional<ManagedCandidate>(std::move(m));
}

Result<std::int64_t> SqliteStore::Impl::ReencryptProfilesLocked() {
  return ResealColumnLocked(
      "SELECT partner_id, ref, profile FROM candidates WHERE profile IS NOT NULL AND key_id IS NOT ?1",
      "UPDATE candidates SET profile = ?3, key_id = ?4 WHERE partner_id = ?1 AND ref = ?2", &ProfileAad);
}

// --- Candidates ---

Result<std::optional<CandidateProfile>> SqliteStore::FindCandidate(std::int64_t partner_id, std::string_view ref) {
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare("SELECT active, linked_at, profile FROM candidates WHERE partner_id = ?1 AND ref = ?2");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindText(*s, 2, ref);
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_DONE) return std::optional<CandidateProfile>();
  if (rc != SQLITE_ROW) return impl_->Fail("find candidate");
  CandidateProfile c;
  c.ref = std::string(ref);
  c.active = sqlite3_column_int(*s, 0) != 0;
  c.linked_at = Text(*s, 1);
  c.has_profile = sqlite3_column_type(*s, 2) != SQLITE_NULL;
  if (c.has_profile) {
    auto profile = impl_->OpenProfile(partner_id, ref, Text(*s, 2));
    if (!profile) return profile.error();
    c.profile = std::move(*profile);
  }
  return std::optional<CandidateProfile>(std::move(c));
}

Result<bool> SqliteStore::DissociateCandidate(std::int64_t partner_id, std::string_view ref, std::string_view now) {
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  auto deleted = impl_->DeleteCandidateLocked(partner_id, ref, now);
  if (!deleted || !*deleted) return deleted;
  if (auto r = txn.Commit(); !r) return r.error();
  return true;
}

// --- Invitations ---

Result<Invitation> SqliteStore::CreateInvitation(const NewInvitation& request, std::string_view now) {
  if (request.candidate_ref.empty() || request.candidate_ref.size() > kMaxRefChars) {
    return BadArgument("candidate_ref must be 1 to 256 characters");
  }
  if (request.code.empty()) return BadArgument("the invitation needs a code");
  if (request.expires_at.empty()) return BadArgument("the invitation needs an expiry");
  Invitation inv;
  inv.id = "inv_" + GenerateCode(kInvitationIdChars);
  inv.partner_id = request.partner_id;
  inv.candidate_ref = request.candidate_ref;
  inv.code_hint = CodeHint(request.code);
  inv.created_at = std::string(now);
  inv.expires_at = request.expires_at;
  inv.status = InvitationStatus(inv, now);
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare(
      "INSERT INTO invitations(id, partner_id, candidate_ref, code_hash, code_hint, created_at, expires_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindText(*s, 1, inv.id);
  sqlite3_bind_int64(*s, 2, inv.partner_id);
  BindText(*s, 3, inv.candidate_ref);
  BindBlob(*s, 4, HashKey(request.code));
  BindText(*s, 5, inv.code_hint);
  BindText(*s, 6, inv.created_at);
  BindText(*s, 7, inv.expires_at);
  if (auto r = impl_->Done(*s, "create invitation"); !r) return r.error();
  return inv;
}

Result<std::vector<Invitation>> SqliteStore::ListInvitations(std::int64_t partner_id, std::string_view now,
                                                             std::size_t limit) {
  std::lock_guard lock(impl_->mu);
  // rowid breaks ties between invitations created in the same second: newest first still.
  auto s = impl_->Prepare("SELECT " JOBZEN_INVITATION_COLUMNS
                          " FROM invitations i WHERE i.partner_id = ?1 ORDER BY i.created_at DESC, i.rowid DESC "
                          "LIMIT ?2");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, partner_id);
  BindLimit(*s, 2, limit);
  std::vector<Invitation> out;
  int rc;
  while ((rc = sqlite3_step(*s)) == SQLITE_ROW) out.push_back(ReadInvitation(*s, now));
  if (rc != SQLITE_DONE) return impl_->Fail("list invitations");
  return out;
}

Result<Invitation> SqliteStore::RevokeInvitation(std::int64_t partner_id, std::string_view id, std::string_view now) {
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  Invitation inv;
  {
    auto s = impl_->Prepare("SELECT " JOBZEN_INVITATION_COLUMNS
                            " FROM invitations i WHERE i.id = ?1 AND i.partner_id = ?2");
    if (!s) return s.error();
    StmtScope scope(*s);
    BindText(*s, 1, id);
    sqlite3_bind_int64(*s, 2, partner_id);
    const int rc = sqlite3_step(*s);
    if (rc == SQLITE_DONE) return Error{"not_found", "no such invitation"};
    if (rc != SQLITE_ROW) return impl_->Fail("find invitation");
    inv = ReadInvitation(*s, now);
  }
  if (inv.status != "pending") return Error{"conflict", "the invitation is already " + inv.status};
  auto s = impl_->Prepare("UPDATE invitations SET revoked_at = ?2 WHERE id = ?1");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindText(*s, 1, id);
  BindText(*s, 2, now);
  if (auto r = impl_->Done(*s, "revoke invitation"); !r) return r.error();
  if (auto r = txn.Commit(); !r) return r.error();
  inv.revoked_at = std::string(now);
  inv.status = "revoked";
  return inv;
}

Result<std::optional<InvitationView>> SqliteStore::FindInvitationByCode(std::string_view code, std::string_view now) {
  if (code.empty()) return std::optional<InvitationView>();
  std::lock_guard lock(impl_->mu);
  auto s = impl_->Prepare("SELECT " JOBZEN_INVITATION_COLUMNS
                          ", p.name FROM invitations i JOIN partners p ON p.id = i.partner_id WHERE i.code_hash = ?1");
  if (!s) return s.error();
  StmtScope scope(*s);
  BindBlob(*s, 1, HashKey(code));
  const int rc = sqlite3_step(*s);
  if (rc == SQLITE_DONE) return std::optional<InvitationView>();
  if (rc != SQLITE_ROW) return impl_->Fail("find invitation");
  return std::optional<InvitationView>(InvitationView{ReadInvitation(*s, now), Text(*s, 8)});
}

Result<ManagedCandidate> SqliteStore::LinkCandidate(const LinkRequest& request) {
  if (request.manage_token.empty()) return BadArgument("linking needs a manage token");
  auto view = FindInvitationByCode(request.code, request.now);  // takes and releases mu
  if (!view) return view.error();
  if (!*view) return Error{"not_found", "unknown invitation code"};
  const Invitation& inv = (*view)->invitation;
  if (inv.status != "pending") return Error{"gone", "the invitation is " + inv.status};
  std::optional<std::string> sealed;
  if (request.profile) {
    auto s = impl_->SealProfile(inv.partner_id, inv.candidate_ref, *request.profile);
    if (!s) return s.error();
    sealed = std::move(*s);
  }
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  {
    // The pending test is repeated under the write lock: of two concurrent uses of one code,
    // exactly one changes the row.
    auto s = impl_->Prepare(
        "UPDATE invitations SET linked_at = ?2 WHERE id = ?1 AND linked_at IS NULL AND revoked_at IS NULL "
        "AND expires_at > ?2");
    if (!s) return s.error();
    StmtScope scope(*s);
    BindText(*s, 1, inv.id);
    BindText(*s, 2, request.now);
    if (auto r = impl_->Done(*s, "use invitation"); !r) return r.error();
    if (impl_->Changes() == 0) return Error{"gone", "the invitation was used or revoked meanwhile"};
  }
  {
    auto s = impl_->Prepare(
        "INSERT INTO candidates(partner_id, ref, active, linked_at, manage_token_hash, profile, key_id, updated_at) "
        "VALUES(?1, ?2, 1, ?3, ?4, ?5, ?6, ?3) ON CONFLICT(partner_id, ref) DO UPDATE SET active = 1, "
        "linked_at = excluded.linked_at, manage_token_hash = excluded.manage_token_hash, "
        "profile = excluded.profile, key_id = excluded.key_id, updated_at = excluded.updated_at");
    if (!s) return s.error();
    StmtScope scope(*s);
    sqlite3_bind_int64(*s, 1, inv.partner_id);
    BindText(*s, 2, inv.candidate_ref);
    BindText(*s, 3, request.now);
    BindBlob(*s, 4, HashKey(request.manage_token));
    if (sealed) {
      BindBlob(*s, 5, *sealed);
      BindText(*s, 6, impl_->cipher.CurrentKeyId());
    }  // else both stay NULL: linked without a profile yet
    if (auto r = impl_->Done(*s, "link candidate"); !r) return r.error();
  }
  if (auto r = impl_->QueueEventLocked(inv.partner_id, "candidate.linked", inv.candidate_ref, request.now,
                                       request.now, request.profile.has_value());
      !r) {
    return r.error();
  }
  if (auto r = txn.Commit(); !r) return r.error();
  ManagedCandidate m{inv.partner_id, (*view)->partner_name, {}};
  m.candidate = {inv.candidate_ref, true, request.profile.has_value(), request.now, request.profile};
  return m;
}

// --- The candidate's management link ---

Result<std::optional<ManagedCandidate>> SqliteStore::FindByManageToken(std::string_view token) {
  if (token.empty()) return std::optional<ManagedCandidate>();
  std::lock_guard lock(impl_->mu);
  return impl_->FindManagedLocked(HashKey(token), true);
}

Result<ManagedCandidate> SqliteStore::ReplaceProfile(std::string_view token, const StoredProfile& profile,
                                                     std::string_view now) {
  if (token.empty()) return Error{"not_found", "unknown management link"};
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  // Without the old profile: a replacement must work even when the old record cannot be read.
  auto found = impl_->FindManagedLocked(HashKey(token), false);
  if (!found) return found.error();
  if (!*found) return Error{"not_found", "unknown management link"};
  ManagedCandidate m = std::move(**found);
  auto sealed = impl_->SealProfile(m.partner_id, m.candidate.ref, profile);
  if (!sealed) return sealed.error();
  auto s = impl_->Prepare(
      "UPDATE candidates SET profile = ?3, key_id = ?4, updated_at = ?5 WHERE partner_id = ?1 AND ref = ?2");
  if (!s) return s.error();
  StmtScope scope(*s);
  sqlite3_bind_int64(*s, 1, m.partner_id);
  BindText(*s, 2, m.candidate.ref);
  BindBlob(*s, 3, *sealed);
  BindText(*s, 4, impl_->cipher.CurrentKeyId());
  BindText(*s, 5, now);
  if (auto r = impl_->Done(*s, "replace profile"); !r) return r.error();
  if (auto r = txn.Commit(); !r) return r.error();
  m.candidate.has_profile = true;
  m.candidate.profile = profile;
  return m;
}

Result<bool> SqliteStore::DissociateByToken(std::string_view token, std::string_view now) {
  if (token.empty()) return false;
  std::lock_guard lock(impl_->mu);
  Txn txn(impl_->db.get());
  if (!txn.begun()) return txn.begun().error();
  auto found = impl_->FindManagedLocked(HashKey(token), false);
  if (!found) return found.error();
  if (!*found) return false;
  auto deleted = impl_->DeleteCandidateLocked((*found)->partner_id, (*found)->candidate.ref, now);
  if (!deleted || !*deleted) return deleted;
  if (auto r = txn.Commit(); !r) return r.error();
  return true;
}

#undef JOBZEN_INVITATION_COLUMNS

}  // namespace jobzen::store
