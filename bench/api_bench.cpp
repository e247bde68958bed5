// Server-side cost of the candidate_ref fast path: api::Service::Handle (routing, key check,
// rate limit, quota reservation in SQLite, decryption of the stored profile, scoring, JSON)
// for POST /api/v1/match with a linked candidate and 100 real France Travail offers. No
// sockets: this is the time the server spends once the request is read (what /metrics
// reports as the server-side latency).
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "api/candidate_mapping.hpp"
#include "api/service.hpp"
#include "engine/extract.hpp"
#include "ingest/files.hpp"
#include "store/store.hpp"

namespace {

using namespace jobzen;
namespace json = boost::json;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A server's state: a throw-away SQLite database with one partner and one linked candidate,
// and a service that spreads a large /match over `threads` engine threads (jobzen serve: one
// per core).
struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> db;
  std::unique_ptr<api::Service> service;
  std::string key;

  explicit Fixture(unsigned threads) {
    dir = std::filesystem::temp_directory_path() /
          ("jobzen-api-bench-" + std::to_string(::getpid()) + "-" + std::to_string(threads));
    std::filesystem::create_directories(dir);
    auto opened = store::OpenStore("sqlite:" + (dir / "bench.db").string(),
                                   {.keys = {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}, .key_file = {}});
    if (!opened) throw std::runtime_error(opened.error().detail);
    db = std::move(*opened);
    auto partner = db->CreatePartner({.name = "bench", .tier = store::Tier::kEnterprise, .sandbox = false,
                                      .quota = 1'000'000'000});
    if (!partner) throw std::runtime_error(partner.error().detail);
    key = partner->key_secret;
    auto taxonomy = ingest::LoadTaxonomy(JOBZEN_DATA_DIR);
    if (!taxonomy) throw std::runtime_error(taxonomy.error().detail);
    LinkCandidate(**taxonomy, partner->partner.id);
    api::ServiceConfig config;
    config.access_log = false;
    config.rate_per_second = 1e9;
    config.rate_burst = 1e9;
    config.match_threads = threads;
    service = std::make_unique<api::Service>(config, *taxonomy, *db);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }

  // Links "bench-1" through an invitation, with the profile of the 600-word benchmark CV.
  void LinkCandidate(const engine::Taxonomy& taxonomy, std::int64_t partner_id) {
    const std::string cv = Read(std::string(JOBZEN_SOURCE_DIR) + "/bench/data/cv_600_words_en.txt");
    const engine::Profile profile = engine::ExtractProfile(taxonomy, cv, {});
    const std::string code = store::GenerateCode(32);
    auto inv = db->CreateInvitation({partner_id, "bench-1", code, "2999-01-01T00:00:00Z"}, "2026-01-01T00:00:00Z");
    if (!inv) throw std::runtime_error(inv.error().detail);
    auto linked = db->LinkCandidate({code, "2026-01-01T00:00:00Z", api::StoredFromProfile(profile),
                                     store::GenerateCode(32)});
    if (!linked) throw std::runtime_error(linked.error().detail);
  }
};

Fixture& Shared(unsigned threads) {
  static Fixture one(1), two(2);
  return threads == 1 ? one : two;
}

// The first 100 France Travail offers as job_listings; `salt` makes every description new
// (a cold offer cache) when not empty.
json::array Listings(const std::string& salt) {
  static const std::vector<json::object> offers = [] {
    std::vector<json::object> out;
    std::istringstream lines(Read(std::string(JOBZEN_SHARED_DIR) + "/data/france_travail_offers_fr/offers.jsonl"));
    for (std::string line; std::getline(lines, line) && out.size() < 100;) {
      const json::object o = json::parse(line).as_object();
      out.push_back({{"job_id", o.at("id")}, {"title", o.at("intitule")}, {"description", o.at("description")}});
    }
    return out;
  }();
  json::array a;
  for (const json::object& o : offers) {
    json::object copy = o;
    if (!salt.empty()) copy["description"] = std::string(o.at("description").as_string()) + "\nRéf. " + salt;
    a.push_back(std::move(copy));
  }
  return a;
}

api::HttpRequest MatchRequest(const std::string& key, const std::string& salt) {
  api::HttpRequest r;
  r.method = "POST";
  r.target = "/api/v1/match";
  r.content_type = "application/json";
  r.api_key = key;
  r.remote_ip = "127.0.0.1";
  r.body = json::serialize(json::object{{"candidate_ref", "bench-1"}, {"job_listings", Listings(salt)}});
  return r;
}

void Check(const api::HttpResponse& r, benchmark::State& state) {
  if (r.status != 200 || r.body.find("\"stored_profile\"") == std::string::npos) {
    state.SkipWithError(("unexpected response " + std::to_string(r.status)).c_str());
  }
}

// Offers seen before (the server's parsed-offer cache): a partner re-scoring its open offers.
void BM_MatchCandidateRef100Warm(benchmark::State& state) {
  Fixture& f = Shared(static_cast<unsigned>(state.range(0)));
  const api::HttpRequest request = MatchRequest(f.key, "");
  Check(f.service->Handle(request), state);  // warms the offer cache
  for (auto _ : state) {
    api::HttpResponse r = f.service->Handle(request);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_MatchCandidateRef100Warm)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Every call brings 100 offers never seen before (each must be parsed).
void BM_MatchCandidateRef100Cold(benchmark::State& state) {
  Fixture& f = Shared(static_cast<unsigned>(state.range(0)));
  static std::size_t n = 0;  // across repetitions too: a salt is never reused
  for (auto _ : state) {
    state.PauseTiming();
    const api::HttpRequest request = MatchRequest(f.key, "cold-" + std::to_string(n++));
    state.ResumeTiming();
    api::HttpResponse r = f.service->Handle(request);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_MatchCandidateRef100Cold)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
