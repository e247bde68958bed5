// PDF bytes -> text through poppler-cpp. Words come from page::text_list() with their boxes;
// the reading order is rebuilt from geometry so that two-column CVs (sidebars) are read one
// column after the other instead of line by line across both.
#include "ingest/pdf.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jobzen::ingest {
namespace {

// A word of the page, top-left origin, in points.
struct Word {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;  // UTF-8, no control characters
  bool space_after = false;

  double Height() const { return y1 - y0; }
  double CenterY() const { return (y0 + y1) / 2; }
};

// Words on one baseline, left to right.
struct Line {
  double y0 = 0, y1 = 0;
  std::vector<Word> words;

  double CenterY() const { return (y0 + y1) / 2; }
};

enum class PageKind { kText, kImageOnly, kEmpty };

struct PageText {
  std::string text;
  PageKind kind = PageKind::kEmpty;
  bool two_columns = false;
};

// Poppler prints syntax warnings on stderr by default; a server must stay quiet.
void IgnorePopplerMessage(const std::string& /*message*/, void* /*closure*/) {}

void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(IgnorePopplerMessage, nullptr); });
}

// UTF-16 from poppler -> UTF-8, dropping control characters (some fonts map glyphs to them).
std::string ToUtf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) continue;
    out += c;
  }
  return out;
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t") == std::string_view::npos;
}

constexpr double kMaxCoordinate = 20000;  // points; PDF pages are at most 14400 wide

std::vector<Word> ReadWords(const poppler::page& page) {
  std::vector<Word> words;
  for (const poppler::text_box& box : page.text_list()) {
    std::string text = ToUtf8(box.text());
    if (IsBlank(text)) continue;
    const poppler::rectf r = box.bbox();
    // A damaged file can give absurd boxes; they would size the gutter histogram below.
    const bool sane = std::isfinite(r.left()) && std::isfinite(r.right()) &&
                      std::isfinite(r.top()) && std::isfinite(r.bottom()) &&
                      std::abs(r.left()) < kMaxCoordinate && std::abs(r.right()) < kMaxCoordinate &&
                      r.right() >= r.left() && r.bottom() >= r.top();
    if (!sane) continue;
    words.push_back(Word{r.left(), r.top(), r.right(), r.bottom(), std::move(text),
                         box.has_space_after()});
  }
  return words;
}

// Groups words into lines. Sorted by vertical centre, a word joins a recent line when each
// one's centre lies within the other's height: mixed font sizes on one baseline share a line,
// but a large name beside a block of small lines does not swallow them.
std::vector<Line> GroupLines(std::vector<Word> words) {
  std::sort(words.begin(), words.end(), [](const Word& a, const Word& b) {
    return a.CenterY() != b.CenterY() ? a.CenterY() < b.CenterY() : a.x0 < b.x0;
  });
  struct Group {
    double ref_y0, ref_y1;  // the first word's extent: the line does not drift as it grows
    Line line;
  };
  std::vector<Group> groups;
  constexpr std::size_t kLookBack = 4;
  for (Word& w : words) {
    Group* match = nullptr;
    for (std::size_t k = groups.size(); k > 0 && k + kLookBack > groups.size(); --k) {
      Group& g = groups[k - 1];
      const double ref_center = (g.ref_y0 + g.ref_y1) / 2;
      if (w.CenterY() >= g.ref_y0 && w.CenterY() <= g.ref_y1 && ref_center >= w.y0 &&
          ref_center <= w.y1) {
        match = &g;
        break;
      }
    }
    if (match == nullptr) {
      groups.push_back(Group{w.y0, w.y1, Line{w.y0, w.y1, {}}});
      match = &groups.back();
    }
    match->line.y0 = std::min(match->line.y0, w.y0);
    match->line.y1 = std::max(match->line.y1, w.y1);
    match->line.words.push_back(std::move(w));
  }
  std::vector<Line> lines;
  lines.reserve(groups.size());
  for (Group& g : groups) {
    std::sort(g.line.words.begin(), g.line.words.end(),
              [](const Word& a, const Word& b) { return a.x0 < b.x0; });
    lines.push_back(std::move(g.line));
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.CenterY() < b.CenterY(); });
  return lines;
}

// Boxes on a line are joined by a space unless they touch (a word split by a font change).
std::string LineText(const Line& line) {
  std::string out;
  for (std::size_t i = 0; i < line.words.size(); ++i) {
    const Word& w = line.words[i];
    if (i > 0) {
      const Word& prev = line.words[i - 1];
      const double gap = w.x0 - prev.x1;
      if (prev.space_after || gap > 0.15 * std::min(prev.Height(), w.Height())) out += ' ';
    }
    out += w.text;
  }
  return out;
}

void AppendLines(std::string& out, const std::vector<const Line*>& lines) {
  for (const Line* line : lines) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += LineText(*line);
  }
}

std::size_t CharCount(const std::vector<Word>& words) {
  std::size_t n = 0;
  for (const Word& w : words) n += w.text.size();
  return n;
}

// Finds the x of a vertical band of white space that separates two columns of text over most
// of the text height. Words are widened by a quarter of their height so that the spaces inside
// a line close up and only gutters stay open. Returns nothing for a single-column page.
std::optional<double> FindGutter(const std::vector<Word>& words) {
  if (words.size() < 12) return std::nullopt;
  double min_x = words[0].x0, max_x = words[0].x1;
  for (const Word& w : words) {
    min_x = std::min(min_x, w.x0);
    max_x = std::max(max_x, w.x1);
  }
  const double width = max_x - min_x;
  if (width < 100) return std::nullopt;
  std::vector<int> cover(static_cast<std::size_t>(width) + 1, 0);
  const auto bin = [&](double x) {
    return static_cast<std::size_t>(std::clamp(x - min_x, 0.0, width));
  };
  for (const Word& w : words) {
    const double pad = 0.25 * w.Height();
    for (std::size_t b = bin(w.x0 - pad), e = bin(w.x1 + pad); b <= e; ++b) ++cover[b];
  }
  // The gutter sits between 12% and 88% of the text width (a sidebar is rarely narrower), at
  // the widest run of least-covered x.
  const std::size_t lo = bin(min_x + 0.12 * width), hi = bin(max_x - 0.12 * width);
  const int least = *std::min_element(cover.begin() + static_cast<std::ptrdiff_t>(lo),
                                      cover.begin() + static_cast<std::ptrdiff_t>(hi) + 1);
  std::size_t best_begin = 0, best_len = 0;
  for (std::size_t b = lo; b <= hi;) {
    if (cover[b] != least) {
      ++b;
      continue;
    }
    std::size_t e = b;
    while (e <= hi && cover[e] == least) ++e;
    if (e - b > best_len) {
      best_begin = b;
      best_len = e - b;
    }
    b = e;
  }
  return min_x + static_cast<double>(best_begin) + static_cast<double>(best_len) / 2;
}

// Words that straddle the gutter, and the words beside them on their baseline, make full-width
// lines (a name banner, a heading across the page).
struct Split {
  std::vector<Word> left, right, full;
};

Split SplitAt(const std::vector<Word>& words, double gutter) {
  std::vector<std::pair<double, double>> full_rows;
  for (const Word& w : words) {
    if (w.x0 < gutter && w.x1 > gutter) full_rows.emplace_back(w.y0, w.y1);
  }
  const auto in_full_row = [&](const Word& w) {
    return std::any_of(full_rows.begin(), full_rows.end(), [&](const auto& row) {
      return w.CenterY() >= row.first && w.CenterY() <= row.second;
    });
  };
  Split split;
  for (const Word& w : words) {
    if (in_full_row(w)) {
      split.full.push_back(w);
    } else if (w.x1 <= gutter) {
      split.left.push_back(w);
    } else {
      split.right.push_back(w);
    }
  }
  return split;
}

// Share of the lines of `few` that sit on the baseline of a line of `many`.
double AlignedShare(const std::vector<Line>& few, const std::vector<Line>& many) {
  std::size_t aligned = 0;
  for (const Line& a : few) {
    aligned += std::any_of(many.begin(), many.end(), [&](const Line& b) {
      return std::abs(a.CenterY() - b.CenterY()) < 0.3 * (a.y1 - a.y0);
    });
  }
  return static_cast<double>(aligned) / static_cast<double>(few.size());
}

// A split is kept when both columns hold real text side by side over most of the text height
// and few lines cross the gutter; otherwise the page is read as one column. When nearly every
// line of one side has a partner on the same baseline, the page is a table (skills with their
// labels, titles with right-aligned dates and places): its rows are read across.
bool IsTwoColumns(const Split& split, const std::vector<Line>& left, const std::vector<Line>& right,
                  const std::vector<Line>& full, const std::vector<Word>& words) {
  if (left.size() < 3 || right.size() < 3) return false;
  const std::size_t total_chars = CharCount(words);
  if (CharCount(split.left) * 20 < total_chars || CharCount(split.right) * 20 < total_chars) {
    return false;
  }
  if (full.size() * 5 > left.size() + right.size() + full.size()) return false;
  const bool left_fewer = left.size() <= right.size();
  if (AlignedShare(left_fewer ? left : right, left_fewer ? right : left) >= 0.9) return false;
  double top = words[0].y0, bottom = words[0].y1;
  for (const Word& w : words) {
    top = std::min(top, w.y0);
    bottom = std::max(bottom, w.y1);
  }
  const double left_top = left.front().y0, left_bottom = left.back().y1;
  const double right_top = right.front().y0, right_bottom = right.back().y1;
  const double side_by_side = std::min(left_bottom, right_bottom) - std::max(left_top, right_top);
  const double shorter = std::min(left_bottom - left_top, right_bottom - right_top);
  const double both = std::max(left_bottom, right_bottom) - std::min(left_top, right_top);
  return side_by_side >= 0.5 * shorter && both >= 0.5 * (bottom - top);
}

// Two-column reading order: full-width lines cut the page into bands; each band gives its left
// column, then its right column, each top to bottom.
std::string TwoColumnText(const std::vector<Line>& left, const std::vector<Line>& right,
                          const std::vector<Line>& full) {
  std::string out;
  std::size_t l = 0, r = 0;
  const auto emit_band = [&](double until) {
    std::vector<const Line*> band_left, band_right;
    for (; l < left.size() && left[l].CenterY() < until; ++l) band_left.push_back(&left[l]);
    for (; r < right.size() && right[r].CenterY() < until; ++r) band_right.push_back(&right[r]);
    AppendLines(out, band_left);
    if (!band_left.empty() && !band_right.empty()) out += "\n\n";  // a blank line between columns
    AppendLines(out, band_right);
  };
  for (const Line& line : full) {
    emit_band(line.CenterY());
    AppendLines(out, {&line});
  }
  emit_band(INFINITY);
  return out;
}

// A page without text: anything drawn (a scan, a photo, text turned into outlines) shows when
// it is rendered at a few dots per inch; an empty page stays white.
bool HasDrawing(const poppler::page& page) {
  if (!poppler::page_renderer::can_render()) return false;
  // 12 dpi, or less so that a huge page still renders to at most 200 pixels a side.
  const poppler::rectf box = page.page_rect();
  const double longest = std::max({box.width(), box.height(), 1.0});
  const double dpi = std::min(12.0, 72.0 * 200 / longest);
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_paper_color(0xFFFFFFFF);
  const poppler::image img = renderer.render_page(&page, dpi, dpi);
  if (!img.is_valid() || img.format() != poppler::image::format_gray8) return false;
  const char* data = img.const_data();
  for (int y = 0; y < img.height(); ++y) {
    const auto* row = reinterpret_cast<const unsigned char*>(data + y * img.bytes_per_row());
    for (int x = 0; x < img.width(); ++x) {
      if (row[x] < 240) return true;
    }
  }
  return false;
}

PageText ReadPage(const poppler::page& page) {
  std::vector<Word> words = ReadWords(page);
  if (words.empty()) return {"", HasDrawing(page) ? PageKind::kImageOnly : PageKind::kEmpty, false};
  if (const std::optional<double> gutter = FindGutter(words)) {
    const Split split = SplitAt(words, *gutter);
    const std::vector<Line> left = GroupLines(split.left);
    const std::vector<Line> right = GroupLines(split.right);
    const std::vector<Line> full = GroupLines(split.full);
    if (IsTwoColumns(split, left, right, full, words)) {
      return {TwoColumnText(left, right, full), PageKind::kText, true};
    }
  }
  const std::vector<Line> lines = GroupLines(std::move(words));
  std::vector<const Line*> order;
  for (const Line& line : lines) order.push_back(&line);
  std::string text;
  AppendLines(text, order);
  return {std::move(text), PageKind::kText, false};
}

Error Unreadable(std::string detail) { return Error{"cv_unreadable", std::move(detail)}; }

}  // namespace

bool LooksLikePdf(std::string_view bytes) {
  return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

Result<PdfText> ExtractPdfText(std::string_view bytes, const PdfLimits& limits) {
  SilencePoppler();
  if (bytes.size() > limits.max_bytes || bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return Error{"payload_too_large", "PDF is " + std::to_string(bytes.size()) +
                                          " bytes, the limit is " + std::to_string(limits.max_bytes)};
  }
  if (!LooksLikePdf(bytes)) return Unreadable("not a PDF file");
  // Poppler rebuilds a damaged cross-reference table and would return the first pages of a
  // truncated upload as if complete; every complete PDF has an end-of-file marker.
  if (bytes.rfind("%%EOF") == std::string_view::npos) return Unreadable("corrupt PDF (truncated)");

  // load_from_raw_data reads `bytes` in place: they outlive `doc`.
  const std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Unreadable("corrupt PDF (cannot be parsed)");
  if (doc->is_locked()) return Unreadable("encrypted PDF: password-protected");
  const int pages = doc->pages();
  if (pages <= 0) return Unreadable("PDF has no pages");
  if (pages > limits.max_pages) {
    return Unreadable("too many pages (" + std::to_string(pages) + ", the limit is " +
                      std::to_string(limits.max_pages) + ")");
  }

  PdfText out;
  out.pages = pages;
  for (int i = 0; i < pages; ++i) {
    const std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) return Unreadable("corrupt PDF (page " + std::to_string(i + 1) + " unreadable)");
    PageText page_text = ReadPage(*page);
    out.two_column_pages += page_text.two_columns ? 1 : 0;
    out.image_only_pages += page_text.kind == PageKind::kImageOnly ? 1 : 0;
    out.empty_pages += page_text.kind == PageKind::kEmpty ? 1 : 0;
    if (page_text.text.empty()) continue;
    if (!out.text.empty()) out.text += "\n\n";
    out.text += page_text.text;
    if (out.text.size() > limits.max_text_bytes) {
      return Unreadable("extracted text too long (over " + std::to_string(limits.max_text_bytes) +
                        " bytes)");
    }
  }
  if (out.text.empty()) {
    if (out.image_only_pages > 0) return Unreadable("scanned images only, no text layer");
    return Unreadable("no text in the PDF");
  }
  return out;
}

}  // namespace jobzen::ingest
