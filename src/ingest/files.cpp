// File loading of the taxonomy sources and ESCO CSVs (the engine itself does no I/O).
#include "ingest/files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/pdf.hpp"
#include "ingest/text_decode.hpp"

namespace jobzen::ingest {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"io_error", "cannot open " + path};
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Error{"io_error", "cannot read " + path};
  return ss.str();
}

Result<std::vector<engine::TaxonomySource>> ReadTaxonomySources(const std::string& data_dir) {
  const fs::path root = fs::path(data_dir) / "taxonomy";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return Error{"io_error", "no taxonomy directory at " + root.string()};
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tsv") {
      names.push_back(fs::relative(entry.path(), root).generic_string());
    }
  }
  if (ec) return Error{"io_error", "cannot list " + root.string()};
  std::sort(names.begin(), names.end());
  std::vector<engine::TaxonomySource> sources;
  for (const std::string& name : names) {
    auto content = ReadFile((root / name).string());
    if (!content) return content.error();
    sources.push_back({name, std::move(*content)});
  }
  return sources;
}

Result<engine::EscoFiles> ReadEscoDir(const std::string& dir) {
  engine::EscoFiles files;
  auto read_first = [&](std::initializer_list<const char*> names, bool required, std::string* out) -> Result<bool> {
    for (const char* name : names) {
      const fs::path p = fs::path(dir) / name;
      if (fs::exists(p)) {
        auto content = ReadFile(p.string());
        if (!content) return content.error();
        *out = std::move(*content);
        return true;
      }
    }
    if (required) return Error{"io_error", "ESCO directory " + dir + " lacks " + *names.begin()};
    return false;
  };
  for (const auto& r : {read_first({"skills_en-us.csv", "skills_en.csv"}, true, &files.skills_en),
                        read_first({"skills_fr.csv"}, false, &files.skills_fr),
                        read_first({"occupations_en.csv", "occupations_en-us.csv"}, true, &files.occupations_en),
                        read_first({"occupations_fr.csv"}, false, &files.occupations_fr),
                        read_first({"broaderRelationsSkillPillar.csv"}, false, &files.skill_broader)}) {
    if (!r) return r.error();
  }
  return files;
}

Result<CvText> ReadCvBytes(std::string_view bytes) {
  CvText cv;
  if (LooksLikePdf(bytes)) {
    auto pdf = ExtractPdfText(bytes);
    if (!pdf) return pdf.error();
    cv.text = std::move(pdf->text);
    cv.from_pdf = true;
    cv.two_column_pages = pdf->two_column_pages;
    cv.image_only_pages = pdf->image_only_pages;
    return cv;
  }
  auto text = DecodeText(bytes);
  if (!text) return text.error();
  cv.text = std::move(*text);
  return cv;
}

Result<std::shared_ptr<const engine::Taxonomy>> LoadTaxonomy(const std::string& data_dir,
                                                              const std::string& esco_dir) {
  auto sources = ReadTaxonomySources(data_dir);
  if (!sources) return sources.error();
  if (esco_dir.empty()) return engine::Taxonomy::Build(*sources);
  auto files = ReadEscoDir(esco_dir);
  if (!files) return files.error();
  auto esco = engine::ParseEsco(*files);
  if (!esco) return esco.error();
  return engine::Taxonomy::Build(*sources, &*esco);
}

}  // namespace jobzen::ingest
