// make_pdf: writes small PDF 1.4 test fixtures from UTF-8 text: Helvetica with WinAnsiEncoding,
// A4 pages, line wrapping and page breaks, one column or a sidebar plus a main column; pages
// with only an image or nothing at all. Test tooling only, no third-party PDF writer.
//
// Usage: make_pdf OUT.pdf [IN.txt] [--columns 2 RIGHT.txt] [--image-only] [--empty]
//   IN.txt          text of the page(s); a line "# Title" is a heading, a blank line a gap
//   --columns 2 R   IN.txt goes into a narrow left column (sidebar), R into the right column
//   --image-only    appends a page holding an inline image and no text
//   --empty         appends a page with no content
#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr double kPageWidth = 595;   // A4 in points
constexpr double kPageHeight = 842;
constexpr double kTop = 780;         // baseline of the first line
constexpr double kBottom = 60;       // no baseline below this

// Where a flow of text goes on the page, and in which size.
struct Column {
  double x = 0;
  double width = 0;
  double font_size = 0;
  double leading = 0;  // baseline to baseline
};

struct PlacedLine {
  int page = 0;
  double x = 0, y = 0;
  bool bold = false;
  double font_size = 0;
  std::string text;  // Windows-1252 bytes
};

// Windows-1252 0x80..0x9F as Unicode; 0 where the code is undefined.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

char ToCp1252(char32_t cp) {
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<char>(cp);
  for (std::size_t i = 0; i < kCp1252High.size(); ++i) {
    if (kCp1252High[i] == cp) return static_cast<char>(0x80 + i);
  }
  return '?';
}

// UTF-8 -> Windows-1252; characters it lacks (and invalid bytes) become '?'.
std::string Utf8ToCp1252(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    const auto b = static_cast<unsigned char>(in[i]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > in.size()) {
      out += '?';
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? b : b & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(in[i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    out += ToCp1252(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

// Helvetica advance widths (AFM, 1/1000 em) for 0x20..0x7E; accented letters take their base
// letter's width and other high codes a generous 600, which only makes lines wrap a bit early.
double GlyphWidth(unsigned char c) {
  static constexpr std::array<int, 95> kAscii = {
      278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '../
      556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0..?
      1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
      667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P.._
      333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // `..o
      556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // p..~
  if (c >= 0x20 && c <= 0x7E) return kAscii[c - 0x20];
  if (c >= 0xC0 && c <= 0xC5) return 667;
  if (c >= 0xC8 && c <= 0xCB) return 667;
  if ((c >= 0xCC && c <= 0xCF) || (c >= 0xEC && c <= 0xEF)) return 278;
  if (c >= 0xE0) return 556;
  if (c == 0x85 || c == 0x8C || c == 0x97 || c == 0x99 || c == 0xC6) return 1000;
  return 600;
}

double TextWidth(std::string_view cp1252, double font_size, bool bold) {
  double w = 0;
  for (const char c : cp1252) w += GlyphWidth(static_cast<unsigned char>(c));
  return w * font_size / 1000 * (bold ? 1.1 : 1.0);  // Helvetica-Bold is at most ~10% wider
}

std::vector<std::string> SplitWords(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : line) {
    if (c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Lays a text out in a column, wrapping lines and starting new pages at the bottom margin.
std::vector<PlacedLine> Flow(std::string_view utf8, const Column& col) {
  std::vector<PlacedLine> out;
  int page = 0;
  double y = kTop;
  const auto advance = [&](double by) {
    y -= by;
    if (y < kBottom) {
      ++page;
      y = kTop;
    }
  };
  bool at_top = true;
  std::istringstream in{std::string(utf8)};
  for (std::string raw; std::getline(in, raw);) {
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (raw.find_first_not_of(" \t") == std::string::npos) {
      if (!at_top) advance(col.leading * 0.6);
      continue;
    }
    const bool heading = raw.rfind("# ", 0) == 0;
    const std::string text = Utf8ToCp1252(heading ? raw.substr(2) : raw);
    const double size = heading ? col.font_size + 2 : col.font_size;
    if (heading && !at_top) advance(col.leading * 0.5);
    std::string current;
    const auto emit = [&] {
      out.push_back(PlacedLine{page, col.x, y, heading, size, current});
      advance(heading ? col.leading * 1.3 : col.leading);
      current.clear();
      at_top = false;
    };
    for (const std::string& word : SplitWords(text)) {
      const std::string candidate = current.empty() ? word : current + ' ' + word;
      if (!current.empty() && TextWidth(candidate, size, heading) > col.width) emit();
      current = current.empty() ? word : current + ' ' + word;
    }
    if (!current.empty()) emit();
  }
  return out;
}

std::string PdfString(std::string_view cp1252) {
  std::string out = "(";
  for (const char c : cp1252) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += c;
    } else if (b >= 0x80) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", b);  // keeps the file 7-bit
      out += buf;
    } else {
      out += c;
    }
  }
  return out + ")";
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string TextContent(const std::vector<PlacedLine>& lines, int page) {
  std::string s = "BT\n";
  for (const PlacedLine& l : lines) {
    if (l.page != page) continue;
    s += (l.bold ? "/F2 " : "/F1 ") + Number(l.font_size) + " Tf\n";
    s += "1 0 0 1 " + Number(l.x) + " " + Number(l.y) + " Tm\n";
    s += PdfString(l.text) + " Tj\n";
  }
  return s + "ET\n";
}

// A 32x32 grey gradient with dark strokes, drawn over most of the page, like a scanned sheet.
std::string ImageContent() {
  constexpr int kSide = 32;
  std::string s = "q 483 0 0 680 56 100 cm\nBI /W 32 /H 32 /CS /G /BPC 8 /F /AHx ID\n";
  for (int y = 0; y < kSide; ++y) {
    for (int x = 0; x < kSide; ++x) {
      const int v = (y % 4 == 1 && x > 3 && x < 28) ? 20 : 200 + (x + y) % 40;
      char buf[4];
      std::snprintf(buf, sizeof buf, "%02x", v);
      s += buf;
    }
    s += '\n';
  }
  return s + ">\nEI\nQ\n";
}

// Serialises numbered objects and the cross-reference table with exact byte offsets.
class PdfWriter {
 public:
  PdfWriter() { out_ = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"; }  // binary marker comment

  // Object numbers are handed out first so that objects can refer to each other.
  int Reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }

  void Put(int id, const std::string& body) {
    offsets_[static_cast<std::size_t>(id) - 1] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n" + body + "\nendobj\n";
  }

  void PutStream(int id, const std::string& data) {
    Put(id, "<< /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream");
  }

  std::string Finish(int root) {
    const std::size_t xref = out_.size();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    for (const std::size_t off : offsets_) {
      char buf[24];
      std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);  // 20 bytes per entry
      out_ += buf;
    }
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " +
            std::to_string(root) + " 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out_;
  }

 private:
  std::string out_;
  std::vector<std::size_t> offsets_;  // of object i + 1
};

bool ReadText(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int Usage() {
  std::cerr << "usage: make_pdf OUT.pdf [IN.txt] [--columns 2 RIGHT.txt] [--image-only] [--empty]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage();
  std::string out_path = args[0], in_path, right_path;
  bool image_only = false, empty = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--columns" && i + 2 < args.size() && args[i + 1] == "2") {
      right_path = args[i + 2];
      i += 2;
    } else if (args[i] == "--image-only") {
      image_only = true;
    } else if (args[i] == "--empty") {
      empty = true;
    } else if (args[i].rfind("--", 0) != 0 && in_path.empty()) {
      in_path = args[i];
    } else {
      return Usage();
    }
  }
  if (in_path.empty() && (!right_path.empty() || (!image_only && !empty))) return Usage();

  std::vector<PlacedLine> lines;
  if (!in_path.empty()) {
    std::string text;
    if (!ReadText(in_path, text)) {
      std::cerr << "cannot read " << in_path << "\n";
      return 1;
    }
    if (right_path.empty()) {
      lines = Flow(text, Column{56, kPageWidth - 112, 10.5, 14});
    } else {
      std::string right;
      if (!ReadText(right_path, right)) {
        std::cerr << "cannot read " << right_path << "\n";
        return 1;
      }
      // A sidebar in a smaller size with its own leading, as CV templates have it.
      lines = Flow(text, Column{36, 150, 9, 12.5});
      for (PlacedLine& l : Flow(right, Column{216, kPageWidth - 216 - 40, 10.5, 14.5})) {
        lines.push_back(std::move(l));
      }
    }
  }
  int text_pages = 0;
  for (const PlacedLine& l : lines) text_pages = std::max(text_pages, l.page + 1);

  PdfWriter pdf;
  const int catalog = pdf.Reserve(), pages = pdf.Reserve();
  const int helvetica = pdf.Reserve(), helvetica_bold = pdf.Reserve();
  std::vector<std::pair<int, std::string>> page_contents;  // (page object, content or "")
  for (int p = 0; p < text_pages; ++p) page_contents.emplace_back(0, TextContent(lines, p));
  if (image_only) page_contents.emplace_back(0, ImageContent());
  if (empty) page_contents.emplace_back(0, "");

  std::string kids;
  std::vector<int> content_ids;
  for (auto& [id, content] : page_contents) {
    id = pdf.Reserve();
    content_ids.push_back(content.empty() ? 0 : pdf.Reserve());
    kids += std::to_string(id) + " 0 R ";
  }
  pdf.Put(catalog, "<< /Type /Catalog /Pages " + std::to_string(pages) + " 0 R >>");
  pdf.Put(pages, "<< /Type /Pages /Kids [ " + kids + "] /Count " +
                     std::to_string(page_contents.size()) + " >>");
  pdf.Put(helvetica, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  pdf.Put(helvetica_bold,
          "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  for (std::size_t i = 0; i < page_contents.size(); ++i) {
    const auto& [id, content] = page_contents[i];
    std::string page = "<< /Type /Page /Parent " + std::to_string(pages) +
                       " 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 " +
                       std::to_string(helvetica) + " 0 R /F2 " + std::to_string(helvetica_bold) +
                       " 0 R >> >>";
    if (content_ids[i] != 0) page += " /Contents " + std::to_string(content_ids[i]) + " 0 R";
    pdf.Put(id, page + " >>");
    if (content_ids[i] != 0) pdf.PutStream(content_ids[i], content);
  }
  const std::string bytes = pdf.Finish(catalog);
  std::ofstream out(out_path, std::ios::binary);
  if (!out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    std::cerr << "cannot write " << out_path << "\n";
    return 1;
  }
  return 0;
}
