// Snowball stemming (libstemmer) of folded words, French or English.
#pragma once

#include <string>
#include <string_view>

namespace jobzen::engine {

enum class StemLang { kEnglish, kFrench };

// Stem of a folded (lowercase, accent-free) word. Words shorter than 5 characters or holding a
// digit or technical punctuation (c++, node.js) are returned unchanged: stemming them only
// creates collisions. Thread-safe (one stemmer per thread and language).
std::string Stem(StemLang lang, std::string_view word);

}  // namespace jobzen::engine
