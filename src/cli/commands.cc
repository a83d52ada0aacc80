// SPDX-License-Identifier: Apache-2.0
// The table of commands and what each runs. The operations log every step
// and every error themselves; a handler maps the result to an exit status.
#include "cli/commands.h"

#include <stdio.h>
#include <string.h>

#include <algorithm>

#include "base/log.h"
#include "cli/lkping.h"
#include "cli/status_view.h"
#include "config/describe.h"
#include "config/table.h"
#include "ops/ops.h"

#ifndef IPRES_VERSION
#error "IPRES_VERSION must be defined by the build"
#endif
#ifndef IPRES_ARCH
#error "IPRES_ARCH must be defined by the build"
#endif

namespace ipres {
namespace {

// restore, remove, quickCheck, recover and ready: 0 when the operation
// succeeded, else 1.
template <Status (*kOperation)(Host& host, const Resource& r)>
int ExitOf(const Invocation& call) {
  return kOperation(*call.host, *call.resources[0]).ok() ? kExitOk : kExitFailed;
}

// `ipres status TAG`: its answer goes to stderr only. Engines ask it at
// every monitor interval (the OCF agent's monitor) and it changes nothing:
// syslog keeps what changes, as the periodic checks do (contract "Binary").
// A failure goes to syslog too.
int StatusOfTag(const Invocation& call) {
  LogHold answer;
  Result<bool> present = QueryStatus(*call.host, *call.resources[0]);
  if (!present.ok()) {
    answer.Emit();
    return kExitFailed;
  }
  answer.Emit(LogHold::To::kStderrOnly);
  return present.value() ? kExitOk : kExitAbsent;
}

// `ipres status [--json]`: a line per resource on stdout; a resource that
// cannot be read is an error on stderr, and the exit status says so.
int StatusOfAll(const Invocation& call) {
  const bool json = call.argc == 2;  // the dispatcher let --json alone through
  int exit = kExitOk;
  for (size_t i = 0; i < kResourceCount; ++i) {
    const Resource& r = kResources[i];
    Result<ResourceView> view = ViewResource(*call.host, r);
    char line[kStatusLineCapacity];
    size_t len = 0;
    if (view.ok()) {
      len = json ? FormatStatusJson(r, view.value(), line, sizeof line)
                 : FormatStatusText(r, view.value(), line, sizeof line);
    }
    if (len == 0) {
      Log(LogLevel::kError, "%s: %s: %s", r.tag, call.name,
          view.ok() ? "too long to print" : StatusText(view.status()).c_str());
      exit = kExitFailed;
      continue;
    }
    fputs(line, stdout);
  }
  return fflush(stdout) == 0 ? exit : kExitFailed;
}

int List(const Invocation&) {
  char block[2048];
  for (size_t i = 0; i < kResourceCount; ++i) {
    DescribeResource(kResources[i], block, sizeof block);
    printf("%s%s", i ? "\n" : "", block);
  }
  return fflush(stdout) == 0 ? kExitOk : kExitFailed;
}

int Monitor(const Invocation& call) {
  return RunMonitor(*call.host, call.resources, call.count).ok() ? kExitOk : kExitFailed;
}

int Lkping(const Invocation& call) {
  return LkpingMain(call.argc, call.argv);
}

// The usage text's left column: "restore    TAG", the TAG of every command
// that takes one in a column of its own; any other command's words follow
// its name.
void Synopsis(const Command& c, int name_width, char* out, size_t size) {
  switch (c.takes) {
    case Takes::kNothing:
    case Takes::kAnything:  // words of its own (lkping's options)
      snprintf(out, size, "%s%s", c.name, c.takes == Takes::kAnything ? " ARGS" : "");
      return;
    case Takes::kOneTag:
      snprintf(out, size, "%-*s TAG", name_width, c.name);
      return;
    case Takes::kJsonFlag:
      snprintf(out, size, "%s [--json]", c.name);
      return;
    case Takes::kTags:
      snprintf(out, size, "%s [TAG...]", c.name);
      return;
  }
}

int Help(const Invocation&) {
  PrintUsage(stdout);
  return kExitOk;
}

int Version(const Invocation&) {
  printf("ipres %s (board %s, %s)\n", IPRES_VERSION, kBoardName, IPRES_ARCH);
  return kExitOk;
}

}  // namespace

// In the usage text's order. A name may have two rows (status TAG, status
// [--json]): the dispatcher takes the one its words fit.
const Command kCommands[] = {
    {"restore", Takes::kOneTag, Keeps::kNetwork, ExitOf<Restore>, Listed::kOwnLine,
     "bring the resource in service"},
    {"remove", Takes::kOneTag, Keeps::kNetwork, ExitOf<Remove>, Listed::kOwnLine,
     "take it out of service"},
    {"quickCheck", Takes::kOneTag, Keeps::kNetwork, ExitOf<QuickCheck>, Listed::kOwnLine,
     "monitor once (quickcheck accepted too)"},
    {"quickcheck", Takes::kOneTag, Keeps::kNetwork, ExitOf<QuickCheck>, Listed::kNot, nullptr},
    {"recover", Takes::kOneTag, Keeps::kNetwork, ExitOf<Recover>, Listed::kOwnLine,
     "remove, then restore"},
    {"status", Takes::kOneTag, Keeps::kNothing, StatusOfTag, Listed::kOwnLine,
     "is the address on its device here? 0 yes, 3 no"},
    {"status", Takes::kJsonFlag, Keeps::kNothing, StatusOfAll, Listed::kOwnLine,
     "every resource: held, wanted, last check and failure, conflict"},
    {"ready", Takes::kOneTag, Keeps::kNetwork, ExitOf<Ready>, Listed::kOwnLine,
     "could this node serve TAG now? 0 yes, 1 no"},
    {"list", Takes::kNothing, Keeps::kAsItIs, List, Listed::kOwnLine,
     "the compiled-in resources with every effective parameter"},
    {"monitor", Takes::kTags, Keeps::kNetwork, Monitor, Listed::kOwnLine,
     "keep each up or not as its last word says (no TAG: all)"},
    {kLkpingName, Takes::kAnything, Keeps::kAsItIs, Lkping, Listed::kOwnLine,
     "ping as the connectivity check does (see lkping -h)"},
    {"--help", Takes::kAnything, Keeps::kAsItIs, Help, Listed::kOptionsLine, nullptr},
    {"-h", Takes::kAnything, Keeps::kAsItIs, Help, Listed::kNot, nullptr},
    {"help", Takes::kAnything, Keeps::kAsItIs, Help, Listed::kNot, nullptr},
    {"--version", Takes::kAnything, Keeps::kAsItIs, Version, Listed::kOptionsLine, nullptr},
};
const size_t kCommandCount = sizeof kCommands / sizeof kCommands[0];

void PrintUsage(FILE* out) {
  constexpr size_t kSynopsisCapacity = 48;
  int name_width = 0;  // the longest name of a command listed with its TAG
  for (const Command& c : kCommands) {
    if (c.listed != Listed::kOwnLine || c.takes != Takes::kOneTag) continue;
    name_width = std::max(name_width, static_cast<int>(strlen(c.name)));
  }
  int width = 0;  // the longest synopsis: the help texts line up after it
  char synopsis[kSynopsisCapacity];
  for (const Command& c : kCommands) {
    if (c.listed != Listed::kOwnLine) continue;
    Synopsis(c, name_width, synopsis, sizeof synopsis);
    width = std::max(width, static_cast<int>(strlen(synopsis)));
  }
  fputs("usage: ipres COMMAND [ARGS]\n", out);
  for (const Command& c : kCommands) {
    if (c.listed != Listed::kOwnLine) continue;
    Synopsis(c, name_width, synopsis, sizeof synopsis);
    fprintf(out, "  %-*s %s\n", width, synopsis, c.help);
  }
  const char* separator = "  ";
  for (const Command& c : kCommands) {
    if (c.listed != Listed::kOptionsLine) continue;
    fprintf(out, "%s%s", separator, c.name);
    separator = " | ";
  }
  fprintf(out, "\nexit: %d success, %d the operation failed, %d usage or input error\n", kExitOk,
          kExitFailed, kExitUsage);
}

}  // namespace ipres
