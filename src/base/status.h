// Errors as values: a Status is either OK or an errno (0 when none applies)
// with a human-readable context naming what failed and on what.
#pragma once

#include <stddef.h>

namespace ipres {

class Status {
 public:
  static constexpr size_t kMessageCapacity = 200;

  Status() = default;  // OK
  static Status Ok() { return Status(); }
  // Failure with an errno; the context is a printf format.
  static Status Errno(int err, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  // Failure without an errno (a check that did not pass, bad input).
  static Status Fail(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

  bool ok() const { return !failed_; }
  int err() const { return err_; }
  // The context only, without the errno text.
  const char* context() const { return message_; }
  // "context: errno text" (or the context alone when there is no errno),
  // written into out; returns out.
  const char* Describe(char* out, size_t size) const;

 private:
  bool failed_ = false;
  int err_ = 0;
  char message_[kMessageCapacity] = {};
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(const T& value) : value_(value) {}          // NOLINT: implicit by design
  Result(const Status& status) : status_(status) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const { return value_; }
  T& value() { return value_; }

 private:
  T value_{};
  Status status_;
};

}  // namespace ipres
