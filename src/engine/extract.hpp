// Profile extraction: CV text -> the structured profile a recruiter would write down (skills,
// positions, occupations, languages with CEFR levels, experience, seniority, salary
// expectation, sectors, education level, certifications, one-sentence summary). No name,
// e-mail, phone or address ever enters the profile.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dates.hpp"
#include "engine/salary.hpp"
#include "engine/taxonomy.hpp"

namespace jobzen::engine {

struct LanguageLevel {
  std::string code;   // ISO 639-1
  std::string level;  // CEFR "A1".."C2", "native", or "" when neither stated nor implied
  bool operator==(const LanguageLevel&) const = default;
};

struct OccupationRef {
  std::uint32_t index = 0;  // into Taxonomy::occupations()
  std::string label;        // in the output language
  std::string isco;
  std::string rome;
  bool operator==(const OccupationRef&) const = default;
};

struct SkillEvidence {
  std::string skill;       // canonical name
  std::size_t start = 0;   // character (code point) offsets into the analysed text
  std::size_t end = 0;
  bool operator==(const SkillEvidence&) const = default;
};

struct ParseQuality {
  int score = 100;                    // 0..100
  std::vector<std::string> warnings;  // two_column_layout, image_only_pages, garbled_text, not_a_cv
  bool operator==(const ParseQuality&) const = default;
};

struct Profile {
  std::string lang;                       // language of the CV text
  std::string output_lang;                // language of labels and summary
  std::vector<std::uint32_t> skill_ids;   // taxonomy indices, in order of first mention
  std::vector<std::string> skills;        // canonical names, parallel to skill_ids
  std::vector<std::string> positions;     // titles held, most recent first
  std::vector<OccupationRef> occupations;
  std::vector<LanguageLevel> languages;
  std::optional<SalaryRange> salary;
  std::vector<std::string> sectors;
  std::string summary;
  int experience_months = 0;
  int experience_years = 0;               // experience_months / 12, rounded
  bool experience_known = true;           // false for data profiles that do not state it
  std::string seniority;                  // junior, mid, senior, lead
  std::string education_level;            // none stated: ""; else secondary, vocational,
                                          // short_cycle, bachelor, master, doctorate
  std::vector<std::string> certifications;  // certifications, licences and qualifications
  std::vector<SkillEvidence> evidence;    // filled when ExtractOptions::evidence
  ParseQuality quality;
  std::size_t tokens = 0;                 // CV text tokens analysed
};

struct ExtractOptions {
  YearMonth as_of{2026, 11};  // the date "present" stands for
  std::string lang;           // output language ("fr", "en"); empty: the CV's language
  bool evidence = false;
  int two_column_pages = 0;   // layout facts from PDF ingestion, for parse_quality
  int image_only_pages = 0;
};

// Extracts a profile. Deterministic; thread-safe for a shared taxonomy. Linear in the text.
Profile ExtractProfile(const Taxonomy& taxonomy, std::string_view text, const ExtractOptions& options);

// A profile given as data (the /analyze profile schema, e.g. profile_json or a stored profile):
// the fast path, with no CV text to analyse.
struct ProfileInput {
  std::vector<std::string> skills;     // names; resolved through the taxonomy's labels and aliases
  std::vector<std::string> positions;  // titles, most recent first
  std::vector<LanguageLevel> languages;
  std::optional<int> experience_years;
  std::string seniority;
  std::string education_level;         // as Profile::education_level; "" when unknown
  std::string lang;                    // output language; default "en"
};

// Builds a profile from data. Skill names the taxonomy does not know are kept by name but
// cannot be matched to offers; positions are normalised to occupations.
Profile ProfileFromInput(const Taxonomy& taxonomy, const ProfileInput& input);

// Normalises one job title to the best occupation, if any (used for positions and offers):
// the longest alias phrase in the title, else the fuzzy stem overlap of FuzzyOccupation.
std::optional<std::uint32_t> NormaliseTitle(const Taxonomy& taxonomy, std::string_view title);
// The same for a title already prepared as the start of a longer text (an offer's title line
// followed by a line break and its description): its tokens are read there, not again.
std::optional<std::uint32_t> NormaliseTitle(const Taxonomy& taxonomy, std::string_view title, const PreparedText& text);

}  // namespace jobzen::engine
