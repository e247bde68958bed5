// Taxonomy parsing, linking and matcher construction. The TSV format is documented in
// data/taxonomy/README.md; every error names its file and line.
#include "engine/taxonomy.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "engine/esco.hpp"
#include "engine/stem.hpp"

namespace jobzen::engine {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  for (const std::string_view part : Split(s, '|')) {
    std::string_view p = part;
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    while (!p.empty() && p.back() == ' ') p.remove_suffix(1);
    if (!p.empty()) out.emplace_back(p);
  }
  return out;
}

std::optional<SkillType> ParseType(std::string_view s) {
  if (s == "hard") return SkillType::kHard;
  if (s == "soft") return SkillType::kSoft;
  if (s == "cert") return SkillType::kCert;
  if (s == "licence") return SkillType::kLicence;
  if (s == "qualification") return SkillType::kQualification;
  return std::nullopt;
}

bool ValidId(std::string_view id) {
  if (id.empty()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

struct Line {
  std::size_t number;
  std::vector<std::string_view> cells;
};

// Data lines of a TSV source (comments and blank lines skipped; a trailing \r dropped).
std::vector<Line> DataLines(std::string_view content) {
  std::vector<Line> lines;
  std::size_t number = 0;
  for (std::string_view line : Split(content, '\n')) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    lines.push_back({number, Split(line, '\t')});
  }
  return lines;
}

// ESCO writes French labels with both genders: "infirmier/infirmière". Returns each form
// as its own label, plus the alternative labels.
std::vector<std::string> GenderedForms(const std::string& label) {
  std::vector<std::string> out;
  const std::size_t slash = label.find('/');
  if (slash == std::string::npos || label.find(' ') == std::string::npos || label.find('/', slash + 1) != std::string::npos) {
    if (!label.empty()) out.push_back(label);
    return out;
  }
  out.push_back(label.substr(0, slash));
  out.push_back(label.substr(slash + 1));
  return out;
}

std::vector<std::string> AllForms(const std::vector<std::string>& labels) {
  std::vector<std::string> out;
  for (const auto& l : labels) {
    for (auto& f : GenderedForms(l)) out.push_back(std::move(f));
  }
  return out;
}

Error Invalid(const std::string& file, std::size_t line, const std::string& what) {
  return Error{"taxonomy_invalid", file + ":" + std::to_string(line) + ": " + what};
}

}  // namespace

const std::vector<std::string>& Sectors() {
  static const std::vector<std::string> kSectors = {
      "tech", "saas", "finance", "healthcare", "logistics", "retail", "hospitality", "construction",
      "education", "marketing", "sales", "hr", "industry", "public", "transport", "legal", "energy",
      "media", "consulting", "customer_service", "administration", "pharma"};
  return kSectors;
}

Taxonomy::Taxonomy()
    : vocabulary_(Vocabulary::Extending(FixedWords())),
      skills_m_(vocabulary_),
      occ_m_(vocabulary_),
      lang_m_(vocabulary_),
      fam_m_(vocabulary_) {}

Result<std::shared_ptr<const Taxonomy>> Taxonomy::Build(const std::vector<TaxonomySource>& sources,
                                                        const EscoData* esco) {
  std::shared_ptr<Taxonomy> t(new Taxonomy());
  const Result<bool> parsed = t->Parse(sources);
  if (!parsed) return parsed.error();
  if (esco != nullptr) t->AddEsco(*esco);
  std::unordered_map<std::string_view, std::uint32_t> group_ids;
  for (Skill& s : t->skills_) {
    s.group_id = group_ids.emplace(s.group, static_cast<std::uint32_t>(group_ids.size())).first->second;
  }
  t->BuildMatchers();
  t->BuildTitleIndex();
  return std::shared_ptr<const Taxonomy>(std::move(t));
}

Result<bool> Taxonomy::Parse(const std::vector<TaxonomySource>& sources) {
  const std::unordered_set<std::string> sectors(Sectors().begin(), Sectors().end());
  struct PendingLinks {
    std::string file;
    std::size_t line;
    std::vector<std::string> ids;
  };
  std::vector<PendingLinks> skill_links;  // parallel to skills_
  std::vector<PendingLinks> occ_links;    // parallel to occupations_
  struct FamilyRow {
    std::string file;
    std::size_t line;
    std::string name;
    std::vector<std::string> prefixes, codes;
    std::string id_template;
  };
  std::vector<FamilyRow> family_rows;

  // Skills first, so that occupations and families can link to them in any file order.
  std::vector<const TaxonomySource*> ordered;
  for (const auto& s : sources) ordered.push_back(&s);
  std::stable_sort(ordered.begin(), ordered.end(), [](const TaxonomySource* a, const TaxonomySource* b) {
    return StartsWith(a->name, "skills/") && !StartsWith(b->name, "skills/");
  });

  for (const TaxonomySource* src : ordered) {
    const std::string& file = src->name;
    const bool is_skills = StartsWith(file, "skills/");
    const bool is_occ = StartsWith(file, "occupations/");
    const bool is_lang = file == "languages.tsv";
    const bool is_fam = file == "families.tsv";
    for (const Line& l : DataLines(src->content)) {
      const auto& c = l.cells;
      if (is_skills) {
        if (c.size() != 8) return Invalid(file, l.number, "expected 8 columns, got " + std::to_string(c.size()));
        Skill s;
        s.id = std::string(c[0]);
        if (!ValidId(s.id)) return Invalid(file, l.number, "bad id '" + s.id + "'");
        const auto type = ParseType(c[1]);
        if (!type) return Invalid(file, l.number, "unknown type '" + std::string(c[1]) + "'");
        s.type = *type;
        s.sector = std::string(c[2]);
        if (s.sector != "any" && !sectors.count(s.sector)) return Invalid(file, l.number, "unknown sector '" + s.sector + "'");
        s.group = std::string(c[3]);
        s.en = std::string(c[4]);
        s.fr = std::string(c[5]);
        if (s.en.empty() || s.fr.empty()) return Invalid(file, l.number, "missing en or fr label");
        s.aliases = SplitList(c[6]);
        if (skill_index_.count(s.id)) return Invalid(file, l.number, "duplicate skill id '" + s.id + "'");
        skill_index_.emplace(s.id, static_cast<std::uint32_t>(skills_.size()));
        skill_links.push_back({file, l.number, SplitList(c[7])});
        skills_.push_back(std::move(s));
      } else if (is_occ) {
        if (c.size() != 8) return Invalid(file, l.number, "expected 8 columns, got " + std::to_string(c.size()));
        Occupation o;
        o.id = std::string(c[0]);
        if (!ValidId(o.id)) return Invalid(file, l.number, "bad id '" + o.id + "'");
        o.sector = std::string(c[1]);
        if (!sectors.count(o.sector)) return Invalid(file, l.number, "unknown sector '" + o.sector + "'");
        o.isco = std::string(c[2]);
        if (o.isco.size() != 4 || !std::all_of(o.isco.begin(), o.isco.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
          return Invalid(file, l.number, "bad ISCO code '" + o.isco + "'");
        }
        o.rome = std::string(c[3]);
        o.en = std::string(c[4]);
        o.fr = std::string(c[5]);
        if (o.en.empty() || o.fr.empty()) return Invalid(file, l.number, "missing en or fr label");
        o.aliases = SplitList(c[6]);
        if (occupation_index_.count(o.id)) return Invalid(file, l.number, "duplicate occupation id '" + o.id + "'");
        occupation_index_.emplace(o.id, static_cast<std::uint32_t>(occupations_.size()));
        occ_links.push_back({file, l.number, SplitList(c[7])});
        occupations_.push_back(std::move(o));
      } else if (is_lang) {
        if (c.size() != 4) return Invalid(file, l.number, "expected 4 columns, got " + std::to_string(c.size()));
        SpokenLanguage lang{std::string(c[0]), std::string(c[1]), std::string(c[2]), SplitList(c[3])};
        if (lang.code.size() != 2) return Invalid(file, l.number, "bad ISO 639-1 code '" + lang.code + "'");
        languages_.push_back(std::move(lang));
      } else if (is_fam) {
        if (c.size() != 4) return Invalid(file, l.number, "expected 4 columns, got " + std::to_string(c.size()));
        family_rows.push_back({file, l.number, std::string(c[0]), SplitList(c[1]), SplitList(c[2]), std::string(c[3])});
      }
      // Other files (README, notes) are ignored.
    }
  }

  auto resolve = [&](const PendingLinks& p, std::vector<std::uint32_t>* out) -> Result<bool> {
    for (const std::string& id : p.ids) {
      const auto it = skill_index_.find(id);
      if (it == skill_index_.end()) return Invalid(p.file, p.line, "link to unknown skill id '" + id + "'");
      out->push_back(it->second);
    }
    return true;
  };
  for (std::size_t i = 0; i < skills_.size(); ++i) {
    const auto r = resolve(skill_links[i], &skills_[i].related);
    if (!r) return r.error();
  }
  for (std::size_t i = 0; i < occupations_.size(); ++i) {
    const auto r = resolve(occ_links[i], &occupations_[i].skills);
    if (!r) return r.error();
  }
  for (const FamilyRow& row : family_rows) {
    LicenceFamily fam;
    fam.name = row.name;
    const std::size_t hole = row.id_template.find("{code}");
    if (hole == std::string::npos) return Invalid(row.file, row.line, "id_template lacks {code}");
    for (const std::string& code : row.codes) {
      const std::string folded = Fold(code);
      std::string id = row.id_template;
      id.replace(hole, 6, folded);
      const auto it = skill_index_.find(id);
      if (it == skill_index_.end()) return Invalid(row.file, row.line, "family id '" + id + "' is not a skill");
      fam.codes.push_back(folded);
      fam.by_code.emplace(folded, it->second);
    }
    families_.push_back(std::move(fam));
    // Prefixes are kept in the matcher only; remember them through a side list.
    for (const std::string& prefix : row.prefixes) {
      const auto idx = static_cast<std::uint32_t>(families_.size() - 1);
      fam_m_.Add(prefix, idx, false);
    }
  }
  return true;
}

void Taxonomy::AddEsco(const EscoData& esco) {
  // Index our labels so that ESCO concepts we already have are linked, not duplicated.
  std::unordered_map<std::string, std::uint32_t> skill_by_label;
  for (std::uint32_t i = 0; i < skills_.size(); ++i) {
    skill_by_label.emplace(Fold(skills_[i].en), i);
    skill_by_label.emplace(Fold(skills_[i].fr), i);
  }
  std::unordered_map<std::string, std::uint32_t> uri_to_skill;
  for (const EscoConcept& c : esco.skills) {
    const auto it = skill_by_label.find(Fold(c.en));
    const auto it_fr = it == skill_by_label.end() ? skill_by_label.find(Fold(c.fr)) : it;
    if (it_fr != skill_by_label.end()) {
      Skill& ours = skills_[it_fr->second];
      if (ours.esco_uri.empty()) ours.esco_uri = c.uri;
      uri_to_skill.emplace(c.uri, it_fr->second);
      continue;
    }
    Skill s;
    s.id = "esco_" + c.uri.substr(c.uri.rfind('/') + 1);
    std::replace(s.id.begin(), s.id.end(), '-', '_');
    s.type = SkillType::kHard;
    s.sector = "any";
    s.group = "esco";
    s.en = c.en.empty() ? c.fr : c.en;
    s.fr = c.fr.empty() ? c.en : c.fr;
    s.aliases = AllForms(c.alt_en);
    for (auto& a : AllForms(c.alt_fr)) s.aliases.push_back(std::move(a));
    for (auto& a : GenderedForms(s.fr)) s.aliases.push_back(std::move(a));
    s.esco_uri = c.uri;
    if (s.en.empty() || skill_index_.count(s.id)) continue;
    const auto idx = static_cast<std::uint32_t>(skills_.size());
    skill_index_.emplace(s.id, idx);
    uri_to_skill.emplace(c.uri, idx);
    skills_.push_back(std::move(s));
    ++esco_skills_added_;
  }
  // Broader relations between skills become related links (partial credit).
  for (const auto& [narrow, broad] : esco.skill_broader) {
    const auto a = uri_to_skill.find(narrow);
    const auto b = uri_to_skill.find(broad);
    if (a == uri_to_skill.end() || b == uri_to_skill.end() || a->second == b->second) continue;
    auto& rel = skills_[a->second].related;
    if (std::find(rel.begin(), rel.end(), b->second) == rel.end()) rel.push_back(b->second);
  }

  std::unordered_map<std::string, std::uint32_t> occ_by_label;
  for (std::uint32_t i = 0; i < occupations_.size(); ++i) {
    occ_by_label.emplace(Fold(occupations_[i].en), i);
    occ_by_label.emplace(Fold(occupations_[i].fr), i);
  }
  for (const EscoOccupation& c : esco.occupations) {
    auto it = occ_by_label.find(Fold(c.en));
    for (const std::string& form : GenderedForms(c.fr)) {
      if (it == occ_by_label.end()) it = occ_by_label.find(Fold(form));
    }
    if (it != occ_by_label.end()) {
      Occupation& ours = occupations_[it->second];
      if (ours.esco_uri.empty()) ours.esco_uri = c.uri;
      continue;
    }
    Occupation o;
    o.id = "esco_" + c.uri.substr(c.uri.rfind('/') + 1);
    std::replace(o.id.begin(), o.id.end(), '-', '_');
    o.sector = "";
    o.isco = c.isco;
    o.en = c.en.empty() ? c.fr : c.en;
    o.fr = c.fr.empty() ? c.en : c.fr;
    o.aliases = AllForms(c.alt_en);
    for (auto& a : AllForms(c.alt_fr)) o.aliases.push_back(std::move(a));
    for (auto& a : GenderedForms(o.fr)) o.aliases.push_back(std::move(a));
    if (const auto forms = GenderedForms(o.fr); !forms.empty()) o.fr = forms.front();
    o.esco_uri = c.uri;
    if (o.en.empty() || o.isco.size() != 4 || occupation_index_.count(o.id)) continue;
    occupation_index_.emplace(o.id, static_cast<std::uint32_t>(occupations_.size()));
    occupations_.push_back(std::move(o));
    ++esco_occupations_added_;
  }
}

void Taxonomy::BuildMatchers() {
  auto add_all = [](PhraseMatcher& m, std::string_view phrase, std::uint32_t payload) {
    const bool exact = !phrase.empty() && phrase.front() == '=';
    if (exact) phrase.remove_prefix(1);
    m.Add(phrase, payload, exact);
  };
  // A label that a case-sensitive alias restates ("Go" with "=Go") is ambiguous in lower
  // case ("we go"): it is matched with its case only.
  auto add_label = [&add_all](PhraseMatcher& m, const std::string& label, const std::vector<std::string>& aliases, std::uint32_t i) {
    const std::string folded = Fold(label);
    for (const auto& a : aliases) {
      if (!a.empty() && a.front() == '=' && Fold(std::string_view(a).substr(1)) == folded) return;
    }
    add_all(m, label, i);
  };
  // Our concepts are added before ESCO's (they come first in the vectors), so on a shared
  // phrase ours wins.
  for (std::uint32_t i = 0; i < skills_.size(); ++i) {
    const Skill& s = skills_[i];
    add_label(skills_m_, s.en, s.aliases, i);
    add_label(skills_m_, s.fr, s.aliases, i);
    for (const auto& a : s.aliases) add_all(skills_m_, a, i);
  }
  for (std::uint32_t i = 0; i < occupations_.size(); ++i) {
    const Occupation& o = occupations_[i];
    add_all(occ_m_, o.en, i);
    add_all(occ_m_, o.fr, i);
    for (const auto& a : o.aliases) add_all(occ_m_, a, i);
  }
  for (std::uint32_t i = 0; i < languages_.size(); ++i) {
    const SpokenLanguage& l = languages_[i];
    add_all(lang_m_, l.en, i);
    add_all(lang_m_, l.fr, i);
    for (const auto& a : l.aliases) add_all(lang_m_, a, i);
  }
  // Compound tokens (CI/CD, R&D) that some phrase uses: others are split when texts are prepared.
  compounds_ = skills_m_.compounds();
  compounds_.insert(occ_m_.compounds().begin(), occ_m_.compounds().end());
}

namespace {

// The words of a title that say nothing about the job.
const Vocabulary& TitleStopWords() {
  static const Vocabulary words = [] {
    Vocabulary v;
    for (const std::string_view w :
         {"de", "du", "des", "la", "le", "les", "l", "d", "en", "et", "a", "au", "aux", "of", "the", "and", "for", "in", "on",
          "at", "to", "with", "h", "f", "hf", "m", "w", "x", "h/f", "f/h", "m/f", "cdi", "cdd", "senior", "junior", "sr", "jr",
          "confirme", "confirmee", "experimente", "stage", "stagiaire", "alternance", "interim", "urgent", "poste", "job",
          "un", "une", "ou", "or", "iii", "ii", "i"}) {
      v.Intern(w);
    }
    return v;
  }();
  return words;
}

bool IsTitleStopWord(std::string_view norm) {
  return TitleStopWords().Find(norm, Vocabulary::Hash(norm)) != Vocabulary::kNoKey;
}

std::string TitleStem(std::string_view norm) { return Stem(StemLang::kEnglish, MatchKey(norm)); }

}  // namespace

void Taxonomy::BuildTitleIndex() {
  // Distinct stems of each label, in label order, without stop words. Snowball is slow and
  // labels repeat their words: each word is stemmed once.
  std::vector<std::vector<std::uint32_t>> entry_stems;
  auto add = [&](std::uint32_t occupation, std::string_view label) {
    if (!label.empty() && label.front() == '=') label.remove_prefix(1);
    std::vector<std::uint32_t> stems;
    for (const Token& t : Tokenize(label)) {
      if (IsTitleStopWord(t.norm)) continue;
      const std::uint32_t word = title_words_.Intern(t.norm);
      if (word == title_word_stems_.size()) title_word_stems_.push_back(title_stems_.Intern(TitleStem(t.norm)));
      const std::uint32_t stem = title_word_stems_[word];
      if (std::find(stems.begin(), stems.end(), stem) == stems.end()) stems.push_back(stem);
    }
    if (stems.empty()) return;
    const auto id = static_cast<std::uint32_t>(title_entries_.size());
    if (title_postings_.size() < title_stems_.size()) title_postings_.resize(title_stems_.size());
    for (const std::uint32_t stem : stems) title_postings_[stem].push_back(id);
    title_entries_.push_back({occupation, 0.0});
    entry_stems.push_back(std::move(stems));
  };
  for (std::uint32_t i = 0; i < occupations_.size(); ++i) {
    const Occupation& o = occupations_[i];
    add(i, o.en);
    add(i, o.fr);
    for (const auto& a : o.aliases) add(i, a);
  }
  const double n = static_cast<double>(title_entries_.size());
  title_postings_.resize(title_stems_.size());
  title_idf_.resize(title_stems_.size());
  for (std::size_t stem = 0; stem < title_postings_.size(); ++stem) {
    title_idf_[stem] = std::log(1.0 + n / static_cast<double>(title_postings_[stem].size()));
  }
  for (std::size_t e = 0; e < title_entries_.size(); ++e) {
    for (const std::uint32_t stem : entry_stems[e]) title_entries_[e].weight += title_idf_[stem];
  }
}

std::optional<std::uint32_t> Taxonomy::FuzzyOccupation(std::string_view title) const {
  // Distinct stems of the title in title order: those the index knows by id, others (never
  // in any label) by their text. The index's own words keep the stems computed when it was
  // built; other words are stemmed here. Nothing of the title outlives the call (it may be a
  // CV's): no per-thread buffer holds its words.
  std::vector<std::uint32_t> stems;  // stem ids, kNoKey for an unknown stem
  std::vector<std::string> unknown;  // the texts of the unknown stems
  for (const Token& t : Tokenize(title)) {
    if (IsTitleStopWord(t.norm)) continue;
    std::uint32_t stem = Vocabulary::kNoKey;
    if (const std::uint32_t word = title_words_.Find(t.norm, Vocabulary::Hash(t.norm)); word != Vocabulary::kNoKey) {
      stem = title_word_stems_[word];
    } else {
      std::string text = TitleStem(t.norm);
      stem = title_stems_.Find(text, Vocabulary::Hash(text));
      if (stem == Vocabulary::kNoKey) {
        if (std::find(unknown.begin(), unknown.end(), text) == unknown.end()) {
          unknown.push_back(std::move(text));
          stems.push_back(Vocabulary::kNoKey);
        }
        continue;
      }
    }
    if (std::find(stems.begin(), stems.end(), stem) == stems.end()) stems.push_back(stem);
  }
  if (stems.empty()) return std::nullopt;
  // Each entry's overlap sums the IDF of the stems it shares with the title, in title order,
  // into a per-thread array of all entries (only those touched are read and reset).
  thread_local std::vector<double> overlap;
  thread_local std::vector<std::uint32_t> touched;
  overlap.resize(title_entries_.size(), 0.0);
  touched.clear();
  double query_weight = 0;
  const double unknown_idf = std::log(1.0 + static_cast<double>(title_entries_.size()));
  for (const std::uint32_t stem : stems) {
    if (stem == Vocabulary::kNoKey) {
      query_weight += unknown_idf;
      continue;
    }
    const double idf = title_idf_[stem];
    query_weight += idf;
    for (const std::uint32_t e : title_postings_[stem]) {
      if (overlap[e] == 0.0) touched.push_back(e);
      overlap[e] += idf;
    }
  }
  // Cosine of binary IDF-weighted stem sets; ties go to the earlier (our own) entry, whatever
  // the order entries are read in. An entry's overlap is part of its weight, so its cosine is
  // at most sqrt(overlap / query_weight): below 0.35 of the query's weight (a margin below
  // 0.6² = 0.36 for rounding), it cannot reach the 0.6 an answer needs, and its square root
  // and division are spared (most entries share one common word with the title).
  const double hopeless = 0.35 * query_weight;
  double best = 0;
  std::uint32_t best_entry = 0;
  for (const std::uint32_t e : touched) {
    const double shared = overlap[e];
    overlap[e] = 0.0;
    if (shared < hopeless) continue;
    const double sim = shared / std::sqrt(query_weight * title_entries_[e].weight);
    if (sim > best || (sim == best && e < best_entry)) {
      best = sim;
      best_entry = e;
    }
  }
  if (best < 0.6) return std::nullopt;
  return title_entries_[best_entry].occupation;
}

std::vector<PhraseMatcher::Match> Taxonomy::FamilyMatches(const PreparedText& text) const {
  static const std::unordered_set<std::string> kConnectors = {
      "cat", "categorie", "categories", "category", "et", "and", "ou", "or", "niveau", "level", "type", "types", "&"};
  std::vector<PhraseMatcher::Match> out;
  const auto& toks = text.tokens;
  for (std::uint32_t i = fam_m_.NextStart(text, 0); i < toks.size(); i = fam_m_.NextStart(text, i + 1)) {
    PhraseMatcher::Match m;
    if (!fam_m_.MatchAt(text, i, &m)) continue;
    const LicenceFamily& fam = families_[m.payload];
    int skipped = 0;
    bool found = false;
    std::uint32_t j = m.last + 1;
    for (; j < toks.size() && j <= m.last + 16; ++j) {
      if (toks[j].line_start) break;
      const auto code = fam.by_code.find(std::string(toks[j].norm));
      if (code != fam.by_code.end()) {
        out.push_back({code->second, j, j});
        found = true;
        continue;
      }
      if (kConnectors.count(std::string(toks[j].norm))) continue;
      if (!found && ++skipped <= 2) continue;
      break;
    }
    i = std::max(i, j - 1);
  }
  return out;
}

std::optional<std::uint32_t> Taxonomy::FindSkill(std::string_view id) const {
  const auto it = skill_index_.find(std::string(id));
  if (it == skill_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint32_t> Taxonomy::FindOccupation(std::string_view id) const {
  const auto it = occupation_index_.find(std::string(id));
  if (it == occupation_index_.end()) return std::nullopt;
  return it->second;
}

PreparedText Taxonomy::Prepare(std::string_view text) const {
  PreparedText p;
  Prepare(text, p);
  return p;
}

PreparedText Taxonomy::Prepare(std::string_view text, std::vector<Token> tokens) const {
  PreparedText p;
  p.tokens = std::move(tokens);
  SplitAndKey(text, p);
  return p;
}

void Taxonomy::Prepare(std::string_view text, PreparedText& p) const {
  Tokenize(text, p.tokens);
  SplitAndKey(text, p);
}

void Taxonomy::SplitAndKey(std::string_view text, PreparedText& p) const {
  auto needs_split = [&](const Token& t) {
    return std::any_of(t.norm.begin(), t.norm.end(), [](char c) { return c == '/' || c == '&'; }) && !compounds_.count(std::string(t.norm));
  };
  p.text = text;
  p.split_parts.clear();
  // Most texts have no compound to split: their tokens are taken as they are. A token's '/'
  // or '&' is one of the text's (no word character folds to either), so only the tokens
  // holding one of the text's few separators are looked at.
  std::vector<std::uint32_t> to_split;  // token indices, ascending once sorted
  for (const char separator : {'/', '&'}) {
    for (std::size_t pos = text.find(separator); pos != std::string_view::npos; pos = text.find(separator, pos + 1)) {
      const auto it = std::upper_bound(p.tokens.begin(), p.tokens.end(), pos, [](std::size_t at, const Token& t) { return at < t.begin; });
      if (it == p.tokens.begin() || pos >= std::prev(it)->end || !needs_split(*std::prev(it))) continue;
      to_split.push_back(static_cast<std::uint32_t>(std::prev(it) - p.tokens.begin()));
    }
  }
  if (to_split.empty()) {
    ComputeKeys(p, vocabulary_.get());
    return;
  }
  std::sort(to_split.begin(), to_split.end());
  to_split.erase(std::unique(to_split.begin(), to_split.end()), to_split.end());
  // Split "php/js" into "php" and "js", with offsets into the raw text. The parts are made
  // first; then the tokens are moved back from the last split one on, to make room for them
  // in place (no second token array, and the tokens before the first split stay put).
  std::vector<Token> parts;
  std::vector<std::uint32_t> part_counts;  // by split token
  for (const std::uint32_t i : to_split) {
    const Token& t = p.tokens[i];
    const std::string_view raw = text.substr(t.begin, t.end - t.begin);
    std::uint32_t count = 0;
    std::size_t start = 0;
    while (start <= raw.size()) {
      std::size_t pos = raw.find_first_of("/&", start);
      if (pos == std::string_view::npos) pos = raw.size();
      if (pos > start) {
        Token& part = parts.emplace_back();
        part.norm = Fold(raw.substr(start, pos - start));
        part.begin = t.begin + static_cast<std::uint32_t>(start);
        part.end = t.begin + static_cast<std::uint32_t>(pos);
        part.boundary_before = count == 0 ? t.boundary_before : false;
        part.line_start = count == 0 && t.line_start;
        ++count;
      }
      start = pos + 1;
    }
    part_counts.push_back(count);
  }
  // A split token's raw text starts with a word character: it has at least one part, and the
  // text never gets shorter.
  const std::size_t old_size = p.tokens.size();
  const std::size_t new_size = old_size + parts.size() - to_split.size();
  p.tokens.resize(new_size);
  std::size_t dst = new_size;
  std::size_t src = old_size;
  std::size_t part_end = parts.size();
  for (std::size_t k = to_split.size(); k-- > 0;) {
    const std::size_t split = to_split[k];
    while (src > split + 1) {
      --src;
      --dst;
      if (dst != src) p.tokens[dst] = std::move(p.tokens[src]);
    }
    --src;  // the split token itself, replaced by its parts
    for (std::uint32_t c = part_counts[k]; c > 0; --c) {
      p.tokens[--dst] = std::move(parts[--part_end]);
      p.split_parts.push_back(static_cast<std::uint32_t>(dst));
    }
  }
  std::reverse(p.split_parts.begin(), p.split_parts.end());
  ComputeKeys(p, vocabulary_.get());
}

}  // namespace jobzen::engine
