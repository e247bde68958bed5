// DeliveryWorker and SendTest against the local HTTPS server: signed deliveries a receiver
// verifies, retries after errors and outages, per-candidate order, give-up, rotation, refused
// destinations; the retry schedule's jitter; and one run on the real SQLite store.
#include "webhooks/worker.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json/parse.hpp>

#include "fake_store.hpp"
#include "test_receiver.hpp"
#include "store/store.hpp"
#include "test_support.hpp"
#include "tls_test_server.hpp"
#include "webhooks/event_body.hpp"
#include "webhooks/signature.hpp"
#include "webhooks/utc_time.hpp"

namespace {

using namespace jobzen;
using namespace jobzen::testing;
using namespace std::chrono_literals;
using webhooks::DeliveryWorker;

constexpr std::int64_t kPartner = 1;

std::string RefOf(const TlsRequest& r) {
  return std::string(boost::json::parse(r.body).at("data").at("ref").as_string());
}

class Worker : public ::testing::Test {
 protected:
  void SetUp() override {
    hook_.partner_id = kPartner;
    hook_.url = tls_.Url("/hook");
    hook_.events = {"candidate.linked", "candidate.dissociated"};
    hook_.secret = webhooks::GenerateSecret();
    store_.SetWebhook(hook_);
    tls_.Route("/hook", {200, "text/plain", "ok", "", 0});
    config_.retry_schedule = {50ms, 50ms, 50ms};
    config_.poll_interval = 20ms;
    config_.destination = ReceiverOptions(tls_, config_.destination);
  }

  store::OutboxEvent Queue(const std::string& ref, const std::string& type = "candidate.linked",
                           std::int64_t partner = kPartner) {
    store::OutboxEvent e;
    e.partner_id = partner;
    e.type = type;
    e.ref = ref;
    e.timestamp = "2026-03-01T10:00:00Z";
    e.linked_at = type == "candidate.linked" ? "2026-03-01T09:59:58Z" : "";
    e.has_profile = type == "candidate.linked";
    e.next_attempt_ms = webhooks::NowUnixMs();
    auto queued = store_.Enqueue(e);
    EXPECT_TRUE(queued);
    return *queued;
  }

  // Waits until no event is pending (true) or 5 s pass.
  bool Settled() {
    return WaitUntil(
        [&] {
          const auto events = store_.Events();
          return std::none_of(events.begin(), events.end(), [](const auto& e) { return e.status == "pending"; });
        },
        5s);
  }

  TempDir dir_;
  TlsTestServer tls_{dir_.path()};
  FakeStore store_;
  store::Webhook hook_;
  webhooks::WorkerConfig config_;
};

TEST_F(Worker, DeliversASignedEventTheReceiverVerifies) {
  const store::OutboxEvent event = Queue("cand-1");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  const auto requests = tls_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const TlsRequest& r = requests[0];
  EXPECT_EQ(r.body, webhooks::RenderBody(event));
  EXPECT_EQ(r.headers.at("webhook-id"), event.event_id);
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("user-agent"), "JobZen-Webhooks/1");
  auto verified = VerifyRequest(hook_.secret, r);
  ASSERT_TRUE(verified) << verified.error().code;
  EXPECT_EQ(verified->msg_id, event.event_id);
  EXPECT_FALSE(VerifyRequest(webhooks::GenerateSecret(), r));
  EXPECT_EQ(r.headers.at("webhook-signature").find(' '), std::string::npos);  // one secret, one entry
  const auto attempts = store_.Attempts();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].status_code, 200);
  EXPECT_EQ(attempts[0].event_id, event.event_id);
  EXPECT_EQ(attempts[0].error, "");
  EXPECT_GT(attempts[0].latency_ms, 0);
  EXPECT_TRUE(webhooks::ParseUtc(attempts[0].at));
  EXPECT_EQ(store_.Events()[0].status, "delivered");
}

TEST_F(Worker, RetriesAfterAServerErrorWithTheSameIdAndBody) {
  tls_.RouteOnce("/hook", {500, "text/plain", "try later", "", 0});
  Queue("cand-1");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  const auto attempts = store_.Attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status_code, 500);
  EXPECT_EQ(attempts[0].error, "HTTP 500");
  EXPECT_EQ(attempts[1].status_code, 200);
  EXPECT_EQ(store_.Events()[0].status, "delivered");
  EXPECT_EQ(store_.Events()[0].attempts, 2);
  const auto requests = tls_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
  EXPECT_EQ(requests[0].headers.at("webhook-id"), requests[1].headers.at("webhook-id"));
  EXPECT_TRUE(VerifyRequest(hook_.secret, requests[1]));
}

TEST_F(Worker, RetriesWhileTheReceiverIsDown) {
  TempDir other;
  int port = 0;
  {
    TlsTestServer probe(other.path());  // finds a free port, then leaves it closed
    port = probe.port();
  }
  hook_.url = "https://127.0.0.1:" + std::to_string(port) + "/hook";
  store_.SetWebhook(hook_);
  config_.destination.ca_file = (other.path() / "cert.pem").string();
  config_.retry_schedule = {100ms, 300ms, 500ms, 1s, 2s};
  Queue("cand-1");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(WaitUntil([&] { return !store_.Attempts().empty(); }, 5s));
  TlsTestServer up(other.path(), port);
  up.Route("/hook", {200, "", "", "", 0});
  ASSERT_TRUE(Settled());
  const auto attempts = store_.Attempts();
  ASSERT_GE(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status_code, 0);
  EXPECT_NE(attempts[0].error, "");
  EXPECT_EQ(attempts.back().status_code, 200);
  EXPECT_EQ(store_.Events()[0].status, "delivered");
  ASSERT_EQ(up.Requests().size(), 1u);
  EXPECT_TRUE(VerifyRequest(hook_.secret, up.Requests()[0]));
}

TEST_F(Worker, KeepsEachCandidatesEventsInOrder) {
  tls_.RouteOnce("/hook", {503, "", "", "", 0});  // the first request: A's first event
  const auto a1 = Queue("A");
  const auto a2 = Queue("A", "candidate.dissociated");
  const auto b1 = Queue("B");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  std::vector<std::string> sent;
  for (const TlsRequest& r : tls_.Requests()) sent.push_back(r.headers.at("webhook-id"));
  // A1 fails and waits for its retry; B is not held up by it, A2 is.
  const std::vector<std::string> expected{a1.event_id, b1.event_id, a1.event_id, a2.event_id};
  EXPECT_EQ(sent, expected);
  EXPECT_EQ(RefOf(tls_.Requests()[3]), "A");
}

TEST_F(Worker, GivesUpAfterTheLastAttempt) {
  tls_.Route("/hook", {500, "", "", "", 0});
  config_.retry_schedule = {20ms, 20ms};
  Queue("cand-1");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(store_.Events()[0].status, "failed");
  EXPECT_EQ(store_.Attempts().size(), 3u);  // schedule size + 1
}

TEST_F(Worker, EventsWithoutAnEndpointFail) {
  Queue("cand-1", "candidate.linked", /*partner=*/2);
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(store_.Events()[0].status, "failed");
  ASSERT_EQ(store_.Attempts().size(), 1u);
  EXPECT_EQ(store_.Attempts()[0].error, "no_endpoint");
  EXPECT_TRUE(tls_.Requests().empty());
}

TEST_F(Worker, PrivateDestinationRefusedWithoutAllowPrivate) {
  config_.destination.allow_private = false;
  config_.retry_schedule = {20ms};
  Queue("cand-1");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(store_.Events()[0].status, "failed");
  ASSERT_EQ(store_.Attempts().size(), 2u);
  EXPECT_EQ(store_.Attempts()[0].status_code, 0);
  EXPECT_NE(store_.Attempts()[0].error.find("non-public"), std::string::npos) << store_.Attempts()[0].error;
  EXPECT_TRUE(tls_.Requests().empty());
}

TEST_F(Worker, RotationSignsWithBothSecretsUntilTheDeadline) {
  const std::string old_secret = hook_.secret;
  hook_.secret = webhooks::GenerateSecret();
  hook_.previous_secret = old_secret;
  hook_.previous_valid_until = webhooks::FormatUtc(webhooks::NowUnixMs() + 3600 * 1000, false);
  store_.SetWebhook(hook_);
  Queue("cand-1");
  {
    DeliveryWorker worker(store_, config_);
    ASSERT_TRUE(Settled());
  }
  // Past the deadline, only the new secret signs.
  hook_.previous_valid_until = webhooks::FormatUtc(webhooks::NowUnixMs() - 1000, true);
  store_.SetWebhook(hook_);
  Queue("cand-2");
  DeliveryWorker worker(store_, config_);
  ASSERT_TRUE(Settled());
  const auto requests = tls_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].headers.at("webhook-signature").find(' '), std::string::npos);
  EXPECT_TRUE(VerifyRequest(hook_.secret, requests[0]));
  EXPECT_TRUE(VerifyRequest(old_secret, requests[0]));
  EXPECT_EQ(requests[1].headers.at("webhook-signature").find(' '), std::string::npos);
  EXPECT_TRUE(VerifyRequest(hook_.secret, requests[1]));
  EXPECT_FALSE(VerifyRequest(old_secret, requests[1]));
}

TEST_F(Worker, NotifyWakesAndStopInterruptsTheSleep) {
  config_.poll_interval = 30s;
  DeliveryWorker worker(store_, config_);
  std::this_thread::sleep_for(50ms);  // the worker found nothing and sleeps
  Queue("cand-1");
  worker.Notify();
  ASSERT_TRUE(Settled());
  const auto start = std::chrono::steady_clock::now();
  worker.Stop();
  worker.Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(Worker, SendTestDeliversAndRecordsAWebhookTestEvent) {
  auto attempt = webhooks::SendTest(store_, kPartner, config_.destination);
  ASSERT_TRUE(attempt) << attempt.error().detail;
  EXPECT_EQ(attempt->status_code, 200);
  EXPECT_EQ(attempt->type, "webhook.test");
  ASSERT_EQ(store_.Events().size(), 1u);
  EXPECT_EQ(store_.Events()[0].status, "delivered");
  EXPECT_EQ(store_.Attempts().size(), 1u);
  const auto requests = tls_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(VerifyRequest(hook_.secret, requests[0]));
  const auto body = boost::json::parse(requests[0].body).as_object();
  EXPECT_EQ(body.at("type"), "webhook.test");
  EXPECT_TRUE(body.at("data").as_object().empty());
  EXPECT_TRUE(webhooks::ParseUtc(body.at("timestamp").as_string()));

  tls_.RouteOnce("/hook", {500, "", "", "", 0});
  auto failed = webhooks::SendTest(store_, kPartner, config_.destination);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status_code, 500);
  EXPECT_EQ(store_.Events()[1].status, "failed");  // a test is not retried

  auto none = webhooks::SendTest(store_, 99, config_.destination);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "not_found");
}

TEST(RetrySchedule, DefaultIsStandardWebhooks) {
  using std::chrono::hours;
  EXPECT_EQ(webhooks::kDefaultRetrySchedule.size() + 1, 8u);  // attempts in all
  std::chrono::milliseconds total{0};
  for (const auto d : webhooks::kDefaultRetrySchedule) total += d;
  EXPECT_GT(total, hours(27));
  EXPECT_LT(total, hours(28));
}

TEST(RetrySchedule, JitterStaysWithinTwentyPercent) {
  std::mt19937_64 rng(42);
  const std::vector<std::chrono::milliseconds> schedule{1000ms, 300000ms};
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const double base = static_cast<double>(schedule[static_cast<std::size_t>(attempt) - 1].count());
    std::int64_t low = INT64_MAX;
    std::int64_t high = 0;
    for (int i = 0; i < 2000; ++i) {
      const auto d = webhooks::RetryDelay(schedule, 0.2, attempt, rng);
      ASSERT_TRUE(d);
      low = std::min<std::int64_t>(low, d->count());
      high = std::max<std::int64_t>(high, d->count());
    }
    EXPECT_GE(low, static_cast<std::int64_t>(base * 0.8)) << attempt;
    EXPECT_LE(high, static_cast<std::int64_t>(base * 1.2)) << attempt;
    EXPECT_LT(low, static_cast<std::int64_t>(base * 0.85)) << attempt;  // the spread is used
    EXPECT_GT(high, static_cast<std::int64_t>(base * 1.15)) << attempt;
  }
  EXPECT_FALSE(webhooks::RetryDelay(schedule, 0.2, 3, rng));  // schedule exhausted: give up
  EXPECT_FALSE(webhooks::RetryDelay(schedule, 0.2, 0, rng));
  EXPECT_EQ(webhooks::RetryDelay(schedule, 0, 1, rng), 1000ms);
}

}  // namespace
