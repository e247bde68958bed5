// Webhook delivery from the persistent outbox: a background worker that signs and POSTs due
// events (Standard Webhooks headers), records every attempt and reschedules failures with
// exponential backoff and jitter; and SendTest, the synchronous test delivery.
//
//   webhooks::DeliveryWorker worker(*store, {.destination = config.webhook_destination});
//   service_config.on_events_queued = [&] { worker.Notify(); };
//   ...                                   // ~DeliveryWorker stops and joins
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "engine/result.hpp"
#include "ingest/url_fetch.hpp"

namespace jobzen::store {
class Store;
struct DeliveryAttempt;
struct OutboxEvent;
}  // namespace jobzen::store

namespace jobzen::webhooks {

// Delay before the next attempt after attempt n (n = 1..size); size + 1 attempts in all. The
// Standard Webhooks recommendation: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, i.e. 8 attempts
// over about 27.5 hours.
inline const std::vector<std::chrono::milliseconds> kDefaultRetrySchedule{
    std::chrono::seconds(5), std::chrono::minutes(5), std::chrono::minutes(30), std::chrono::hours(2),
    std::chrono::hours(5),   std::chrono::hours(10),  std::chrono::hours(10)};

// Webhook POST defaults: FetchUrl's rules, a 15 s timeout, responses read up to 64 KiB.
ingest::UrlFetchOptions DefaultDestination();

struct WorkerConfig {
  std::vector<std::chrono::milliseconds> retry_schedule = kDefaultRetrySchedule;
  double jitter = 0.2;                           // each delay scaled by a uniform factor in [1-j, 1+j]
  std::chrono::milliseconds poll_interval{1000};  // longest sleep between two looks at the outbox
  std::size_t batch = 32;                        // events taken per look
  // Destination rules and limits of each POST (https, public addresses unless allow_private,
  // ca_file, timeout). The response body is read up to max_bytes and discarded.
  ingest::UrlFetchOptions destination = DefaultDestination();
};

// The delay before attempt `attempts_made + 1`, jittered; nullopt when `attempts_made`
// attempts already exhaust the schedule (the event fails). Uses and advances `rng`.
std::optional<std::chrono::milliseconds> RetryDelay(const std::vector<std::chrono::milliseconds>& schedule,
                                                    double jitter, int attempts_made, std::mt19937_64& rng);

// One background thread delivering due events of `store` (which must outlive the worker).
// Events come from Store::DueEvents, oldest first and only the oldest pending one per
// candidate, and one batch is delivered sequentially, so a candidate's events arrive in order.
// Every event is signed with the partner's current secret and, while a rotation's
// previous_valid_until is ahead, the previous one too. Bodies and secrets are never logged.
// Notify and Stop may be called from any thread.
class DeliveryWorker {
 public:
  // Starts the thread at once.
  DeliveryWorker(store::Store& store, WorkerConfig config);
  // Stops (see Stop).
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Wakes the worker to look at the outbox now (call after queueing an event).
  void Notify();
  // Interrupts the sleep and joins the thread; a POST in flight finishes first (bounded by
  // destination.timeout), the rest of its batch waits for the next start. Idempotent.
  void Stop();

 private:
  void Run();
  // Delivers one batch of due events; returns how many attempts were recorded.
  std::size_t DeliverDue();
  // How long to sleep: until the next due event, at most poll_interval.
  std::chrono::milliseconds SleepTime(std::size_t delivered);

  store::Store& store_;
  const WorkerConfig config_;
  std::mt19937_64 rng_;  // worker thread only
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;      // guarded by mu_
  bool notified_ = false;  // guarded by mu_
  std::thread thread_;     // last: starts once the rest is built
};

// Sends a `webhook.test` event ({"type":"webhook.test","timestamp":...,"data":{}}) to the
// partner's endpoint now, on the calling thread, and records the attempt in the delivery log.
// The event goes through Store::Enqueue (due in an hour, so the worker sends it only if this
// call never records its outcome) and is marked delivered or failed, never retried. Returns
// the attempt: status_code 0 and an error when no HTTP answer came. Errors "not_found" (no
// webhook) and the store's own.
Result<store::DeliveryAttempt> SendTest(store::Store& store, std::int64_t partner_id,
                                        const ingest::UrlFetchOptions& destination);

}  // namespace jobzen::webhooks
