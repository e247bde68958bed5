// Profile extraction rules. The text is read once into lines and sections (headings in FR/EN),
// then the taxonomy matchers run over the whole token stream and each fact is taken from the
// sections where a recruiter would look for it.
#include "engine/extract.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <unordered_set>

#include "engine/language.hpp"

namespace jobzen::engine {
namespace {

enum class Section { kHeader, kSummary, kExperience, kEducation, kSkills, kLanguages, kCertifications, kInterests, kOther };

struct HeadingWord {
  std::string_view folded;
  Section section;
};

// Heading phrases, folded. A line is a heading when it starts with one of these and is short.
constexpr HeadingWord kHeadings[] = {
    {"experiences professionnelles", Section::kExperience}, {"experience professionnelle", Section::kExperience},
    {"experiences", Section::kExperience}, {"experience", Section::kExperience},
    {"parcours professionnel", Section::kExperience}, {"expertise professionnelle", Section::kExperience},
    {"work experience", Section::kExperience}, {"professional experience", Section::kExperience},
    {"employment history", Section::kExperience}, {"employment", Section::kExperience},
    {"work history", Section::kExperience}, {"career history", Section::kExperience},
    {"career", Section::kExperience}, {"emplois", Section::kExperience}, {"parcours", Section::kExperience},
    {"formations", Section::kEducation}, {"formation", Section::kEducation}, {"education", Section::kEducation},
    {"diplomes", Section::kEducation}, {"diplome", Section::kEducation}, {"etudes", Section::kEducation},
    {"cursus", Section::kEducation}, {"academic background", Section::kEducation},
    {"education and training", Section::kEducation}, {"training", Section::kEducation},
    {"competences", Section::kSkills}, {"skills", Section::kSkills}, {"technical skills", Section::kSkills},
    {"competences techniques", Section::kSkills}, {"competences cles", Section::kSkills},
    {"competences professionnelles", Section::kSkills}, {"skills and tools", Section::kSkills},
    {"formation et diplomes", Section::kEducation}, {"diplomes et formations", Section::kEducation},
    {"experience professionnelle et stages", Section::kExperience}, {"professional summary", Section::kSummary},
    {"core skills", Section::kSkills}, {"key skills", Section::kSkills}, {"savoir faire", Section::kSkills},
    {"outils", Section::kSkills}, {"tools", Section::kSkills}, {"expertise", Section::kSkills},
    {"stack", Section::kSkills}, {"technologies", Section::kSkills}, {"savoir etre", Section::kSkills},
    {"qualites", Section::kSkills},
    {"langues", Section::kLanguages}, {"languages", Section::kLanguages}, {"language skills", Section::kLanguages},
    {"certifications", Section::kCertifications}, {"certification", Section::kCertifications},
    {"certificats", Section::kCertifications}, {"habilitations", Section::kCertifications},
    {"licences", Section::kCertifications}, {"licenses", Section::kCertifications},
    {"centres d interet", Section::kInterests}, {"centre d interet", Section::kInterests},
    {"interets", Section::kInterests}, {"loisirs", Section::kInterests}, {"hobbies", Section::kInterests},
    {"interests", Section::kInterests}, {"activites", Section::kInterests},
    {"profil", Section::kSummary}, {"profile", Section::kSummary}, {"summary", Section::kSummary},
    {"about me", Section::kSummary}, {"a propos", Section::kSummary}, {"objectif", Section::kSummary},
    {"projets", Section::kOther}, {"projects", Section::kOther},
};

struct LineInfo {
  std::size_t begin = 0;  // byte offsets into the text
  std::size_t end = 0;
  Section section = Section::kHeader;
  bool heading = false;
  bool bullet = false;
  bool blank = true;
};

bool StartsWithWord(std::string_view s, std::string_view word) {
  if (s.substr(0, word.size()) != word) return false;
  return s.size() == word.size() || s[word.size()] == ' ';
}

std::size_t WordCount(std::string_view folded) {
  std::size_t n = folded.empty() ? 0 : 1;
  for (const char c : folded) n += c == ' ' ? 1 : 0;
  return n;
}

// Folded line with punctuation turned into spaces: "EXPÉRIENCES PROFESSIONNELLES :" ->
// "experiences professionnelles".
std::string HeadingKey(std::string_view line) {
  std::string folded = Fold(line);
  for (char& c : folded) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (!word) c = ' ';
  }
  return Fold(folded);
}

bool IsBulletStart(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return false;
  const std::string_view rest = line.substr(i);
  for (const std::string_view b : {"-", "*", "\u2022", "\u25aa", "\u25cf", "\u2023", "\u25e6", "\u2013", "\u2014", "\u00b7", "\u2043", "\u27a2", "\u2192", "\u25ba", "\u2713", "o "}) {
    if (rest.substr(0, b.size()) == b) return true;
  }
  return false;
}

// True when at least 80% of the line's ASCII letters are capitals (non-ASCII letters, such as
// accented capitals, are ignored).
bool IsMostlyUpper(std::string_view line) {
  int upper = 0, letters = 0;
  for (const char c : line) {
    if (c >= 'A' && c <= 'Z') ++upper;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) ++letters;
  }
  return letters >= 3 && upper * 5 >= letters * 4;
}

// Token norms of the bytes [begin, end), joined by single spaces: the folded words of a line
// without folding the text again. Tokens are sorted by offset.
std::string NormsIn(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), begin, [](const Token& t, std::size_t b) { return t.begin < b; });
  std::string out;
  for (; it != tokens.end() && it->end <= end; ++it) {
    if (!out.empty()) out += ' ';
    out += it->norm;
  }
  return out;
}

// Lines of the CV with their section; keys[i] receives the folded words of line i.
std::vector<LineInfo> SplitLines(std::string_view text, const std::vector<Token>& tokens, std::vector<std::string>* keys) {
  std::vector<LineInfo> lines;
  std::size_t start = 0;
  Section current = Section::kHeader;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    LineInfo li;
    li.begin = start;
    li.end = nl;
    const std::string_view line = text.substr(start, nl - start);
    li.blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
    li.bullet = IsBulletStart(line);
    keys->push_back(NormsIn(tokens, start, nl));
    // A heading is short; "Langues : anglais (courant)" is a labelled line, not a heading,
    // but still tells its own section. Most lines are neither (sentences without a colon).
    const std::string& key = keys->back();
    const std::size_t colon = line.find(':');
    const bool labelled = colon != std::string_view::npos;
    const bool nothing_after_colon = !labelled || line.find_first_not_of(" \t\r", colon + 1) == std::string_view::npos;
    const bool may_head = nothing_after_colon && WordCount(key) <= 5;
    if (!li.blank && !li.bullet && (may_head || labelled)) {
      const std::string head_key = labelled ? NormsIn(tokens, start, start + colon) : std::string();
      // Mixed-case lines must be the heading phrase itself ("Formation des nouveaux
      // collaborateurs" is a skill, not a heading); capitals or a final colon allow more words.
      const bool shouted = IsMostlyUpper(line) || (labelled && nothing_after_colon);
      for (const HeadingWord& h : kHeadings) {
        if (may_head && (shouted ? StartsWithWord(key, h.folded) : key == h.folded)) {
          li.heading = true;
          current = h.section;
          break;
        }
        if (labelled && head_key == h.folded) {
          li.section = h.section;
          break;
        }
      }
    }
    if (li.heading || li.section == Section::kHeader) li.section = current;
    if (li.section == Section::kHeader && current != Section::kHeader) li.section = current;
    lines.push_back(li);
    if (nl == text.size()) break;
    start = nl + 1;
  }
  return lines;
}

std::size_t LineOf(const std::vector<LineInfo>& lines, std::size_t byte) {
  std::size_t lo = 0, hi = lines.size();
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    if (lines[mid].begin <= byte) lo = mid; else hi = mid;
  }
  return lo;
}

// A folded text padded once for whole-word searches of several words or phrases.
class PaddedWords {
 public:
  explicit PaddedWords(std::string_view folded) : padded_(Spaced(folded)) {}
  // memmem (glibc's two-way search, which skips ahead): std::string::find would stop at every
  // space, since the padded word starts with one, and compare there.
  bool Has(std::string_view word) const {
    const std::string needle = Spaced(word);
    return memmem(padded_.data(), padded_.size(), needle.data(), needle.size()) != nullptr;
  }

 private:
  std::string padded_;
};

bool ContainsAnyWord(std::string_view folded_line, std::initializer_list<std::string_view> words) {
  const PaddedWords padded(folded_line);
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return padded.Has(w); });
}

// A line that says a credential is being prepared, not held.
bool InProgress(std::string_view folded) {
  // "obtenu en cours d'emploi" is a diploma obtained while working, not one in progress.
  if (ContainsAnyWord(folded, {"en cours d emploi", "en cours de carriere"})) return false;
  return ContainsAnyWord(folded, {"en cours", "in progress", "en preparation", "currently studying",
                                  "en cours d obtention", "a venir", "pending", "ongoing training"});
}

std::string CefrFromWords(const std::vector<Token>& tokens, std::size_t from, std::size_t to) {
  for (std::size_t i = from; i < to && i < tokens.size(); ++i) {
    const std::string_view w = tokens[i].norm;
    if (w.size() == 2 && (w[0] == 'a' || w[0] == 'b' || w[0] == 'c') && w[1] >= '1' && w[1] <= '2') {
      return std::string{static_cast<char>(w[0] - 'a' + 'A'), w[1]};
    }
    if (w == "native" || w == "natif" || w == "maternelle" || w == "mother") return "native";
    if (w == "bilingue" || w == "bilingual") return "C2";
    if (w == "courant" || w == "courante" || w == "fluent" || w == "fluently" || w == "fluency") return "C1";
    if (w == "professionnel" || w == "professional" || w == "operationnel" || w == "avance" || w == "advanced") return "B2";
    if (w == "intermediaire" || w == "intermediate" || w == "conversationnel" || w == "conversational") return "B1";
    if (w == "notions" || w == "basic" || w == "basics" || w == "scolaire" || w == "debutant" || w == "beginner" || w == "elementary" || w == "elementaire") return "A2";
    if ((w == "toeic" || w == "toefl" || w == "ielts") && i + 1 < to) {
      const std::string_view v = tokens[i + 1].norm;
      const double score = std::atof(std::string(v).c_str());
      if (w == "toeic" && score >= 945) return "C1";
      if (w == "toeic" && score >= 785) return "B2";
      if (w == "toeic" && score >= 550) return "B1";
      if (w == "ielts" && score >= 7) return "C1";
      if (w == "ielts" && score >= 5.5) return "B2";
      if (w == "toefl" && score >= 95) return "C1";
      if (w == "toefl" && score >= 72) return "B2";
    }
  }
  return "";
}

bool IsLevelWord(std::string_view w) {
  static constexpr std::string_view kLevels[] = {
      "a1", "a2", "b1", "b2", "c1", "c2", "native", "natif", "maternelle", "bilingue", "bilingual",
      "courant", "courante", "fluent", "professionnel", "professional", "intermediaire", "intermediate",
      "notions", "basic", "scolaire", "debutant", "beginner", "elementary", "toeic", "toefl", "ielts",
      "advanced", "avance", "lu", "ecrit", "parle", "written", "spoken", "mother", "tongue"};
  return std::find(std::begin(kLevels), std::end(kLevels), w) != std::end(kLevels);
}

std::string Trim(std::string_view s) {
  const std::string_view ws = " \t\r\n:;,|-\u00a0";
  std::size_t b = 0, e = s.size();
  while (b < e && (ws.find(s[b]) != std::string_view::npos)) ++b;
  while (e > b && (ws.find(s[e - 1]) != std::string_view::npos)) --e;
  std::string out(s.substr(b, e - b));
  // Strip dash-like UTF-8 punctuation at both ends too.
  for (const std::string_view d : {"\u2013", "\u2014", "\u2022", "\u00b7"}) {
    while (out.size() >= d.size() && out.compare(0, d.size(), d) == 0) out = Trim(out.substr(d.size()));
    while (out.size() >= d.size() && out.compare(out.size() - d.size(), d.size(), d) == 0) out = Trim(out.substr(0, out.size() - d.size()));
  }
  return out;
}

// Splits "Cariste / préparateur – Logidis Est, Ennery" into segments at employer separators.
std::vector<std::string> TitleSegments(std::string_view line) {
  std::vector<std::string> segments;
  std::string current;
  std::size_t i = 0;
  auto flush = [&] {
    std::string t = Trim(current);
    if (!t.empty()) segments.push_back(t);
    current.clear();
  };
  while (i < line.size()) {
    bool cut = false;
    for (const std::string_view sep : {" \u2014 ", " \u2013 ", " - ", " | ", " @ ", " at ", " chez ", ", ", " (", "\u2014", "\u2013", " \u00b7 ", "\t"}) {
      if (line.substr(i, sep.size()) == sep) {
        flush();
        i += sep.size();
        cut = true;
        break;
      }
    }
    if (cut) continue;
    if (line[i] == ')' || line[i] == '(') {
      flush();
      ++i;
      continue;
    }
    current += line[i++];
  }
  flush();
  return segments;
}


struct TitleMatch {
  std::uint32_t occupation = 0;
  std::size_t tokens = 0;  // tokens covered by the best alias
};

// The longest of a title's occupation matches, the first of equals.
std::optional<TitleMatch> Longest(const std::vector<PhraseMatcher::Match>& matches) {
  std::optional<TitleMatch> best;
  for (const auto& m : matches) {
    const std::size_t len = m.last - m.first + 1;
    if (!best || len > best->tokens) best = TitleMatch{m.payload, len};
  }
  return best;
}

std::optional<TitleMatch> BestOccupation(const Taxonomy& taxonomy, std::string_view title) {
  return Longest(taxonomy.occupation_matcher().FindAll(taxonomy.Prepare(title)));
}

}  // namespace

std::optional<std::uint32_t> NormaliseTitle(const Taxonomy& taxonomy, std::string_view title) {
  if (const auto m = BestOccupation(taxonomy, title)) return m->occupation;
  return taxonomy.FuzzyOccupation(title);
}

std::optional<std::uint32_t> NormaliseTitle(const Taxonomy& taxonomy, std::string_view title, const PreparedText& text) {
  // The title's tokens are those ending within it, unless one runs across its end (a word
  // hyphenated across the line break): then the title is read on its own.
  std::uint32_t count = 0;
  while (count < text.tokens.size() && text.tokens[count].end <= title.size()) ++count;
  if (count < text.tokens.size() && text.tokens[count].begin < title.size()) return NormaliseTitle(taxonomy, title);
  if (const auto m = Longest(taxonomy.occupation_matcher().FindAll(text, count))) return m->occupation;
  return taxonomy.FuzzyOccupation(title);
}

Profile ExtractProfile(const Taxonomy& taxonomy, std::string_view text, const ExtractOptions& options) {
  Profile profile;
  std::vector<Token> tokens = Tokenize(text);
  profile.tokens = tokens.size();
  const PreparedText prepared = taxonomy.Prepare(text, std::move(tokens));
  profile.lang = DetectLanguage(prepared);
  const std::string out_lang = !options.lang.empty() ? options.lang : (profile.lang == "fr" ? "fr" : "en");
  profile.output_lang = out_lang;
  const std::vector<Token>& toks = prepared.tokens;
  std::vector<std::string> folded_lines;
  const std::vector<LineInfo> lines = SplitLines(text, toks, &folded_lines);

  // Skills.
  std::unordered_set<std::uint32_t> seen_skills;
  auto add_skill = [&](std::uint32_t skill, std::uint32_t first_tok, std::uint32_t last_tok) {
    const Skill& s = taxonomy.skills()[skill];
    const std::size_t line = LineOf(lines, toks[first_tok].begin);
    if (lines[line].section == Section::kInterests) return;
    if (s.type != SkillType::kHard && s.type != SkillType::kSoft && InProgress(folded_lines[line])) return;
    if (options.evidence) {
      profile.evidence.push_back({s.Label(out_lang), CharOffset(text, toks[first_tok].begin), CharOffset(text, toks[last_tok].end)});
    }
    if (!seen_skills.insert(skill).second) return;
    profile.skill_ids.push_back(skill);
    profile.skills.push_back(s.Label(out_lang));
    if (s.type == SkillType::kCert || s.type == SkillType::kLicence || s.type == SkillType::kQualification) {
      profile.certifications.push_back(s.Label(out_lang));
    }
  };
  for (const auto& m : taxonomy.skill_matcher().FindAll(prepared)) add_skill(m.payload, m.first, m.last);

  // Licence families: "CACES R489 catégories 1B, 3 et 5" -> one concept per category.
  for (const auto& m : taxonomy.FamilyMatches(prepared)) add_skill(m.payload, m.first, m.last);

  // Spoken languages.
  std::map<std::string, std::string> lang_levels;  // code -> level
  std::vector<std::string> lang_order;
  const auto lang_matches = taxonomy.language_matcher().FindAll(prepared);
  for (std::size_t k = 0; k < lang_matches.size(); ++k) {
    const auto& m = lang_matches[k];
    const std::size_t line = LineOf(lines, toks[m.first].begin);
    const std::size_t line_end_tok = [&] {
      std::size_t e = m.last + 1;
      while (e < toks.size() && !toks[e].line_start) ++e;
      return e;
    }();
    const std::size_t next_lang = k + 1 < lang_matches.size() ? std::min<std::size_t>(lang_matches[k + 1].first, line_end_tok) : line_end_tok;
    const std::size_t window = std::min<std::size_t>(next_lang, m.last + 7);
    bool level_near = false;
    for (std::size_t t = m.last + 1; t < window; ++t) level_near = level_near || IsLevelWord(toks[t].norm);
    const bool in_section = lines[line].section == Section::kLanguages;
    const bool labelled = ContainsAnyWord(folded_lines[line], {"langues", "languages", "langue", "language", "spoken languages"});
    if (!in_section && !level_near && !labelled) continue;
    const std::string& code = taxonomy.languages()[m.payload].code;
    const std::string level = CefrFromWords(toks, m.last + 1, window);
    if (!lang_levels.count(code)) {
      lang_order.push_back(code);
      lang_levels[code] = level;
    } else if (lang_levels[code].empty()) {
      lang_levels[code] = level;
    }
  }
  // The CV's own language counts even when unlisted; listed without a level, it is taken as
  // the candidate's first language.
  if (profile.lang != "und" && !lang_levels.count(profile.lang)) {
    lang_order.insert(lang_order.begin(), profile.lang);
    lang_levels[profile.lang] = "native";
  } else if (profile.lang != "und" && lang_levels[profile.lang].empty()) {
    lang_levels[profile.lang] = "native";
  }
  for (const std::string& code : lang_order) profile.languages.push_back({code, lang_levels[code]});

  // Dated periods and positions.
  const bool has_experience_section = std::any_of(lines.begin(), lines.end(), [](const LineInfo& l) {
    return l.heading && l.section == Section::kExperience;
  });
  struct Entry {
    Period period;
    std::size_t line;
    std::string title;
    bool internship;
  };
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const LineInfo& li = lines[i];
    if (li.blank || li.heading) continue;
    const bool eligible = has_experience_section ? li.section == Section::kExperience
                                                 : (li.section != Section::kEducation && li.section != Section::kCertifications &&
                                                    li.section != Section::kLanguages && li.section != Section::kHeader);
    if (!eligible) continue;
    const std::string_view line = text.substr(li.begin, li.end - li.begin);
    const std::vector<Period> periods = FindPeriods(line, options.as_of);
    for (const Period& p : periods) {
      if (p.single) continue;
      // "Front-end en Angular (2017-2019)": a parenthesised range details the entry above.
      const std::size_t before = line.find_last_not_of(" \t", p.begin_offset == 0 ? std::string_view::npos : p.begin_offset - 1);
      if (p.begin_offset > 0 && before != std::string_view::npos && line[before] == '(') continue;
      Entry e{p, i, "", false};
      // Title: the rest of the date line, else the neighbouring line that names a job.
      std::vector<std::string> candidates;
      std::string rest = std::string(line.substr(0, p.begin_offset)) + " " + std::string(line.substr(p.end_offset));
      rest = Trim(rest);
      if (rest.size() >= 3) candidates.push_back(rest);
      auto usable = [&](std::size_t k) {
        if (k >= lines.size() || lines[k].blank || lines[k].heading || lines[k].bullet) return false;
        const std::string_view l = text.substr(lines[k].begin, lines[k].end - lines[k].begin);
        return FindPeriods(l, options.as_of).empty();
      };
      if (i > 0 && usable(i - 1)) candidates.push_back(std::string(text.substr(lines[i - 1].begin, lines[i - 1].end - lines[i - 1].begin)));
      if (usable(i + 1)) candidates.push_back(std::string(text.substr(lines[i + 1].begin, lines[i + 1].end - lines[i + 1].begin)));
      std::string chosen;
      std::string chosen_line;
      for (const std::string& c : candidates) {
        for (const std::string& seg : TitleSegments(c)) {
          if (BestOccupation(taxonomy, seg)) {
            chosen = seg;
            chosen_line = c;
            break;
          }
        }
        if (!chosen.empty()) break;
      }
      if (chosen.empty() && !candidates.empty()) {
        const auto segs = TitleSegments(candidates.front());
        if (!segs.empty()) chosen = segs.front();
        chosen_line = candidates.front();
      }
      e.title = chosen;
      const std::string folded_ctx = HeadingKey(chosen_line + " " + std::string(line));
      e.internship = ContainsAnyWord(folded_ctx, {"stage", "stagiaire", "internship", "intern", "stages", "work placement", "placement"});
      entries.push_back(std::move(e));
    }
  }
  std::vector<Period> worked;
  for (const Entry& e : entries) {
    if (!e.internship) worked.push_back(e.period);
  }
  profile.experience_months = UnionMonths(worked, options.as_of);
  profile.experience_years = static_cast<int>(std::lround(profile.experience_months / 12.0));
  if (entries.empty()) {
    // No dated experience: a stated figure ("5 ans Python", "8 years of experience") if any,
    // else the experience is unknown rather than zero. A bare "25 ans" is an age, so figures
    // of 16 and more need the word experience next to them.
    int stated = -1;
    for (std::size_t i = 0; i + 1 < toks.size(); ++i) {
      const std::string_view n = toks[i].norm;
      if (n.empty() || n.size() > 2 || n.find_first_not_of("0123456789") != std::string::npos) continue;
      const std::string_view unit = toks[i + 1].norm;
      if (unit != "ans" && unit != "an" && unit != "years" && unit != "year" && unit != "yrs") continue;
      bool experience_word = false;
      for (std::size_t k = i + 2; k < toks.size() && k <= i + 4; ++k) experience_word = experience_word || toks[k].norm == "experience";
      const int value = std::stoi(std::string(n));
      if (value >= 1 && value <= 40 && (value < 16 || experience_word)) stated = std::max(stated, value);
    }
    profile.experience_known = stated >= 0;
    if (stated >= 0) {
      profile.experience_years = stated;
      profile.experience_months = stated * 12;
    }
  }
  // Most recent first.
  std::vector<const Entry*> by_recency;
  for (const Entry& e : entries) by_recency.push_back(&e);
  std::stable_sort(by_recency.begin(), by_recency.end(), [](const Entry* a, const Entry* b) { return a->period.end > b->period.end; });
  std::unordered_set<std::string> seen_titles;
  std::unordered_set<std::uint32_t> seen_occ;
  auto add_occupation = [&](std::uint32_t idx) {
    if (!seen_occ.insert(idx).second) return;
    const Occupation& o = taxonomy.occupations()[idx];
    profile.occupations.push_back({idx, o.Label(out_lang), o.isco, o.rome});
  };
  for (const Entry* e : by_recency) {
    if (e->title.empty() || e->title.size() > 120) continue;
    if (seen_titles.insert(Fold(e->title)).second) profile.positions.push_back(e->title);
    if (const auto occ = NormaliseTitle(taxonomy, e->title)) add_occupation(*occ);
  }
  // The headline under the name often states the target job.
  for (std::size_t i = 0; i < lines.size() && i < 4; ++i) {
    if (lines[i].blank || lines[i].section != Section::kHeader) continue;
    const std::string_view l = text.substr(lines[i].begin, lines[i].end - lines[i].begin);
    if (l.find('@') != std::string_view::npos) continue;
    for (const std::string& seg : TitleSegments(l)) {
      if (const auto occ = NormaliseTitle(taxonomy, seg)) {
        if (profile.positions.empty()) profile.positions.push_back(seg);
        add_occupation(*occ);
        break;
      }
    }
  }

  // Seniority.
  const std::string recent_title = profile.positions.empty() ? std::string() : HeadingKey(profile.positions.front());
  const bool lead_title = ContainsAnyWord(recent_title, {"lead", "head", "principal", "manager", "responsable", "directeur", "directrice", "director", "cto", "vp", "chef d equipe", "chef de projet", "chef de service", "chef cuisinier", "executive", "chief"});
  const bool senior_title = ContainsAnyWord(recent_title, {"senior", "sr", "confirme", "confirmee", "experimente", "experimentee", "expert", "referent"});
  const bool junior_title = ContainsAnyWord(recent_title, {"junior", "jr", "debutant", "debutante", "apprenti", "apprentie", "alternant", "alternante", "graduate", "assistant", "trainee"});
  const int years = profile.experience_years;
  if (lead_title && years >= 5) profile.seniority = "lead";
  else if (junior_title && years < 5) profile.seniority = "junior";
  else if (senior_title || years >= 7) profile.seniority = "senior";
  else if (years >= 3) profile.seniority = "mid";
  else profile.seniority = "junior";

  // Education level: the highest degree mentioned.
  {
    int level = 0;
    static const std::array<std::pair<std::string_view, int>, 40> kDegrees{{
        {"doctorat", 8}, {"phd", 8}, {"ph d", 8}, {"doctorate", 8}, {"docteur en pharmacie", 8},
        {"master", 7}, {"masters", 7}, {"msc", 7}, {"m sc", 7}, {"mba", 7}, {"bac 5", 7}, {"diplome d ingenieur", 7},
        {"ingenieur", 7}, {"dscg", 7}, {"mastere", 7}, {"dess", 7}, {"dea", 7},
        {"licence", 6}, {"bachelor", 6}, {"bsc", 6}, {"b sc", 6}, {"bac 3", 6}, {"but", 6}, {"dcg", 6},
        {"diplome d etat", 6}, {"ba", 6},
        {"bts", 5}, {"dut", 5}, {"bac 2", 5}, {"deust", 5}, {"hnd", 5},
        {"baccalaureat", 4}, {"bac", 4}, {"bac pro", 4}, {"a levels", 4}, {"high school", 4}, {"bp", 4},
        {"cap", 3}, {"bep", 3}, {"gcse", 3}}};
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].section != Section::kEducation && lines[i].section != Section::kCertifications) continue;
      const PaddedWords line_words(folded_lines[i]);
      for (const auto& [word, lvl] : kDegrees) {
        if (lvl > level && line_words.Has(word)) level = lvl;
      }
    }
    static const std::array<std::string_view, 9> kNames{"", "", "", "vocational", "secondary", "short_cycle", "bachelor", "master", "doctorate"};
    profile.education_level = std::string(kNames[static_cast<std::size_t>(level)]);
  }

  // Salary expectation.
  profile.salary = FindSalaryExpectation(text);

  // Sectors: the occupation's field first, then the skills' fields, then employer cues.
  {
    std::vector<std::string> sectors;
    auto add = [&](const std::string& s) {
      if (s.empty() || s == "any" || sectors.size() >= 3) return;
      if (std::find(sectors.begin(), sectors.end(), s) == sectors.end()) sectors.push_back(s);
    };
    if (!profile.occupations.empty()) add(taxonomy.occupations()[profile.occupations.front().index].sector);
    std::map<std::string, int> votes;
    for (const std::uint32_t id : profile.skill_ids) {
      const Skill& s = taxonomy.skills()[id];
      if (s.type == SkillType::kHard) ++votes[s.sector];
    }
    const std::string all = NormsIn(toks, 0, text.size());
    static const std::array<std::pair<std::string_view, std::string_view>, 22> kCues{{
        {"saas", "saas"}, {"fintech", "finance"}, {"banque", "finance"}, {"bank", "finance"}, {"bancaires", "finance"},
        {"assurance", "finance"}, {"insurance", "finance"}, {"payments", "finance"}, {"logistics", "logistics"},
        {"logistique", "logistics"}, {"e commerce", "retail"}, {"grande distribution", "retail"}, {"retail", "retail"},
        {"hopital", "healthcare"}, {"chu", "healthcare"}, {"clinique", "healthcare"}, {"hospital", "healthcare"},
        {"hotel", "hospitality"}, {"restaurant", "hospitality"}, {"esn", "tech"}, {"startup", "tech"}, {"agence web", "tech"}}};
    const PaddedWords all_words(all);
    for (const auto& [cue, sector] : kCues) {
      if (all_words.Has(cue)) votes[std::string(sector)] += 2;
    }
    std::vector<std::pair<int, std::string>> ranked;
    for (const auto& [s, v] : votes) {
      if (v >= 2) ranked.emplace_back(-v, s);
    }
    std::sort(ranked.begin(), ranked.end());
    for (const auto& [v, s] : ranked) add(s);
    profile.sectors = std::move(sectors);
  }

  // One-sentence summary in the output language.
  {
    std::string title = !profile.positions.empty() ? profile.positions.front()
                        : !profile.occupations.empty() ? profile.occupations.front().label
                        : (out_lang == "fr" ? "Profil" : "Candidate");
    std::vector<std::string> top;
    for (std::size_t i = 0; i < profile.skill_ids.size() && top.size() < 3; ++i) {
      const Skill& s = taxonomy.skills()[profile.skill_ids[i]];
      if (s.type == SkillType::kHard) top.push_back(profile.skills[i]);
    }
    auto join = [&](std::string_view and_word) {
      std::string out;
      for (std::size_t i = 0; i < top.size(); ++i) {
        if (i > 0) out += i + 1 == top.size() ? std::string(" ") + std::string(and_word) + " " : ", ";
        out += top[i];
      }
      return out;
    };
    std::string s = title;
    if (out_lang == "fr") {
      if (years > 0) s += " avec " + std::to_string(years) + (years > 1 ? " ans" : " an") + " d'expérience";
      if (!top.empty()) s += (years > 0 ? " en " : ", compétences : ") + join("et");
    } else {
      if (years > 0) s += " with " + std::to_string(years) + (years > 1 ? " years" : " year") + " of experience";
      if (!top.empty()) s += (years > 0 ? " in " : ", skilled in ") + join("and");
    }
    profile.summary = s + ".";
  }

  // Parse quality.
  {
    ParseQuality q;
    if (options.two_column_pages > 0) {
      q.warnings.push_back("two_column_layout");
      q.score -= 5;
    }
    if (options.image_only_pages > 0) {
      q.warnings.push_back("image_only_pages");
      q.score -= 30;
    }
    std::size_t odd = 0;
    for (const Token& t : toks) {
      const bool has_vowel = t.norm.find_first_of("aeiouy0123456789") != std::string_view::npos;
      if (!has_vowel && t.norm.size() >= 5) ++odd;
      if (t.norm.size() > 30) ++odd;
    }
    std::size_t replacement = 0;
    for (std::size_t pos = text.find("\xEF\xBF\xBD"); pos != std::string_view::npos; pos = text.find("\xEF\xBF\xBD", pos + 3)) ++replacement;
    if (!toks.empty() && (odd * 10 > toks.size() || replacement * 20 > toks.size())) {
      q.warnings.push_back("garbled_text");
      q.score -= 40;
    }
    const bool has_sections = std::any_of(lines.begin(), lines.end(), [](const LineInfo& l) {
      return l.heading && (l.section == Section::kExperience || l.section == Section::kEducation || l.section == Section::kSkills);
    });
    const std::string head = NormsIn(toks, 0, std::min<std::size_t>(text.size(), 600));
    const bool letter = ContainsAnyWord(head, {"dear", "madame monsieur", "madame", "monsieur", "lettre de motivation", "cover letter", "to whom it may concern"});
    if ((entries.empty() && !has_sections && profile.skill_ids.size() < 5) || (letter && entries.empty())) {
      q.warnings.push_back("not_a_cv");
      q.score -= 50;
    }
    q.score = std::clamp(q.score, 0, 100);
    profile.quality = std::move(q);
  }
  return profile;
}

}  // namespace jobzen::engine

namespace jobzen::engine {

Profile ProfileFromInput(const Taxonomy& taxonomy, const ProfileInput& input) {
  Profile p;
  p.lang = input.lang.empty() ? "en" : input.lang;
  p.output_lang = p.lang;
  std::unordered_set<std::uint32_t> seen;
  for (const std::string& name : input.skills) {
    // Prefer a match covering the whole name ("Python expert" still finds Python).
    std::optional<std::uint32_t> best;
    std::size_t best_len = 0;
    const PreparedText prepared = taxonomy.Prepare(name);
    for (const auto& m : taxonomy.skill_matcher().FindAll(prepared)) {
      const std::size_t len = m.last - m.first + 1;
      if (len > best_len) {
        best = m.payload;
        best_len = len;
      }
    }
    if (best && seen.insert(*best).second) {
      p.skill_ids.push_back(*best);
      p.skills.push_back(taxonomy.skills()[*best].Label(p.output_lang));
      const SkillType type = taxonomy.skills()[*best].type;
      if (type == SkillType::kCert || type == SkillType::kLicence || type == SkillType::kQualification) {
        p.certifications.push_back(p.skills.back());
      }
    }
  }
  p.positions = input.positions;
  std::unordered_set<std::uint32_t> seen_occ;
  for (const std::string& title : input.positions) {
    if (const auto occ = NormaliseTitle(taxonomy, title); occ && seen_occ.insert(*occ).second) {
      const Occupation& o = taxonomy.occupations()[*occ];
      p.occupations.push_back({*occ, o.Label(p.output_lang), o.isco, o.rome});
    }
  }
  p.languages = input.languages;
  p.experience_years = input.experience_years.value_or(0);
  p.experience_known = input.experience_years.has_value();
  p.experience_months = p.experience_years * 12;
  if (!input.seniority.empty()) {
    p.seniority = input.seniority;
  } else if (input.experience_years) {
    p.seniority = p.experience_years >= 7 ? "senior" : p.experience_years >= 3 ? "mid" : "junior";
  }
  p.education_level = input.education_level;
  return p;
}

}  // namespace jobzen::engine
