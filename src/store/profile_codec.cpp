// StoredProfile <-> bytes: a small length-prefixed format with a version byte, so the
// encrypted record can evolve (a new version adds fields; old records stay readable).
#include "store/profile_codec.hpp"

#include <cstdint>
#include <optional>

namespace jobzen::store {

namespace {

constexpr unsigned char kVersion = 1;

class Writer {
 public:
  void U8(unsigned char v) { out_ += static_cast<char>(v); }
  void U32(std::uint32_t v) {
    for (int shift = 0; shift < 32; shift += 8) out_ += static_cast<char>((v >> shift) & 0xff);
  }
  void Str(std::string_view s) {
    U32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  void List(const std::vector<std::string>& items) {
    U32(static_cast<std::uint32_t>(items.size()));
    for (const std::string& s : items) Str(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads fields in order; the first overrun makes it fail and every later read a no-op, so
// the decoder checks once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return in_.empty(); }
  unsigned char U8() {
    if (!Need(1)) return 0;
    const auto v = static_cast<unsigned char>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }
  std::uint32_t U32() {
    if (!Need(4)) return 0;
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in_[static_cast<std::size_t>(i)]);
    in_.remove_prefix(4);
    return v;
  }
  std::string Str() {
    const std::uint32_t n = U32();
    if (!Need(n)) return {};
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  std::vector<std::string> List() {
    std::vector<std::string> items;
    // Each item takes at least 4 bytes: a count larger than that is corrupt, and checking
    // it first stops a forged count from reserving gigabytes.
    const std::uint32_t n = U32();
    if (!Need(std::size_t{n} * 4)) return items;
    for (std::uint32_t i = 0; i < n && ok_; ++i) items.push_back(Str());
    return items;
  }

 private:
  bool Need(std::size_t n) {
    if (ok_ && in_.size() < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeProfile(const StoredProfile& p) {
  Writer w;
  w.U8(kVersion);
  w.List(p.skills);
  w.List(p.positions);
  w.List(p.relevant_job_titles);
  w.U32(static_cast<std::uint32_t>(p.languages.size()));
  for (const StoredLanguage& l : p.languages) {
    w.Str(l.code);
    w.Str(l.level);
  }
  w.U8(p.experience_years ? 1 : 0);
  w.U32(static_cast<std::uint32_t>(p.experience_years.value_or(0)));
  w.Str(p.seniority);
  w.Str(p.education_level);
  w.List(p.certifications);
  w.List(p.sectors);
  w.Str(p.profile_summary);
  w.Str(p.lang);
  return w.Take();
}

Result<StoredProfile> DecodeProfile(std::string_view bytes) {
  const Error corrupt{"store_error", "a stored profile record is malformed"};
  Reader r(bytes);
  if (r.U8() != kVersion) return corrupt;
  StoredProfile p;
  p.skills = r.List();
  p.positions = r.List();
  p.relevant_job_titles = r.List();
  const std::uint32_t languages = r.U32();
  for (std::uint32_t i = 0; i < languages && r.ok(); ++i) {
    StoredLanguage l;
    l.code = r.Str();
    l.level = r.Str();
    p.languages.push_back(std::move(l));
  }
  const bool has_years = r.U8() != 0;
  const auto years = static_cast<std::int32_t>(r.U32());
  if (has_years) p.experience_years = years;
  p.seniority = r.Str();
  p.education_level = r.Str();
  p.certifications = r.List();
  p.sectors = r.List();
  p.profile_summary = r.Str();
  p.lang = r.Str();
  if (!r.ok() || !r.AtEnd()) return corrupt;
  return p;
}

}  // namespace jobzen::store
