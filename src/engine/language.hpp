// Language detection of a text from its function words (fr, en, de, es, it, pt, nl).
#pragma once

#include <string>
#include <vector>

#include "engine/text.hpp"

namespace jobzen::engine {

// ISO 639-1 code of the dominant language of the tokens ("fr", "en", "de", "es", "it", "pt",
// "nl"), or "und" when the text has too few function words to tell. Deterministic.
std::string DetectLanguage(const std::vector<Token>& tokens);

}  // namespace jobzen::engine
