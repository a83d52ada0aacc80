// SPDX-License-Identifier: Apache-2.0
// One line per event to stderr and to syslog (facility daemon, ident "ipres").
// Lines are written with a single write() so concurrent invocations never
// interleave within a line.
#pragma once

#include <stddef.h>

namespace ipres {

enum class LogLevel { kError = 3, kWarning = 4, kInfo = 6 };

// stderr is always written; syslog is tried on every line and silently
// skipped when no syslog daemon listens (a test namespace, early boot).
void Log(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Tests and lkping turn the syslog copy off.
void SetSyslogEnabled(bool enabled);

// While a LogHold lives, Log() keeps its lines here, in order, instead of
// writing them: a periodic check's steps wait for its verdict, which emits
// them (a failure) or drops them (all is well). A fixed buffer, no heap: a
// line that does not fit emits what is held and ends the holding, so a line
// is never lost, at worst logged when it could have been dropped. Holds
// nest: what an inner one emits goes to the outer one.
class LogHold {
 public:
  LogHold();
  ~LogHold();  // drops what is still held
  LogHold(const LogHold&) = delete;
  LogHold& operator=(const LogHold&) = delete;

  // Where Emit writes the held lines: as Log would have, or to stderr only
  // (an answer the caller asked for, which syslog need not keep).
  enum class To { kStderrAndSyslog, kStderrOnly };
  // Writes the held lines, and holds no more.
  void Emit(To to = To::kStderrAndSyslog);
  // Forgets the held lines, and holds no more.
  void Drop();
  // Log's side: false when this hold cannot keep the line (it then emitted
  // what it held and holds no more).
  bool Keep(LogLevel level, const char* text, size_t len);

 private:
  static constexpr size_t kCapacity = 3072;
  void Release();
  // Each line: its level's byte, its text, a NUL.
  char held_[kCapacity];
  size_t used_ = 0;
  bool holding_ = true;
  LogHold* outer_;
};

}  // namespace ipres
