// SPDX-License-Identifier: Apache-2.0
// The state directory and the tag lock on a real file system: a directory of
// the test's own under /tmp stands for /run/ipres. What a hostile or broken
// directory holds (links, a FIFO, a directory, garbage, the wrong owner or
// mode) is refused with the path named, or handled, and never written
// through; the abandon request reaches only the operation it names.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmocka_cxx.h"
#include "host/state_dir.h"
#include "host/tag_lock.h"
#include "temp_state_dir.h"

using namespace ipres;

namespace {

// WHAT names the case in a failure.
void ExpectFailure(const Status& s, const char* needle, const char* what = "the call") {
  if (s.ok()) fail_msg("%s: succeeded, expected an error containing '%s'", what, needle);
  const StatusText text(s);
  if (!strstr(text.c_str(), needle)) {
    fail_msg("%s: error '%s' does not contain '%s'", what, text.c_str(), needle);
  }
}

// Path of a file in the state directory, by its name there.
const char* In(const char* name) {
  static char path[200];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  return path;
}

// The state file name for "vip" and KIND, as this process names it.
const char* NameOf(const char* kind) {
  static char name[StateDir::kNameCapacity];
  Result<NetnsKey> key = CurrentNetnsKey();
  assert_true(key.ok());
  assert_true(FormatStateName("vip", key.value(), kind, name, sizeof name));
  return name;
}

void WriteFile(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

// The whole file, or "" when it cannot be read.
const char* ReadFile(const char* path) {
  static char text[256];
  text[0] = '\0';
  FILE* f = fopen(path, "r");
  if (!f) return text;
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

bool IsLink(const char* path) {
  struct stat st;
  return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

// Path of a file beside the state directory, by its name there.
const char* Beside(const char* name) {
  static char path[160];
  snprintf(path, sizeof path, "%s/%s", g_base, name);
  return path;
}

// --- names -----------------------------------------------------------------

void NamesCarryTheNamespace(void**) {
  char name[StateDir::kNameCapacity];
  NetnsKey key;
  key.kind = NetnsKey::Kind::kCookie;
  key.value = 4097;
  assert_true(FormatStateName("vip", key, "lock", name, sizeof name));
  assert_string_equal(name, "vip@cookie4097.lock");
  key.kind = NetnsKey::Kind::kInode;
  key.value = 4026531840u;
  assert_true(FormatStateName("vip", key, "wanted", name, sizeof name));
  assert_string_equal(name, "vip@inode4026531840.wanted");
  key.kind = NetnsKey::Kind::kNone;
  assert_true(FormatStateName("vip", key, "lock", name, sizeof name));
  assert_string_equal(name, "vip.lock");
  assert_false(FormatStateName("vip", key, "lock", name, 8));  // "vip.lock" needs 9
  // The longest tag with the largest cookie and the longest kind fits.
  key.kind = NetnsKey::Kind::kCookie;
  key.value = ~0ull;
  assert_true(
      FormatStateName("0123456789012345678901234567890", key, "holder.tmp", name, sizeof name));
}

// The cookie where the kernel has it (Linux >= 5.14), else the inode.
void ThisNamespaceHasAKey(void**) {
  Result<NetnsKey> key = CurrentNetnsKey();
  assert_true(key.ok());
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  assert_true(fd >= 0);
  uint64_t cookie = 0;
  socklen_t len = sizeof cookie;
  const bool has_cookie = getsockopt(fd, SOL_SOCKET, 71, &cookie, &len) == 0;
  close(fd);
  if (has_cookie) {
    assert_int_equal(static_cast<int>(key.value().kind), static_cast<int>(NetnsKey::Kind::kCookie));
    assert_true(key.value().value == cookie);
  } else {
    struct stat st;
    assert_int_equal(stat("/proc/self/ns/net", &st), 0);
    assert_int_equal(static_cast<int>(key.value().kind), static_cast<int>(NetnsKey::Kind::kInode));
    assert_true(key.value().value == st.st_ino);
  }
}

// --- the directory ---------------------------------------------------------

// Exactly these modes, whatever the umask (a umask that leaves nothing
// here): the directory and records readable by everyone, for status without
// privilege; written by the owner alone; the lock file the owner's alone.
void WhatIsMadeHasItsExactMode(void**) {
  mode_t old = umask(0777);
  StateDir dir(g_dir);
  Status s = dir.Open();
  Result<int> fd = dir.OpenLockFile("vip");
  Status written = dir.WriteRecord("vip", "wanted", "wanted\n");
  umask(old);
  assert_true(s.ok());
  assert_true(fd.ok());
  close(fd.value());
  assert_true(written.ok());
  struct stat st;
  assert_int_equal(lstat(g_dir, &st), 0);
  assert_true(S_ISDIR(st.st_mode));
  assert_int_equal(st.st_mode & 07777, 0700);
  assert_int_equal(st.st_uid, geteuid());
  assert_int_equal(lstat(In(NameOf("lock")), &st), 0);
  assert_int_equal(st.st_mode & 07777, 0600);
  assert_int_equal(lstat(In(NameOf("wanted")), &st), 0);
  assert_int_equal(st.st_mode & 07777, 0644);
}

// Root's directory, 0700 as ipres makes it, is closed to other users:
// `ipres status` run as nobody is denied (EACCES, which status shows as
// unknown), not refused. Made 0755 by hand it is trusted and read, never
// written. Another user's directory stays refused. (Needs root to change
// users; skipped, and said so, without.)
void RootsDirectoryIsClosedToOtherUsers(void**) {
  if (geteuid() != 0) skip();
  assert_int_equal(chmod(g_base, 0755), 0);  // mkdtemp's 0700 would stop nobody first
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  assert_true(dir.WriteRecord("vip", "wanted", "wanted\n").ok());
  int status = 0;
  const pid_t denied = fork();
  assert_true(denied >= 0);
  if (denied == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    StateDir reader(g_dir);
    Result<bool> open = reader.OpenIfPresent();
    _exit(!open.ok() && open.status().err() == EACCES ? 0 : 3);
  }
  assert_int_equal(waitpid(denied, &status, 0), denied);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);

  assert_int_equal(chmod(g_dir, 0755), 0);
  const pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    StateDir reader(g_dir);
    Result<bool> open = reader.OpenIfPresent();
    if (!open.ok() || !open.value()) _exit(3);
    char text[StateDir::kRecordCapacity];
    Result<bool> got = reader.ReadRecord("vip", "wanted", text, sizeof text);
    if (!got.ok() || !got.value() || strcmp(text, "wanted\n") != 0) _exit(4);
    if (reader.WriteRecord("vip", "wanted", "x\n").ok()) _exit(5);
    // A directory of uid 1234's: neither root's nor this process's.
    if (chown(g_dir, 1234, 1234) == 0) _exit(6);  // nobody may not; root does it below
    _exit(0);
  }
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);

  assert_int_equal(chown(g_dir, 1234, 1234), 0);
  const pid_t second = fork();
  assert_true(second >= 0);
  if (second == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    StateDir reader(g_dir);
    Result<bool> open = reader.OpenIfPresent();
    _exit(!open.ok() && strstr(StatusText(open.status()).c_str(), "owned by uid 1234") ? 0 : 7);
  }
  assert_int_equal(waitpid(second, &status, 0), second);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

void DirectoryMadeAgainIsReopened(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  char old[128];
  snprintf(old, sizeof old, "%s/old", g_base);
  assert_int_equal(rename(g_dir, old), 0);
  assert_int_equal(mkdir(g_dir, 0700), 0);
  assert_true(dir.Open().ok());
  assert_true(dir.WriteRecord("vip", "wanted", "wanted\n").ok());
  assert_string_equal(ReadFile(In(NameOf("wanted"))), "wanted\n");
}

// --- records ---------------------------------------------------------------

void RecordsRoundTrip(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  char text[StateDir::kRecordCapacity];
  Result<bool> got = dir.ReadRecord("vip", "wanted", text, sizeof text);
  assert_true(got.ok());
  assert_false(got.value());  // none yet
  assert_true(dir.WriteRecord("vip", "wanted", "wanted\n").ok());
  got = dir.ReadRecord("vip", "wanted", text, sizeof text);
  assert_true(got.ok() && got.value());
  assert_string_equal(text, "wanted\n");
  assert_true(dir.WriteRecord("vip", "wanted", "again\n").ok());  // replaced whole
  got = dir.ReadRecord("vip", "wanted", text, sizeof text);
  assert_string_equal(text, "again\n");
  char tmp[StateDir::kNameCapacity + 4];
  snprintf(tmp, sizeof tmp, "%s.tmp", NameOf("wanted"));
  assert_int_equal(access(In(tmp), F_OK), -1);  // no temporary left
  struct stat st;
  assert_int_equal(stat(In(NameOf("wanted")), &st), 0);
  assert_int_equal(st.st_mode & 07777, 0644);
  assert_true(dir.RemoveRecord("vip", "wanted").ok());
  assert_true(dir.RemoveRecord("vip", "wanted").ok());  // none there is fine
  got = dir.ReadRecord("vip", "wanted", text, sizeof text);
  assert_true(got.ok());
  assert_false(got.value());
}

// Readable by others is no danger: 0755 (made by hand, or by earlier
// versions) is used as it is.
void ReadableByOthersIsUsedAsItIs(void**) {
  assert_int_equal(mkdir(g_dir, 0755), 0);
  assert_int_equal(chmod(g_dir, 0755), 0);
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  struct stat st;
  assert_int_equal(stat(g_dir, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0755);
}

void LinkAtARecordIsReplacedNotFollowed(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  char target[128];
  snprintf(target, sizeof target, "%s/precious", g_base);
  WriteFile(target, "precious\n");
  assert_int_equal(symlink(target, In(NameOf("wanted"))), 0);
  // Writing replaces the link itself.
  assert_true(dir.WriteRecord("vip", "wanted", "wanted\n").ok());
  assert_false(IsLink(In(NameOf("wanted"))));
  assert_string_equal(ReadFile(target), "precious\n");
  // Removing removes a link, never its target.
  assert_int_equal(unlink(In(NameOf("wanted"))), 0);
  assert_int_equal(symlink(target, In(NameOf("wanted"))), 0);
  assert_true(dir.RemoveRecord("vip", "wanted").ok());
  assert_string_equal(ReadFile(target), "precious\n");
}

void LinkAtTheTemporaryIsRemovedNotFollowed(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  char target[128], tmp[StateDir::kNameCapacity + 4];
  snprintf(target, sizeof target, "%s/precious", g_base);
  WriteFile(target, "precious\n");
  snprintf(tmp, sizeof tmp, "%s.tmp", NameOf("holder"));
  assert_int_equal(symlink(target, In(tmp)), 0);
  assert_true(dir.WriteRecord("vip", "holder", "1 up 2\n").ok());
  assert_string_equal(ReadFile(target), "precious\n");
  assert_string_equal(ReadFile(In(NameOf("holder"))), "1 up 2\n");
  assert_int_equal(access(In(tmp), F_OK), -1);
  // A stale temporary a killed writer left is no obstacle either.
  WriteFile(In(tmp), "half");
  assert_true(dir.WriteRecord("vip", "holder", "3 up 4\n").ok());
  assert_string_equal(ReadFile(In(NameOf("holder"))), "3 up 4\n");
}

// Garbage in a lock file is no matter: it is only ever flocked.
void GarbageInALockFileIsKept(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  WriteFile(In(NameOf("lock")), "garbage\n");
  Result<int> fd = dir.OpenLockFile("vip");
  assert_true(fd.ok());
  close(fd.value());
  assert_string_equal(ReadFile(In(NameOf("lock"))), "garbage\n");
}

// --- what a hostile or broken directory holds ------------------------------

// The call a case is refused by.
enum class Call { kOpen, kRead, kWrite, kRemove, kOpenLock };

struct Hostile {
  const char* what;  // names the case in a failure
  // The state file it is about ("wanted", "lock", ...), in the directory
  // opened first; or nullptr: the directory itself.
  const char* kind;
  bool (*make)();  // puts it in place; false (errno) when that failed
  Call call;
  const char* error;       // what the refusal says, besides the path
  bool root_only = false;  // only root can give a directory away
};

bool MakeModeDir(mode_t mode) {
  return mkdir(g_dir, 0700) == 0 && chmod(g_dir, mode) == 0;
}

bool MakeLongRecord() {
  char big[200];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  WriteFile(In(NameOf("other")), big);
  return true;
}

// Links point at the decoys beside the directory: a file, an empty
// directory, and a name that must stay absent.
const Hostile kHostile[] = {
    {"the directory is a link to a directory", nullptr,
     [] { return symlink(Beside("elsewhere"), g_dir) == 0; }, Call::kOpen, "a symbolic link"},
    {"the directory is a dangling link", nullptr,
     [] { return symlink(Beside("nowhere"), g_dir) == 0; }, Call::kOpen, "a symbolic link"},
    {"a file where the directory goes", nullptr,
     [] { return link(Beside("precious"), g_dir) == 0; }, Call::kOpen, "Not a directory"},
    {"the directory has mode 0777", nullptr, [] { return MakeModeDir(0777); }, Call::kOpen,
     "lets group or others write"},
    {"the directory has mode 0770", nullptr, [] { return MakeModeDir(0770); }, Call::kOpen,
     "lets group or others write"},
    {"the directory has mode 0720", nullptr, [] { return MakeModeDir(0720); }, Call::kOpen,
     "lets group or others write"},
    {"the directory has mode 0702", nullptr, [] { return MakeModeDir(0702); }, Call::kOpen,
     "lets group or others write"},
    {"the directory has mode 01777", nullptr, [] { return MakeModeDir(01777); }, Call::kOpen,
     "lets group or others write"},
    {"the directory is someone else's", nullptr,
     [] { return mkdir(g_dir, 0700) == 0 && chown(g_dir, 65534, 65534) == 0; }, Call::kOpen,
     "owned by uid 65534, not 0", true},
    {"a record is a link, read", "wanted",
     [] { return symlink(Beside("precious"), In(NameOf("wanted"))) == 0; }, Call::kRead,
     "a symbolic link"},
    {"a record is a directory, read", "wanted",
     [] { return mkdir(In(NameOf("wanted")), 0700) == 0; }, Call::kRead, "not a regular file"},
    {"a record is a directory, replaced", "wanted",
     [] { return mkdir(In(NameOf("wanted")), 0700) == 0; }, Call::kWrite, "Is a directory"},
    {"a record is a directory, removed", "wanted",
     [] { return mkdir(In(NameOf("wanted")), 0700) == 0; }, Call::kRemove, "Is a directory"},
    {"a record is a FIFO (the reader does not block)", "holder",
     [] { return mkfifo(In(NameOf("holder")), 0600) == 0; }, Call::kRead, "not a regular file"},
    {"a record longer than any ipres writes", "other", MakeLongRecord, Call::kRead,
     "longer than 63 bytes"},
    {"the lock file is a link", "lock",
     [] { return symlink(Beside("precious"), In(NameOf("lock"))) == 0; }, Call::kOpenLock,
     "a symbolic link"},
    {"the lock file is a FIFO", "lock", [] { return mkfifo(In(NameOf("lock")), 0600) == 0; },
     Call::kOpenLock, "not a regular file"},
    {"the lock file is a directory", "lock", [] { return mkdir(In(NameOf("lock")), 0700) == 0; },
     Call::kOpenLock, "not a regular file: Is a directory"},
};

Status Attempt(StateDir& dir, const Hostile& c) {
  char text[StateDir::kRecordCapacity];
  switch (c.call) {
    case Call::kOpen:
      return dir.Open();
    case Call::kRead:
      return dir.ReadRecord("vip", c.kind, text, sizeof text).status();
    case Call::kWrite:
      return dir.WriteRecord("vip", c.kind, "wanted\n");
    case Call::kRemove:
      return dir.RemoveRecord("vip", c.kind);
    case Call::kOpenLock: {
      Result<int> fd = dir.OpenLockFile("vip");
      if (fd.ok()) close(fd.value());
      return fd.status();
    }
  }
  return Status::Fail("no such call");
}

// Each case in a directory of its own: refused, naming the path, and
// nothing written through a link (the decoy directory is still empty when
// rmdir can take it).
void HostileEntriesAreRefusedWithTheirPath(void**) {
  for (const Hostile& c : kHostile) {
    if (c.root_only && geteuid() != 0) continue;
    if (Setup(nullptr) != 0) fail_msg("%s: no test directory", c.what);
    WriteFile(Beside("precious"), "precious\n");
    assert_int_equal(mkdir(Beside("elsewhere"), 0700), 0);
    StateDir dir(g_dir);
    if (c.kind && !dir.Open().ok()) fail_msg("%s: the directory did not open", c.what);
    if (!c.make()) fail_msg("%s: setting it up failed: %s", c.what, strerror(errno));
    const Status s = Attempt(dir, c);
    ExpectFailure(s, c.error, c.what);
    ExpectFailure(s, c.kind ? In(NameOf(c.kind)) : g_dir, c.what);
    struct stat st;
    if (strcmp(ReadFile(Beside("precious")), "precious\n") != 0 ||
        rmdir(Beside("elsewhere")) != 0 || lstat(Beside("nowhere"), &st) == 0) {
      fail_msg("%s: written through", c.what);
    }
    if (Teardown(nullptr) != 0) fail_msg("%s: test directory not removed", c.what);
  }
}

void NothingWorksBeforeOpen(void**) {
  StateDir dir(g_dir);
  ExpectFailure(dir.WriteRecord("vip", "wanted", "wanted\n"), "is not open");
  assert_int_equal(access(g_dir, F_OK), -1);
}

// --- the holder record -----------------------------------------------------

void HolderRecordsParse(void**) {
  HolderRecord r;
  assert_true(ParseHolderRecord("123 up 4294967295\n", &r));
  assert_int_equal(r.pid, 123);
  assert_int_equal(static_cast<int>(r.state), static_cast<int>(HolderRecord::State::kUp));
  assert_int_equal(r.operation, 4294967295u);
  assert_true(ParseHolderRecord("7 abandoned 9\n", &r));
  assert_int_equal(static_cast<int>(r.state), static_cast<int>(HolderRecord::State::kAbandoned));
  char text[StateDir::kRecordCapacity];
  HolderRecord back;
  assert_true(FormatHolderRecord(r, text, sizeof text));
  assert_string_equal(text, "7 abandoned 9\n");
  assert_true(ParseHolderRecord(text, &back));
  assert_int_equal(back.operation, 9);
  // What earlier versions wrote, and garbage: no holder to ask.
  const char* const garbage[] = {"123 up\n",
                                 "123 down\n",
                                 "",
                                 "\n",
                                 "123 up 5",
                                 "123 up 5\nx",
                                 "0 up 5\n",
                                 "123 up 0\n",
                                 "-1 up 5\n",
                                 "123 UP 5\n",
                                 "123 up 5 6\n",
                                 "123 up 4294967296\n",
                                 "2147483648 up 5\n",
                                 "99999999999999999999 up 5\n",
                                 "12a up 5\n"};
  for (const char* g : garbage) {
    if (ParseHolderRecord(g, &r)) fail_msg("'%s' parsed", g);
  }
}

// --- the lock and the abandon request ----------------------------------------

bool NeverStop() {
  return false;
}

// Two TagLockFiles in this process stand for two processes: flock is per
// open file, and /proc/locks names this pid as the holder.
void AbandonRequestReachesTheOperationItNames(void**) {
  IgnoreAbandonRequests();
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  TagLockFile bring_up(dir), take_down(dir);
  assert_true(bring_up.Open("vip").ok());
  assert_true(bring_up.TryTake().value());
  assert_true(take_down.Open("vip").ok());
  assert_false(take_down.TryTake().value());  // held

  HolderRecord holder;
  assert_false(take_down.FindAbandonableHolder(&holder));  // not accepting requests yet
  kill(getpid(), SIGUSR1);  // ignored by the kernel: this test lives on
  assert_true(bring_up.AcceptAbandonRequests().ok());
  assert_false(bring_up.AbandonRequested());
  assert_true(take_down.FindAbandonableHolder(&holder));
  assert_int_equal(holder.pid, getpid());

  // A request for another operation is no request.
  HolderRecord other = holder;
  other.operation = holder.operation + 1;
  assert_true(take_down.AskToAbandon(other));
  assert_false(bring_up.AbandonRequested());

  assert_true(take_down.AskToAbandon(holder));  // delivered to this process at once
  assert_true(bring_up.AbandonRequested());
  bring_up.Release();
  assert_false(bring_up.AbandonRequested());  // it was about that operation
  assert_true(take_down.TryTake().value());
  assert_true(take_down.AbandonedAt(holder));
  assert_false(take_down.AbandonedAt(other));
  take_down.Release();
}

// Someone's deliberate kill -USR1 makes the running operation abandon, as
// it always did; after it, the signal is ignored again.
void PlainKillDuringAnOperationIsARequest(void**) {
  IgnoreAbandonRequests();
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  TagLockFile bring_up(dir);
  assert_true(bring_up.Open("vip").ok());
  assert_true(bring_up.Take(NeverStop).ok());
  assert_true(bring_up.AcceptAbandonRequests().ok());
  kill(getpid(), SIGUSR1);
  assert_true(bring_up.AbandonRequested());
  bring_up.Release();
  kill(getpid(), SIGUSR1);
  assert_false(bring_up.AbandonRequested());
}

void LateRequestIsIgnored(void**) {
  IgnoreAbandonRequests();
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  TagLockFile bring_up(dir), take_down(dir);
  assert_true(bring_up.Open("vip").ok());
  assert_true(bring_up.Take(NeverStop).ok());
  assert_true(bring_up.AcceptAbandonRequests().ok());
  assert_true(take_down.Open("vip").ok());
  HolderRecord holder;
  assert_true(take_down.FindAbandonableHolder(&holder));
  // The bring-up ends before the request arrives, and the process goes on
  // (a monitor) to hold the lock again for a new operation.
  bring_up.Release();
  assert_true(take_down.AskToAbandon(holder));
  assert_false(bring_up.AbandonRequested());
  assert_true(bring_up.Open("vip").ok());
  assert_true(bring_up.Take(NeverStop).ok());
  assert_true(bring_up.AcceptAbandonRequests().ok());
  assert_true(take_down.AskToAbandon(holder));  // the old operation's id
  assert_false(bring_up.AbandonRequested());
  bring_up.Release();
  // It never saw a request: no "abandoned" for the take-down to find.
  assert_true(take_down.TryTake().value());
  assert_false(take_down.AbandonedAt(holder));
  take_down.Release();
}

void RequestSeenByNoOneIsNotConfirmed(void**) {
  IgnoreAbandonRequests();
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  TagLockFile bring_up(dir), take_down(dir);
  assert_true(bring_up.Open("vip").ok());
  assert_true(bring_up.Take(NeverStop).ok());
  assert_true(bring_up.AcceptAbandonRequests().ok());
  assert_true(take_down.Open("vip").ok());
  HolderRecord holder;
  assert_true(take_down.FindAbandonableHolder(&holder));
  assert_true(take_down.AskToAbandon(holder));
  // The request came, but the operation never looked (it had finished its
  // last step): it did not abandon, and does not say it did.
  bring_up.Release();
  assert_true(take_down.TryTake().value());
  assert_false(take_down.AbandonedAt(holder));
  take_down.Release();
}

void RecordOfADeadHolderIsNotAsked(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  TagLockFile holder_file(dir), take_down(dir);
  assert_true(holder_file.Open("vip").ok());
  assert_true(holder_file.TryTake().value());
  // What a killed bring-up with pid 1 left: pid 1 holds no lock here.
  assert_true(dir.WriteRecord("vip", "holder", "1 up 77\n").ok());
  assert_true(take_down.Open("vip").ok());
  HolderRecord holder;
  assert_false(take_down.FindAbandonableHolder(&holder));
  // Garbage is no holder either.
  assert_true(dir.WriteRecord("vip", "holder", "garbage\n").ok());
  assert_false(take_down.FindAbandonableHolder(&holder));
  holder_file.Release();
  take_down.Release();
}

void HolderRecordThatCannotBeWrittenIsAnError(void**) {
  StateDir dir(g_dir);
  assert_true(dir.Open().ok());
  TagLockFile lock(dir);
  assert_true(lock.Open("vip").ok());
  assert_true(lock.TryTake().value());
  // A directory where the record goes: the rename fails.
  assert_int_equal(mkdir(In(NameOf("holder")), 0700), 0);
  ExpectFailure(lock.AcceptAbandonRequests(), In(NameOf("holder")));
  assert_false(lock.AbandonRequested());
  lock.Release();
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(NamesCarryTheNamespace),
      cmocka_unit_test(ThisNamespaceHasAKey),
      cmocka_unit_test_setup_teardown(WhatIsMadeHasItsExactMode, Setup, Teardown),
      cmocka_unit_test_setup_teardown(RootsDirectoryIsClosedToOtherUsers, Setup, Teardown),
      cmocka_unit_test_setup_teardown(ReadableByOthersIsUsedAsItIs, Setup, Teardown),
      cmocka_unit_test_setup_teardown(DirectoryMadeAgainIsReopened, Setup, Teardown),
      cmocka_unit_test_setup_teardown(RecordsRoundTrip, Setup, Teardown),
      cmocka_unit_test_setup_teardown(LinkAtARecordIsReplacedNotFollowed, Setup, Teardown),
      cmocka_unit_test_setup_teardown(LinkAtTheTemporaryIsRemovedNotFollowed, Setup, Teardown),
      cmocka_unit_test_setup_teardown(GarbageInALockFileIsKept, Setup, Teardown),
      cmocka_unit_test(HostileEntriesAreRefusedWithTheirPath),
      cmocka_unit_test_setup_teardown(NothingWorksBeforeOpen, Setup, Teardown),
      cmocka_unit_test(HolderRecordsParse),
      cmocka_unit_test_setup_teardown(AbandonRequestReachesTheOperationItNames, Setup, Teardown),
      cmocka_unit_test_setup_teardown(PlainKillDuringAnOperationIsARequest, Setup, Teardown),
      cmocka_unit_test_setup_teardown(LateRequestIsIgnored, Setup, Teardown),
      cmocka_unit_test_setup_teardown(RequestSeenByNoOneIsNotConfirmed, Setup, Teardown),
      cmocka_unit_test_setup_teardown(RecordOfADeadHolderIsNotAsked, Setup, Teardown),
      cmocka_unit_test_setup_teardown(HolderRecordThatCannotBeWrittenIsAnError, Setup, Teardown),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
