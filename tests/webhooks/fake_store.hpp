// An in-memory Store with just the webhook and outbox methods the worker uses, holding the
// same contract as the real one (per-candidate order in DueEvents); every other method fails
// with "unsupported". Thread-safe, as Store requires.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "store/store.hpp"

namespace jobzen::testing {

class FakeStore : public store::Store {
 public:
  void SetWebhook(const store::Webhook& hook) {
    std::lock_guard lock(mu_);
    hooks_[hook.partner_id] = hook;
  }
  std::vector<store::DeliveryAttempt> Attempts() const {
    std::lock_guard lock(mu_);
    return attempts_;
  }
  std::vector<store::OutboxEvent> Events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

  Result<std::optional<store::Webhook>> GetWebhook(std::int64_t partner_id) override {
    std::lock_guard lock(mu_);
    auto it = hooks_.find(partner_id);
    if (it == hooks_.end()) return std::optional<store::Webhook>{};
    return std::optional<store::Webhook>{it->second};
  }
  Result<store::OutboxEvent> Enqueue(const store::OutboxEvent& event) override {
    std::lock_guard lock(mu_);
    store::OutboxEvent e = event;
    e.seq = ++last_seq_;
    if (e.event_id.empty()) e.event_id = "msg_" + std::to_string(e.seq);
    e.status = "pending";
    events_.push_back(e);
    return e;
  }
  Result<std::vector<store::OutboxEvent>> DueEvents(std::int64_t now_ms, std::size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<store::OutboxEvent> due;
    for (const store::OutboxEvent& e : Heads()) {
      if (e.next_attempt_ms <= now_ms && due.size() < limit) due.push_back(e);
    }
    return due;
  }
  Result<std::optional<std::int64_t>> NextDue() override {
    std::lock_guard lock(mu_);
    std::optional<std::int64_t> next;
    for (const store::OutboxEvent& e : Heads()) {
      if (!next || e.next_attempt_ms < *next) next = e.next_attempt_ms;
    }
    return next;
  }
  Result<store::Ok> RecordAttempt(const store::DeliveryAttempt& attempt, const store::AttemptOutcome& outcome) override {
    std::lock_guard lock(mu_);
    auto it = std::find_if(events_.begin(), events_.end(), [&](const auto& e) { return e.seq == attempt.seq; });
    if (it == events_.end()) return Error{"not_found", "no such event"};
    attempts_.push_back(attempt);
    ++it->attempts;
    using Next = store::AttemptOutcome::Next;
    it->status = outcome.next == Next::kDelivered ? "delivered" : outcome.next == Next::kFailed ? "failed" : "pending";
    if (outcome.next == Next::kRetry) it->next_attempt_ms = outcome.retry_at_ms;
    return store::Ok{};
  }
  Result<std::vector<store::DeliveryAttempt>> ListAttempts(std::int64_t, std::size_t) override { return Unsupported(); }
  Result<std::vector<store::OutboxEvent>> ListEvents(std::int64_t, std::size_t) override { return Unsupported(); }

  // --- Not used by webhooks/ ---
  Result<store::CreatedPartner> CreatePartner(const store::NewPartner&) override { return Unsupported(); }
  Result<store::CreatedPartner> CreateKey(std::int64_t, bool) override { return Unsupported(); }
  Result<std::vector<store::PartnerSummary>> ListPartners() override { return Unsupported(); }
  Result<store::Ok> RevokeKey(std::int64_t) override { return Unsupported(); }
  Result<std::optional<store::Principal>> Authenticate(std::string_view) override { return Unsupported(); }
  Result<std::int64_t> QuotaUsed(std::int64_t, std::string_view, bool) override { return Unsupported(); }
  Result<bool> ReserveQuota(std::int64_t, std::string_view, bool, std::int64_t) override { return Unsupported(); }
  Result<store::Ok> ReleaseQuota(std::int64_t, std::string_view, bool) override { return Unsupported(); }
  Result<store::Ok> AddUsage(const std::vector<store::UsageDelta>&) override { return Unsupported(); }
  Result<std::vector<store::UsageDay>> Usage(std::int64_t, bool, std::string_view, std::string_view) override {
    return Unsupported();
  }
  Result<std::optional<store::CandidateProfile>> FindCandidate(std::int64_t, std::string_view) override {
    return Unsupported();
  }
  Result<bool> DissociateCandidate(std::int64_t, std::string_view, std::string_view) override { return Unsupported(); }
  Result<store::Invitation> CreateInvitation(const store::NewInvitation&, std::string_view) override {
    return Unsupported();
  }
  Result<std::vector<store::Invitation>> ListInvitations(std::int64_t, std::string_view, std::size_t) override {
    return Unsupported();
  }
  Result<store::Invitation> RevokeInvitation(std::int64_t, std::string_view, std::string_view) override {
    return Unsupported();
  }
  Result<std::optional<store::InvitationView>> FindInvitationByCode(std::string_view, std::string_view) override {
    return Unsupported();
  }
  Result<store::ManagedCandidate> LinkCandidate(const store::LinkRequest&) override { return Unsupported(); }
  Result<std::optional<store::ManagedCandidate>> FindByManageToken(std::string_view) override { return Unsupported(); }
  Result<store::ManagedCandidate> ReplaceProfile(std::string_view, const store::StoredProfile&, std::string_view) override {
    return Unsupported();
  }
  Result<bool> DissociateByToken(std::string_view, std::string_view) override { return Unsupported(); }
  Result<std::pair<store::Webhook, bool>> PutWebhook(std::int64_t, std::string_view, const std::vector<std::string>&,
                                                     std::string_view, std::string_view) override {
    return Unsupported();
  }
  Result<store::Webhook> RotateWebhookSecret(std::int64_t, std::string_view, std::string_view, std::string_view) override {
    return Unsupported();
  }
  Result<bool> DeleteWebhook(std::int64_t) override { return Unsupported(); }
  Result<std::optional<store::IdempotentResponse>> FindIdempotent(std::int64_t, std::string_view) override {
    return Unsupported();
  }
  Result<store::Ok> SaveIdempotent(std::int64_t, std::string_view, const store::IdempotentResponse&,
                                   std::string_view) override {
    return Unsupported();
  }
  Result<std::int64_t> ReencryptAll() override { return Unsupported(); }
  Result<store::Ok> Ping() override { return store::Ok{}; }

 private:
  static Error Unsupported() { return Error{"unsupported", "not in the fake store"}; }
  // The oldest pending event of each (partner, ref), in seq order (mu_ held).
  std::vector<store::OutboxEvent> Heads() const {
    std::vector<store::OutboxEvent> heads;
    std::set<std::pair<std::int64_t, std::string>> seen;
    for (const store::OutboxEvent& e : events_) {
      if (e.status == "pending" && seen.insert({e.partner_id, e.ref}).second) heads.push_back(e);
    }
    return heads;
  }

  mutable std::mutex mu_;
  std::map<std::int64_t, store::Webhook> hooks_;
  std::vector<store::OutboxEvent> events_;
  std::vector<store::DeliveryAttempt> attempts_;
  std::int64_t last_seq_ = 0;
};

}  // namespace jobzen::testing
