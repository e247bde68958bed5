// jobzen match / jobzen score: the /match and /score responses for local files.
#include <boost/json.hpp>

#include <chrono>
#include <iostream>
#include <thread>

#include "api/json_mapping.hpp"
#include "commands.hpp"
#include "engine/extract.hpp"
#include "engine/scoring.hpp"
#include "ingest/files.hpp"

namespace jobzen::app {
namespace json = boost::json;

namespace {

std::optional<json::value> ReadJson(const std::string& path) {
  const auto text = ingest::ReadFile(path);
  if (!text) {
    std::cerr << "jobzen: " << text.error().detail << "\n";
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  if (ec) {
    std::cerr << "jobzen: " << path << " is not valid JSON: " << ec.message() << "\n";
    return std::nullopt;
  }
  return v;
}

std::string Field(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

engine::JobOffer OfferFromJson(const json::object& o) {
  return {Field(o, "job_id"), Field(o, "title"), Field(o, "description"), Field(o, "requirements")};
}

struct LoadedCv {
  engine::Profile profile;
  std::string input_used;
};

// The CV of --cv FILE (text or PDF) or the profile of --profile FILE (profile_json).
std::optional<LoadedCv> LoadCv(const Args& args, const engine::Taxonomy& taxonomy, const engine::ExtractOptions& options) {
  if (const auto cv_path = args.Get("--cv")) {
    const auto bytes = ingest::ReadFile(*cv_path);
    if (!bytes) {
      std::cerr << "jobzen: " << bytes.error().detail << "\n";
      return std::nullopt;
    }
    const auto cv = ingest::ReadCvBytes(*bytes);
    if (!cv) {
      std::cerr << "jobzen: " << cv.error().code << ": " << cv.error().detail << "\n";
      return std::nullopt;
    }
    return LoadedCv{engine::ExtractProfile(taxonomy, cv->text, options), cv->from_pdf ? "cv_pdf_base64" : "cv_text"};
  }
  if (const auto profile_path = args.Get("--profile")) {
    const auto v = ReadJson(*profile_path);
    if (!v) return std::nullopt;
    const json::value& p = v->is_object() && v->get_object().contains("profile_json") ? v->at("profile_json") : *v;
    auto input = api::ProfileInputFromJson(p);
    if (!input) {
      std::cerr << "jobzen: " << input.error().detail << "\n";
      return std::nullopt;
    }
    input->lang = options.lang;
    LoadedCv out{engine::ProfileFromInput(taxonomy, *input), "profile_json"};
    return out;
  }
  std::cerr << "jobzen: give --cv FILE or --profile FILE\n";
  return std::nullopt;
}

bool ReadCommon(const Args& args, engine::ExtractOptions* options) {
  options->as_of = CurrentMonth();
  if (!ReadAsOf(args, &options->as_of)) return false;
  if (const auto lang = args.Get("--lang")) {
    if (*lang != "fr" && *lang != "en") {
      std::cerr << "jobzen: --lang must be fr or en\n";
      return false;
    }
    options->lang = *lang;
  }
  return true;
}

}  // namespace

int MatchCommand(const Args& args) {
  engine::ExtractOptions options;
  if (!ReadCommon(args, &options) || !args.Get("--jobs")) {
    std::cerr << "usage: jobzen match (--cv FILE | --profile FILE) --jobs JOBS.json [--explain] [--as-of YYYY-MM-DD] [--lang fr|en] [--threads N]\n";
    return 2;
  }
  const auto jobs = ReadJson(*args.Get("--jobs"));
  if (!jobs) return 1;
  const json::value* list = jobs->is_array() ? &*jobs : (jobs->is_object() ? jobs->get_object().if_contains("job_listings") : nullptr);
  if (list == nullptr || !list->is_array()) {
    std::cerr << "jobzen: JOBS.json must be an array of offers or an object with job_listings\n";
    return 1;
  }
  std::vector<engine::JobOffer> offers;
  for (const json::value& o : list->get_array()) {
    if (o.is_object()) offers.push_back(OfferFromJson(o.get_object()));
  }
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;
  const auto start = std::chrono::steady_clock::now();
  const auto cv = LoadCv(args, *taxonomy, options);
  if (!cv) return 1;
  engine::ScoreOptions so;
  so.lang = options.lang;
  so.explain = args.Has("--explain");
  so.skill_lists = false;  // /match shows no skill lists
  const std::string threads_flag = args.Get("--threads").value_or("1");
  if (threads_flag.empty() || threads_flag.size() > 3 || threads_flag.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(threads_flag) < 1) {
    std::cerr << "jobzen: --threads must be a whole number from 1 to 999\n";
    return 2;
  }
  const auto threads = static_cast<unsigned>(std::stoi(threads_flag));
  const auto results = engine::ScoreOffers(*taxonomy, cv->profile, offers, so, threads);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  json::object response{{"cv_input_used", cv->input_used}, {"matches", api::MatchEntries(offers, results, so.explain)},
                        {"usage", api::Usage(cv->input_used == "profile_json" ? 0 : cv->profile.tokens, ms)}};
  std::cout << api::Pretty(response);
  return 0;
}

int ScoreCommand(const Args& args) {
  engine::ExtractOptions options;
  if (!ReadCommon(args, &options) || !args.Get("--job")) {
    std::cerr << "usage: jobzen score (--cv FILE | --profile FILE) --job JOB.json [--structured] [--as-of YYYY-MM-DD] [--lang fr|en]\n";
    return 2;
  }
  const auto job = ReadJson(*args.Get("--job"));
  if (!job) return 1;
  const json::value* j = job->is_object() && job->get_object().contains("job") ? job->get_object().if_contains("job") : &*job;
  if (!j->is_object()) {
    std::cerr << "jobzen: JOB.json must be an offer object {title, description, requirements}\n";
    return 1;
  }
  const auto taxonomy = LoadTaxonomyOrReport(args);
  if (!taxonomy) return 1;
  const auto start = std::chrono::steady_clock::now();
  const auto cv = LoadCv(args, *taxonomy, options);
  if (!cv) return 1;
  engine::ScoreOptions so;
  so.lang = options.lang;
  const engine::ScoreResult r = engine::Score(*taxonomy, cv->profile, engine::ParseOffer(*taxonomy, OfferFromJson(j->get_object())), so);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  json::object response = api::ScoreBody(r, args.Has("--structured"));
  response["usage"] = api::Usage(cv->input_used == "profile_json" ? 0 : cv->profile.tokens, ms);
  std::cout << api::Pretty(response);
  return 0;
}

}  // namespace jobzen::app
