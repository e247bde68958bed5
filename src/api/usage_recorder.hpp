// Daily usage aggregates, counted in memory and written to the store in batches (one
// transaction per flush) so that recording a call costs no database write on the request path.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "engine/result.hpp"
#include "store/store.hpp"

namespace jobzen::api {

// Thread-safe.
class UsageRecorder {
 public:
  explicit UsageRecorder(store::Store& store) : store_(store) {}

  // Counts one call (day is YYYY-MM-DD, UTC).
  void Record(std::int64_t partner_id, bool sandbox, const std::string& day, std::string_view endpoint, int status);
  // Writes the pending counters. On a store error they are kept for the next flush.
  Result<store::Ok> Flush();

 private:
  using Key = std::tuple<std::int64_t, bool, std::string, std::string, int>;
  store::Store& store_;
  std::mutex mu_;          // guards pending_
  std::mutex flush_mu_;    // one flush at a time, so counts are never written twice
  std::map<Key, std::int64_t> pending_;
};

}  // namespace jobzen::api
