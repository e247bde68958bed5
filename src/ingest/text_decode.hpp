// CV text bytes -> clean UTF-8: BOM, Windows-1252/Latin-1 detection, control characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace jobzen::ingest {

struct TextLimits {
  std::size_t max_bytes = 200 * 1024;  // CV text limit (API.md: 200 KB)
};

// Decodes bytes to UTF-8. Valid UTF-8 is kept (a BOM is dropped); otherwise the bytes are read
// as Windows-1252 (a superset of Latin-1 for printable characters). Line endings become "\n";
// C0/C1 control characters other than tab and newline are removed; NUL bytes too.
// Errors: "payload_too_large" over the limit, "cv_unreadable" when nothing readable is left.
// The error detail never quotes the input.
Result<std::string> DecodeText(std::string_view bytes, const TextLimits& limits = {});

}  // namespace jobzen::ingest
