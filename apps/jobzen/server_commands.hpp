// Sub-commands of issue 4: the HTTP server and the operator commands over the store.
//   jobzen serve [--listen HOST:PORT] [--db DSN] ...     (jobzen serve --help)
//   jobzen partner create --db DSN --name NAME --tier TIER [--sandbox] [--quota N]
//   jobzen partner list --db DSN
//   jobzen key create PARTNER_ID --db DSN [--sandbox]
//   jobzen key revoke KEY_ID --db DSN
//   jobzen store reencrypt --db DSN
#pragma once

#include <memory>

#include "commands.hpp"
#include "store/store.hpp"

namespace jobzen::app {

int ServeCommand(const Args& args);
int PartnerCommand(const Args& args);
int KeyCommand(const Args& args);
int StoreCommand(const Args& args);

// Opens the store of --db (else $JOBZEN_DB, else sqlite:var/jobzen.db) with the master key of
// $JOBZEN_MASTER_KEY, else --master-key-file / $JOBZEN_MASTER_KEY_FILE, else master.key beside
// the database. Prints the error and returns null on failure.
std::unique_ptr<store::Store> OpenStoreOrReport(const Args& args);

// Boolean flags of these commands (main registers them with Args).
inline const char* const kServerBooleanFlags[] = {"--allow-private-urls", "--no-access-log", "--help"};

}  // namespace jobzen::app
