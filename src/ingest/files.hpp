// File loading: whole files, the taxonomy source tree and an ESCO CSV directory.
#pragma once

#include <memory>
#include <string>

#include "engine/esco.hpp"
#include "engine/result.hpp"
#include "engine/taxonomy.hpp"

namespace jobzen::ingest {

// Reads a whole file. Error "io_error" names the path (paths are ours, never CV content).
Result<std::string> ReadFile(const std::string& path);

// Reads every *.tsv under DIR/taxonomy (skills/, occupations/, languages.tsv, families.tsv),
// in a stable (sorted) order. DIR is the data directory that holds taxonomy/.
Result<std::vector<engine::TaxonomySource>> ReadTaxonomySources(const std::string& data_dir);

// Reads the ESCO CSV files of an ESCO download directory (skills_en-us.csv or skills_en.csv,
// skills_fr.csv, occupations_en.csv, occupations_fr.csv, broaderRelationsSkillPillar.csv).
Result<engine::EscoFiles> ReadEscoDir(const std::string& dir);

// A CV's text as the engine reads it, and where it came from.
struct CvText {
  std::string text;
  bool from_pdf = false;
  int two_column_pages = 0;
  int image_only_pages = 0;
};

// Bytes of a CV file: a PDF (by its signature) goes through ExtractPdfText, anything else
// through DecodeText. Errors as those functions give them.
Result<CvText> ReadCvBytes(std::string_view bytes);

// Loads the taxonomy from data_dir, extended with ESCO when esco_dir is not empty.
Result<std::shared_ptr<const engine::Taxonomy>> LoadTaxonomy(const std::string& data_dir,
                                                              const std::string& esco_dir = "");

}  // namespace jobzen::ingest
