// Tests of ExtractPdfText and LooksLikePdf on fixtures written by tests/tools/make_pdf (one and
// two columns, scans, blank and encrypted files) and on real CVs from the shared data.
#include "ingest/pdf.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace jobzen::ingest {
namespace {

namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path Fixture(std::string_view name) { return fs::path(JOBZEN_BINARY_DIR) / "fixtures" / name; }
fs::path Shared(std::string_view rel) { return fs::path(JOBZEN_SHARED_DIR) / "data" / rel; }
fs::path Source(std::string_view name) {
  return fs::path(JOBZEN_SOURCE_DIR) / "tests" / "data" / "pdf" / name;
}

// Runs of white space become one space: sentences wrapped over lines compare as written.
std::string Squeeze(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The text lines of a make_pdf source: headings lose their "# ", blank lines go.
std::vector<std::string> SourceLines(std::string_view name) {
  std::vector<std::string> lines;
  std::istringstream in(ReadBytes(Source(name)));
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    lines.push_back(line.rfind("# ", 0) == 0 ? line.substr(2) : line);
  }
  return lines;
}

// Fails with the name of the first phrase missing or out of order.
void ExpectInOrder(const std::string& text, const std::vector<std::string>& phrases,
                   std::string_view what) {
  std::size_t from = 0;
  for (const std::string& phrase : phrases) {
    const std::size_t at = text.find(phrase, from);
    ASSERT_NE(at, std::string::npos) << what << ": missing or out of order: " << phrase;
    from = at + phrase.size();
  }
}

Result<PdfText> ExtractFixture(std::string_view name, const PdfLimits& limits = {}) {
  const fs::path path = Fixture(name);
  if (!fs::exists(path)) ADD_FAILURE() << "fixture missing (build jobzen_fixtures): " << path;
  return ExtractPdfText(ReadBytes(path), limits);
}

TEST(LooksLikePdf, SignatureInTheFirstKilobyte) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"%PDF-1.4\n...", true},
      {"%PDF-2.0", true},
      {std::string(1000, ' ') + "%PDF-1.7", true},
      {std::string(1100, ' ') + "%PDF-1.7", false},
      {"", false},
      {"%PDF", false},
      {"PK\x03\x04 a zip file", false},
      {"Curriculum vitae %PDF-", true},
  };
  for (const auto& [bytes, want] : cases) {
    EXPECT_EQ(LooksLikePdf(bytes), want) << "input of " << bytes.size() << " bytes";
  }
}

TEST(ExtractPdfText, OneColumnEnglishKeepsSentencesInOrder) {
  const Result<PdfText> got = ExtractFixture("cv_en_one_column.pdf");
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(got->pages, 2);
  EXPECT_EQ(got->two_column_pages, 0);
  EXPECT_EQ(got->image_only_pages, 0);
  EXPECT_EQ(got->empty_pages, 0);
  ExpectInOrder(Squeeze(got->text),
                {"Daniel Whitmore", "Senior Backend Engineer",
                 "daniel.whitmore@example.org - +44 7700 900123",
                 "Backend engineer with nine years of experience building payment, logistics and "
                 "data platforms in Go, Java and Python.",
                 "Designed the settlement service that reconciles two million card transactions "
                 "per day, written in Go with PostgreSQL and Kafka.",
                 "Backend Developer - Greenway Logistics, Manchester (June 2017 - February 2021)",
                 "Supported the council tax web application written in C# and ASP.NET.",
                 "Languages: Go, Java, Python, SQL, some C# and TypeScript.",
                 "AWS Certified Solutions Architect - Associate (2022).",
                 "English: native. French: professional working proficiency (B2).",
                 "Available on request."},
                "cv_en_one_column");
  // Lines of the first page come before the page break, which is a blank line.
  EXPECT_NE(got->text.find("\n\n"), std::string::npos);
  EXPECT_EQ(got->text.find("\n\n\n"), std::string::npos);
}

TEST(ExtractPdfText, OneColumnFrenchKeepsAccents) {
  const Result<PdfText> got = ExtractFixture("cv_fr_one_column.pdf");
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(got->pages, 1);
  EXPECT_EQ(got->two_column_pages, 0);
  ExpectInOrder(Squeeze(got->text),
                {"Hélène Marchand", "Ingénieure qualité et sécurité alimentaire",
                 "J’aime le travail de terrain", "45 000 € brut annuels",
                 "Crêperie Industrielle de l’Erdre", "farine, œufs, beurre et chocolat",
                 "Diplôme d’ingénieur en agroalimentaire", "Français : langue maternelle",
                 "Centres d’intérêt", "Pâtisserie, randonnée en montagne"},
                "cv_fr_one_column");
}

struct TwoColumnCase {
  std::string_view pdf;
  std::string_view left_source;
  std::string_view right_source;
};

TEST(ExtractPdfText, TwoColumnsReadLeftThenRight) {
  const std::vector<TwoColumnCase> cases = {
      {"cv_fr_two_columns.pdf", "cv_fr_two_columns_left.txt", "cv_fr_two_columns_right.txt"},
      {"cv_en_two_columns.pdf", "cv_en_two_columns_left.txt", "cv_en_two_columns_right.txt"},
  };
  for (const TwoColumnCase& c : cases) {
    SCOPED_TRACE(c.pdf);
    const Result<PdfText> got = ExtractFixture(c.pdf);
    ASSERT_TRUE(got.ok()) << got.error().detail;
    EXPECT_EQ(got->pages, 1);
    EXPECT_EQ(got->two_column_pages, 1);
    const std::vector<std::string> left = SourceLines(c.left_source);
    const std::vector<std::string> right = SourceLines(c.right_source);
    // The sidebar's lines are short: each comes out whole, one after the other, with no line
    // of the right column between them.
    std::string left_block;
    for (const std::string& line : left) left_block += line + "\n";
    left_block.pop_back();
    const std::size_t left_at = got->text.find(left_block);
    EXPECT_NE(left_at, std::string::npos) << "sidebar not contiguous:\n" << got->text;
    // The right column wraps: compare it with white space squeezed, after the whole sidebar.
    std::string right_block;
    for (const std::string& line : right) right_block += line + " ";
    const std::string squeezed = Squeeze(got->text);
    const std::size_t right_at = squeezed.find(Squeeze(right_block));
    EXPECT_NE(right_at, std::string::npos) << "main column not contiguous:\n" << got->text;
    EXPECT_LT(squeezed.find(Squeeze(left_block)), right_at);
    EXPECT_NE(got->text.find("\n\n" + right.front()), std::string::npos)
        << "a blank line separates the columns";
  }
}

TEST(ExtractPdfText, FrenchTwoColumnsKeepAccents) {
  const Result<PdfText> got = ExtractFixture("cv_fr_two_columns.pdf");
  ASSERT_TRUE(got.ok()) << got.error().detail;
  for (const std::string_view phrase :
       {"COMPÉTENCES", "Rédaction de cahiers des charges", "Italien : intermédiaire (B1)",
        "Écoute et diplomatie", "Sens de l’organisation", "Théâtre d’improvisation",
        "EXPÉRIENCE PROFESSIONNELLE", "Mutuelle Rhône-Alpes Santé", "850 000 €",
        "Agence Bérénice Numérique", "Université Lumière Lyon 2"}) {
    EXPECT_NE(got->text.find(phrase), std::string::npos) << phrase;
  }
}

TEST(ExtractPdfText, CountsScannedAndBlankPages) {
  const Result<PdfText> got = ExtractFixture("cv_en_with_scan_and_blank.pdf");
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(got->pages, 4);
  EXPECT_EQ(got->image_only_pages, 1);
  EXPECT_EQ(got->empty_pages, 1);
  EXPECT_EQ(got->two_column_pages, 0);
  EXPECT_NE(got->text.find("Daniel Whitmore"), std::string::npos);
  EXPECT_FALSE(got->text.ends_with("\n"));
}

// A PDF built from its objects, with a correct cross-reference table.
std::string MinimalPdf(const std::vector<std::string>& objects) {
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t off : offsets) {
    const std::string n = std::to_string(off);
    out += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

struct ErrorCase {
  std::string name;
  std::string bytes;
  PdfLimits limits;
  std::string code;
  std::vector<std::string> detail_mentions;  // any one of them
};

TEST(ExtractPdfText, ErrorsNameTheReasonWithoutQuotingThePdf) {
  const std::string one_column = ReadBytes(Fixture("cv_en_one_column.pdf"));
  const std::string canva = ReadBytes(Shared("fr_canva_cv_pdfs/CV_3.pdf"));
  ASSERT_FALSE(one_column.empty());
  const std::vector<ErrorCase> cases = {
      {"encrypted", ReadBytes(Fixture("encrypted.pdf")), {}, "cv_unreadable",
       {"encrypted", "password"}},
      {"truncated", one_column.substr(0, one_column.size() / 2), {}, "cv_unreadable", {"corrupt"}},
      {"truncated, end marker added", one_column.substr(0, 3000) + "\n%%EOF\n", {}, "cv_unreadable",
       {"corrupt"}},
      {"truncated real cv", canva.substr(0, canva.size() / 3), {}, "cv_unreadable", {"corrupt"}},
      {"garbage after the signature", "%PDF-1.4\nnot really a pdf\n%%EOF\n", {}, "cv_unreadable",
       {"corrupt"}},
      {"not a pdf", "Jane Doe, nurse, jane@example.org", {}, "cv_unreadable", {"not a PDF"}},
      {"image only", ReadBytes(Fixture("image_only.pdf")), {}, "cv_unreadable",
       {"scanned", "image"}},
      {"empty page", ReadBytes(Fixture("empty.pdf")), {}, "cv_unreadable", {"no text"}},
      {"no pages",
       MinimalPdf({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}),
       {}, "cv_unreadable", {"no pages"}},
      {"over max_bytes", one_column, PdfLimits{.max_bytes = 1000}, "payload_too_large", {"limit"}},
      {"over max_pages", one_column, PdfLimits{.max_pages = 1}, "cv_unreadable", {"too many pages"}},
      {"text over max_text_bytes", one_column, PdfLimits{.max_text_bytes = 500}, "cv_unreadable",
       {"too long"}},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    if (c.bytes.empty()) {
      ADD_FAILURE() << "input missing (fixture or shared file)";
      continue;
    }
    const Result<PdfText> got = ExtractPdfText(c.bytes, c.limits);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().code, c.code);
    const std::string& detail = got.error().detail;
    EXPECT_TRUE(std::any_of(c.detail_mentions.begin(), c.detail_mentions.end(),
                            [&](const std::string& m) { return detail.find(m) != std::string::npos; }))
        << detail;
    for (const std::string_view secret :
         {"Whitmore", "Backend", "example.org", "GUÉRIN", "Valentine", "Jane"}) {
      EXPECT_EQ(detail.find(secret), std::string::npos) << detail;
    }
  }
}

TEST(ExtractPdfText, LimitsAtTheBoundaryPass) {
  const std::string one_column = ReadBytes(Fixture("cv_en_one_column.pdf"));
  const Result<PdfText> got = ExtractPdfText(
      one_column, PdfLimits{.max_bytes = one_column.size(), .max_pages = 2, .max_text_bytes = 1 << 20});
  ASSERT_TRUE(got.ok()) << got.error().detail;
  const Result<PdfText> exact = ExtractPdfText(
      one_column, PdfLimits{.max_bytes = one_column.size(), .max_pages = 2,
                            .max_text_bytes = got->text.size()});
  EXPECT_TRUE(exact.ok());
}

TEST(ExtractPdfText, TwoPageFixtureHasTwoPages) {
  // Speed is measured by bench/engine_bench (BM_AnalyzePdfTwoPages), not here.
  const Result<PdfText> got = ExtractPdfText(ReadBytes(Fixture("cv_en_one_column.pdf")));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->pages, 2);
}

TEST(ExtractPdfText, ConcurrentCallsAgreeWithSequentialOnes) {
  const std::vector<std::string> names = {"cv_en_one_column.pdf", "cv_fr_one_column.pdf",
                                          "cv_fr_two_columns.pdf", "cv_en_two_columns.pdf",
                                          "cv_en_with_scan_and_blank.pdf", "image_only.pdf"};
  std::vector<std::string> inputs, want;
  for (const std::string& name : names) {
    inputs.push_back(ReadBytes(Fixture(name)));
    const Result<PdfText> r = ExtractPdfText(inputs.back());
    want.push_back(r.ok() ? r->text : r.error().detail);
  }
  std::vector<std::future<std::string>> runs;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& bytes : inputs) {
      runs.push_back(std::async(std::launch::async, [&bytes] {
        const Result<PdfText> r = ExtractPdfText(bytes);
        return r.ok() ? r->text : r.error().detail;
      }));
    }
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].get(), want[i % inputs.size()]) << names[i % inputs.size()];
  }
}

// Real Canva CVs (French, one page, sidebar layouts). pdftotext -layout interleaves the two
// columns line by line; the extractor must give each column's sentences whole.
TEST(ExtractPdfText, RealCanvaCvsAreReadColumnByColumn) {
  if (!fs::exists(Shared("fr_canva_cv_pdfs/CV_1.pdf"))) GTEST_SKIP() << "shared data missing";
  for (int i = 1; i <= 9; ++i) {
    const std::string name = "fr_canva_cv_pdfs/CV_" + std::to_string(i) + ".pdf";
    SCOPED_TRACE(name);
    const Result<PdfText> got = ExtractPdfText(ReadBytes(Shared(name)));
    ASSERT_TRUE(got.ok()) << got.error().detail;
    EXPECT_EQ(got->pages, 1);
    EXPECT_EQ(got->two_column_pages, 1);
    EXPECT_GT(got->text.size(), 500u);
  }
  struct Sentences {
    std::string_view file;
    std::vector<std::string> in_order;
  };
  const std::vector<Sentences> cases = {
      {"fr_canva_cv_pdfs/CV_1.pdf",
       {"J'appartiens à la génération numérique et maitrise les outils et technologies des "
        "réseaux sociaux, avec des résultats prouvés lorsqu'il s'agit de crée et mettre en place "
        "une bonne stratégies marketing sur réseau sociaux",
        "Instagram : @sitevraimentsuper", "MARION NAUDIN",
        "- Gestion de campagnes en ligne pour divers clients, gestion effective de l'image et de "
        "l'engagement de la marque - Augmentation de 50 % du trafic sur les réseaux sociaux"}},
      {"fr_canva_cv_pdfs/CV_3.pdf",
       {"VALENTINE GUÉRIN", "- Mécanisme souple appliqué aux RH",
        "Contribue à la planification organisationnelle", "Généraliste en ressources humaines",
        "PROFIL Je suis une specialiste en ressources humaines avec plus de 5 ans d'expérience "
        "dans le recrutement, la mise en œuvre de programmes, les systèmes techniques et "
        "l'analytique du personnel.",
        "Téléphone : 04 70 45 67 89 E-mail : bonjour@sitevraimentsuper.fr"}},
  };
  for (const Sentences& c : cases) {
    const Result<PdfText> got = ExtractPdfText(ReadBytes(Shared(c.file)));
    ASSERT_TRUE(got.ok()) << got.error().detail;
    ExpectInOrder(Squeeze(got->text), c.in_order, c.file);
  }
}

// Awesome-CV (LaTeX, English): right-aligned dates and places, and skill tables, are rows read
// across, not columns.
TEST(ExtractPdfText, RealLatexCvsKeepTableRowsTogether) {
  if (!fs::exists(Shared("latex_cv_pdfs_en/awesome-cv/resume.pdf"))) {
    GTEST_SKIP() << "shared data missing";
  }
  struct Case {
    std::string_view file;
    int pages;
    std::vector<std::string> in_order;
  };
  const std::vector<Case> cases = {
      {"latex_cv_pdfs_en/awesome-cv/resume.pdf", 3, {"Summary", "Experience"}},
      {"latex_cv_pdfs_en/awesome-cv/cv.pdf", 5,
       {"DevOps AWS, Docker, Kubernetes, Rancher, Vagrant, Packer, Terraform, Jenkins, CircleCI",
        "Danggeun Pay Inc. (KarrotPay) Seoul, S.Korea",
        "2020 Finalist, DEFCON 28th CTF Hacking Competition World Final Las Vegas, U.S.A"}},
      {"latex_cv_pdfs_en/awesome-cv/coverletter.pdf", 1, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const Result<PdfText> got = ExtractPdfText(ReadBytes(Shared(c.file)));
    ASSERT_TRUE(got.ok()) << got.error().detail;
    EXPECT_EQ(got->pages, c.pages);
    EXPECT_EQ(got->two_column_pages, 0);
    EXPECT_GT(got->text.size(), 1000u);
    ExpectInOrder(Squeeze(got->text), c.in_order, c.file);
  }
}

}  // namespace
}  // namespace jobzen::ingest
