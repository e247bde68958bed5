// jobzen partner create|list, jobzen key create|revoke, jobzen store reencrypt: operator
// commands over the store.
// A key in clear is printed once, at creation, and never stored or logged.
#include <cstdlib>
#include <iostream>

#include "server_commands.hpp"
#include "store/store.hpp"

namespace jobzen::app {

namespace {

std::optional<std::int64_t> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

void PrintKey(const store::CreatedPartner& c) {
  std::cout << "partner_id: " << c.partner.id << "\n"
            << "key_id: " << c.key.id << "\n"
            << "sandbox: " << (c.key.sandbox ? "true" : "false") << "\n"
            << "api_key: " << c.key_secret << "\n";
  std::cerr << "jobzen: this key is shown only once; store it now (the database keeps only its hash)\n";
}

constexpr const char* kUsage =
    "usage:\n"
    "  jobzen partner create --db DSN --name NAME --tier basic|standard|premium|enterprise [--sandbox] [--quota N]\n"
    "  jobzen partner list --db DSN\n"
    "  jobzen key create PARTNER_ID --db DSN [--sandbox]\n"
    "  jobzen key revoke KEY_ID --db DSN\n"
    "  jobzen store reencrypt --db DSN   (after putting a new master key first in $JOBZEN_MASTER_KEY)\n"
    "DSN: sqlite:PATH (default sqlite:var/jobzen.db, or $JOBZEN_DB)\n"
    "Master key: $JOBZEN_MASTER_KEY, else --master-key-file PATH ($JOBZEN_MASTER_KEY_FILE), else\n"
    "master.key beside the database (created 0600 when missing); see docs/candidates.md\n";

}  // namespace

int PartnerCommand(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  if (pos[0] == "create") {
    const auto name = args.Get("--name");
    const auto tier = store::ParseTier(args.Get("--tier").value_or(""));
    if (!name || name->empty() || !tier) {
      std::cerr << "jobzen: partner create needs --name NAME and --tier basic|standard|premium|enterprise\n" << kUsage;
      return 2;
    }
    store::NewPartner request{*name, *tier, args.Has("--sandbox"), std::nullopt};
    if (auto q = args.Get("--quota")) {
      const auto n = ParseId(*q);
      if (!n) {
        std::cerr << "jobzen: --quota must be a whole number\n";
        return 2;
      }
      request.quota = *n;
    }
    auto s = OpenStoreOrReport(args);
    if (!s) return 1;
    auto created = s->CreatePartner(request);
    if (!created) {
      std::cerr << "jobzen: " << created.error().detail << "\n";
      return 1;
    }
    PrintKey(*created);
    return 0;
  }
  if (pos[0] == "list") {
    auto s = OpenStoreOrReport(args);
    if (!s) return 1;
    auto partners = s->ListPartners();
    if (!partners) {
      std::cerr << "jobzen: " << partners.error().detail << "\n";
      return 1;
    }
    // Tab-separated, one partner per line, its keys on the following indented lines.
    std::cout << "id\tname\ttier\tmonthly_quota\tsandbox_quota\tcreated_at\n";
    for (const auto& p : *partners) {
      std::cout << p.partner.id << "\t" << p.partner.name << "\t" << store::TierName(p.partner.tier) << "\t"
                << p.partner.monthly_quota << "\t" << p.partner.sandbox_quota << "\t" << p.partner.created_at << "\n";
      for (const auto& k : p.keys) {
        std::cout << "\tkey\t" << k.id << "\t" << k.hint << "\t" << (k.sandbox ? "sandbox" : "live") << "\t"
                  << (k.revoked ? "revoked" : "active") << "\t" << k.created_at << "\n";
      }
    }
    return 0;
  }
  std::cerr << kUsage;
  return 2;
}

int KeyCommand(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() != 2 || (pos[0] != "revoke" && pos[0] != "create")) {
    std::cerr << kUsage;
    return 2;
  }
  const auto id = ParseId(pos[1]);
  if (!id) {
    std::cerr << "jobzen: " << pos[0] << " needs a numeric id\n";
    return 2;
  }
  auto s = OpenStoreOrReport(args);
  if (!s) return 1;
  if (pos[0] == "create") {
    auto created = s->CreateKey(*id, args.Has("--sandbox"));
    if (!created) {
      std::cerr << "jobzen: " << created.error().detail << "\n";
      return 1;
    }
    PrintKey(*created);
    return 0;
  }
  auto r = s->RevokeKey(*id);
  if (!r) {
    std::cerr << "jobzen: " << r.error().detail << "\n";
    return 1;
  }
  std::cout << "key " << *id << " revoked\n";
  return 0;
}

int StoreCommand(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() != 1 || pos[0] != "reencrypt") {
    std::cerr << kUsage;
    return 2;
  }
  auto s = OpenStoreOrReport(args);
  if (!s) return 1;
  auto n = s->ReencryptAll();
  if (!n) {
    std::cerr << "jobzen: " << n.error().detail << "\n";
    return 1;
  }
  std::cout << "records re-sealed under the current master key: " << *n << "\n";
  return 0;
}

}  // namespace jobzen::app
