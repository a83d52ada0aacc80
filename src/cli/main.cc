// SPDX-License-Identifier: Apache-2.0
// Entry point: `ipres COMMAND ...`, or `lkping ...` when called by that name.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/privilege.h"
#include "base/standard_fds.h"
#include "cli/lkping.h"
#include "cli/status_view.h"
#include "config/describe.h"
#include "config/table.h"
#include "host/system_host.h"
#include "ops/ops.h"

#ifndef IPRES_VERSION
#error "IPRES_VERSION must be defined by the build"
#endif
#ifndef IPRES_ARCH
#error "IPRES_ARCH must be defined by the build"
#endif

namespace ipres {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitAbsent = 3;  // status: the address is not on its device

const char kUsage[] =
    "usage: ipres COMMAND [ARGS]\n"
    "  restore    TAG   bring the resource in service\n"
    "  remove     TAG   take it out of service\n"
    "  quickCheck TAG   monitor once (quickcheck accepted too)\n"
    "  recover    TAG   remove, then restore\n"
    "  status     TAG   is the address on its device here? 0 yes, 3 no\n"
    "  status [--json]  every resource: held, wanted, last check and failure, conflict\n"
    "  ready      TAG   could this node serve TAG now? 0 yes, 1 no\n"
    "  list             the compiled-in resources with every effective parameter\n"
    "  monitor [TAG...] keep each up or not as its last word says (no TAG: all)\n"
    "  lkping ARGS      ping as the connectivity check does (see lkping -h)\n"
    "  --help | --version\n"
    "exit: 0 success, 1 the operation failed, 2 usage or input error\n";

int UsageError(const char* fmt, const char* arg) {
  fprintf(stderr, "ipres: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, " (ipres --help for usage)\n");
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

int List() {
  char block[2048];
  for (size_t i = 0; i < kResourceCount; ++i) {
    DescribeResource(kResources[i], block, sizeof block);
    printf("%s%s", i ? "\n" : "", block);
  }
  return fflush(stdout) == 0 ? kExitOk : kExitFailed;
}

// The commands that act on one resource, given by its tag.
const char* const kTagCommands[] = {"restore", "remove", "quickCheck", "quickcheck",
                                    "recover", "status", "ready"};

bool IsTagCommand(const char* cmd) {
  for (const char* c : kTagCommands) {
    if (strcmp(c, cmd) == 0) return true;
  }
  return false;
}

int ExitFor(const Status& s) {
  return s.ok() ? kExitOk : kExitFailed;
}

// Before an operation touches anything: keep CAP_NET_ADMIN and CAP_NET_RAW
// alone, or say which is missing. `who` starts the log line ("TAG: restore").
bool KeepOperationPrivileges(const char* who) {
  Status s = KeepOnlyCapabilities(kCapNetAdmin | kCapNetRaw);
  if (s.ok()) return true;
  Log(LogLevel::kError, "%s: %s", who, StatusText(s).c_str());
  return false;
}

// status only reads (netlink dumps, /run/ipres's records): it keeps no
// capability and needs none (contract "Binary").
bool DropAllPrivileges(const char* who) {
  Status s = KeepOnlyCapabilities(0);
  if (s.ok()) return true;
  Log(LogLevel::kError, "%s: %s", who, StatusText(s).c_str());
  return false;
}

// `ipres status [--json]`: a line per resource on stdout; a resource that
// cannot be read is an error on stderr, and the exit status says so.
int StatusOfAll(bool json) {
  if (!DropAllPrivileges("status")) return kExitFailed;
  Host& host = GetSystemHost();
  int exit = kExitOk;
  for (size_t i = 0; i < kResourceCount; ++i) {
    const Resource& r = kResources[i];
    Result<ResourceView> view = ViewResource(host, r);
    char line[kStatusLineCapacity];
    size_t len = 0;
    if (view.ok()) {
      len = json ? FormatStatusJson(r, view.value(), line, sizeof line)
                 : FormatStatusText(r, view.value(), line, sizeof line);
    }
    if (len == 0) {
      Log(LogLevel::kError, "%s: status: %s", r.tag,
          view.ok() ? "too long to print" : StatusText(view.status()).c_str());
      exit = kExitFailed;
      continue;
    }
    fputs(line, stdout);
  }
  return fflush(stdout) == 0 ? exit : kExitFailed;
}

// The operations log every step and every error themselves.
int RunTagCommand(const char* cmd, const Resource& r) {
  // First the stop handlers: from here on a SIGTERM is a request the
  // operation answers (a restore leaves the address absent), not a kill.
  Host& host = GetSystemHost();
  char who[64];
  snprintf(who, sizeof who, "%s: %s", r.tag, cmd);
  const bool reads_only = !strcmp(cmd, "status");
  if (!(reads_only ? DropAllPrivileges(who) : KeepOperationPrivileges(who))) return kExitFailed;
  if (!strcmp(cmd, "restore")) return ExitFor(Restore(host, r));
  if (!strcmp(cmd, "remove")) return ExitFor(Remove(host, r));
  if (!strcmp(cmd, "quickCheck") || !strcmp(cmd, "quickcheck")) return ExitFor(QuickCheck(host, r));
  if (!strcmp(cmd, "recover")) return ExitFor(Recover(host, r));
  if (!strcmp(cmd, "ready")) return ExitFor(Ready(host, r));
  // IsTagCommand let only these through: what is left is status.
  Result<bool> present = QueryStatus(host, r);
  if (!present.ok()) return kExitFailed;
  return present.value() ? kExitOk : kExitAbsent;
}

int IpresMain(int argc, char** argv) {
  if (argc < 2) return UsageError("%s", "missing command");
  const char* cmd = argv[1];
  if (!strcmp(cmd, "lkping")) return LkpingMain(argc - 1, argv + 1);
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(kUsage, stdout);
    return kExitOk;
  }
  if (!strcmp(cmd, "--version")) {
    printf("ipres %s (board %s, %s)\n", IPRES_VERSION, kBoardName, IPRES_ARCH);
    return kExitOk;
  }
  if (!strcmp(cmd, "list")) {
    if (argc != 2) return UsageError("list takes no arguments, got '%s'", argv[2]);
    return List();
  }
  if (!strcmp(cmd, "monitor")) {
    const Resource* watched[kMaxResources];
    size_t count = 0;
    for (int i = 2; i < argc; ++i) {
      const Resource* r = FindResource(argv[i]);
      if (!r) return UnknownTag(argv[i]);
      bool listed = false;
      for (size_t j = 0; j < count; ++j) listed |= watched[j] == r;
      if (!listed) watched[count++] = r;  // distinct tags: never more than kResourceCount
    }
    // Every tag: each is kept up or left alone as its last word says.
    for (size_t i = 0; argc == 2 && i < kResourceCount; ++i) watched[count++] = &kResources[i];
    if (count == 0) return UsageError("monitor: nothing to watch: %s", "no resource compiled in");
    if (!KeepOperationPrivileges("monitor")) return kExitFailed;
    return RunMonitor(GetSystemHost(), watched, count).ok() ? kExitOk : kExitFailed;
  }
  if (!strcmp(cmd, "status") && (argc == 2 || (argc == 3 && !strcmp(argv[2], "--json")))) {
    return StatusOfAll(argc == 3);
  }
  if (IsTagCommand(cmd)) {
    if (argc != 3) return UsageError("%s takes exactly one TAG", cmd);
    const Resource* r = FindResource(argv[2]);
    if (!r) return UnknownTag(argv[2]);
    return RunTagCommand(cmd, *r);
  }
  return UsageError("unknown command '%s'", cmd);
}

}  // namespace
}  // namespace ipres

int main(int argc, char** argv) {
  const char* slash = argc > 0 ? strrchr(argv[0], '/') : nullptr;
  const char* name = slash ? slash + 1 : argc > 0 ? argv[0] : "ipres";
  const bool lkping = !strcmp(name, "lkping");
  // Before anything opens a descriptor (syslog's socket included).
  ipres::Status fds = ipres::OpenMissingStandardFds();
  if (!fds.ok()) {
    // Straight to stderr, if that is open: a log line would try syslog, whose
    // socket could land on a closed standard descriptor.
    char line[340];
    int n = snprintf(line, sizeof line, "%s: %s\n", name, ipres::StatusText(fds).c_str());
    if (n > 0) {
      size_t len = static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1;
      ssize_t ignored = write(STDERR_FILENO, line, len);
      (void)ignored;
    }
    // lkping's "any other error" is 2; 1 is its "no reply".
    return lkping || (argc > 1 && !strcmp(argv[1], "lkping")) ? 2 : 1;
  }
  if (lkping) return ipres::LkpingMain(argc, argv);
  return ipres::IpresMain(argc, argv);
}
