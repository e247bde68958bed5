// Language detection of a text from its function words (fr, en, de, es, it, pt, nl).
#pragma once

#include <string>
#include <vector>

#include "engine/matcher.hpp"
#include "engine/text.hpp"

namespace jobzen::engine {

// ISO 639-1 code of the dominant language of the tokens ("fr", "en", "de", "es", "it", "pt",
// "nl"), or "und" when the text has too few function words to tell. Deterministic.
std::string DetectLanguage(const std::vector<Token>& tokens);
// The same for the tokens a text was prepared from, from the ids of their keys when the text's
// vocabulary extends FixedWords() (a taxonomy's does): no lookup of its own.
std::string DetectLanguage(const PreparedText& prepared);

}  // namespace jobzen::engine
