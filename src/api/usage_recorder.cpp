// UsageRecorder: a map of pending counters swapped out and written on each flush.
#include "api/usage_recorder.hpp"

#include <vector>

namespace jobzen::api {

void UsageRecorder::Record(std::int64_t partner_id, bool sandbox, const std::string& day, std::string_view endpoint,
                           int status) {
  std::lock_guard lock(mu_);
  ++pending_[Key{partner_id, sandbox, day, std::string(endpoint), status}];
}

Result<store::Ok> UsageRecorder::Flush() {
  std::lock_guard flush_lock(flush_mu_);
  std::map<Key, std::int64_t> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return store::Ok{};
  std::vector<store::UsageDelta> deltas;
  deltas.reserve(batch.size());
  for (const auto& [k, n] : batch) {
    deltas.push_back({std::get<0>(k), std::get<2>(k), std::get<3>(k), std::get<4>(k), std::get<1>(k), n});
  }
  auto r = store_.AddUsage(deltas);
  if (!r) {
    std::lock_guard lock(mu_);
    for (const auto& [k, n] : batch) pending_[k] += n;
  }
  return r;
}

}  // namespace jobzen::api
