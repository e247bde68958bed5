// Tiers, their default quotas, and OpenStore: the DSN -> implementation switch.
#include "store/store.hpp"

#include "store/sqlite/sqlite_store.hpp"

namespace jobzen::store {

std::string_view TierName(Tier tier) {
  switch (tier) {
    case Tier::kBasic: return "basic";
    case Tier::kStandard: return "standard";
    case Tier::kPremium: return "premium";
    case Tier::kEnterprise: return "enterprise";
  }
  return "basic";
}

std::optional<Tier> ParseTier(std::string_view name) {
  for (const Tier t : {Tier::kBasic, Tier::kStandard, Tier::kPremium, Tier::kEnterprise}) {
    if (TierName(t) == name) return t;
  }
  return std::nullopt;
}

std::optional<std::int64_t> DefaultMonthlyQuota(Tier tier) {
  switch (tier) {
    case Tier::kBasic: return 5000;
    case Tier::kStandard: return 25000;
    case Tier::kPremium: return 100000;
    case Tier::kEnterprise: return std::nullopt;
  }
  return std::nullopt;
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view dsn, const MasterKeyOptions& keys) {
  if (dsn.rfind("sqlite:", 0) == 0) {
    std::string_view path = dsn.substr(7);
    if (path.rfind("//", 0) == 0) path.remove_prefix(2);
    if (path.empty()) return Error{"unsupported_dsn", "sqlite: DSN needs a file path (sqlite:var/jobzen.db)"};
    auto s = SqliteStore::Open(std::string(path), keys);
    if (!s) return s.error();
    return std::unique_ptr<Store>(std::move(*s));
  }
  if (dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0) {
    return Error{"unsupported_dsn",
                 "PostgreSQL storage is not available in this build yet; use sqlite:PATH (the embedded default)"};
  }
  return Error{"unsupported_dsn", "unknown database DSN: expected sqlite:PATH or postgresql://..."};
}

}  // namespace jobzen::store
