// Sub-commands of the jobzen binary and the small argument helper they share.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/dates.hpp"
#include "engine/taxonomy.hpp"

namespace jobzen::app {

// Command-line arguments after the sub-command: positionals and --flag [value] options.
class Args {
 public:
  Args(std::vector<std::string> args, const std::vector<std::string>& boolean_flags);
  std::optional<std::string> Get(const std::string& flag) const;
  bool Has(const std::string& flag) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  const std::string& error() const { return error_; }

 private:
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> positionals_;
  std::string error_;
};

// Loads the taxonomy named by --taxonomy DIR, else $JOBZEN_DATA_DIR, else the build's data
// directory, extended by --esco DIR when given. Prints the error and returns null on failure.
std::shared_ptr<const engine::Taxonomy> LoadTaxonomyOrReport(const Args& args);

// Parses YYYY-MM-DD (or YYYY-MM) into a month; nullopt when malformed.
std::optional<engine::YearMonth> ParseAsOf(const std::string& s);
// Reads --as-of into *as_of when given; prints the error and returns false when malformed.
bool ReadAsOf(const Args& args, engine::YearMonth* as_of);
// Today's month (UTC).
engine::YearMonth CurrentMonth();

int AnalyzeCommand(const Args& args);
int EvalCommand(const Args& args);
int MatchCommand(const Args& args);
int ScoreCommand(const Args& args);

}  // namespace jobzen::app
