// SqliteStore invitations and linked candidates: invitation lifecycle, linking and re-linking,
// the management link, partner isolation, events queued only for subscribed webhooks, master
// key rotation, and privacy: no profile field, secret, code or token in the database files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace {

using namespace jobzen::store;
using jobzen::store::testing::kKeyA;
using jobzen::store::testing::kKeyB;
using jobzen::store::testing::kNextWeek;
using jobzen::store::testing::kT0;
using jobzen::store::testing::kT1;
using jobzen::store::testing::kT2;
using jobzen::store::testing::RfcFromNow;
using jobzen::store::testing::SampleProfile;

class CandidatesTest : public jobzen::store::testing::StoreTest {
 protected:
  std::vector<OutboxEvent> Events(std::int64_t partner) { return *store_->ListEvents(partner, 100); }

  // Runs SQL on a second, raw connection (checkpoints, inspection of stored columns).
  std::string RawQuery(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
    std::string out;
    sqlite3_exec(
        db, sql,
        [](void* acc, int n, char** values, char**) {
          for (int i = 0; i < n; ++i) *static_cast<std::string*>(acc) += values[i] != nullptr ? values[i] : "NULL";
          return 0;
        },
        &out, nullptr);
    sqlite3_close(db);
    return out;
  }
};

TEST_F(CandidatesTest, InvitationLifecycle) {
  const std::int64_t p = NewPartner("Acme");
  const std::string code = GenerateCode();
  auto inv = store_->CreateInvitation({p, "cand-1", code, kT1}, kT0);
  ASSERT_TRUE(inv) << inv.error().detail;
  EXPECT_EQ(inv->id.rfind("inv_", 0), 0u);
  EXPECT_EQ(inv->id.size(), 24u);
  EXPECT_EQ(inv->status, "pending");
  EXPECT_EQ(inv->code_hint, "..." + code.substr(code.size() - 4));

  auto view = store_->FindInvitationByCode(code, kT0);
  ASSERT_TRUE(view && *view);
  EXPECT_EQ((*view)->partner_name, "Acme");
  EXPECT_EQ((*view)->invitation.status, "pending");
  EXPECT_EQ((*store_->FindInvitationByCode(code, kT1))->invitation.status, "expired") << "now >= expires_at";
  EXPECT_FALSE(*store_->FindInvitationByCode(GenerateCode(), kT0));

  auto linked = store_->LinkCandidate({code, kT0, SampleProfile(), GenerateCode()});
  ASSERT_TRUE(linked) << linked.error().detail;
  EXPECT_EQ(linked->partner_id, p);
  EXPECT_EQ(linked->partner_name, "Acme");
  EXPECT_TRUE(linked->candidate.active);
  EXPECT_EQ(linked->candidate.linked_at, kT0);
  EXPECT_EQ((*store_->FindInvitationByCode(code, kT2))->invitation.status, "linked") << "linked stays linked";
  auto list = store_->ListInvitations(p, kT0, 10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].status, "linked");
  EXPECT_EQ((*list)[0].linked_at, kT0);
}

TEST_F(CandidatesTest, InvitationsThatCannotBeUsedOrRevoked) {
  const std::int64_t p = NewPartner("Acme");
  const std::int64_t other = NewPartner("Other");
  auto make = [&](const char* expires) {
    const std::string code = GenerateCode();
    return std::pair(code, *store_->CreateInvitation({p, "cand", code, expires}, kT0));
  };
  const auto [used_code, used] = make(kNextWeek);
  ASSERT_TRUE(store_->LinkCandidate({used_code, kT0, std::nullopt, GenerateCode()}));
  const auto [expired_code, expired] = make(kT1);
  const auto [revoked_code, revoked] = make(kNextWeek);
  auto r = store_->RevokeInvitation(p, revoked.id, kT0);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(r->status, "revoked");
  EXPECT_EQ(r->revoked_at, kT0);

  const struct {
    const char* name;
    std::string code;
    std::string id;
    std::int64_t partner;
    const char* link_error;
    const char* revoke_error;
  } cases[] = {
      {"used", used_code, used.id, p, "gone", "conflict"},
      {"expired", expired_code, expired.id, p, "gone", "conflict"},
      {"revoked", revoked_code, revoked.id, p, "gone", "conflict"},
      {"unknown", GenerateCode(), "inv_nope", p, "not_found", "not_found"},
      {"another partner's", revoked_code, revoked.id, other, "gone", "not_found"},
  };
  for (const auto& c : cases) {
    auto link = store_->LinkCandidate({c.code, kT2, std::nullopt, GenerateCode()});
    ASSERT_FALSE(link) << c.name;
    EXPECT_EQ(link.error().code, c.link_error) << c.name;
    auto revoke = store_->RevokeInvitation(c.partner, c.id, kT2);
    ASSERT_FALSE(revoke) << c.name;
    EXPECT_EQ(revoke.error().code, c.revoke_error) << c.name;
  }
  auto list = store_->ListInvitations(p, kT2, 10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, revoked.id) << "newest first";
  EXPECT_EQ((*list)[1].status, "expired");
  EXPECT_EQ((*list)[2].status, "linked");
  EXPECT_EQ(store_->ListInvitations(p, kT2, 2)->size(), 2u);
  EXPECT_TRUE(store_->ListInvitations(other, kT2, 10)->empty());
  EXPECT_EQ(store_->CreateInvitation({p, "", GenerateCode(), kNextWeek}, kT0).error().code, "invalid_argument");
  EXPECT_EQ(store_->CreateInvitation({p, std::string(257, 'r'), GenerateCode(), kNextWeek}, kT0).error().code,
            "invalid_argument");
}

TEST_F(CandidatesTest, ACodeLinksOnceUnderConcurrency) {
  const std::int64_t p = NewPartner("Acme");
  const std::string code = GenerateCode();
  ASSERT_TRUE(store_->CreateInvitation({p, "cand", code, kNextWeek}, kT0));
  std::atomic<int> linked{0}, gone{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto r = store_->LinkCandidate({code, kT0, SampleProfile(), GenerateCode()});
      (r ? linked : r.error().code == "gone" ? gone : linked)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(linked.load(), 1);
  EXPECT_EQ(gone.load(), 7);
}

TEST_F(CandidatesTest, PartnersAreIsolated) {
  const std::int64_t a = NewPartner("A");
  const std::int64_t b = NewPartner("B");
  Link(a, "shared-ref", SampleProfile("Rust"));
  Link(b, "shared-ref", SampleProfile("Go"));
  Link(a, "only-a", SampleProfile());
  EXPECT_EQ((*store_->FindCandidate(a, "shared-ref"))->profile->skills[0], "Rust");
  EXPECT_EQ((*store_->FindCandidate(b, "shared-ref"))->profile->skills[0], "Go");
  EXPECT_FALSE(*store_->FindCandidate(b, "only-a"));
  EXPECT_FALSE(*store_->DissociateCandidate(b, "only-a", kT1));
  EXPECT_TRUE(*store_->FindCandidate(a, "only-a"));
}

TEST_F(CandidatesTest, LinkWithoutProfileThenRelinkReplacesProfileAndToken) {
  const std::int64_t p = NewPartner("Acme");
  const std::string first_token = Link(p, "cand-1", std::nullopt);
  auto found = store_->FindCandidate(p, "cand-1");
  ASSERT_TRUE(found && *found);
  EXPECT_TRUE((*found)->active);
  EXPECT_FALSE((*found)->has_profile);
  EXPECT_FALSE((*found)->profile);

  const std::string second_token = Link(p, "cand-1", SampleProfile("Kotlin"));
  found = store_->FindCandidate(p, "cand-1");
  ASSERT_TRUE((*found)->has_profile);
  EXPECT_EQ(*(*found)->profile, SampleProfile("Kotlin"));
  EXPECT_FALSE(*store_->FindByManageToken(first_token)) << "the old link stops working";
  auto managed = store_->FindByManageToken(second_token);
  ASSERT_TRUE(managed && *managed);
  EXPECT_EQ((*managed)->partner_name, "Acme");
  EXPECT_EQ(*(*managed)->candidate.profile, SampleProfile("Kotlin"));
}

TEST_F(CandidatesTest, ManagementLinkReplacesAndDissociates) {
  const std::int64_t p = NewPartner("Acme");
  ASSERT_TRUE(store_->PutWebhook(p, "https://example.org/h", {"candidate.linked", "candidate.dissociated"},
                                 "whsec_x", kT0));
  const std::string token = Link(p, "cand-1", SampleProfile());
  ASSERT_EQ(Events(p).size(), 1u);
  auto replaced = store_->ReplaceProfile(token, SampleProfile("Haskell"), kT1);
  ASSERT_TRUE(replaced) << replaced.error().detail;
  EXPECT_EQ(replaced->candidate.profile->skills[0], "Haskell");
  EXPECT_EQ((*store_->FindCandidate(p, "cand-1"))->profile->skills[0], "Haskell");
  EXPECT_EQ(Events(p).size(), 1u) << "replacing a profile sends no event";
  EXPECT_EQ(store_->ReplaceProfile("unknown", SampleProfile(), kT1).error().code, "not_found");
  EXPECT_EQ(store_->ReplaceProfile("", SampleProfile(), kT1).error().code, "not_found");

  EXPECT_TRUE(*store_->DissociateByToken(token, kT2));
  EXPECT_FALSE(*store_->FindByManageToken(token));
  EXPECT_FALSE(*store_->FindCandidate(p, "cand-1"));
  EXPECT_FALSE(*store_->DissociateByToken(token, kT2));
  EXPECT_FALSE(*store_->DissociateCandidate(p, "cand-1", kT2));
  const auto events = Events(p);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "candidate.dissociated");
  EXPECT_EQ(events[0].timestamp, kT2);
  EXPECT_EQ(events[0].linked_at, "");
  EXPECT_FALSE(events[0].has_profile);
  EXPECT_EQ(events[1].type, "candidate.linked");
  EXPECT_EQ(events[1].linked_at, kT0);
  EXPECT_TRUE(events[1].has_profile);
}

TEST_F(CandidatesTest, EventsAreQueuedOnlyForSubscribedTypes) {
  const std::int64_t none = NewPartner("No webhook");
  const std::int64_t linked_only = NewPartner("Linked only");
  const std::int64_t both = NewPartner("Both");
  ASSERT_TRUE(store_->PutWebhook(linked_only, "https://example.org/a", {"candidate.linked"}, "whsec_a", kT0));
  ASSERT_TRUE(store_->PutWebhook(both, "https://example.org/b", {"candidate.dissociated", "candidate.linked"},
                                 "whsec_b", kT0));
  const struct {
    const char* name;
    std::int64_t partner;
    std::size_t after_link;
    std::size_t after_dissociate;
  } cases[] = {{"none", none, 0, 0}, {"linked only", linked_only, 1, 1}, {"both", both, 1, 2}};
  for (const auto& c : cases) {
    Link(c.partner, "r", SampleProfile());
    EXPECT_EQ(Events(c.partner).size(), c.after_link) << c.name;
    ASSERT_TRUE(*store_->DissociateCandidate(c.partner, "r", kT1)) << c.name;
    EXPECT_EQ(Events(c.partner).size(), c.after_dissociate) << c.name;
  }
  const auto e = Events(both)[0];
  EXPECT_EQ(e.event_id.rfind("msg_", 0), 0u);
  EXPECT_EQ(e.event_id.size(), 28u);
  EXPECT_EQ(e.status, "pending");
  EXPECT_EQ(e.attempts, 0);
  EXPECT_EQ(e.next_attempt_ms, 1795950000000) << "due at the change's time (" << kT1 << ")";
}

TEST_F(CandidatesTest, MasterKeyRotation) {
  const std::int64_t p = NewPartner("Acme");
  Link(p, "cand-1", SampleProfile("Erlang"));
  Link(p, "cand-2", std::nullopt);  // nothing sealed: nothing to re-encrypt
  ASSERT_TRUE(store_->PutWebhook(p, "https://example.org/h", {"candidate.linked"}, "whsec_one", kT0));
  ASSERT_TRUE(store_->RotateWebhookSecret(p, "whsec_two", kT1, kT0));
  ASSERT_TRUE(store_->SaveIdempotent(p, "idem-1", {"hash", 201, "{\"ok\":true}"}, RfcFromNow(0)));

  Reopen({kKeyB, kKeyA});
  EXPECT_EQ((*store_->FindCandidate(p, "cand-1"))->profile->skills[0], "Erlang") << "old key still opens";
  auto count = store_->ReencryptAll();
  ASSERT_TRUE(count) << count.error().detail;
  EXPECT_EQ(*count, 3) << "one profile, one webhook row, one idempotent response";
  EXPECT_EQ(*store_->ReencryptAll(), 0);

  Reopen({kKeyB});
  EXPECT_EQ((*store_->FindCandidate(p, "cand-1"))->profile->skills[0], "Erlang");
  auto hook = store_->GetWebhook(p);
  ASSERT_TRUE(hook && *hook);
  EXPECT_EQ((*hook)->secret, "whsec_two");
  EXPECT_EQ((*hook)->previous_secret, "whsec_one");
  EXPECT_EQ((*store_->FindIdempotent(p, "idem-1"))->body, "{\"ok\":true}");

  // A alone no longer opens what B sealed: the store refuses to start rather than answer
  // "not found" for every profile (a lost key file, a wrong variable).
  store_.reset();
  auto refused = OpenStore(Dsn(), MasterKeyOptions{{kKeyA}, ""});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "master_key");
  EXPECT_NE(refused.error().detail.find("not configured"), std::string::npos);
  EXPECT_EQ(refused.error().detail.find("Erlang"), std::string::npos);
  // The same with a fresh key file (the old one lost).
  auto fresh = OpenStore(Dsn(), MasterKeyOptions{{}, (dir_ / "new.key").string()});
  ASSERT_FALSE(fresh);
  EXPECT_EQ(fresh.error().code, "master_key");
  Reopen({kKeyB});
}

TEST_F(CandidatesTest, PrivacyNothingSensitiveInTheDatabaseFiles) {
  const std::int64_t p = NewPartner("Acme");
  const std::string marker = "Zyxquorbian Welding";
  StoredProfile profile = SampleProfile(marker);
  profile.profile_summary = "Qwxjplorian summary";
  profile.positions = {"Vexmorth supervisor"};
  const std::string secret = "whsec_" + GenerateCode(40);
  const std::string rotated = "whsec_" + GenerateCode(40);
  ASSERT_TRUE(store_->PutWebhook(p, "https://example.org/h", {"candidate.linked"}, secret, kT0));
  ASSERT_TRUE(store_->RotateWebhookSecret(p, rotated, kT1, kT0));
  const std::string code = GenerateCode();
  ASSERT_TRUE(store_->CreateInvitation({p, "Plainref-7731", code, kNextWeek}, kT0));
  const std::string token = GenerateCode();
  ASSERT_TRUE(store_->LinkCandidate({code, kT0, profile, token}));
  const std::string body = "{\"secret\":\"Idemcontent-4471\"}";
  ASSERT_TRUE(store_->SaveIdempotent(p, "k", {"h", 200, body}, RfcFromNow(0)));

  auto expect_clean = [&](const char* when) {
    const std::string bytes = ReadDbFiles();
    EXPECT_NE(bytes.find("Plainref-7731"), std::string::npos) << when << ": the scan sees stored rows";
    for (const std::string& needle : {marker, std::string("Qwxjplorian"), std::string("Vexmorth"), secret, rotated,
                                      code, token, std::string("Idemcontent-4471")}) {
      EXPECT_EQ(bytes.find(needle), std::string::npos) << when << ": " << needle.substr(0, 12) << "... in clear";
    }
  };
  expect_clean("in the WAL");
  EXPECT_NE(RawQuery("PRAGMA wal_checkpoint(TRUNCATE)").substr(0, 1), "1") << "checkpoint not blocked";
  expect_clean("after a checkpoint");
  EXPECT_EQ(RawQuery("SELECT count(*) FROM candidates WHERE profile IS NOT NULL AND key_id IS NOT NULL"), "1");

  // Dissociation deletes the sealed profile itself: secure_delete zeroes the freed cells.
  const std::string sealed_hex = RawQuery("SELECT hex(substr(profile, 22, 24)) FROM candidates");
  ASSERT_EQ(sealed_hex.size(), 48u);
  std::string sealed_bytes;
  for (std::size_t i = 0; i < sealed_hex.size(); i += 2) {
    sealed_bytes += static_cast<char>(std::stoi(sealed_hex.substr(i, 2), nullptr, 16));
  }
  ASSERT_NE(ReadDbFiles().find(sealed_bytes), std::string::npos);
  ASSERT_TRUE(*store_->DissociateByToken(token, kT2));
  RawQuery("PRAGMA wal_checkpoint(TRUNCATE)");
  store_.reset();  // the last connection checkpoints and removes the WAL
  EXPECT_EQ(ReadDbFiles().find(sealed_bytes), std::string::npos) << "the dissociated profile is gone from the file";
}

}  // namespace
