// Result<T>: a value or an Error, for fallible operations in the engine, ingest and store.
// Usage:
//   Result<Pdf> r = Pdf::Parse(bytes);
//   if (!r) return r.error();          // Error{code, detail}
//   Use(*r);
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace jobzen {

// A failure with a stable machine code ("cv_unreadable", "pdf_encrypted"...) and a
// human-readable detail. The detail never quotes user content (CV text).
struct Error {
  std::string code;
  std::string detail;
  bool operator==(const Error&) const = default;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}         // NOLINT(google-explicit-constructor)

  explicit operator bool() const { return v_.index() == 0; }
  bool ok() const { return v_.index() == 0; }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace jobzen
