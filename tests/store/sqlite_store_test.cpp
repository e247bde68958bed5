// SqliteStore on a temporary file: partners and keys (hashed, revocable), quota reservation
// (atomic under concurrency), usage aggregates, migrations on reopen, DSN handling.
#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using namespace jobzen::store;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "jobzen-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = OpenStore("sqlite:" + (dir_ / "var" / "jobzen.db").string());
    ASSERT_TRUE(s) << s.error().detail;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string ReadDb() {
    std::ifstream in(dir_ / "var" / "jobzen.db", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::ifstream wal((dir_ / "var" / "jobzen.db").string() + "-wal", std::ios::binary);
    ss << wal.rdbuf();
    return ss.str();
  }
  fs::path dir_;
  std::unique_ptr<Store> store_;
};

TEST(Keys, ShapeAndHash) {
  const std::string sbx = GenerateKey(true);
  const std::string live = GenerateKey(false);
  EXPECT_EQ(sbx.size(), 36u);
  EXPECT_EQ(sbx.rfind("SBX_", 0), 0u);
  EXPECT_EQ(live.size(), 37u);
  EXPECT_EQ(live.rfind("LIVE_", 0), 0u);
  EXPECT_TRUE(LooksLikeKey(sbx));
  EXPECT_TRUE(LooksLikeKey(live));
  EXPECT_NE(GenerateKey(true), GenerateKey(true));
  for (const char* bad : {"", "SBX_", "SBX_abc", "LIVE_0000000000000000000000000000000!", "XYZ_00000000000000000000000000000000"}) {
    EXPECT_FALSE(LooksLikeKey(bad)) << bad;
  }
  EXPECT_EQ(HashKey("abc").size(), 32u);
  EXPECT_EQ(static_cast<unsigned char>(HashKey("abc")[0]), 0xba);  // SHA-256("abc") = ba7816bf...
}

TEST(Keys, GenerateCodeIsBase62OfTheRequestedLength) {
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{20}, std::size_t{32}, std::size_t{300}}) {
    const std::string code = GenerateCode(n);
    EXPECT_EQ(code.size(), n);
    EXPECT_EQ(code.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), std::string::npos);
  }
  EXPECT_EQ(GenerateCode().size(), 32u);
  EXPECT_NE(GenerateCode(), GenerateCode());
}

TEST(Tiers, OrderNamesAndQuotas) {
  EXPECT_LT(Tier::kBasic, Tier::kStandard);
  EXPECT_LT(Tier::kPremium, Tier::kEnterprise);
  for (const char* name : {"basic", "standard", "premium", "enterprise"}) EXPECT_EQ(TierName(*ParseTier(name)), name);
  EXPECT_FALSE(ParseTier("gold"));
  EXPECT_EQ(*DefaultMonthlyQuota(Tier::kBasic), 5000);
  EXPECT_EQ(*DefaultMonthlyQuota(Tier::kStandard), 25000);
  EXPECT_EQ(*DefaultMonthlyQuota(Tier::kPremium), 100000);
  EXPECT_FALSE(DefaultMonthlyQuota(Tier::kEnterprise));
}

TEST(Dsn, PostgresIsRejectedClearlyAndUnknownSchemesToo) {
  auto pg = OpenStore("postgresql://user:secret@db/jobzen");
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.error().code, "unsupported_dsn");
  EXPECT_EQ(pg.error().detail.find("secret"), std::string::npos);
  EXPECT_FALSE(OpenStore("mysql://x"));
  EXPECT_FALSE(OpenStore("sqlite:"));
}

TEST_F(SqliteStoreTest, CreateAuthenticateRevoke) {
  auto created = store_->CreatePartner({"Acme", Tier::kStandard, true, std::nullopt});
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_TRUE(LooksLikeKey(created->key_secret));
  EXPECT_TRUE(created->key.sandbox);
  EXPECT_EQ(created->partner.sandbox_quota, 1000);
  EXPECT_EQ(created->partner.monthly_quota, 25000);
  auto p = store_->Authenticate(created->key_secret);
  ASSERT_TRUE(p);
  ASSERT_TRUE(*p);
  EXPECT_EQ((*p)->partner.name, "Acme");
  EXPECT_EQ((*p)->partner.tier, Tier::kStandard);
  EXPECT_TRUE((*p)->sandbox);
  EXPECT_EQ((*p)->quota(), 1000);
  std::string wrong = created->key_secret;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(*store_->Authenticate(wrong));
  const std::string db = ReadDb();
  EXPECT_EQ(db.find(created->key_secret), std::string::npos) << "the key is never stored in clear";
  EXPECT_NE(db.find(HashKey(created->key_secret)), std::string::npos);

  auto second = store_->CreateKey(created->partner.id, false);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->key_secret.rfind("LIVE_", 0), 0u);
  ASSERT_TRUE(store_->RevokeKey(created->key.id));
  EXPECT_FALSE(*store_->Authenticate(created->key_secret));
  EXPECT_TRUE(*store_->Authenticate(second->key_secret));
  EXPECT_EQ(store_->RevokeKey(created->key.id).error().code, "not_found");
  auto list = store_->ListPartners();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  ASSERT_EQ((*list)[0].keys.size(), 2u);
  EXPECT_TRUE((*list)[0].keys[0].revoked);
  EXPECT_EQ((*list)[0].keys[0].hint.size(), 11u);  // "SBX_..." + 4
}

TEST_F(SqliteStoreTest, EnterpriseNeedsAQuota) {
  EXPECT_FALSE(store_->CreatePartner({"Big", Tier::kEnterprise, false, std::nullopt}));
  auto big = store_->CreatePartner({"Big", Tier::kEnterprise, false, 1000000});
  ASSERT_TRUE(big);
  EXPECT_EQ(big->partner.monthly_quota, 1000000);
  EXPECT_FALSE(store_->CreatePartner({"", Tier::kBasic, false, std::nullopt}));
}

TEST_F(SqliteStoreTest, QuotaReservationIsAtomicUnderConcurrency) {
  auto created = store_->CreatePartner({"Race", Tier::kBasic, false, 100});
  ASSERT_TRUE(created);
  const std::int64_t id = created->partner.id;
  std::atomic<int> taken{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto r = store_->ReserveQuota(id, "2026-11", false, 100);
        ASSERT_TRUE(r);
        (*r ? taken : refused)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(taken.load(), 100);
  EXPECT_EQ(refused.load(), 100);
  EXPECT_EQ(*store_->QuotaUsed(id, "2026-11", false), 100);
  EXPECT_EQ(*store_->QuotaUsed(id, "2026-11", true), 0) << "sandbox has its own counter";
  EXPECT_EQ(*store_->QuotaUsed(id, "2026-12", false), 0) << "a new month starts at 0";
  ASSERT_TRUE(store_->ReleaseQuota(id, "2026-11", false));
  EXPECT_EQ(*store_->QuotaUsed(id, "2026-11", false), 99);
  EXPECT_TRUE(*store_->ReserveQuota(id, "2026-11", false, 100));
  EXPECT_FALSE(*store_->ReserveQuota(id, "2026-11", false, 100));
  EXPECT_FALSE(*store_->ReserveQuota(id, "2026-10", false, 0)) << "a zero quota allows nothing";
}

TEST_F(SqliteStoreTest, UsageAggregatesByDayEndpointAndStatus) {
  auto created = store_->CreatePartner({"Usage", Tier::kBasic, false, std::nullopt});
  ASSERT_TRUE(created);
  const std::int64_t id = created->partner.id;
  ASSERT_TRUE(store_->AddUsage({{id, "2026-11-01", "match", 200, false, 3},
                                {id, "2026-11-01", "match", 422, false, 1},
                                {id, "2026-11-01", "status", 200, false, 2},
                                {id, "2026-11-03", "score", 200, false, 1},
                                {id, "2026-11-03", "score", 200, true, 5}}));
  ASSERT_TRUE(store_->AddUsage({{id, "2026-11-01", "match", 200, false, 2}}));
  auto days = store_->Usage(id, false, "2026-11-01", "2026-11-30");
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0].date, "2026-11-01");
  EXPECT_EQ((*days)[0].calls, 8);
  EXPECT_EQ((*days)[0].errors, 1);
  EXPECT_EQ((*days)[0].by_endpoint.at("match"), 6);
  EXPECT_EQ((*days)[1].calls, 1);
  EXPECT_EQ((*store_->Usage(id, true, "2026-11-01", "2026-11-30"))[0].calls, 5);
  EXPECT_TRUE(store_->Usage(id, false, "2026-11-02", "2026-11-02")->empty());
}

TEST_F(SqliteStoreTest, ReopenKeepsDataAndSchemaVersion) {
  auto created = store_->CreatePartner({"Persist", Tier::kPremium, false, std::nullopt});
  ASSERT_TRUE(created);
  store_.reset();
  auto again = OpenStore("sqlite://" + (dir_ / "var" / "jobzen.db").string());
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_TRUE(*(*again)->Authenticate(created->key_secret));
  EXPECT_TRUE((*again)->Ping());
  EXPECT_FALSE(*(*again)->FindCandidate(created->partner.id, "anyone"));
  EXPECT_EQ(SqliteStore::SchemaVersion(), 2);
}

}  // namespace
