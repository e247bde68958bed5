// PDF bytes -> text through poppler-cpp, with a reading order that handles two-column CVs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/result.hpp"

namespace jobzen::ingest {

struct PdfLimits {
  std::size_t max_bytes = 10 * 1024 * 1024;  // decoded PDF size (API.md: 10 MB)
  int max_pages = 20;
  std::size_t max_text_bytes = 200 * 1024;   // extracted text (API.md: CV text 200 KB)
};

struct PdfText {
  std::string text;            // UTF-8, pages separated by "\n\n", columns read one after the other
  int pages = 0;
  int two_column_pages = 0;    // pages read as two columns
  int image_only_pages = 0;    // pages with images but no text layer
  int empty_pages = 0;         // pages with neither
};

// True when the bytes start like a PDF ("%PDF-" within the first 1024 bytes).
bool LooksLikePdf(std::string_view bytes);

// Extracts the text of a PDF held in memory (never written to disk). Errors:
// "payload_too_large" (over max_bytes), "cv_unreadable" with a detail naming the reason:
// not a PDF, corrupt, encrypted/password-protected, no pages, too many pages, only scanned
// images (no text layer), no text at all, extracted text over the limit. Thread-safe.
Result<PdfText> ExtractPdfText(std::string_view bytes, const PdfLimits& limits = {});

}  // namespace jobzen::ingest
