// The delivery worker: one thread, a condition variable for Notify/Stop, and the store as the
// only state (the outbox survives restarts; nothing is kept in memory between batches).
#include "webhooks/worker.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

#include "store/store.hpp"
#include "webhooks/event_body.hpp"
#include "webhooks/signature.hpp"
#include "webhooks/utc_time.hpp"

namespace jobzen::webhooks {

namespace {

constexpr std::string_view kUserAgent = "JobZen-Webhooks/1";
// A test event is queued due this far ahead: the worker only sends it if SendTest dies before
// recording its outcome, and by then the synchronous POST has long timed out.
constexpr std::int64_t kTestFallbackDelayMs = 3600 * 1000;

bool Delivered(const store::DeliveryAttempt& a) { return a.status_code >= 200 && a.status_code < 300; }

// The secrets that sign now: the current one, and the previous one until its deadline.
std::vector<std::string> SigningSecrets(const store::Webhook& hook, std::int64_t now_ms) {
  std::vector<std::string> secrets{hook.secret};
  const auto until = ParseUtc(hook.previous_valid_until);
  if (!hook.previous_secret.empty() && until && *until > now_ms) secrets.push_back(hook.previous_secret);
  return secrets;
}

store::DeliveryAttempt NewAttempt(const store::OutboxEvent& event, std::int64_t now_ms) {
  store::DeliveryAttempt a;
  a.seq = event.seq;
  a.event_id = event.event_id;
  a.type = event.type;
  a.at = FormatUtc(now_ms, true);
  return a;
}

// An attempt and whether another may follow: not when no request could ever succeed.
struct Tried {
  store::DeliveryAttempt attempt;
  bool retryable = true;
};

// Signs `event` with a fresh timestamp and POSTs it to the endpoint. The body is rendered
// again from the record, so a retry sends the same bytes under the same webhook-id.
Tried Post(const store::Webhook& hook, const store::OutboxEvent& event, const ingest::UrlFetchOptions& destination) {
  const std::int64_t now_ms = NowUnixMs();
  Tried t{NewAttempt(event, now_ms), true};
  const std::string body = RenderBody(event);
  const std::int64_t ts = now_ms / 1000;
  auto signature = SignatureHeader(SigningSecrets(hook, now_ms), event.event_id, ts, body);
  if (!signature) {
    t.attempt.error = signature.error().code;
    t.retryable = false;  // a stored secret does not mend itself
    return t;
  }
  const ingest::HeaderList headers{{"webhook-id", event.event_id},
                                   {"webhook-timestamp", std::to_string(ts)},
                                   {"webhook-signature", *signature},
                                   {"content-type", "application/json"},
                                   {"user-agent", std::string(kUserAgent)}};
  auto answer = ingest::PostUrl(hook.url, headers, body, destination);
  if (!answer) {
    t.attempt.error = answer.error().detail;  // names the URL "url", never quotes a body
    return t;
  }
  t.attempt.status_code = answer->status_code;
  t.attempt.latency_ms = static_cast<double>(answer->latency.count()) / 1000.0;
  if (!Delivered(t.attempt)) t.attempt.error = "HTTP " + std::to_string(t.attempt.status_code);
  return t;
}

// One delivery of a due event; an error only when the store could not be read.
Result<Tried> Attempt(store::Store& store, const store::OutboxEvent& event, const ingest::UrlFetchOptions& destination) {
  auto hook = store.GetWebhook(event.partner_id);
  if (!hook) return hook.error();
  const auto refuse = [&](std::string reason) {
    Tried t{NewAttempt(event, NowUnixMs()), false};
    t.attempt.error = std::move(reason);
    return t;
  };
  if (!*hook) return refuse("no_endpoint");
  const auto& events = (*hook)->events;
  // The endpoint may have dropped the type since the event was queued.
  if (event.type != kTestEventType && std::find(events.begin(), events.end(), event.type) == events.end()) {
    return refuse("not_subscribed");
  }
  return Post(**hook, event, destination);
}

void Log(std::string_view what, const Error& error) {
  // Store errors never carry a key, secret or body (store contract), so they may be logged.
  std::cerr << "jobzen webhooks: " << what << ": " << error.code << ": " << error.detail << std::endl;
}

}  // namespace

ingest::UrlFetchOptions DefaultDestination() {
  ingest::UrlFetchOptions o;
  o.timeout = std::chrono::seconds(15);
  o.max_bytes = 64 * 1024;
  return o;
}

std::optional<std::chrono::milliseconds> RetryDelay(const std::vector<std::chrono::milliseconds>& schedule,
                                                    double jitter, int attempts_made, std::mt19937_64& rng) {
  if (attempts_made < 1 || static_cast<std::size_t>(attempts_made) > schedule.size()) return std::nullopt;
  const auto base = static_cast<double>(schedule[static_cast<std::size_t>(attempts_made) - 1].count());
  if (jitter <= 0) return std::chrono::milliseconds(std::llround(base));
  // Jitter spreads the retries of many events that failed together (an endpoint outage).
  std::uniform_real_distribution<double> factor(1 - jitter, 1 + jitter);
  return std::chrono::milliseconds(std::llround(base * factor(rng)));
}

DeliveryWorker::DeliveryWorker(store::Store& store, WorkerConfig config)
    : store_(store), config_(std::move(config)), rng_(std::random_device{}()), thread_([this] { Run(); }) {}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  wake_.notify_one();
}

void DeliveryWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::Run() {
  for (;;) {
    const std::size_t recorded = DeliverDue();
    const auto sleep = SleepTime(recorded);
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, sleep, [this] { return stop_ || notified_; });
    if (stop_) return;
    notified_ = false;
  }
}

std::size_t DeliveryWorker::DeliverDue() {
  auto due = store_.DueEvents(NowUnixMs(), config_.batch);
  if (!due) {
    Log("reading the outbox", due.error());
    return 0;
  }
  std::size_t recorded = 0;
  // Sequential on purpose: one candidate's next event is only due once this one is settled.
  for (const store::OutboxEvent& event : *due) {
    {
      std::lock_guard lock(mu_);
      if (stop_) break;
    }
    auto tried = Attempt(store_, event, config_.destination);
    if (!tried) {
      Log("reading a webhook", tried.error());
      continue;
    }
    store::AttemptOutcome outcome;
    if (!Delivered(tried->attempt)) {
      const auto delay = tried->retryable ? RetryDelay(config_.retry_schedule, config_.jitter, event.attempts + 1, rng_)
                                          : std::nullopt;
      outcome.next = delay ? store::AttemptOutcome::Next::kRetry : store::AttemptOutcome::Next::kFailed;
      if (delay) outcome.retry_at_ms = NowUnixMs() + delay->count();
    }
    if (auto r = store_.RecordAttempt(tried->attempt, outcome); !r) {
      Log("recording an attempt", r.error());
      continue;
    }
    ++recorded;
  }
  return recorded;
}

std::chrono::milliseconds DeliveryWorker::SleepTime(std::size_t recorded) {
  // Settling an event can make the candidate's next one due at once.
  if (recorded > 0) return std::chrono::milliseconds(0);
  auto next = store_.NextDue();
  if (!next) Log("reading the outbox", next.error());
  const std::int64_t now = NowUnixMs();
  // A due time already past with nothing delivered is an event waiting behind an older one of
  // its candidate (or a store error): polling paces that instead of spinning.
  if (!next || !*next || **next <= now) return config_.poll_interval;
  return std::min(config_.poll_interval, std::chrono::milliseconds(**next - now));
}

Result<store::DeliveryAttempt> SendTest(store::Store& store, std::int64_t partner_id,
                                        const ingest::UrlFetchOptions& destination) {
  auto hook = store.GetWebhook(partner_id);
  if (!hook) return hook.error();
  if (!*hook) return Error{"not_found", "no webhook is set"};
  const std::int64_t now_ms = NowUnixMs();
  store::OutboxEvent event;
  event.event_id = "msg_" + store::GenerateCode(24);
  event.partner_id = partner_id;
  event.type = std::string(kTestEventType);
  event.timestamp = FormatUtc(now_ms, false);
  event.next_attempt_ms = now_ms + kTestFallbackDelayMs;
  event.status = "pending";
  auto queued = store.Enqueue(event);
  if (!queued) return queued.error();
  const store::DeliveryAttempt attempt = Post(**hook, *queued, destination).attempt;
  store::AttemptOutcome outcome;  // a test is never retried
  outcome.next = Delivered(attempt) ? store::AttemptOutcome::Next::kDelivered : store::AttemptOutcome::Next::kFailed;
  if (auto r = store.RecordAttempt(attempt, outcome); !r) return r.error();
  return attempt;
}

}  // namespace jobzen::webhooks
