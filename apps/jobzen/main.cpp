// jobzen: the one binary. main only dispatches to sub-commands (see commands.hpp).
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "server_commands.hpp"
#include "ingest/files.hpp"

namespace jobzen::app {

Args::Args(std::vector<std::string> args, const std::vector<std::string>& boolean_flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      positionals_.push_back(a);
      continue;
    }
    const std::size_t eq = a.find('=');
    if (eq != std::string::npos) {
      options_.emplace_back(a.substr(0, eq), a.substr(eq + 1));
      continue;
    }
    const bool boolean = std::find(boolean_flags.begin(), boolean_flags.end(), a) != boolean_flags.end();
    if (boolean) {
      options_.emplace_back(a, "");
    } else if (i + 1 < args.size()) {
      options_.emplace_back(a, args[++i]);
    } else {
      error_ = "option " + a + " needs a value";
    }
  }
}

std::optional<std::string> Args::Get(const std::string& flag) const {
  for (const auto& [k, v] : options_) {
    if (k == flag) return v;
  }
  return std::nullopt;
}

bool Args::Has(const std::string& flag) const { return Get(flag).has_value(); }

std::shared_ptr<const engine::Taxonomy> LoadTaxonomyOrReport(const Args& args) {
  std::string dir = JOBZEN_DATA_DIR;
  if (const char* env = std::getenv("JOBZEN_DATA_DIR"); env != nullptr && *env != '\0') dir = env;
  if (const auto flag = args.Get("--taxonomy")) dir = *flag;
  auto t = ingest::LoadTaxonomy(dir, args.Get("--esco").value_or(""));
  if (!t) {
    std::cerr << "jobzen: " << t.error().code << ": " << t.error().detail << "\n";
    return nullptr;
  }
  return *t;
}

std::optional<engine::YearMonth> ParseAsOf(const std::string& s) {
  // YYYY-MM-DD with a real calendar date, or YYYY-MM.
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() != 10 && s.size() != 7) return std::nullopt;
  const int y = digits(0, 4), m = digits(5, 2);
  if (y < 1900 || m < 1 || m > 12 || s[4] != '-') return std::nullopt;
  if (s.size() == 10) {
    const int d = digits(8, 2);
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (s[7] != '-' || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
  }
  return engine::YearMonth{y, m};
}

bool ReadAsOf(const Args& args, engine::YearMonth* as_of) {
  const auto flag = args.Get("--as-of");
  if (!flag) return true;
  const auto parsed = ParseAsOf(*flag);
  if (!parsed) {
    std::cerr << "jobzen: --as-of must be a date YYYY-MM-DD\n";
    return false;
  }
  *as_of = *parsed;
  return true;
}

engine::YearMonth CurrentMonth() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1};
}

}  // namespace jobzen::app

namespace {

void Usage() {
  std::cerr << "usage:\n"
               "  jobzen analyze FILE [--lang fr|en] [--as-of YYYY-MM-DD] [--evidence]\n"
               "  jobzen match (--cv FILE | --profile FILE) --jobs JOBS.json [--explain] [--as-of YYYY-MM-DD] [--threads N]\n"
               "  jobzen score (--cv FILE | --profile FILE) --job JOB.json [--structured] [--as-of YYYY-MM-DD]\n"
               "  jobzen eval extraction DIR [--as-of YYYY-MM-DD] [--verbose]\n"
               "  jobzen eval ranking DIR [--verbose]\n"
               "  jobzen eval titles [--shared DIR] [--esco DIR]\n"
               "  jobzen serve [--listen HOST:PORT] [--db sqlite:PATH] ...   (jobzen serve --help)\n"
               "  jobzen partner create|list ..., jobzen key create|revoke ...   (jobzen partner)\n"
               "  jobzen store reencrypt [--db DSN]   (master key rotation, docs/candidates.md)\n"
               "common options: --taxonomy DATA_DIR (holds taxonomy/), --esco ESCO_CSV_DIR\n";
}

}  // namespace

int main(int argc, char** argv) {
  using jobzen::app::Args;
  if (argc < 2) {
    Usage();
    return 2;
  }
  const std::string cmd = argv[1];
  std::vector<std::string> rest(argv + 2, argv + argc);
  std::vector<std::string> booleans = {"--evidence", "--verbose", "--structured", "--explain", "--sandbox"};
  booleans.insert(booleans.end(), std::begin(jobzen::app::kServerBooleanFlags), std::end(jobzen::app::kServerBooleanFlags));
  const Args args(rest, booleans);
  if (!args.error().empty()) {
    std::cerr << "jobzen: " << args.error() << "\n";
    return 2;
  }
  if (cmd == "analyze") return jobzen::app::AnalyzeCommand(args);
  if (cmd == "eval") return jobzen::app::EvalCommand(args);
  if (cmd == "match") return jobzen::app::MatchCommand(args);
  if (cmd == "score") return jobzen::app::ScoreCommand(args);
  if (cmd == "serve") return jobzen::app::ServeCommand(args);
  if (cmd == "partner") return jobzen::app::PartnerCommand(args);
  if (cmd == "key") return jobzen::app::KeyCommand(args);
  if (cmd == "store") return jobzen::app::StoreCommand(args);
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    Usage();
    return 0;
  }
  std::cerr << "jobzen: unknown command '" << cmd << "'\n";
  Usage();
  return 2;
}
