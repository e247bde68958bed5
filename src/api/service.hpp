// The HTTP API v1 as a plain function of a request: routing, authentication, tiers, rate
// limits, monthly quotas, the handlers of /api/v1/{match,analyze,score,status,usage}, the ops
// endpoints (/healthz, /readyz, /metrics, /api/v1/openapi.json), problem+json errors, metrics
// and the access log. No Beast or Asio here: the server (server.hpp) feeds it requests.
//
//   api::Service service(config, taxonomy, *store);
//   HttpResponse r = service.Handle(request);   // any thread
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.hpp"
#include "engine/result.hpp"
#include "ingest/url_fetch.hpp"
#include "store/store.hpp"

namespace jobzen::engine {
class Taxonomy;
}

namespace jobzen::api {

class Metrics;

// API.md limits, all configurable.
struct Limits {
  std::size_t max_body_bytes = 15 * 1024 * 1024;    // whole request body
  std::size_t max_pdf_bytes = 10 * 1024 * 1024;     // decoded PDF (cv_pdf_base64, cv_url)
  std::size_t max_cv_text_bytes = 200 * 1024;       // cv_text and text extracted from a PDF
  std::size_t max_listings = 1000;                  // job_listings per /match
  std::size_t max_description_chars = 20000;        // description (and requirements) per offer
};

struct ServiceConfig {
  Limits limits;
  double rate_per_second = 20;                      // per key (and per address when no key)
  double rate_burst = 40;
  std::chrono::milliseconds auth_cache_ttl{1000};   // how long a valid key is cached
  ingest::UrlFetchOptions cv_url;
  unsigned match_threads = 2;                       // threads for a large /match list
  std::size_t match_parallel_from = 64;             // listings from which /match is split
  bool access_log = true;                           // one metadata line per request on stderr
  // Candidates and webhooks (issue 5).
  std::string public_base_url;                      // "https://jobzen.example"; "" = http://<Host>
  int invitation_default_days = 14;                 // expires_in_days when not given
  int invitation_max_days = 90;
  ingest::UrlFetchOptions webhook_destination;      // destination rules for webhook URLs
  std::function<void()> on_events_queued;           // wakes the webhook worker
  std::string csrf_secret;                          // 32+ random bytes; "" = generated per process
};

// Thread-safe: Handle may run on any number of threads at once.
class Service {
 public:
  // The taxonomy is shared; the store must outlive the service.
  Service(ServiceConfig config, std::shared_ptr<const engine::Taxonomy> taxonomy, store::Store& store);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // True when the request runs engine work (match, analyze, score): the server runs those on
  // its worker pool and the rest inline on its I/O threads.
  bool IsCompute(const HttpRequest& request) const;

  // Answers one request. Never throws: failures become problem+json responses.
  HttpResponse Handle(const HttpRequest& request);

  // A problem response for a request refused before it was read whole (413 body too large,
  // 431 headers too large, 400 malformed HTTP), with the usual headers, metrics and log.
  HttpResponse Reject(const HttpRequest& partial, const std::string& code, const std::string& detail);

  // Shutdown has begun: /readyz answers 503.
  void SetDraining();
  // Writes pending usage counters to the store (the server calls it every second and at exit).
  Result<store::Ok> FlushUsage();

  Metrics& metrics();

  // Every route: {method, path}.
  static std::vector<std::pair<std::string, std::string>> Routes();

  struct Impl;  // opaque (service_impl.hpp); public so the handler files can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jobzen::api
