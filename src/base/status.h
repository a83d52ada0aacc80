// SPDX-License-Identifier: Apache-2.0
// Errors as values, in the shape of Pigweed's pw_status/pw_result: a Status is
// either OK or an errno (0 when none applies) with a human-readable context
// naming what failed and on what. Neither type may be silently dropped.
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
  // For the rare caller that has decided a failure changes nothing.
  void IgnoreError() const {}

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
  const T& value() const { return value_; }
  T& value() { return value_; }

 private:
  T value_{};
  Status status_;
};

}  // namespace ipres
