// Shared by the store tests: a temporary directory holding a SQLite store opened with known
// master keys, fixed RFC 3339 times, sample profiles, and raw reads of the database files.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/cipher.hpp"
#include "store/store.hpp"

namespace jobzen::store::testing {

namespace fs = std::filesystem;

// Master keys in both accepted forms (these are test keys, never used elsewhere).
inline const std::string kKeyA(64, 'a');  // hex
inline const std::string kKeyB = EncodeBase64(std::string(32, 'b'));

inline constexpr const char* kT0 = "2026-11-29T10:00:00Z";
inline constexpr const char* kT1 = "2026-11-29T11:00:00Z";
inline constexpr const char* kT2 = "2026-11-29T12:00:00Z";
inline constexpr const char* kNextWeek = "2026-12-06T10:00:00Z";

// The current time moved by `offset_seconds`, as RFC 3339 UTC (what FindIdempotent's clock
// compares with).
inline std::string RfcFromNow(std::int64_t offset_seconds) {
  const std::time_t t = std::time(nullptr) + offset_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

inline StoredProfile SampleProfile(std::string marker = "C++") {
  StoredProfile p;
  p.skills = {std::move(marker), "SQL"};
  p.positions = {"Backend developer"};
  p.relevant_job_titles = {"software developer"};
  p.languages = {{"en", "C1"}, {"fr", ""}};
  p.experience_years = 6;
  p.seniority = "senior";
  p.education_level = "master";
  p.certifications = {"CKA"};
  p.sectors = {"software"};
  p.profile_summary = "Builds services.";
  p.lang = "en";
  return p;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "jobzen-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    Reopen({kKeyA});
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string DbPath() const { return (dir_ / "var" / "jobzen.db").string(); }
  std::string Dsn() const { return "sqlite:" + DbPath(); }

  // Closes the store and opens it again with these master keys (first current).
  void Reopen(std::vector<std::string> keys) {
    store_.reset();
    auto s = OpenStore(Dsn(), MasterKeyOptions{std::move(keys), ""});
    ASSERT_TRUE(s) << s.error().detail;
    store_ = std::move(*s);
  }

  std::int64_t NewPartner(const std::string& name) {
    auto created = store_->CreatePartner({name, Tier::kBasic, true, std::nullopt});
    EXPECT_TRUE(created) << created.error().detail;
    return created ? created->partner.id : 0;
  }

  // Links `ref` through a fresh invitation at kT0; returns the manage token.
  std::string Link(std::int64_t partner, const std::string& ref, std::optional<StoredProfile> profile) {
    const std::string code = GenerateCode();
    auto inv = store_->CreateInvitation({partner, ref, code, kNextWeek}, kT0);
    EXPECT_TRUE(inv) << inv.error().detail;
    const std::string token = GenerateCode();
    auto linked = store_->LinkCandidate({code, kT0, std::move(profile), token});
    EXPECT_TRUE(linked) << linked.error().detail;
    return token;
  }

  // The raw bytes of the database, its WAL and its shared-memory index, concatenated.
  std::string ReadDbFiles() const {
    std::ostringstream ss;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::ifstream in(DbPath() + suffix, std::ios::binary);
      ss << in.rdbuf();
    }
    return ss.str();
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace jobzen::store::testing
