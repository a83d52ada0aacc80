// One line per event to stderr and to syslog (facility daemon, ident "ipres").
// Lines are written with a single write() so concurrent invocations never
// interleave within a line.
#pragma once

namespace ipres {

enum class LogLevel { kError = 3, kWarning = 4, kInfo = 6 };

// stderr is always written; syslog is tried on every line and silently
// skipped when no syslog daemon listens (a test namespace, early boot).
void Log(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Tests and lkping turn the syslog copy off.
void SetSyslogEnabled(bool enabled);

}  // namespace ipres
