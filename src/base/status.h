// SPDX-License-Identifier: Apache-2.0
// Errors as values, in the shape of Pigweed's pw_status/pw_result: a Status is
// either OK or an errno (0 when none applies) with a human-readable context
// naming what failed and on what. Neither type may be silently dropped:
// a caller that has decided a failure changes nothing says why, in
// IgnoreError's argument.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace ipres {

class [[nodiscard]] Status {
 public:
  static constexpr size_t kMessageCapacity = 200;

  Status() = default;  // OK; spelled OkStatus() at call sites
  // Failure with an errno; the context is a printf format.
  static Status Errno(int err, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  // Failure without an errno (a check that did not pass, bad input).
  static Status Fail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

  bool ok() const { return !failed_; }
  int err() const { return err_; }
  // The context only, without the errno text.
  const char* context() const { return message_; }
  // The one way to drop a Status on purpose, for the rare caller that has
  // decided a failure changes nothing; `why` says so at the call.
  void IgnoreError(const char* why) const { (void)why; }

 private:
  static Status Failure(int err, const char* fmt, va_list ap);

  bool failed_ = false;
  int err_ = 0;
  char message_[kMessageCapacity] = {};
};

[[nodiscard]] inline Status OkStatus() {
  return Status();
}

// "context: errno text" (or the context alone when there is no errno; "ok"
// for OK), held in its own buffer so a log line needs no scratch array.
class StatusText {
 public:
  explicit StatusText(const Status& status);
  const char* c_str() const { return text_; }

 private:
  char text_[Status::kMessageCapacity + 64];
};

// Asking a failed Result for its value is a programming error: it writes
// "internal: ..." with the failure to stderr and traps, in every build (no
// exceptions here, and a default value read as real would be worse).
[[noreturn]] void TrapValueOfFailedResult(const Status& status);

// A value or the failed Status that explains why there is none. A Result never
// holds an OK Status without a value: building one from OkStatus() is a
// programming error and reads as a failure, never as a default value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : value_(value) {}  // NOLINT: implicit by design
  Result(const Status& status)               // NOLINT: implicit by design
      : status_(status.ok() ? Status::Fail("internal: Result built from an OK status") : status) {}

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // Only once ok(): see TrapValueOfFailedResult.
  const T& value() const {
    if (!ok()) TrapValueOfFailedResult(status_);
    return value_;
  }
  T& value() {
    if (!ok()) TrapValueOfFailedResult(status_);
    return value_;
  }

 private:
  T value_{};
  Status status_;
};

namespace status_internal {
inline const Status& StatusOf(const Status& status) {
  return status;
}
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}
}  // namespace status_internal

}  // namespace ipres

// As Pigweed's PW_TRY: evaluates `expr` (a Status or a Result) once and, when
// it failed, returns its Status from the enclosing function (which returns a
// Status or a Result). For a step whose failure is already logged and ends
// the caller as it is.
#define IPRES_TRY(expr)                                       \
  do {                                                        \
    const auto& ipres_try_result = (expr);                    \
    const ::ipres::Status& ipres_try_status =                 \
        ::ipres::status_internal::StatusOf(ipres_try_result); \
    if (!ipres_try_status.ok()) return ipres_try_status;      \
  } while (0)

// As Pigweed's PW_TRY_ASSIGN: evaluates `expr` (a Result) once; when it
// failed, returns its Status from the enclosing function, else assigns its
// value to `lhs` (a declaration such as `const Word word`, or a variable).
#define IPRES_TRY_ASSIGN(lhs, expr) \
  IPRES_TRY_ASSIGN_IMPL(IPRES_TRY_CONCAT(ipres_try_result_, __LINE__), lhs, expr)
#define IPRES_TRY_ASSIGN_IMPL(result, lhs, expr) \
  auto result = (expr);                          \
  if (!result.ok()) return result.status();      \
  lhs = result.value()
#define IPRES_TRY_CONCAT(a, b) IPRES_TRY_CONCAT_INNER(a, b)
#define IPRES_TRY_CONCAT_INNER(a, b) a##b
