// CV text bytes -> clean UTF-8: UTF-8 validation (utf8proc), Windows-1252 fallback, line
// endings and control characters.
#include "ingest/text_decode.hpp"

#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <string>
#include <utility>

namespace jobzen::ingest {
namespace {

// Windows-1252 0x80..0x9F. The five undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the
// C1 control of the same value, which the cleaning step then drops, as Windows itself does.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80..87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88..8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90..97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98..9F
};

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsValidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
  auto left = static_cast<utf8proc_ssize_t>(bytes.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;  // overlong forms, surrogates and truncated sequences too
    p += n;
    left -= n;
  }
  return true;
}

void AppendUtf8(std::string& out, char32_t cp) {
  std::array<utf8proc_uint8_t, 4> buf{};
  const utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf.data());
  out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(n));
}

// Line endings and control characters, applied to one decoded code point. Besides CR LF and
// CR, the Unicode line terminators (VT, FF, NEL, LS, PS) end a line: dropping a form feed
// would glue the last word of a page to the first of the next.
class Cleaner {
 public:
  explicit Cleaner(std::size_t reserve) { out_.reserve(reserve); }

  void Put(char32_t cp) {
    const bool after_cr = after_cr_;
    after_cr_ = cp == U'\r';
    if (cp == U'\n' && after_cr) return;  // second half of CR LF
    if (cp == U'\r' || cp == U'\n' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
        cp == 0x2029) {
      out_ += '\n';
      return;
    }
    if (cp == U'\t') {
      out_ += '\t';
      return;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return;  // C0, DEL, C1 (NUL included)
    if (cp < 0x80) {
      out_ += static_cast<char>(cp);
      readable_ = readable_ || cp != U' ';
    } else {
      AppendUtf8(out_, cp);
      const auto category = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
      readable_ = readable_ || (category != UTF8PROC_CATEGORY_ZS && category != UTF8PROC_CATEGORY_CF);
    }
  }

  bool readable() const { return readable_; }
  std::string Take() && { return std::move(out_); }

 private:
  std::string out_;
  bool after_cr_ = false;
  bool readable_ = false;  // a character other than white space or a format mark was kept
};

}  // namespace

Result<std::string> DecodeText(std::string_view bytes, const TextLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Error{"payload_too_large",
                 "text is " + std::to_string(bytes.size()) + " bytes, the limit is " +
                     std::to_string(limits.max_bytes)};
  }
  Cleaner cleaner(bytes.size());
  if (IsValidUtf8(bytes)) {
    if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(bytes.data());
    auto left = static_cast<utf8proc_ssize_t>(bytes.size());
    while (left > 0) {
      utf8proc_int32_t cp = 0;
      const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);  // > 0: validated above
      cleaner.Put(static_cast<char32_t>(cp));
      p += n;
      left -= n;
    }
  } else {
    for (const char c : bytes) {
      const auto b = static_cast<unsigned char>(c);
      cleaner.Put(b >= 0x80 && b <= 0x9F ? kCp1252High[b - 0x80] : char32_t{b});
    }
  }
  if (!cleaner.readable()) return Error{"cv_unreadable", "no readable text"};
  return std::move(cleaner).Take();
}

}  // namespace jobzen::ingest
