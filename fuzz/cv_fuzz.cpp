// Fuzz target for the CV paths: arbitrary bytes go through the same route as an uploaded CV
// (PDF detection, poppler or text decoding) and then through profile extraction.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/extract.hpp"
#include "ingest/files.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto taxonomy = [] {
    auto t = jobzen::ingest::LoadTaxonomy(JOBZEN_DATA_DIR);
    if (!t) std::abort();
    return *t;
  }();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto cv = jobzen::ingest::ReadCvBytes(bytes);
  if (!cv) return 0;
  jobzen::engine::ExtractOptions options;
  options.evidence = true;
  const auto profile = jobzen::engine::ExtractProfile(*taxonomy, cv->text, options);
  // Offsets must stay inside the text.
  for (const auto& e : profile.evidence) {
    if (e.start > e.end || e.end > cv->text.size()) std::abort();
  }
  return 0;
}
