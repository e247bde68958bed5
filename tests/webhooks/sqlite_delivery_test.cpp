// The delivery worker and SendTest on the real SQLite store: the outbox's per-candidate order,
// attempts in the delivery log, rotation signing, as the server runs them.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/store.hpp"
#include "test_receiver.hpp"
#include "test_support.hpp"
#include "tls_test_server.hpp"
#include "webhooks/worker.hpp"

namespace {

using namespace jobzen;
using namespace jobzen::testing;
using namespace std::chrono_literals;

constexpr const char* kMasterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";  // bytes 0..31

TEST(SqliteDelivery, WorkerAndSendTestOnTheRealStore) {
  TempDir dir;
  TlsTestServer tls(dir.path());
  tls.Route("/hook", {200, "", "", "", 0});
  tls.RouteOnce("/hook", {500, "", "", "", 0});  // the first delivery fails once
  store::MasterKeyOptions keys;
  keys.keys = {kMasterKey};
  auto opened = store::OpenStore("sqlite:" + (dir.path() / "j.db").string(), keys);
  ASSERT_TRUE(opened) << opened.error().detail;
  store::Store& db = **opened;
  store::NewPartner acme;
  acme.name = "Acme";
  auto partner = db.CreatePartner(acme);
  ASSERT_TRUE(partner) << partner.error().detail;
  const std::int64_t id = partner->partner.id;
  const std::string now = webhooks::FormatUtc(webhooks::NowUnixMs(), false);
  const std::string first_secret = webhooks::GenerateSecret();
  ASSERT_TRUE(db.PutWebhook(id, tls.Url("/hook"), {"candidate.linked", "candidate.dissociated"}, first_secret, now));
  const std::string until = webhooks::FormatUtc(webhooks::NowUnixMs() + 24 * 3600 * 1000, false);
  auto rotated = db.RotateWebhookSecret(id, webhooks::GenerateSecret(), until, now);
  ASSERT_TRUE(rotated) << rotated.error().detail;

  std::vector<std::string> ids;
  for (const auto& [ref, type] : {std::pair{"A", "candidate.linked"}, {"A", "candidate.dissociated"}, {"B", "candidate.linked"}}) {
    store::OutboxEvent e;
    e.partner_id = id;
    e.type = type;
    e.ref = ref;
    e.timestamp = now;
    e.next_attempt_ms = webhooks::NowUnixMs();
    auto queued = db.Enqueue(e);
    ASSERT_TRUE(queued) << queued.error().detail;
    ids.push_back(queued->event_id);
  }
  webhooks::WorkerConfig config;
  config.retry_schedule = {50ms, 50ms};
  config.poll_interval = 20ms;
  config.destination = ReceiverOptions(tls, config.destination);
  {
    webhooks::DeliveryWorker worker(db, config);
    worker.Notify();
    ASSERT_TRUE(WaitUntil(
        [&] {
          auto events = db.ListEvents(id, 10);
          return events && std::none_of(events->begin(), events->end(), [](const auto& e) { return e.status != "delivered"; });
        },
        5s));
  }
  std::vector<std::string> sent;
  for (const TlsRequest& r : tls.Requests()) {
    sent.push_back(r.headers.at("webhook-id"));
    EXPECT_TRUE(VerifyRequest(rotated->secret, r));
    EXPECT_TRUE(VerifyRequest(first_secret, r));  // the previous secret signs during the rotation
  }
  const std::vector<std::string> expected{ids[0], ids[2], ids[0], ids[1]};
  EXPECT_EQ(sent, expected);
  auto attempts = db.ListAttempts(id, 10);
  ASSERT_TRUE(attempts);
  ASSERT_EQ(attempts->size(), 4u);
  EXPECT_EQ(attempts->back().status_code, 500);  // newest first
  EXPECT_EQ(attempts->back().error, "HTTP 500");

  auto test = webhooks::SendTest(db, id, config.destination);
  ASSERT_TRUE(test) << test.error().detail;
  EXPECT_EQ(test->status_code, 200);
  auto log = db.ListAttempts(id, 10);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 5u);
  EXPECT_EQ(log->front().type, "webhook.test");
  auto none = webhooks::SendTest(db, id + 1, config.destination);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "not_found");
}

}  // namespace
