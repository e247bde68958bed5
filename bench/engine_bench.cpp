// Engine benchmarks: text CV analysis, PDF CV analysis, taxonomy load, offer parsing, matching.
// Run: build/bench/engine_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "engine/extract.hpp"
#include "engine/scoring.hpp"
#include "ingest/files.hpp"
#include "ingest/pdf.hpp"

namespace {

using namespace jobzen;

std::shared_ptr<const engine::Taxonomy> Taxonomy() {
  static const auto t = [] {
    auto r = ingest::LoadTaxonomy(JOBZEN_DATA_DIR);
    if (!r) std::abort();
    return *r;
  }();
  return t;
}

std::string Read(const std::string& path) {
  auto r = ingest::ReadFile(path);
  if (!r) std::abort();
  return *r;
}

// A 600-word English CV, analysed from text (the /analyze cv_text path without HTTP).
void BM_AnalyzeText600Words(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  const std::string text = Read(std::string(JOBZEN_SOURCE_DIR) + "/bench/data/cv_600_words_en.txt");
  engine::ExtractOptions options;
  for (auto _ : state) {
    engine::Profile p = engine::ExtractProfile(*taxonomy, text, options);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_AnalyzeText600Words)->Unit(benchmark::kMicrosecond);

// A two-page PDF CV: PDF text extraction plus analysis.
void BM_AnalyzePdfTwoPages(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  const std::string pdf = Read(std::string(JOBZEN_BINARY_DIR) + "/fixtures/cv_en_one_column.pdf");
  engine::ExtractOptions options;
  int pages = 0;
  for (auto _ : state) {
    auto cv = ingest::ReadCvBytes(pdf);
    if (!cv) {
      state.SkipWithError("PDF fixture unreadable");
      return;
    }
    engine::Profile p = engine::ExtractProfile(*taxonomy, cv->text, options);
    benchmark::DoNotOptimize(p);
  }
  if (auto r = ingest::ExtractPdfText(pdf)) pages = r->pages;
  state.counters["pages"] = pages;
}
BENCHMARK(BM_AnalyzePdfTwoPages)->Unit(benchmark::kMillisecond);

// Loading and building the whole taxonomy (files read, parsed, matchers built).
void BM_TaxonomyLoad(benchmark::State& state) {
  for (auto _ : state) {
    auto t = ingest::LoadTaxonomy(JOBZEN_DATA_DIR);
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_TaxonomyLoad)->Unit(benchmark::kMillisecond);

// Real French offers (France Travail), the first n of ../shared/data/france_travail_offers_fr.
const std::vector<engine::JobOffer>& Offers() {
  static const auto offers = [] {
    std::vector<engine::JobOffer> out;
    std::istringstream lines(Read(std::string(JOBZEN_SHARED_DIR) + "/data/france_travail_offers_fr/offers.jsonl"));
    for (std::string line; std::getline(lines, line) && out.size() < 1000;) {
      const boost::json::value v = boost::json::parse(line);
      const auto& o = v.as_object();
      auto str = [&](const char* k) {
        const auto* f = o.if_contains(k);
        return f != nullptr && f->is_string() ? std::string(f->get_string()) : std::string();
      };
      out.push_back({str("id"), str("intitule"), str("description"), ""});
    }
    return out;
  }();
  return offers;
}

// Offer parsing alone: the cold part of every /match and /score on offers never seen before.
// Also the target for counting instructions (bench/README.md).
void BM_ParseOffers(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  const std::vector<engine::JobOffer> offers(Offers().begin(), Offers().begin() + state.range(0));
  for (auto _ : state) {
    for (const engine::JobOffer& offer : offers) {
      engine::ParsedOffer parsed = engine::ParseOffer(*taxonomy, offer);
      benchmark::DoNotOptimize(parsed);
    }
  }
  state.counters["offers"] = static_cast<double>(offers.size());
}
BENCHMARK(BM_ParseOffers)->Arg(100)->Unit(benchmark::kMillisecond);

// A reference for BM_ParseOffers, not engine code: the same 100 offers' texts (as ParseOffer
// joins them) read by a plain loop. Bytes are split into words (ASCII letters and digits, and
// bytes from 0x80 kept raw, unfolded), each word lowered, hashed and looked up in the
// taxonomy's vocabulary, its id and marks stored. No token rule, no inflection folding, no
// phrase matching: what a byte-at-a-time reader pays before any of the engine's work. Not a
// bound on every design (ParseOffer's tokenizer reads sixteen bytes at a time), a yardstick
// for how much the rest of the parse costs.
void BM_WordScanFloor(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  const engine::Vocabulary& vocabulary = taxonomy->skill_matcher().vocabulary();
  std::vector<std::string> texts;
  for (auto it = Offers().begin(); it != Offers().begin() + state.range(0); ++it) {
    texts.push_back(it->title + "\n" + it->description + "\n\n" + it->requirements);
  }
  std::vector<std::uint32_t> ids;
  std::vector<std::uint8_t> marks;
  std::size_t words = 0;
  for (auto _ : state) {
    words = 0;
    for (const std::string& text : texts) {
      ids.clear();
      marks.clear();
      char word[64 + 8];  // a longer word is cut at 64 bytes; 8 bytes of slack for the lookup
      for (std::size_t i = 0; i < text.size();) {
        auto in_word = [](unsigned c) { return c - 'a' < 26u || c - 'A' < 26u || c - '0' < 10u || c >= 0x80u; };
        if (!in_word(static_cast<unsigned char>(text[i]))) {
          ++i;
          continue;
        }
        std::size_t size = 0;
        for (; i < text.size() && in_word(static_cast<unsigned char>(text[i])); ++i) {
          const unsigned c = static_cast<unsigned char>(text[i]);
          if (size < 64) word[size++] = static_cast<char>(c - 'A' < 26u ? c + 32 : c);
        }
        std::memset(word + size, 0, 8);
        std::uint64_t hash = 0;
        const std::uint32_t id = vocabulary.HashAndFindPadded(std::string_view(word, size), &hash);
        ids.push_back(id);
        marks.push_back(vocabulary.Marks(id));
      }
      words += ids.size();
      benchmark::DoNotOptimize(ids.data());
      benchmark::DoNotOptimize(marks.data());
    }
  }
  state.counters["words"] = static_cast<double>(words);
}
BENCHMARK(BM_WordScanFloor)->Arg(100)->Unit(benchmark::kMillisecond);

// /match work for a 600-word text CV: extraction, then parsing and scoring of n offers.
void BM_MatchTextCv(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  const std::string text = Read(std::string(JOBZEN_SOURCE_DIR) + "/bench/data/cv_600_words_en.txt");
  const std::vector<engine::JobOffer> offers(Offers().begin(), Offers().begin() + state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) {
    const engine::Profile p = engine::ExtractProfile(*taxonomy, text, {});
    auto results = engine::ScoreOffers(*taxonomy, p, offers, {}, threads);
    benchmark::DoNotOptimize(results);
  }
  state.counters["offers"] = static_cast<double>(offers.size());
}
BENCHMARK(BM_MatchTextCv)->Args({2, 1})->Args({100, 1})->Args({100, 2})->Args({1000, 1})->Args({1000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// The fast path: a stored profile (no text analysis) against n offers on t threads.
void BM_MatchStoredProfile(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  engine::ProfileInput in;
  in.skills = {"Python", "SQL", "Apache Spark", "Apache Airflow", "dbt", "Snowflake", "Kafka", "AWS", "Terraform", "Docker"};
  in.positions = {"Senior Data Engineer", "Data Engineer"};
  in.experience_years = 8;
  in.languages = {{"en", "native"}, {"es", "B2"}};
  const engine::Profile p = engine::ProfileFromInput(*taxonomy, in);
  const std::vector<engine::JobOffer> offers(Offers().begin(), Offers().begin() + state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) {
    auto results = engine::ScoreOffers(*taxonomy, p, offers, {}, threads);
    benchmark::DoNotOptimize(results);
  }
}
BENCHMARK(BM_MatchStoredProfile)->Args({100, 1})->Args({100, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with the offers already parsed (OfferCache, as the server keeps them): what an ATS
// or job board pays when it scores known offers against another candidate.
void BM_MatchWarmOffers(benchmark::State& state) {
  const auto taxonomy = Taxonomy();
  const std::string text = Read(std::string(JOBZEN_SOURCE_DIR) + "/bench/data/cv_600_words_en.txt");
  const std::vector<engine::JobOffer> offers(Offers().begin(), Offers().begin() + state.range(0));
  const bool stored = state.range(1) != 0;
  engine::ProfileInput in;
  in.skills = {"Python", "SQL", "Apache Spark", "Apache Airflow", "dbt", "Snowflake", "Kafka", "AWS", "Terraform", "Docker"};
  in.positions = {"Senior Data Engineer", "Data Engineer"};
  in.experience_years = 8;
  const engine::Profile stored_profile = engine::ProfileFromInput(*taxonomy, in);
  engine::OfferCache cache(10000);
  (void)engine::ScoreOffers(*taxonomy, stored_profile, offers, {}, 1, &cache);  // warm up
  for (auto _ : state) {
    const engine::Profile p = stored ? stored_profile : engine::ExtractProfile(*taxonomy, text, {});
    auto results = engine::ScoreOffers(*taxonomy, p, offers, {}, 1, &cache);
    benchmark::DoNotOptimize(results);
  }
}
BENCHMARK(BM_MatchWarmOffers)->Args({100, 0})->Args({1000, 0})->Args({100, 1})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
