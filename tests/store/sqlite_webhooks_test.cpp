// SqliteStore webhooks and outbox: settings and secret rotation, per-candidate delivery order,
// retries and attempts (newest first), deletion dropping pending events, and Idempotency-Key
// responses (replay, first save wins, 24 h expiry, per partner).
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace {

using namespace jobzen::store;
using jobzen::store::testing::kT0;
using jobzen::store::testing::kT1;
using jobzen::store::testing::RfcFromNow;

constexpr std::int64_t kNowMs = 1'800'000'000'000;
const std::vector<std::string> kBoth = {"candidate.linked", "candidate.dissociated"};

class WebhooksTest : public jobzen::store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    partner_ = NewPartner("Acme");
  }

  OutboxEvent Queue(const std::string& ref, const std::string& type, std::int64_t due_ms = kNowMs) {
    OutboxEvent e;
    e.partner_id = partner_;
    e.type = type;
    e.ref = ref;
    e.timestamp = kT0;
    e.next_attempt_ms = due_ms;
    auto queued = store_->Enqueue(e);
    EXPECT_TRUE(queued) << queued.error().detail;
    return *queued;
  }

  jobzen::Result<Ok> Attempt(const OutboxEvent& e, int status_code, AttemptOutcome outcome, const char* error = "") {
    return store_->RecordAttempt({e.seq, e.event_id, e.type, kT1, status_code, 12.5, error}, outcome);
  }

  std::vector<std::int64_t> DueSeqs(std::int64_t now_ms = kNowMs) {
    auto due = store_->DueEvents(now_ms, 100);
    EXPECT_TRUE(due) << due.error().detail;
    std::vector<std::int64_t> seqs;
    if (due) {
      for (const OutboxEvent& e : *due) seqs.push_back(e.seq);
    }
    return seqs;
  }

  std::int64_t partner_ = 0;
};

using Seqs = std::vector<std::int64_t>;

TEST_F(WebhooksTest, PutKeepsTheSecretAndRotationKeepsThePrevious) {
  EXPECT_FALSE(*store_->GetWebhook(partner_));
  auto created = store_->PutWebhook(partner_, "https://example.org/a", {"candidate.linked"}, "whsec_first", kT0);
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_TRUE(created->second);
  EXPECT_EQ(created->first.secret, "whsec_first");
  auto updated = store_->PutWebhook(partner_, "https://example.org/b", kBoth, "whsec_ignored", kT1);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->second);
  EXPECT_EQ(updated->first.secret, "whsec_first");
  auto hook = *store_->GetWebhook(partner_);
  ASSERT_TRUE(hook);
  EXPECT_EQ(hook->url, "https://example.org/b");
  EXPECT_EQ(hook->events, kBoth);
  EXPECT_EQ(hook->secret, "whsec_first");
  EXPECT_EQ(hook->created_at, kT0);
  EXPECT_EQ(hook->updated_at, kT1);
  EXPECT_EQ(hook->previous_secret, "");

  auto rotated = store_->RotateWebhookSecret(partner_, "whsec_second", "2026-11-30T11:00:00Z", kT1);
  ASSERT_TRUE(rotated) << rotated.error().detail;
  hook = *store_->GetWebhook(partner_);
  EXPECT_EQ(hook->secret, "whsec_second");
  EXPECT_EQ(hook->previous_secret, "whsec_first");
  EXPECT_EQ(hook->previous_valid_until, "2026-11-30T11:00:00Z");
  EXPECT_EQ(store_->RotateWebhookSecret(partner_ + 1, "whsec_x", kT1, kT1).error().code, "not_found");

  const struct {
    const char* name;
    std::string url;
    std::vector<std::string> events;
    std::string secret;
  } invalid[] = {
      {"no url", "", kBoth, "whsec_a"},
      {"comma in an event", "https://example.org", {"a,b"}, "whsec_a"},
      {"empty event", "https://example.org", {""}, "whsec_a"},
  };
  for (const auto& c : invalid) {
    auto r = store_->PutWebhook(partner_, c.url, c.events, c.secret, kT1);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, "invalid_argument") << c.name;
  }
}

TEST_F(WebhooksTest, OnlyTheOldestPendingEventOfACandidateIsDue) {
  const OutboxEvent a1 = Queue("cand-a", "candidate.linked");
  const OutboxEvent a2 = Queue("cand-a", "candidate.dissociated");
  const OutboxEvent b1 = Queue("cand-b", "candidate.linked");
  EXPECT_EQ(a1.event_id.size(), 28u);
  EXPECT_EQ(a1.status, "pending");
  EXPECT_EQ(DueSeqs(), (Seqs{a1.seq, b1.seq})) << "different candidates are both due, a2 waits";
  EXPECT_EQ(DueSeqs(kNowMs - 1), Seqs{}) << "not due before next_attempt_ms";
  EXPECT_EQ(store_->DueEvents(kNowMs, 1)->size(), 1u);

  // a1 fails once: retried later, and a2 still waits behind it (and does not wake the worker).
  ASSERT_TRUE(Attempt(a1, 503, {AttemptOutcome::Next::kRetry, kNowMs + 60'000}));
  ASSERT_TRUE(Attempt(b1, 204, {AttemptOutcome::Next::kDelivered, 0}));
  EXPECT_EQ(DueSeqs(), Seqs{});
  EXPECT_EQ(**store_->NextDue(), kNowMs + 60'000);
  EXPECT_EQ(DueSeqs(kNowMs + 60'000), Seqs{a1.seq});

  ASSERT_TRUE(Attempt(a1, 200, {AttemptOutcome::Next::kDelivered, 0}));
  EXPECT_EQ(DueSeqs(), Seqs{a2.seq}) << "delivered: the next one is due";
  ASSERT_TRUE(Attempt(a2, 0, {AttemptOutcome::Next::kFailed, 0}, "connection refused"));
  EXPECT_EQ(DueSeqs(kNowMs * 2), Seqs{}) << "failed events are not retried";
  EXPECT_FALSE(*store_->NextDue());

  const OutboxEvent a3 = Queue("cand-a", "candidate.linked");
  EXPECT_EQ(DueSeqs(), Seqs{a3.seq}) << "a failed event does not block the candidate forever";

  const auto events = *store_->ListEvents(partner_, 10);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].seq, a3.seq) << "newest first";
  EXPECT_EQ(events[1].seq, b1.seq);
  EXPECT_EQ(events[2].status, "failed");
  EXPECT_EQ(events[2].attempts, 1);
  EXPECT_EQ(events[3].status, "delivered");
  EXPECT_EQ(events[3].attempts, 2);
  EXPECT_EQ(events[3].event_id, a1.event_id) << "stable across retries";
}

TEST_F(WebhooksTest, AttemptsAreListedNewestFirstPerPartner) {
  const std::int64_t other = NewPartner("Other");
  const OutboxEvent e = Queue("cand", "candidate.linked");
  ASSERT_TRUE(Attempt(e, 0, {AttemptOutcome::Next::kRetry, kNowMs + 1}, "timeout"));
  ASSERT_TRUE(Attempt(e, 500, {AttemptOutcome::Next::kRetry, kNowMs + 2}));
  ASSERT_TRUE(Attempt(e, 200, {AttemptOutcome::Next::kDelivered, 0}));
  auto attempts = store_->ListAttempts(partner_, 10);
  ASSERT_TRUE(attempts) << attempts.error().detail;
  ASSERT_EQ(attempts->size(), 3u);
  const int expected_codes[] = {200, 500, 0};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*attempts)[i].status_code, expected_codes[i]) << i;
    EXPECT_EQ((*attempts)[i].event_id, e.event_id);
    EXPECT_EQ((*attempts)[i].type, "candidate.linked");
    EXPECT_EQ((*attempts)[i].at, kT1);
    EXPECT_DOUBLE_EQ((*attempts)[i].latency_ms, 12.5);
  }
  EXPECT_EQ((*attempts)[2].error, "timeout");
  EXPECT_EQ(store_->ListAttempts(partner_, 1)->size(), 1u);
  EXPECT_TRUE(store_->ListAttempts(other, 10)->empty());
  EXPECT_EQ(store_->RecordAttempt({e.seq + 100, "", "", kT1, 200, 1, ""}, {}).error().code, "not_found");
  ASSERT_TRUE(Attempt(e, 0, {AttemptOutcome::Next::kFailed, 0}, std::string(1000, 'x').c_str()));
  EXPECT_LE((*store_->ListAttempts(partner_, 1))[0].error.size(), 200u) << "errors are kept short";
}

TEST_F(WebhooksTest, DeletingTheWebhookDropsPendingEventsOnly) {
  ASSERT_TRUE(store_->PutWebhook(partner_, "https://example.org", kBoth, "whsec_a", kT0));
  const OutboxEvent delivered = Queue("a", "candidate.linked");
  ASSERT_TRUE(Attempt(delivered, 200, {AttemptOutcome::Next::kDelivered, 0}));
  const OutboxEvent retrying = Queue("b", "candidate.linked");
  ASSERT_TRUE(Attempt(retrying, 500, {AttemptOutcome::Next::kRetry, kNowMs + 5}));
  Queue("c", "candidate.linked");
  EXPECT_TRUE(*store_->DeleteWebhook(partner_));
  EXPECT_FALSE(*store_->GetWebhook(partner_));
  const auto events = *store_->ListEvents(partner_, 10);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].seq, delivered.seq);
  EXPECT_EQ(store_->ListAttempts(partner_, 10)->size(), 1u);
  EXPECT_FALSE(*store_->NextDue());
  EXPECT_FALSE(*store_->DeleteWebhook(partner_));
}

TEST_F(WebhooksTest, IdempotentResponsesReplayForADay) {
  const std::int64_t other = NewPartner("Other");
  ASSERT_TRUE(store_->SaveIdempotent(partner_, "key-1", {"hash-1", 201, "{\"first\":1}"}, RfcFromNow(0)));
  ASSERT_TRUE(store_->SaveIdempotent(partner_, "key-1", {"hash-2", 500, "{\"second\":1}"}, RfcFromNow(0)));
  auto found = store_->FindIdempotent(partner_, "key-1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->request_hash, "hash-1") << "the first save wins";
  EXPECT_EQ((*found)->status, 201);
  EXPECT_EQ((*found)->body, "{\"first\":1}");
  EXPECT_FALSE(*store_->FindIdempotent(other, "key-1")) << "keys are per partner";
  EXPECT_FALSE(*store_->FindIdempotent(partner_, "key-2"));

  const struct {
    const char* name;
    std::int64_t age_seconds;
    bool found;
  } ages[] = {{"1 h", 3600, true}, {"23 h", 23 * 3600, true}, {"25 h", 25 * 3600, false}, {"a week", 7 * 86400, false}};
  for (const auto& a : ages) {
    const std::string key = std::string("aged-") + a.name;
    ASSERT_TRUE(store_->SaveIdempotent(partner_, key, {"h", 200, "old"}, RfcFromNow(-a.age_seconds)));
    EXPECT_EQ(store_->FindIdempotent(partner_, key)->has_value(), a.found) << a.name;
  }
  // An expired key is purged by the next save, so it can be used again.
  ASSERT_TRUE(store_->SaveIdempotent(partner_, "aged-25 h", {"h", 202, "new"}, RfcFromNow(0)));
  EXPECT_EQ((*store_->FindIdempotent(partner_, "aged-25 h"))->body, "new");
}

}  // namespace
