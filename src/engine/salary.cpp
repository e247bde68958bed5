// Money amounts and the candidate's salary expectation: a hand-written scanner over raw UTF-8
// (thousands separators incl. NBSP and narrow NBSP, k/K and M suffixes, ranges, currency
// signs and codes) and cue phrases that say the amount is what the candidate asks for.
#include "engine/salary.hpp"

#include "engine/utf8_scan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>
#include <vector>

namespace jobzen::engine {
namespace {

using namespace scan;  // NOLINT: the shared byte-level helpers of utf8_scan.hpp

bool StartsWith(std::string_view s, std::size_t i, std::string_view prefix) { return s.compare(i, prefix.size(), prefix) == 0; }


// Words of a folded text: runs of [a-z0-9] (elisions split: "l'heure" -> l, heure), with
// their folded offsets.
struct Word {
  std::string_view text;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool after_slash = false;  // "/an", "/ mois", "€/h"
};

std::vector<Word> WordsOf(std::string_view folded) {
  std::vector<Word> words;
  bool slash = false;
  for (std::size_t i = 0; i < folded.size();) {
    const char c = folded[i];
    if (IsAsciiAlpha(c) || IsAsciiDigit(c)) {
      std::size_t j = i;
      while (j < folded.size() && (IsAsciiAlpha(folded[j]) || IsAsciiDigit(folded[j]))) ++j;
      words.push_back({folded.substr(i, j - i), i, j, slash});
      slash = false;
      i = j;
      continue;
    }
    if (c == '/') slash = true;
    else if (c != ' ') slash = false;
    ++i;
  }
  return words;
}

template <std::size_t N>
bool OneOf(std::string_view w, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// ---- Currencies ---------------------------------------------------------------------------

struct CurrencyMatch {
  std::string_view code;
  std::size_t end = 0;
};

// A currency sign, ISO code or word at i. glued allows a code right after a letter ("45kEUR").
std::optional<CurrencyMatch> CurrencyAt(std::string_view s, std::size_t i, bool glued = false) {
  if (i >= s.size()) return std::nullopt;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kSigns{{
      {"US$", "USD"}, {"CA$", "CAD"}, {"C$", "CAD"}, {"AU$", "AUD"}, {"A$", "AUD"},
      {"\xE2\x82\xAC", "EUR"}, {"\xC2\xA3", "GBP"}, {"$", "USD"}, {"\xC2\xA5", "JPY"}, {"\xE2\x82\xB9", "INR"},
  }};
  for (const auto& [sign, code] : kSigns) {
    if (!StartsWith(s, i, sign)) continue;
    if (IsAsciiAlpha(sign[0]) && !glued && LetterBefore(s, i)) continue;
    return CurrencyMatch{code, i + sign.size()};
  }
  if (!IsAsciiAlpha(s[i]) || (!glued && LetterBefore(s, i))) return std::nullopt;
  std::size_t j = i;
  while (j < s.size() && IsAsciiAlpha(s[j])) ++j;
  if (IsLetterAt(s, j)) return std::nullopt;
  const std::string_view word = s.substr(i, j - i);
  // Codes in capitals only: lowercase "cad" is French for "c'est-à-dire".
  static constexpr std::array<std::string_view, 21> kCodes{
      "EUR", "USD", "GBP", "CHF", "CAD", "AUD", "JPY", "SEK", "NOK", "DKK", "PLN",
      "INR", "CNY", "NZD", "SGD", "HKD", "ZAR", "BRL", "MXN", "MAD", "TND"};
  for (const std::string_view code : kCodes) {
    if (word == code) return CurrencyMatch{code, j};
  }
  const std::string folded = FoldAscii(word).text;
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kWords{{
      {"euro", "EUR"}, {"euros", "EUR"}, {"dollar", "USD"}, {"dollars", "USD"}, {"pound", "GBP"},
      {"pounds", "GBP"}, {"sterling", "GBP"}, {"eur", "EUR"}, {"francs", "CHF"},
  }};
  for (const auto& [w, code] : kWords) {
    if (folded == w) return CurrencyMatch{code, j};
  }
  return std::nullopt;
}

// ---- Numbers ------------------------------------------------------------------------------

struct Number {
  double value = 0;  // as written, before the suffix
  double scale = 1;  // 1000 for "k", 1e6 for "M"
  bool grouped = false;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The thousands separator at i (',', '.', '\'', '’' or a space kind) and its length.
std::size_t GroupSeparatorLength(std::string_view s, std::size_t i) {
  if (i >= s.size()) return 0;
  if (s[i] == ',' || s[i] == '.' || s[i] == '\'') return 1;
  if (StartsWith(s, i, "\xE2\x80\x99")) return 3;
  return SpaceLength(s, i);
}

// The multiplier suffix after a number at i ("k", " K€", "M", "Mio", " millions") and its end.
std::pair<double, std::size_t> SuffixAt(std::string_view s, std::size_t i) {
  const std::size_t j = SkipSpaces(s, i);
  const bool spaced = j != i;
  if (j >= s.size()) return {1, i};
  const char c = s[j];
  auto bare_or_currency = [&](std::size_t after) { return !IsLetterAt(s, after) || CurrencyAt(s, after, true).has_value(); };
  if ((c == 'k' || c == 'K') && bare_or_currency(j + 1)) return {1e3, j + 1};
  if (c == 'M' && bare_or_currency(j + 1)) return {1e6, j + 1};
  if (c == 'm' && !spaced && bare_or_currency(j + 1)) return {1e6, j + 1};
  if (IsAsciiAlpha(c)) {
    std::size_t e = j;
    while (e < s.size() && IsAsciiAlpha(s[e])) ++e;
    const std::string w = FoldAscii(s.substr(j, e - j)).text;
    if (w == "mio" || w == "million" || w == "millions" || w == "mn") return {1e6, e};
    if (w == "md" || w == "mds" || w == "mrd" || w == "bn" || w == "billion" || w == "billions" || w == "milliard" || w == "milliards") return {1e9, e};
  }
  return {1, i};
}

// A number at i: "45000", "45 000" (any space kind), "75,000", "45.000", "95'000", "1,5", with
// its k/M suffix. Groups after the first must have exactly three digits and share one separator.
std::optional<Number> NumberAt(std::string_view s, std::size_t i) {
  if (i >= s.size() || !IsAsciiDigit(s[i]) || WordCharBefore(s, i)) return std::nullopt;
  Number n;
  n.begin = i;
  std::size_t j = i;
  std::string digits;
  while (j < s.size() && IsAsciiDigit(s[j])) digits.push_back(s[j++]);
  std::string_view group_sep;
  if (digits.size() <= 3) {
    while (const std::size_t len = GroupSeparatorLength(s, j)) {
      const std::size_t g = j + len;
      const bool three = g + 3 <= s.size() && IsAsciiDigit(s[g]) && IsAsciiDigit(s[g + 1]) && IsAsciiDigit(s[g + 2]) &&
                         (g + 3 == s.size() || !IsAsciiDigit(s[g + 3]));
      const std::string_view sep = s.substr(j, len);
      if (!three || (!group_sep.empty() && sep != group_sep)) break;
      group_sep = sep;
      digits.append(s.substr(g, 3));
      n.grouped = true;
      j = g + 3;
    }
  }
  if (digits.size() > 12) return std::nullopt;  // an identifier or phone run, never money
  // Digits are accumulated by hand: std::stod would follow the global C locale's decimal point.
  for (const char d : digits) n.value = n.value * 10 + (d - '0');
  // A decimal part: "1,5 M€", "2.5k", "12,50 €/h".
  if (j + 1 < s.size() && (s[j] == ',' || s[j] == '.') && std::string_view(s.substr(j, 1)) != group_sep && IsAsciiDigit(s[j + 1])) {
    std::size_t e = j + 1;
    while (e < s.size() && IsAsciiDigit(s[e])) ++e;
    if (e - j - 1 <= 2) {
      double unit = 0.1;
      for (std::size_t k = j + 1; k < e; k++, unit /= 10) n.value += (s[k] - '0') * unit;
      j = e;
    }
  }
  if (IsLetterAt(s, j) && !(s[j] == 'k' || s[j] == 'K' || s[j] == 'M' || s[j] == 'm') && !CurrencyAt(s, j, true)) return std::nullopt;
  const auto [scale, end] = SuffixAt(s, j);
  n.scale = scale;
  n.end = end;
  if (n.end < s.size() && IsAsciiDigit(s[n.end])) return std::nullopt;
  return n;
}

// ---- Amounts ------------------------------------------------------------------------------

struct Amount {
  double min = 0;
  double max = 0;
  std::string_view currency;
  bool has_suffix = false;  // k or M
  bool grouped = false;
  bool big = false;         // millions or an M suffix: budgets, revenue, not pay
  std::size_t begin = 0;
  std::size_t end = 0;
};

// The end of a range separator at i: hyphens, dashes, "à", "a", "au", "to", "and", "et".
std::optional<std::size_t> RangeSeparatorAt(std::string_view s, std::size_t i) {
  if (i >= s.size()) return std::nullopt;
  if (s[i] == '-' || s[i] == '~') return i + 1;
  if (Byte(s, i) == 0xE2 && Byte(s, i + 1) == 0x80 && Byte(s, i + 2) >= 0x90 && Byte(s, i + 2) <= 0x95) return i + 3;
  if (StartsWith(s, i, "\xE2\x88\x92")) return i + 3;  // minus sign
  if (!IsLetterAt(s, i)) return std::nullopt;
  std::size_t e = i;
  while (IsLetterAt(s, e)) e += CodePointLengthAt(s, e);
  e = std::min(e, s.size());
  const std::string w = FoldAscii(s.substr(i, e - i)).text;
  if (w == "a" || w == "au" || w == "to" || w == "and" || w == "et") return e;
  return std::nullopt;
}

// A money expression at i: [currency] number [currency] [separator [currency] number [currency]].
// "45-50 k€" gives the first figure the second's k; a second figure below the first, or
// more than four times it, is not the end of a range ("45 000 € - 2 ans").
std::optional<Amount> AmountAt(std::string_view s, std::size_t i) {
  struct Side {
    std::optional<Number> number;
    std::string_view currency;
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  auto side_at = [&](std::size_t at) -> Side {
    Side side;
    side.begin = at;
    std::size_t j = at;
    if (const auto lead = CurrencyAt(s, j)) {
      side.currency = lead->code;
      j = SkipSpaces(s, lead->end);
    }
    side.number = NumberAt(s, j);
    if (!side.number) return side;
    side.end = side.number->end;
    if (const auto trail = CurrencyAt(s, SkipSpaces(s, side.end), side.number->scale != 1)) {
      if (side.currency.empty() || side.currency == trail->code) {
        side.currency = trail->code;
        side.end = trail->end;
      }
    }
    return side;
  };
  const Side first = side_at(i);
  if (!first.number) return std::nullopt;
  Amount a;
  a.begin = i;
  a.end = first.end;
  a.currency = first.currency;
  a.min = a.max = first.number->value * first.number->scale;
  a.has_suffix = first.number->scale != 1;
  a.big = first.number->scale >= 1e6;
  a.grouped = first.number->grouped;
  if (const auto sep = RangeSeparatorAt(s, SkipSpaces(s, first.end))) {
    const Side second = side_at(SkipSpaces(s, *sep));
    if (second.number && (first.currency.empty() || second.currency.empty() || first.currency == second.currency)) {
      double low = a.min;
      const double high = second.number->value * second.number->scale;
      if (first.number->scale == 1 && second.number->scale != 1 && first.number->value <= second.number->value) {
        low = first.number->value * second.number->scale;
      }
      if (high >= low && high <= 4 * low) {
        a.min = low;
        a.max = high;
        a.end = second.end;
        if (a.currency.empty()) a.currency = second.currency;
        a.has_suffix = a.has_suffix || second.number->scale != 1;
        a.big = a.big || second.number->scale >= 1e6;
        a.grouped = a.grouped || second.number->grouped;
      }
    }
  }
  a.big = a.big || a.max >= 1e6;
  return a;
}

// Money-like: a currency or a k suffix, or a figure that cannot be a count ("45 000", "45000").
bool MoneyLike(const Amount& a) { return !a.currency.empty() || a.has_suffix || a.grouped || a.min >= 10000; }

// Every money expression of s in [from, to), left to right, in a callback that returns true
// to stop.
template <typename F>
void ScanAmounts(std::string_view s, std::size_t from, std::size_t to, F&& f) {
  for (std::size_t i = from; i < to && i < s.size();) {
    const bool start = IsAsciiDigit(s[i]) || CurrencyAt(s, i).has_value();
    if (start && !WordCharBefore(s, i)) {
      if (const auto a = AmountAt(s, i)) {
        if (f(*a)) return;
        i = a->end;
        continue;
      }
    }
    if (IsAsciiDigit(s[i])) {
      while (i < s.size() && IsAsciiDigit(s[i])) ++i;  // never restart inside a number
    } else {
      i += CodePointLengthAt(s, i);
    }
  }
}

// ---- Period and basis ---------------------------------------------------------------------

// End of the clause that starts at i: line end, ; | ( , · •, a full stop, or a spaced dash.
std::size_t ClauseEnd(std::string_view s, std::size_t i) {
  for (std::size_t j = i; j < s.size(); j += CodePointLengthAt(s, j)) {
    const char c = s[j];
    if (c == '\n' || c == '\r' || c == ';' || c == '|' || c == '(' || c == ',') return j;
    if (c == '.' && (j + 1 >= s.size() || SpaceLength(s, j + 1) != 0 || s[j + 1] == '\n')) return j;
    if (StartsWith(s, j, "\xC2\xB7") || StartsWith(s, j, "\xE2\x80\xA2")) return j;
    if (j > i && SpaceLength(s, j - 1) != 0 && (c == '-' || StartsWith(s, j, "\xE2\x80\x93") || StartsWith(s, j, "\xE2\x80\x94"))) return j;
  }
  return s.size();
}

struct Terms {
  std::string period;
  std::string basis;
};

// Pay period and gross/net words in a piece of text; the first of each wins.
Terms TermsIn(std::string_view text) {
  static constexpr std::array<std::string_view, 13> kYear{
      "an", "annuel", "annuels", "annuelle", "annuelles", "annee", "year", "yearly", "annual", "annually", "annum", "pa", "yr"};
  static constexpr std::array<std::string_view, 9> kMonth{"mois", "mensuel", "mensuels", "mensuelle", "mensuelles", "month", "monthly", "pcm", "mo"};
  static constexpr std::array<std::string_view, 9> kDay{"jour", "journalier", "journaliere", "day", "daily", "tjm", "diem", "j", "d"};
  static constexpr std::array<std::string_view, 7> kHour{"heure", "horaire", "hour", "hourly", "hr", "h", "heures"};
  static constexpr std::array<std::string_view, 5> kGross{"brut", "bruts", "brute", "brutes", "gross"};
  static constexpr std::array<std::string_view, 5> kNet{"net", "nets", "nette", "nettes", "netto"};
  const Folded f = FoldAscii(text);
  const std::vector<Word> words = WordsOf(f.text);
  Terms t;
  for (std::size_t k = 0; k < words.size(); ++k) {
    const Word& w = words[k];
    const std::string_view next = k + 1 < words.size() ? words[k + 1].text : std::string_view();
    std::string period;
    // Short forms only count after a slash ("€/h", "/j", "/mo"); "p.a." is two words.
    static constexpr std::array<std::string_view, 6> kShortForms{"h", "j", "d", "mo", "yr", "hr"};
    const bool short_form = OneOf(w.text, kShortForms);
    if (w.text == "p" && next == "a") period = "year";
    else if (OneOf(w.text, kYear) && (!short_form || w.after_slash)) period = "year";
    else if (OneOf(w.text, kMonth) && (!short_form || w.after_slash)) period = "month";
    else if (OneOf(w.text, kDay) && (!short_form || w.after_slash)) period = "day";
    else if (OneOf(w.text, kHour) && (!short_form || w.after_slash)) period = "hour";
    if (t.period.empty() && !period.empty()) t.period = period;
    if (t.basis.empty()) {
      if (OneOf(w.text, kGross) || (w.text == "before" && next == "tax")) t.basis = "gross";
      else if (OneOf(w.text, kNet) || (w.text == "after" && next == "tax")) t.basis = "net";
    }
  }
  return t;
}

// Period and basis of an amount: first from the rest of its clause, then from `before` (the
// words that introduced it: "salaire brut mensuel souhaité 2 100 €").
SalaryRange ToRange(std::string_view s, const Amount& a, std::string_view before) {
  SalaryRange r;
  r.min = std::lround(a.min);
  r.max = std::lround(a.max);
  r.currency = std::string(a.currency);
  r.begin_offset = a.begin;
  r.end_offset = a.end;
  const Terms after = TermsIn(s.substr(a.end, ClauseEnd(s, a.end) - a.end));
  const Terms lead = TermsIn(before);
  r.period = !after.period.empty() ? after.period : lead.period;
  r.basis = !after.basis.empty() ? after.basis : lead.basis;
  return r;
}

// ---- Expectation cues ---------------------------------------------------------------------

// Salary nouns and "wanted" words: a pair close together is a cue ("salaire souhaité",
// "expected base salary", "salary expectations", "rémunération visée", "target compensation").
// "pay" is left out: "pay-per-click target" is marketing, not an expectation.
constexpr std::array<std::string_view, 12> kSalaryNouns{
    "salaire", "salary", "remuneration", "compensation", "package", "retribution", "remun",
    "salariale", "salariales", "salarial", "salariaux", "renumeration"};
constexpr std::array<std::string_view, 29> kWanted{
    "souhaite", "souhaitee", "souhaites", "souhaitees", "vise", "visee", "attendu", "attendue",
    "attente", "attentes", "desire", "desiree", "desired", "expected", "expectation", "expectations",
    "target", "targeted", "requirement", "requirements", "requested", "demande", "demandee",
    "espere", "esperee", "wished", "sought", "souhait", "souhaits"};
// Words that make an amount a budget, revenue or target rather than pay.
constexpr std::array<std::string_view, 17> kNotPay{
    "budget", "budgets", "revenue", "revenues", "ca", "chiffre", "arr", "mrr", "quota", "quotas",
    "spend", "deal", "deals", "turnover", "funding", "pipeline", "levee"};

struct Cue {
  std::size_t begin = 0;  // byte offsets in the text
  std::size_t end = 0;
};

// Expectation cues of one line, in order: the line's words are words[first, last) of the
// folded text f (a line's words never run past its end, and folding reads no context, so the
// text is folded once for all lines).
std::vector<Cue> CuesOf(const Folded& f, const std::vector<Word>& all_words, std::size_t first, std::size_t last_word) {
  const std::span<const Word> words(all_words.data() + first, last_word - first);
  auto has_digit = [](std::string_view w) { return std::any_of(w.begin(), w.end(), IsAsciiDigit); };
  const bool salary_line = std::any_of(words.begin(), words.end(), [](const Word& w) {
    return OneOf(w.text, kSalaryNouns) || w.text == "pretention" || w.text == "pretentions";
  });
  std::vector<Cue> cues;
  for (std::size_t k = 0; k < words.size(); ++k) {
    const Word& w = words[k];
    std::size_t last = k;
    bool cue = false;
    if (w.text == "pretention" || w.text == "pretentions") {
      cue = true;
    } else if (OneOf(w.text, kSalaryNouns) || OneOf(w.text, kWanted)) {
      const bool noun = OneOf(w.text, kSalaryNouns);
      // The partner may follow after at most two words without digits ("salaire brut mensuel
      // souhaité"), in the same phrase: "exceeded target; base salary" is no cue.
      for (std::size_t m = k + 1; m < words.size() && m <= k + 3; ++m) {
        const std::string_view between = std::string_view(f.text).substr(words[m - 1].end, words[m].begin - words[m - 1].end);
        if (between.find_first_not_of(" -/'") != std::string_view::npos) break;
        if (noun ? OneOf(words[m].text, kWanted) : OneOf(words[m].text, kSalaryNouns)) {
          cue = true;
          last = m;
          break;
        }
        if (has_digit(words[m].text)) break;
      }
      // "Salaire actuel : 33 k€ – souhaité : 36–38 k€": a wanted word with a colon on a salary line.
      if (!cue && !noun && salary_line) {
        const std::size_t after = f.text.find_first_not_of(' ', w.end);
        cue = after != std::string::npos && f.text[after] == ':';
      }
    }
    if (!cue) continue;
    // "Prétentions salariales", "attentes salariales": take the adjective along.
    if (last + 1 < words.size() && (words[last + 1].text == "salariales" || words[last + 1].text == "salariale")) ++last;
    cues.push_back({f.src[w.begin], f.src[words[last].end]});
    k = last;
  }
  return cues;
}

// True when an amount is the candidate's pay rather than a budget or revenue figure.
bool LooksLikePay(std::string_view s, const Amount& a, std::size_t context_begin, bool direct) {
  if (a.big || a.max > 2'000'000 || a.min <= 0) return false;
  if (a.currency.empty() && !a.has_suffix && !direct) return false;
  if (!MoneyLike(a)) return false;
  const std::size_t clause_end = ClauseEnd(s, a.end);
  const std::string around = FoldAscii(s.substr(context_begin, a.begin - context_begin)).text + " " +
                             FoldAscii(s.substr(a.end, clause_end - a.end)).text;
  for (const Word& w : WordsOf(around)) {
    if (OneOf(w.text, kNotPay)) return false;
  }
  return true;
}

struct Line {
  std::size_t begin = 0;
  std::size_t end = 0;
};

std::vector<Line> LinesOf(std::string_view text) {
  std::vector<Line> lines;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back({begin, end});
    begin = end + 1;
  }
  return lines;
}

bool OnlyPunctuation(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c) || IsLetterLead(static_cast<unsigned char>(c)); });
}

}  // namespace

std::optional<SalaryRange> ParseSalary(std::string_view text) {
  std::optional<SalaryRange> out;
  ScanAmounts(text, 0, text.size(), [&](const Amount& a) {
    if (!MoneyLike(a)) return false;
    out = ToRange(text, a, text.substr(0, a.begin));
    return true;
  });
  return out;
}

std::optional<SalaryRange> FindSalaryExpectation(std::string_view cv_text) {
  const std::vector<Line> lines = LinesOf(cv_text);
  const Folded folded = FoldAscii(cv_text);
  const std::vector<Word> words = WordsOf(folded.text);
  std::size_t line_first = 0;  // the first word of the line
  for (std::size_t li = 0; li < lines.size(); ++li) {
    while (line_first < words.size() && folded.src[words[line_first].begin] < lines[li].begin) ++line_first;
    std::size_t line_last = line_first;
    while (line_last < words.size() && folded.src[words[line_last].begin] < lines[li].end) ++line_last;
    for (const Cue& cue : CuesOf(folded, words, line_first, line_last)) {
      std::optional<SalaryRange> found;
      bool any_amount = false;
      ScanAmounts(cv_text, cue.end, lines[li].end, [&](const Amount& a) {
        any_amount = true;
        const bool direct = OnlyPunctuation(cv_text.substr(cue.end, a.begin - cue.end));
        if (!LooksLikePay(cv_text, a, cue.end, direct)) return false;
        found = ToRange(cv_text, a, cv_text.substr(cue.begin, a.begin - cue.begin));
        return true;
      });
      if (found) return found;
      if (any_amount) continue;
      // A heading-like cue ("Prétentions salariales :") with the amount on the next line.
      std::size_t next = li + 1;
      while (next < lines.size() && OnlyPunctuation(cv_text.substr(lines[next].begin, lines[next].end - lines[next].begin))) ++next;
      if (next >= lines.size()) continue;
      ScanAmounts(cv_text, lines[next].begin, lines[next].end, [&](const Amount& a) {
        const bool direct = OnlyPunctuation(cv_text.substr(lines[next].begin, a.begin - lines[next].begin));
        if (!LooksLikePay(cv_text, a, lines[next].begin, direct)) return false;
        found = ToRange(cv_text, a, cv_text.substr(cue.begin, cue.end - cue.begin));
        return true;
      });
      if (found) return found;
    }
  }
  return std::nullopt;
}

}  // namespace jobzen::engine
