// jobzen analyze FILE: prints the /analyze response for a CV file (text or PDF).
#include <boost/json.hpp>

#include <chrono>
#include <iostream>

#include "api/json_mapping.hpp"
#include "commands.hpp"
#include "engine/extract.hpp"
#include "ingest/files.hpp"

namespace jobzen::app {

int AnalyzeCommand(const Args& args) {
  if (args.positionals().size() != 1) {
    std::cerr << "usage: jobzen analyze FILE [--lang fr|en] [--as-of YYYY-MM-DD] [--evidence]\n";
    return 2;
  }
  engine::ExtractOptions options;
  options.as_of = CurrentMonth();
  if (!ReadAsOf(args, &options.as_of)) return 2;
  if (const auto lang = args.Get("--lang")) {
    if (*lang != "fr" && *lang != "en") {
      std::cerr << "jobzen: --lang must be fr or en\n";
      return 2;
    }
    options.lang = *lang;
  }
  options.evidence = args.Has("--evidence");
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;
  const auto bytes = ingest::ReadFile(args.positionals()[0]);
  if (!bytes) {
    std::cerr << "jobzen: " << bytes.error().detail << "\n";
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  const auto cv = ingest::ReadCvBytes(*bytes);
  if (!cv) {
    // The same problem shape the API returns, on stderr.
    boost::json::object problem{{"type", "https://docs.jobzen.io/errors/" + cv.error().code},
                                {"title", "The CV could not be read"},
                                {"status", cv.error().code == "payload_too_large" ? 413 : 422},
                                {"code", cv.error().code},
                                {"detail", cv.error().detail}};
    std::cerr << api::Pretty(problem);
    return 1;
  }
  options.two_column_pages = cv->two_column_pages;
  options.image_only_pages = cv->image_only_pages;
  const engine::Profile profile = engine::ExtractProfile(*taxonomy, cv->text, options);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::cout << api::Pretty(api::AnalyzeResponse(profile, cv->from_pdf ? "cv_pdf_base64" : "cv_text", "", options.evidence, ms));
  return 0;
}

}  // namespace jobzen::app
