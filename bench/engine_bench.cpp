// Engine benchmarks: text CV analysis, PDF CV analysis, taxonomy load.
// Run: build/bench/engine_bench --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "engine/extract.hpp"
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

}  // namespace

BENCHMARK_MAIN();
