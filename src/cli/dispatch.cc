// SPDX-License-Identifier: Apache-2.0
#include "cli/dispatch.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/privilege.h"
#include "cli/commands.h"
#include "config/table.h"
#include "host/system_host.h"

namespace ipres {
namespace {

__attribute__((format(printf, 1, 2))) int UsageError(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "ipres: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, " (ipres --help for usage)\n");
  va_end(ap);
  return kExitUsage;
}

// The compiled-in tags, one after another with `separator` between them,
// for a message that names them (`out` holds every tag kMaxResources allows).
const char* JoinTags(const char* separator, char* out, size_t capacity) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < kResourceCount && used < capacity; ++i) {
    int n = snprintf(out + used, capacity - used, "%s%s", i ? separator : "", kResources[i].tag);
    if (n > 0) used += static_cast<size_t>(n);
  }
  return out;
}

constexpr size_t kTagListCapacity = kMaxResources * (kTagCapacity + 2);

// A tag the board does not have, perhaps mistyped: the line names the ones it has.
int UnknownTag(const char* tag) {
  char tags[kTagListCapacity];
  fprintf(stderr, "ipres: unknown tag '%s' (known: %s)\n", tag, JoinTags(", ", tags, sizeof tags));
  return kExitUsage;
}

// Whether the words after the command's name (argv[2] on) are what it takes.
bool Fits(Takes takes, int argc, char** argv) {
  switch (takes) {
    case Takes::kNothing:
      return argc == 2;
    case Takes::kOneTag:
      return argc == 3;
    case Takes::kJsonFlag:
      return argc == 2 || (argc == 3 && !strcmp(argv[2], "--json"));
    case Takes::kTags:
    case Takes::kAnything:
      return true;
  }
  return false;
}

// The row for the command argv[1] and its words: of the rows of that name,
// the first the words fit, one taking a TAG last (any one word fits it:
// `status --json` is no tag). None fits: the first row of that name, whose
// error the caller reports (`*fits` false). Null: no such command.
const Command* FindCommand(int argc, char** argv, bool* fits) {
  const Command* named = nullptr;
  const Command* tag_row = nullptr;
  for (size_t i = 0; i < kCommandCount; ++i) {
    const Command& c = kCommands[i];
    if (strcmp(c.name, argv[1]) != 0) continue;
    if (!named) named = &c;
    if (!Fits(c.takes, argc, argv)) continue;
    if (c.takes != Takes::kOneTag) {
      *fits = true;
      return &c;
    }
    if (!tag_row) tag_row = &c;
  }
  *fits = tag_row != nullptr;
  return tag_row ? tag_row : named;
}

// The usage error of words that do not fit what `c` takes.
int Misfit(const Command& c, char** argv) {
  switch (c.takes) {
    case Takes::kNothing:
      return UsageError("%s takes no arguments, got '%s'", c.name, argv[2]);
    case Takes::kJsonFlag:
      return UsageError("%s takes no arguments or --json, got '%s'", c.name, argv[2]);
    default:  // Takes::kOneTag: any other fits any words
      return UsageError("%s takes exactly one TAG", c.name);
  }
}

// The resources the words after the command's name name, into `call`; for
// Takes::kTags, none named is every one, each once. Returns kExitOk, or the
// usage error.
int FindTags(const Command& c, Invocation* call) {
  call->count = 0;
  if (c.takes != Takes::kOneTag && c.takes != Takes::kTags) return kExitOk;
  for (int i = 1; i < call->argc; ++i) {
    const Resource* r = FindResource(call->argv[i]);
    if (!r) return UnknownTag(call->argv[i]);
    bool listed = false;
    for (size_t j = 0; j < call->count; ++j) listed |= call->resources[j] == r;
    if (!listed) call->resources[call->count++] = r;  // distinct: never more than kResourceCount
  }
  for (size_t i = 0; call->argc == 1 && i < kResourceCount; ++i) {
    call->resources[call->count++] = &kResources[i];
  }
  if (call->count > 0) return kExitOk;
  return UsageError("%s: nothing to watch: no resource compiled in", c.name);
}

// Cuts the process's capabilities to what `c` keeps, or says which is
// missing. `who` starts the log line ("TAG: restore").
bool KeepPrivileges(Keeps keeps, const char* who) {
  unsigned keep = 0;
  switch (keeps) {
    case Keeps::kAsItIs:
      return true;
    case Keeps::kNothing:
      break;
    case Keeps::kNetwork:
      keep = kCapNetAdmin | kCapNetRaw;
      break;
  }
  Status s = KeepOnlyCapabilities(keep);
  if (s.ok()) return true;
  Log(LogLevel::kError, "%s: %s", who, StatusText(s).c_str());
  return false;
}

}  // namespace

int IpresMain(int argc, char** argv) {
  if (argc < 2) return UsageError("missing command");
  bool fits = false;
  const Command* c = FindCommand(argc, argv, &fits);
  if (!c) return UsageError("unknown command '%s'", argv[1]);
  if (!fits) return Misfit(*c, argv);
  Invocation call{argv[1], argc - 1, argv + 1, nullptr, {}, 0};
  const int found = FindTags(*c, &call);
  if (found != kExitOk) return found;
  if (c->keeps != Keeps::kAsItIs) {
    // First the stop handlers (GetSystemHost installs them): from here on a
    // SIGTERM is a request the command answers (a restore leaves the
    // address absent), not a kill.
    call.host = &GetSystemHost();
    char who[64];  // "TAG: restore", or "monitor"
    if (c->takes == Takes::kOneTag) {
      snprintf(who, sizeof who, "%s: %s", call.resources[0]->tag, call.name);
    } else {
      snprintf(who, sizeof who, "%s", call.name);
    }
    if (!KeepPrivileges(c->keeps, who)) return kExitFailed;
  }
  return c->run(call);
}

}  // namespace ipres
