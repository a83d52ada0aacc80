// SPDX-License-Identifier: Apache-2.0
#include "host/tag_state.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fd.h"
#include "base/random.h"
#include "host/conflict_record.h"
#include "host/unfinished_record.h"

namespace ipres {
namespace {

constexpr char kRestoreWord[] = "restore";
constexpr char kRemoveWord[] = "remove";
constexpr size_t kGenerationDigits = 16;
constexpr int kStartTimeField = 22;  // proc(5), /proc/PID/stat
constexpr char kUnfinishedKind[] = "unfinished";
constexpr char kConflictKind[] = "conflict";

// "restore GENERATION PID LAUNCHED\n" or "remove ...": 16 lowercase hex
// digits, not all zero, the process that spoke and when it was launched
// (clock ticks since boot; 0 when /proc could not tell). Older records lack
// LAUNCHED, or PID too: not known then.
bool ParseWord(const char* text, Word* word) {
  const size_t restore_len = strlen(kRestoreWord), remove_len = strlen(kRemoveWord);
  const char* hex;
  if (strncmp(text, kRestoreWord, restore_len) == 0 && text[restore_len] == ' ') {
    word->kind = WordKind::kRestore;
    hex = text + restore_len + 1;
  } else if (strncmp(text, kRemoveWord, remove_len) == 0 && text[remove_len] == ' ') {
    word->kind = WordKind::kRemove;
    hex = text + remove_len + 1;
  } else {
    return false;
  }
  for (size_t i = 0; i < kGenerationDigits; ++i) {
    if (hex[i] == '\0' || !strchr("0123456789abcdef", hex[i])) return false;
  }
  word->generation = strtoull(hex, nullptr, 16);
  const char* rest = hex + kGenerationDigits;
  if (strcmp(rest, "\n") == 0) return word->generation != 0;
  if (rest[0] != ' ' || rest[1] < '1' || rest[1] > '9') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long pid = strtoul(rest + 1, &end, 10);
  if (errno != 0 || pid > static_cast<unsigned long>(INT32_MAX)) return false;
  word->writer = static_cast<int>(pid);
  if (end[0] == ' ' && end[1] == '0') {
    end += 2;  // launched when /proc could not tell
  } else if (end[0] == ' ' && end[1] >= '1' && end[1] <= '9') {
    errno = 0;
    word->launched = strtoull(end + 1, &end, 10);
    if (errno != 0) return false;
  }
  return strcmp(end, "\n") == 0 && word->generation != 0;
}

// This process's start time (field 22 of its stat, clock ticks since boot);
// 0 when /proc cannot tell. Read from /proc/thread-self, the same file for a
// single-threaded process, first: qemu-user (other CPUs' builds run under it
// in the tests) answers /proc/self/stat itself, with the time it exec'd
// rather than the process's launch. Kernels before 3.17 have only self.
uint64_t OwnLaunch() {
  char stat[512];
  UniqueFd fd(open("/proc/thread-self/stat", O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) fd.Reset(open("/proc/self/stat", O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return 0;
  const ssize_t n = read(fd.get(), stat, sizeof stat - 1);
  if (n <= 0) return 0;
  stat[n] = '\0';
  // The command name (field 2) may hold spaces and parentheses: fields are
  // counted from the last ')', which ends it; field 3 follows it.
  const char* field = strrchr(stat, ')');
  for (int i = 2; field != nullptr && i < kStartTimeField; ++i) field = strchr(field + 1, ' ');
  if (field == nullptr) return 0;
  unsigned long long ticks = 0;
  for (++field; *field >= '0' && *field <= '9'; ++field) ticks = ticks * 10 + (*field - '0');
  return *field == ' ' ? ticks : 0;
}

// Now on the start times' clock (CLOCK_BOOTTIME in clock ticks); 0 when
// it cannot tell.
uint64_t TicksSinceBoot() {
  timespec now;
  const long hz = sysconf(_SC_CLK_TCK);
  if (hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0) return 0;
  return static_cast<uint64_t>(now.tv_sec) * hz +
         static_cast<uint64_t>(now.tv_nsec) * hz / 1000000000;
}

// Whether the engine launched `a`'s writer after `b`'s: a later start tick,
// or the same tick and a later pid (pids are handed out in turn; none wraps
// within a tick). Unknown launches have no order.
bool LaunchedAfter(const Word& a, const Word& b) {
  if (a.launched == 0 || b.launched == 0) return false;
  if (a.launched != b.launched) return a.launched > b.launched;
  return a.writer > b.writer;
}

// Whether the process that recorded the word still runs (EPERM: it does,
// as another user's).
bool StillRunning(int pid) {
  return pid > 0 && pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM);
}

}  // namespace

Result<LockTaken> TagState::LockTag(const char* tag, LockIntent intent, bool (*stopping)()) {
  Status s = dir_.Open();
  if (s.ok()) s = lock_.Open(tag);
  if (!s.ok()) return s;
  LockTaken taken;
  Result<bool> free = lock_.TryTake();
  if (!free.ok() || free.value()) return Taken(free.status(), taken);
  taken.waited = true;
  if (intent == LockIntent::kBringUp) return Taken(lock_.Take(stopping), taken);

  // The take-down recorded its word before it asked for the lock, so a
  // bring-up that accepts requests after this has had its chance to see it.
  HolderRecord holder;
  const bool asked = lock_.FindAbandonableHolder(&holder) && lock_.AskToAbandon(holder);
  s = lock_.Take(stopping);
  taken.abandoned = asked && lock_.AbandonedAt(holder);
  return Taken(s, taken);
}

Result<const char*> TagState::OpenDir() {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  return dir_.path();
}

// Written without the tag's lock (the word comes before any wait), in the
// directory's turn: two writers never share a temporary, and the word
// standing is compared and replaced with no other write between.
Result<Word> TagState::RecordWord(const char* tag, bool wanted) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  Word word;
  word.kind = wanted ? WordKind::kRestore : WordKind::kRemove;
  while (word.generation == 0) FillRandom(&word.generation, sizeof word.generation);
  word.writer = getpid();
  word.launched = OwnLaunch();
  char text[StateDir::kRecordCapacity];
  snprintf(text, sizeof text, "%s %016llx %d %llu\n", wanted ? kRestoreWord : kRemoveWord,
           static_cast<unsigned long long>(word.generation), word.writer,
           static_cast<unsigned long long>(word.launched));
  s = dir_.TakeWriteTurn();
  if (!s.ok()) return s;
  // A record that cannot be read is replaced, as it always was.
  Result<Word> standing = ReadWord(tag);
  // A word launched later than now was spoken before a reboot (in a /run
  // that outlived it): no order holds, and it is replaced.
  const uint64_t now = TicksSinceBoot();
  if (standing.ok() && (now == 0 || standing.value().launched <= now) &&
      LaunchedAfter(standing.value(), word)) {
    word = standing.value();
    word.spoken_later = true;
  } else {
    s = dir_.WriteRecord(tag, kWordKind, text);
    // A remove must work on a full /run: deleting needs no room, and no
    // word is no restore either.
    if (!s.ok() && !wanted && dir_.RemoveRecord(tag, kWordKind).ok()) {
      s = OkStatus();
      word = Word();
    }
  }
  Status ended = dir_.EndWriteTurn();
  if (!s.ok()) return s;
  if (!ended.ok()) return ended;
  return word;
}

// A read makes nothing: status asks it without privilege.
Result<Word> TagState::LastWord(const char* tag) {
  Result<bool> present = dir_.OpenIfPresent();
  if (!present.ok()) return present.status();
  if (!present.value()) return Word();
  return ReadWord(tag);
}

// In the directory as opened: a writer in its turn must not reopen it (the
// turn is a flock on the descriptor that reopening would close).
Result<Word> TagState::ReadWord(const char* tag) {
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kWordKind, text, sizeof text);
  if (!there.ok()) return there.status();
  Word word;
  if (!there.value()) return word;
  if (!ParseWord(text, &word)) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kWordKind, path, sizeof path));
  }
  word.writer_running = StillRunning(word.writer);
  return word;
}

// Compared and deleted in the writers' turn: a word recorded meanwhile is
// either read here (and kept) or renamed into place after the delete.
Status TagState::WithdrawWord(const char* tag, const Word& mine) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  s = dir_.TakeWriteTurn();
  if (!s.ok()) return s;
  Result<Word> last = ReadWord(tag);
  s = last.status();
  if (last.ok() && last.value() == mine) s = dir_.RemoveRecord(tag, kWordKind);
  Status ended = dir_.EndWriteTurn();
  return s.ok() ? ended : s;
}

Status TagState::MarkUnfinished(const char* tag, uint32_t steps) {
  Result<uint32_t> now = Unfinished(tag);
  if (!now.ok()) return now.status();
  return WriteUnfinished(tag, now.value() | steps);
}

Status TagState::ClearUnfinished(const char* tag, uint32_t steps) {
  if (steps == kEveryStep) return WriteUnfinished(tag, 0);
  Result<uint32_t> now = Unfinished(tag);
  if (!now.ok()) return now.status();
  if ((now.value() & steps) == 0) return OkStatus();
  return WriteUnfinished(tag, now.value() & ~steps);
}

Result<uint32_t> TagState::Unfinished(const char* tag) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kUnfinishedKind, text, sizeof text);
  if (!there.ok()) return there.status();
  if (!there.value()) return 0u;
  uint32_t steps = 0;
  if (!ParseUnfinishedRecord(text, &steps)) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kUnfinishedKind, path, sizeof path));
  }
  return steps;
}

// Written by the one monitor watching the tag, without the tag's lock: an
// operation holding it must not delay the record, and nothing else writes it.
Status TagState::RecordConflict(const char* tag, const Conflict& conflict) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  char text[StateDir::kRecordCapacity];
  if (FormatConflictRecord(conflict, text, sizeof text) == 0) {
    return Status::Errno(EOVERFLOW, "conflict record of %s", tag);
  }
  return dir_.WriteRecord(tag, kConflictKind, text);
}

// quickCheck reads it, and quickCheck changes nothing: not even /run.
Result<Conflict> TagState::RecordedConflict(const char* tag) {
  Result<bool> present = dir_.OpenIfPresent();
  if (!present.ok()) return present.status();
  if (!present.value()) return Conflict();
  char text[StateDir::kRecordCapacity];
  Result<bool> there = dir_.ReadRecord(tag, kConflictKind, text, sizeof text);
  if (!there.ok()) return there.status();
  Conflict conflict;
  if (!there.value()) return conflict;
  if (!ParseConflictRecord(text, &conflict)) {
    char path[StateDir::kPathCapacity];
    return Status::Errno(EINVAL, "refuse %s: not a record ipres wrote",
                         dir_.PathOf(tag, kConflictKind, path, sizeof path));
  }
  return conflict;
}

Status TagState::WriteUnfinished(const char* tag, uint32_t steps) {
  Status s = dir_.Open();
  if (!s.ok()) return s;
  if (steps == 0) return dir_.RemoveRecord(tag, kUnfinishedKind);
  char text[StateDir::kRecordCapacity];
  FormatUnfinishedRecord(steps, text, sizeof text);
  return dir_.WriteRecord(tag, kUnfinishedKind, text);
}

Result<LockTaken> TagState::Taken(const Status& s, const LockTaken& taken) {
  if (s.ok()) return taken;
  lock_.Release();
  return s;
}

}  // namespace ipres
