// FoldAscii: the accent-free ASCII image with offsets used by the date and salary scanners.
#include "engine/utf8_scan.hpp"

namespace jobzen::engine::scan {

Folded FoldAscii(std::string_view s) {
  // Folded images of U+00C0..U+00FF; '\0' marks the non-letters × and ÷.
  static constexpr std::string_view kLatin1{"aaaaaaaceeeeiiiidnooooo\0ouuuuyts" "aaaaaaaceeeeiiiidnooooo\0ouuuuyty", 64};
  Folded out;
  out.text.reserve(s.size());
  out.src.reserve(s.size() + 1);
  auto put = [&](char c, std::size_t at) {
    out.text.push_back(c);
    out.src.push_back(at);
  };
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char b = Byte(s, i);
    const std::size_t n = CodePointLengthAt(s, i);
    if (b < 0x80) {
      put(static_cast<char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b), i);
    } else if (b == 0xC3 && n == 2) {
      const char c = kLatin1[Byte(s, i + 1) - 0x80u];
      put(c == '\0' ? ' ' : c, i);
    } else if (b == 0xC5 && n == 2 && (Byte(s, i + 1) == 0x92 || Byte(s, i + 1) == 0x93)) {
      put('o', i);
      put('e', i);
    } else if (b == 0xE2 && n == 3 && Byte(s, i + 1) == 0x80 && (Byte(s, i + 2) == 0x98 || Byte(s, i + 2) == 0x99)) {
      put('\'', i);
    } else if (b == 0xE2 && n == 3 && Byte(s, i + 1) == 0x80 && Byte(s, i + 2) >= 0x90 && Byte(s, i + 2) <= 0x95) {
      put('-', i);
    } else {
      put(' ', i);
    }
    i += n;
  }
  out.src.push_back(s.size());
  return out;
}

}  // namespace jobzen::engine::scan
