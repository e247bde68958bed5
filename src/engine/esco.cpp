// ESCO CSV parsing and FR/EN join (see esco.hpp).
#include "engine/esco.hpp"

#include <string_view>
#include <unordered_map>

namespace jobzen::engine {
namespace {

std::vector<std::string> Lines(const std::string& cell) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t nl = cell.find('\n', start);
    if (nl == std::string::npos) nl = cell.size();
    std::string line = cell.substr(start, nl - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) out.push_back(std::move(line));
    start = nl + 1;
  }
  return out;
}

// Column index by header name, or -1.
int Column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

struct Table {
  std::vector<std::vector<std::string>> rows;
  std::unordered_map<std::string, int> col;
  const std::string& Cell(const std::vector<std::string>& row, const std::string& name) const {
    static const std::string kEmpty;
    const auto it = col.find(name);
    if (it == col.end() || it->second < 0 || static_cast<std::size_t>(it->second) >= row.size()) return kEmpty;
    return row[static_cast<std::size_t>(it->second)];
  }
};

Result<Table> Load(std::string_view role, const std::string& csv, std::initializer_list<const char*> required) {
  Table t;
  t.rows = ParseCsv(csv);
  if (t.rows.empty()) return Error{"esco_invalid", std::string(role) + ": empty file"};
  const std::vector<std::string> header = t.rows.front();
  t.rows.erase(t.rows.begin());
  for (const char* name : required) {
    const int c = Column(header, name);
    if (c < 0) return Error{"esco_invalid", std::string(role) + ": missing column " + name};
    t.col.emplace(name, c);
  }
  for (const char* name : {"altLabels", "iscoGroup", "skillType", "reuseLevel"}) {
    t.col.emplace(name, Column(header, name));
  }
  return t;
}

}  // namespace

std::vector<std::vector<std::string>> ParseCsv(std::string_view csv) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  bool any = false;
  std::size_t i = 0;
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // BOM
  for (; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (any || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<EscoData> ParseEsco(const EscoFiles& files) {
  EscoData data;
  const auto skills_en = Load("skills_en", files.skills_en, {"conceptUri", "preferredLabel"});
  if (!skills_en) return skills_en.error();
  std::unordered_map<std::string, std::size_t> skill_at;
  for (const auto& row : skills_en->rows) {
    EscoConcept c;
    c.uri = skills_en->Cell(row, "conceptUri");
    if (c.uri.empty()) continue;
    c.en = skills_en->Cell(row, "preferredLabel");
    c.alt_en = Lines(skills_en->Cell(row, "altLabels"));
    c.skill_type = skills_en->Cell(row, "skillType");
    c.reuse_level = skills_en->Cell(row, "reuseLevel");
    skill_at.emplace(c.uri, data.skills.size());
    data.skills.push_back(std::move(c));
  }
  if (!files.skills_fr.empty()) {
    const auto fr = Load("skills_fr", files.skills_fr, {"conceptUri", "preferredLabel"});
    if (!fr) return fr.error();
    for (const auto& row : fr->rows) {
      const auto it = skill_at.find(fr->Cell(row, "conceptUri"));
      if (it == skill_at.end()) continue;
      data.skills[it->second].fr = fr->Cell(row, "preferredLabel");
      data.skills[it->second].alt_fr = Lines(fr->Cell(row, "altLabels"));
    }
  }
  const auto occ_en = Load("occupations_en", files.occupations_en, {"conceptUri", "preferredLabel", "iscoGroup"});
  if (!occ_en) return occ_en.error();
  std::unordered_map<std::string, std::size_t> occ_at;
  for (const auto& row : occ_en->rows) {
    EscoOccupation o;
    o.uri = occ_en->Cell(row, "conceptUri");
    if (o.uri.empty()) continue;
    o.isco = occ_en->Cell(row, "iscoGroup");
    o.en = occ_en->Cell(row, "preferredLabel");
    o.alt_en = Lines(occ_en->Cell(row, "altLabels"));
    occ_at.emplace(o.uri, data.occupations.size());
    data.occupations.push_back(std::move(o));
  }
  if (!files.occupations_fr.empty()) {
    const auto fr = Load("occupations_fr", files.occupations_fr, {"conceptUri", "preferredLabel"});
    if (!fr) return fr.error();
    for (const auto& row : fr->rows) {
      const auto it = occ_at.find(fr->Cell(row, "conceptUri"));
      if (it == occ_at.end()) continue;
      data.occupations[it->second].fr = fr->Cell(row, "preferredLabel");
      data.occupations[it->second].alt_fr = Lines(fr->Cell(row, "altLabels"));
    }
  }
  if (!files.skill_broader.empty()) {
    const auto br = Load("skill_broader", files.skill_broader, {"conceptUri", "broaderUri"});
    if (!br) return br.error();
    for (const auto& row : br->rows) {
      data.skill_broader.emplace_back(br->Cell(row, "conceptUri"), br->Cell(row, "broaderUri"));
    }
  }
  return data;
}

}  // namespace jobzen::engine
