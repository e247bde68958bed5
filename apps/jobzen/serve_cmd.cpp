// jobzen serve: reads the configuration (flags, else JOBZEN_* environment variables, else
// defaults), opens the store, loads the taxonomy and runs the HTTP server until SIGTERM/SIGINT.
#include <cstdlib>
#include <iostream>
#include <thread>
#include <vector>

#include "api/server.hpp"
#include "api/service.hpp"
#include "server_commands.hpp"
#include "store/store.hpp"
#include "webhooks/worker.hpp"

namespace jobzen::app {

namespace {

constexpr const char* kHelp = R"(usage: jobzen serve [options]
Serves the HTTP API v1 until SIGTERM or SIGINT, then drains requests in flight.
Each option can also be set by the environment variable in brackets; the flag wins.

  --listen HOST:PORT          address to listen on; PORT 0 picks a free port [JOBZEN_LISTEN]
                              (default 127.0.0.1:8080)
  --db DSN                    sqlite:PATH (default sqlite:var/jobzen.db); postgresql://... is
                              not available in this build yet [JOBZEN_DB]
  --io-threads N              socket threads (default: cores) [JOBZEN_IO_THREADS]
  --workers N                 engine threads for match/analyze/score (default: cores) [JOBZEN_WORKERS]
  --max-connections N         open connections, further ones are closed (4096) [JOBZEN_MAX_CONNECTIONS]
  --max-header-bytes N        request line + headers (16384) -> 431 [JOBZEN_MAX_HEADER_BYTES]
  --max-body-bytes N          request body (15728640 = 15 MB) -> 413 [JOBZEN_MAX_BODY_BYTES]
  --max-pdf-bytes N           decoded PDF, cv_pdf_base64 or cv_url (10485760) [JOBZEN_MAX_PDF_BYTES]
  --max-cv-text-bytes N       cv_text and text extracted from a PDF (204800) [JOBZEN_MAX_CV_TEXT_BYTES]
  --max-listings N            job_listings per /match (1000) [JOBZEN_MAX_LISTINGS]
  --max-description-chars N   characters per job description (20000) [JOBZEN_MAX_DESCRIPTION_CHARS]
  --idle-timeout-ms N         keep-alive wait for the next request's headers (15000) [JOBZEN_IDLE_TIMEOUT_MS]
  --read-timeout-ms N         time to receive a request body (30000) [JOBZEN_READ_TIMEOUT_MS]
  --write-timeout-ms N        time to send a response (30000) [JOBZEN_WRITE_TIMEOUT_MS]
  --shutdown-timeout-ms N     drain time on SIGTERM/SIGINT (30000) [JOBZEN_SHUTDOWN_TIMEOUT_MS]
  --rate-limit R              requests per second per key, token bucket refill (20) [JOBZEN_RATE_LIMIT]
  --rate-burst N              token bucket size per key (40) [JOBZEN_RATE_BURST]
  --auth-cache-ms N           how long a valid key is cached; a revoked key may work that long
                              (1000; 0 disables) [JOBZEN_AUTH_CACHE_MS]
  --cv-url-timeout-ms N       whole cv_url fetch, redirects included (10000) [JOBZEN_CV_URL_TIMEOUT_MS]
  --cv-url-max-redirects N    (3) [JOBZEN_CV_URL_MAX_REDIRECTS]
  --cv-url-ca-file PEM        CA bundle trusted for cv_url instead of the system store [JOBZEN_CV_URL_CA_FILE]
  --allow-private-urls        let cv_url and webhooks reach private/loopback addresses (tests only)
                              [JOBZEN_ALLOW_PRIVATE_URLS=1]
  --no-access-log             no per-request log line on stderr [JOBZEN_ACCESS_LOG=0]
  --public-url URL            base of the invitation and management links we hand out, e.g.
                              https://jobzen.example (default: http://<Host header>) [JOBZEN_PUBLIC_URL]
  --master-key-file PATH      key file for encryption at rest when $JOBZEN_MASTER_KEY is unset
                              (default: master.key beside the database) [JOBZEN_MASTER_KEY_FILE]
  --csrf-secret TEXT          key of the candidate pages' CSRF tokens, 32+ characters; set it so
                              forms opened before a restart still post (default: random per
                              process) [JOBZEN_CSRF_SECRET]
  --invitation-days N         default validity of an invitation (14, at most 90) [JOBZEN_INVITATION_DAYS]
  --webhook-ca-file PEM       CA bundle trusted for webhook endpoints [JOBZEN_WEBHOOK_CA_FILE]
  --webhook-timeout-ms N      one webhook POST (15000) [JOBZEN_WEBHOOK_TIMEOUT_MS]
  --webhook-retry-ms LIST     delays between attempts, comma-separated milliseconds (default
                              5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: 8 attempts) [JOBZEN_WEBHOOK_RETRY_MS]
  --webhook-poll-ms N         longest wait between two looks at the outbox (1000) [JOBZEN_WEBHOOK_POLL_MS]
  --port-file PATH            write the bound port there once listening [JOBZEN_PORT_FILE]
  --taxonomy DATA_DIR, --esco ESCO_CSV_DIR   as for jobzen analyze
)";

// The value of --name, else of JOBZEN_NAME (upper case, dashes as underscores).
std::optional<std::string> Setting(const Args& args, const std::string& flag) {
  if (auto v = args.Get(flag)) return v;
  std::string env = "JOBZEN_";
  for (const char c : flag.substr(2)) env += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (const char* e = std::getenv(env.c_str()); e != nullptr && *e != '\0') return std::string(e);
  return std::nullopt;
}

// Reads a whole number setting into *out; false (with a message) when malformed.
template <class T>
bool Number(const Args& args, const std::string& flag, T* out, T min_value) {
  const auto v = Setting(args, flag);
  if (!v) return true;
  char* end = nullptr;
  const double d = std::strtod(v->c_str(), &end);
  if (end == v->c_str() || *end != '\0' || d < static_cast<double>(min_value)) {
    std::cerr << "jobzen: " << flag << " must be a number >= " << min_value << "\n";
    return false;
  }
  *out = static_cast<T>(d);
  return true;
}

bool Millis(const Args& args, const std::string& flag, std::chrono::milliseconds* out) {
  long long ms = out->count();
  if (!Number<long long>(args, flag, &ms, 0)) return false;
  *out = std::chrono::milliseconds(ms);
  return true;
}

// "5000,300000,..." -> delays; false (with a message) when malformed or empty.
bool RetrySchedule(const Args& args, std::vector<std::chrono::milliseconds>* out) {
  const auto v = Setting(args, "--webhook-retry-ms");
  if (!v) return true;
  std::vector<std::chrono::milliseconds> schedule;
  std::size_t start = 0;
  while (start <= v->size()) {
    const std::size_t comma = std::min(v->find(',', start), v->size());
    const std::string item = v->substr(start, comma - start);
    if (item.empty() || item.size() > 12 || item.find_first_not_of("0123456789") != std::string::npos) {
      std::cerr << "jobzen: --webhook-retry-ms must be comma-separated whole milliseconds\n";
      return false;
    }
    schedule.emplace_back(std::stoll(item));
    start = comma + 1;
  }
  *out = std::move(schedule);
  return true;
}

bool Truthy(const std::optional<std::string>& v) { return v && (*v == "1" || *v == "true" || *v == "yes" || v->empty()); }

}  // namespace

std::unique_ptr<store::Store> OpenStoreOrReport(const Args& args) {
  store::MasterKeyOptions keys;
  keys.key_file = Setting(args, "--master-key-file").value_or("");
  auto s = store::OpenStore(Setting(args, "--db").value_or(std::string(store::kDefaultDsn)), keys);
  if (!s) {
    std::cerr << "jobzen: " << s.error().code << ": " << s.error().detail << "\n";
    return nullptr;
  }
  return std::move(*s);
}

int ServeCommand(const Args& args) {
  if (args.Has("--help")) {
    std::cout << kHelp;
    return 0;
  }
  api::ServerConfig server;
  api::ServiceConfig service;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  server.io_threads = cores;
  server.workers = cores;
  service.match_threads = cores;

  const std::string listen = Setting(args, "--listen").value_or("127.0.0.1:8080");
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::cerr << "jobzen: --listen must be HOST:PORT (127.0.0.1:8080, [::1]:8080)\n";
    return 2;
  }
  server.host = listen.substr(0, colon);
  if (server.host.size() > 2 && server.host.front() == '[' && server.host.back() == ']') {
    server.host = server.host.substr(1, server.host.size() - 2);
  }
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    std::cerr << "jobzen: --listen port must be 0..65535\n";
    return 2;
  }
  server.port = static_cast<unsigned short>(std::stoul(port));

  api::Limits& l = service.limits;
  bool ok = Number<unsigned>(args, "--io-threads", &server.io_threads, 1) &&
            Number<unsigned>(args, "--workers", &server.workers, 1) &&
            Number<std::size_t>(args, "--max-connections", &server.max_connections, 1) &&
            Number<std::size_t>(args, "--max-header-bytes", &server.max_header_bytes, 1024) &&
            Number<std::size_t>(args, "--max-body-bytes", &l.max_body_bytes, 1024) &&
            Number<std::size_t>(args, "--max-pdf-bytes", &l.max_pdf_bytes, 1024) &&
            Number<std::size_t>(args, "--max-cv-text-bytes", &l.max_cv_text_bytes, 1024) &&
            Number<std::size_t>(args, "--max-listings", &l.max_listings, 1) &&
            Number<std::size_t>(args, "--max-description-chars", &l.max_description_chars, 100) &&
            Millis(args, "--idle-timeout-ms", &server.idle_timeout) &&
            Millis(args, "--read-timeout-ms", &server.read_timeout) &&
            Millis(args, "--write-timeout-ms", &server.write_timeout) &&
            Millis(args, "--shutdown-timeout-ms", &server.shutdown_timeout) &&
            Number<double>(args, "--rate-limit", &service.rate_per_second, 0.001) &&
            Number<double>(args, "--rate-burst", &service.rate_burst, 1) &&
            Millis(args, "--auth-cache-ms", &service.auth_cache_ttl) &&
            Millis(args, "--cv-url-timeout-ms", &service.cv_url.timeout) &&
            Number<int>(args, "--cv-url-max-redirects", &service.cv_url.max_redirects, 0);
  webhooks::WorkerConfig delivery;
  ok = ok && Millis(args, "--webhook-timeout-ms", &delivery.destination.timeout) &&
       Millis(args, "--webhook-poll-ms", &delivery.poll_interval) &&
       Number<int>(args, "--invitation-days", &service.invitation_default_days, 1) &&
       RetrySchedule(args, &delivery.retry_schedule);
  if (!ok) return 2;
  if (service.invitation_default_days > service.invitation_max_days) {
    std::cerr << "jobzen: --invitation-days is at most " << service.invitation_max_days << "\n";
    return 2;
  }
  server.max_body_bytes = l.max_body_bytes;
  service.match_threads = server.workers;
  service.cv_url.ca_file = Setting(args, "--cv-url-ca-file").value_or("");
  service.cv_url.allow_private = args.Has("--allow-private-urls") || Truthy(Setting(args, "--allow-private-urls"));
  delivery.destination.allow_private = service.cv_url.allow_private;
  delivery.destination.ca_file = Setting(args, "--webhook-ca-file").value_or("");
  service.webhook_destination = delivery.destination;
  service.public_base_url = Setting(args, "--public-url").value_or("");
  service.csrf_secret = Setting(args, "--csrf-secret").value_or("");
  if (!service.csrf_secret.empty() && service.csrf_secret.size() < 32) {
    std::cerr << "jobzen: --csrf-secret must be at least 32 characters\n";
    return 2;
  }
  service.access_log = !args.Has("--no-access-log");
  if (const char* e = std::getenv("JOBZEN_ACCESS_LOG"); e != nullptr && std::string(e) == "0") service.access_log = false;
  server.port_file = Setting(args, "--port-file").value_or("");

  auto store = OpenStoreOrReport(args);
  if (!store) return 1;
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;
  if (service.cv_url.allow_private) {
    std::cerr << "jobzen: warning: cv_url and webhooks may reach private addresses (--allow-private-urls)\n";
  }
  // Deliveries left pending by an earlier run go out as soon as the worker starts.
  webhooks::DeliveryWorker worker(*store, delivery);
  service.on_events_queued = [&worker] { worker.Notify(); };
  api::Service api(service, taxonomy, *store);
  auto r = api::RunServer(server, api);
  // Deliveries still pending stay in the outbox for the next start.
  worker.Stop();
  if (!r) {
    std::cerr << "jobzen: " << r.error().detail << "\n";
    return 1;
  }
  return *r;
}

}  // namespace jobzen::app
