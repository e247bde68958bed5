// ESCO importer: parses the official ESCO CSV download (skills, occupations, broader
// relations, FR and EN files joined on conceptUri) so that Taxonomy::Build can extend our
// taxonomy with it at start-up. Pure parsing; reading the directory is ingest's job.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/result.hpp"

namespace jobzen::engine {

struct EscoConcept {
  std::string uri;
  std::string en, fr;                   // preferred labels
  std::vector<std::string> alt_en, alt_fr;
  std::string skill_type;               // "skill/competence" or "knowledge"
  std::string reuse_level;              // "transversal", "cross-sector", "sector-specific", "occupation-specific"
};

struct EscoOccupation {
  std::string uri;
  std::string isco;                     // ISCO-08 unit group, 4 digits
  std::string en, fr;
  std::vector<std::string> alt_en, alt_fr;
};

struct EscoData {
  std::vector<EscoConcept> skills;
  std::vector<EscoOccupation> occupations;
  std::vector<std::pair<std::string, std::string>> skill_broader;  // (narrower uri, broader uri)
};

// The CSV files' contents by role. Any may be empty except skills_en and occupations_en.
struct EscoFiles {
  std::string skills_en, skills_fr, occupations_en, occupations_fr, skill_broader;
};

// Parses RFC 4180 CSV (quoted cells may hold commas, quotes and newlines; altLabels cells hold
// one label per line). Columns are found by header name. Errors ("esco_invalid") name the file
// role and the missing column.
Result<EscoData> ParseEsco(const EscoFiles& files);

// Parses one CSV document into rows of cells (exposed for tests).
std::vector<std::vector<std::string>> ParseCsv(std::string_view csv);

}  // namespace jobzen::engine
