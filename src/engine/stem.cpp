// libstemmer wrapper: thread-local stemmers, because sb_stemmer objects are not thread-safe.
#include "engine/stem.hpp"

#include <libstemmer.h>

#include <memory>

namespace jobzen::engine {
namespace {

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};
using StemmerPtr = std::unique_ptr<sb_stemmer, StemmerDeleter>;

sb_stemmer* ThreadStemmer(StemLang lang) {
  thread_local StemmerPtr english(sb_stemmer_new("english", "UTF_8"));
  thread_local StemmerPtr french(sb_stemmer_new("french", "UTF_8"));
  return lang == StemLang::kEnglish ? english.get() : french.get();
}

bool Stemmable(std::string_view word) {
  if (word.size() < 5) return false;
  for (const char c : word) {
    const bool lower = c >= 'a' && c <= 'z';
    if (!lower && static_cast<unsigned char>(c) < 0x80) return false;
  }
  return true;
}

}  // namespace

std::string Stem(StemLang lang, std::string_view word) {
  if (!Stemmable(word)) return std::string(word);
  sb_stemmer* stemmer = ThreadStemmer(lang);
  if (stemmer == nullptr) return std::string(word);
  const sb_symbol* out = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                         static_cast<int>(word.size()));
  if (out == nullptr) return std::string(word);
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<std::size_t>(sb_stemmer_length(stemmer)));
}

}  // namespace jobzen::engine
