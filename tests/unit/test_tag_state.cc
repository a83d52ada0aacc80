// SPDX-License-Identifier: Apache-2.0
// A tag's records as SystemHost keeps them, in a state directory of the
// test's own under /tmp: the last word and the unfinished steps read back what
// was recorded, a record ipres did not write is refused, and the lock is
// taken and let go.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <initializer_list>

#include "cmocka_cxx.h"
#include "host/tag_state.h"
#include "host/word_watch.h"
#include "temp_state_dir.h"

using namespace ipres;

namespace {

// Puts `text` in place of the tag's record of `kind`, as someone else might.
void Overwrite(const char* kind, const char* text) {
  char name[StateDir::kNameCapacity];
  Result<NetnsKey> key = CurrentNetnsKey();
  assert_true(key.ok());
  assert_true(FormatStateName("vip", key.value(), kind, name, sizeof name));
  char path[200];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

void ExpectRefused(const Status& s) {
  assert_false(s.ok());
  if (!strstr(StatusText(s).c_str(), "not a record ipres wrote")) {
    fail_msg("error '%s' does not refuse the record", StatusText(s).c_str());
  }
}

bool Stopping() {
  return false;
}

// The last word reads back with its generation; each word draws a new one,
// so an operation can tell a later word from its own.
void WordReadsBack(void**) {
  TagState tags(g_dir);
  Result<Word> none = tags.LastWord("vip");
  assert_true(none.ok());
  assert_true(none.value() == Word());
  Result<Word> restore = tags.RecordWord("vip", true);
  assert_true(restore.ok());
  assert_int_equal(static_cast<int>(restore.value().kind), static_cast<int>(WordKind::kRestore));
  assert_true(restore.value().generation != 0);
  assert_true(tags.LastWord("vip").value() == restore.value());
  Result<Word> again = tags.RecordWord("vip", true);
  assert_true(again.ok() && again.value() != restore.value());  // a generation of its own
  Result<Word> remove = tags.RecordWord("vip", false);
  assert_true(remove.ok());
  assert_int_equal(static_cast<int>(remove.value().kind), static_cast<int>(WordKind::kRemove));
  assert_true(tags.LastWord("vip").value() == remove.value());
  assert_true(tags.LastWord("other").value() == Word());  // words are per tag
}

// A stopped restore withdraws its own word, never a later one.
void WithdrawDeletesOnlyItsOwnWord(void**) {
  TagState tags(g_dir);
  Result<Word> mine = tags.RecordWord("vip", true);
  assert_true(mine.ok());
  Result<Word> later = tags.RecordWord("vip", false);
  assert_true(later.ok());
  assert_true(tags.WithdrawWord("vip", mine.value()).ok());
  assert_true(tags.LastWord("vip").value() == later.value());  // kept
  assert_true(tags.WithdrawWord("vip", later.value()).ok());
  assert_true(tags.LastWord("vip").value() == Word());        // gone
  assert_true(tags.WithdrawWord("vip", later.value()).ok());  // none left: success
}

// No room for the record (here: a directory where its temporary goes, so
// the write fails): a remove deletes the word instead, a restore fails.
void RemoveWithoutRoomDeletesTheWord(void**) {
  TagState tags(g_dir);
  assert_true(tags.RecordWord("vip", true).ok());
  char name[StateDir::kNameCapacity];
  Result<NetnsKey> key = CurrentNetnsKey();
  assert_true(key.ok());
  assert_true(FormatStateName("vip", key.value(), "wanted.tmp", name, sizeof name));
  char path[200];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  assert_int_equal(mkdir(path, 0700), 0);
  Result<Word> removed = tags.RecordWord("vip", false);
  assert_true(removed.ok());
  assert_true(removed.value() == Word());  // no word: deleted
  assert_true(tags.LastWord("vip").value() == Word());
  assert_false(tags.RecordWord("vip", true).ok());
}

// Runs `wanted`'s RecordWord in a child, launched after this process;
// returns the word it recorded.
Word RecordInALaterProcess(bool wanted) {
  int pipe_fds[2];
  assert_int_equal(pipe(pipe_fds), 0);
  const pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    Result<Word> word = TagState(g_dir).RecordWord("vip", wanted);
    const bool recorded = word.ok() && !word.value().spoken_later;
    if (recorded) (void)!write(pipe_fds[1], &word.value(), sizeof(Word));
    _exit(recorded ? 0 : 1);
  }
  close(pipe_fds[1]);
  Word word;
  assert_int_equal(read(pipe_fds[0], &word, sizeof word), sizeof word);
  close(pipe_fds[0]);
  int status = 0;
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  return word;
}

// The engine's order is the order it launched the writers in, not the order
// they got to write: a word from a process launched after this one stands
// (returned as spoken_later, this one not recorded); this process's word
// replaces one from a process launched before it, or one whose launch is
// not known (an older record).
void AWordLaunchedLaterStands(void**) {
  TagState tags(g_dir);
  Result<Word> first = tags.RecordWord("vip", true);
  assert_true(first.ok() && !first.value().spoken_later && first.value().launched != 0);
  const Word later = RecordInALaterProcess(false);  // replaces this process's word
  assert_true(later.kind == WordKind::kRemove && later.launched >= first.value().launched);
  assert_true(tags.LastWord("vip").value() == later);
  Result<Word> late = tags.RecordWord("vip", true);
  assert_true(late.ok() && late.value().spoken_later);
  assert_true(late.value() == later);
  assert_true(tags.LastWord("vip").value() == later);  // still the later-launched remove
  char text[64];
  snprintf(text, sizeof text, "remove 00000000000000ab %d\n", static_cast<int>(later.writer));
  Overwrite("wanted", text);  // an older record: when its writer was launched is not known
  Result<Word> replaced = tags.RecordWord("vip", true);
  assert_true(replaced.ok() && !replaced.value().spoken_later);
  assert_true(tags.LastWord("vip").value() == replaced.value());
  // Launched later than now: a word from before a reboot, in a /run that
  // outlived it.
  snprintf(text, sizeof text, "remove 00000000000000ab %d 99999999999\n",
           static_cast<int>(later.writer));
  Overwrite("wanted", text);
  replaced = tags.RecordWord("vip", true);
  assert_true(replaced.ok() && !replaced.value().spoken_later);
  assert_true(tags.LastWord("vip").value() == replaced.value());
}

// Writers of words take turns: two processes writing at once never trip
// over each other's temporary, and the last rename is a whole record.
void WordsWrittenAtOnceTakeTurns(void**) {
  assert_true(TagState(g_dir).OpenDir().ok());
  // Two fresh writers a round, launched one after the other: each compares
  // and writes in its turn (the later-launched one's word stands), so both
  // write whenever the earlier one gets there first.
  for (int round = 0; round < 150; ++round) {
    pid_t writers[2];
    for (int w = 0; w < 2; ++w) {
      writers[w] = fork();
      assert_true(writers[w] >= 0);
      if (writers[w] == 0) {
        TagState tags(g_dir);  // each process opens the directory itself, as ipres does
        _exit(tags.RecordWord("vip", w == 0).ok() ? 0 : 1);
      }
    }
    for (pid_t writer : writers) {
      int status = 0;
      assert_int_equal(waitpid(writer, &status, 0), writer);
      assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    Result<Word> last = TagState(g_dir).LastWord("vip");
    assert_true(last.ok() && last.value().writer == writers[1]);  // the later-launched one's
  }
}

// The monitor's watch: a word renamed into place or deleted is a change;
// another record, or nothing, is not; what was read is not told twice.
void TheWordWatchSeesWordsOnly(void**) {
  TagState tags(g_dir);
  Result<const char*> dir = tags.OpenDir();
  assert_true(dir.ok());
  WordWatch watch;
  assert_true(watch.Open(dir.value()).ok());
  Result<bool> changed = watch.TakeChange();
  assert_true(changed.ok() && !changed.value());
  assert_true(tags.MarkUnfinished("vip", kDeviceDown).ok());
  changed = watch.TakeChange();
  assert_true(changed.ok() && !changed.value());
  assert_true(tags.RecordWord("vip", true).ok());
  changed = watch.TakeChange();
  assert_true(changed.ok() && changed.value());
  changed = watch.TakeChange();
  assert_true(changed.ok() && !changed.value());
  char name[StateDir::kNameCapacity];
  assert_true(FormatStateName("vip", CurrentNetnsKey().value(), kWordKind, name, sizeof name));
  char path[200];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  assert_int_equal(unlink(path), 0);
  changed = watch.TakeChange();
  assert_true(changed.ok() && changed.value());
}

void TheWordWatchNeedsTheDirectory(void**) {
  WordWatch watch;
  Status s = watch.Open(g_dir);  // not made
  assert_false(s.ok());
  assert_non_null(strstr(StatusText(s).c_str(), "watch"));
}

void UnfinishedStepsAddUpAndClear(void**) {
  TagState tags(g_dir);
  Result<uint32_t> steps = tags.Unfinished("vip");
  assert_true(steps.ok());
  assert_int_equal(steps.value(), 0);
  assert_true(tags.MarkUnfinished("vip", kDeviceDown).ok());
  assert_true(tags.MarkUnfinished("vip", kAddressAdded).ok());
  steps = tags.Unfinished("vip");
  assert_int_equal(steps.value(), kDeviceDown | kAddressAdded);
  assert_true(tags.ClearUnfinished("vip", kDeviceDown).ok());
  steps = tags.Unfinished("vip");
  assert_int_equal(steps.value(), kAddressAdded);
  assert_true(tags.ClearUnfinished("vip", kDeviceDown).ok());  // not recorded: nothing to do
  assert_true(tags.MarkUnfinished("vip", kDeviceDown).ok());
  assert_true(tags.ClearUnfinished("vip", kEveryStep).ok());
  steps = tags.Unfinished("vip");
  assert_int_equal(steps.value(), 0);
  assert_int_equal(tags.Unfinished("other").value(), 0);  // records are per tag
}

void RecordsIpresDidNotWriteAreRefused(void**) {
  TagState tags(g_dir);
  assert_true(tags.RecordWord("vip", true).ok());
  assert_true(tags.MarkUnfinished("vip", kDeviceDown).ok());
  const char* bad_words[] = {
      "yes\n",                                                  // what it is not
      "wanted\n",                                               // what earlier versions wrote
      "restore 00000000000000ab",                               // no newline
      "restore 00000000000000AB\n",                             // upper case
      "restore 00000000000000a\n",                              // 15 digits
      "remove 0000000000000000\n",                              // generation 0
      "restore 00000000000000ab\n\n",                           // two lines
      "stop 00000000000000ab\n",                                // another word
      "restore 00000000000000ab 0\n",                           // process 0
      "restore 00000000000000ab 12x\n",                         // not a number
      "restore 00000000000000ab -5\n",                          // negative
      "restore 00000000000000ab 99999999999\n",                 // beyond a pid
      "restore 00000000000000ab 12 00\n",                       // a leading zero
      "restore 00000000000000ab 12 7x\n",                       // not a number
      "restore 00000000000000ab 12 99999999999999999999999\n",  // beyond 64 bits
  };
  for (const char* text : bad_words) {
    Overwrite("wanted", text);
    ExpectRefused(tags.LastWord("vip").status());
  }
  Overwrite("wanted", "remove 00000000000000ab 12 0\n");  // launched when /proc could not tell
  Result<Word> unknown_launch = tags.LastWord("vip");
  assert_true(unknown_launch.ok() && unknown_launch.value().writer == 12);
  assert_true(unknown_launch.value().launched == 0);
  Overwrite("wanted", "remove 00000000000000ab\n");
  Result<Word> good = tags.LastWord("vip");
  assert_true(good.ok() && good.value().generation == 0xab);
  assert_int_equal(good.value().writer, 0);  // an older record: the writer unknown
  assert_false(good.value().writer_running);
}

// The word names the process that spoke; the monitor waits while it runs.
void WordNamesItsRunningWriter(void**) {
  TagState tags(g_dir);
  Result<Word> mine = tags.RecordWord("vip", true);
  assert_true(mine.ok());
  assert_int_equal(mine.value().writer, getpid());
  Result<Word> read = tags.LastWord("vip");
  assert_true(read.ok() && read.value() == mine.value());
  assert_int_equal(read.value().writer, getpid());
  assert_false(read.value().writer_running);  // this process is no other operation
  const pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  assert_true(child > 0);
  char text[64];
  snprintf(text, sizeof text, "restore 00000000000000ab %d\n", static_cast<int>(child));
  Overwrite("wanted", text);
  read = tags.LastWord("vip");
  assert_true(read.ok() && read.value().writer == child && read.value().writer_running);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  read = tags.LastWord("vip");
  assert_true(read.ok() && read.value().writer == child && !read.value().writer_running);
  Overwrite("unfinished", "device-up\n");
  ExpectRefused(tags.Unfinished("vip").status());
  ExpectRefused(tags.MarkUnfinished("vip", kAddressAdded));
}

// The monitor's record of a standing conflict, as quickCheck reads it. The
// read makes nothing: without the directory, no conflict.
void ConflictReadsBack(void**) {
  char missing[200];
  snprintf(missing, sizeof missing, "%s/not-made", g_dir);
  TagState elsewhere(missing);
  Result<Conflict> nothing = elsewhere.RecordedConflict("vip");
  assert_true(nothing.ok());
  assert_true(nothing.value().stands_until_ms == 0);
  assert_int_equal(access(missing, F_OK), -1);
  TagState tags(g_dir);
  Result<Conflict> none = tags.RecordedConflict("vip");
  assert_true(none.ok());
  assert_true(none.value().stands_until_ms == 0);
  Conflict c;
  c.claimant = MacAddress{{0x02, 0xab, 0, 0, 0x10, 0xff}};
  c.stands_until_ms = 123456789012;
  assert_true(tags.RecordConflict("vip", c).ok());
  Result<Conflict> back = tags.RecordedConflict("vip");
  assert_true(back.ok());
  assert_true(back.value().claimant == c.claimant);
  assert_true(back.value().stands_until_ms == c.stands_until_ms);
  c.stands_until_ms = 5;  // replaced whole
  assert_true(tags.RecordConflict("vip", c).ok());
  assert_true(tags.RecordedConflict("vip").value().stands_until_ms == 5);
  assert_true(tags.RecordedConflict("other").value().stands_until_ms == 0);
}

void ConflictRecordsIpresDidNotWriteAreRefused(void**) {
  TagState tags(g_dir);
  assert_true(tags.RecordWord("vip", false).ok());  // makes the directory
  const char* bad[] = {
      "claimant 02:ab:00:00:10:ff until 5",         // no newline
      "claimant 02:ab:00:00:10:ff until 5\n\n",     // two lines
      "claimant 02:AB:00:00:10:ff until 5\n",       // upper case
      "claimant 02:ab:00:00:10 until 5\n",          // short MAC
      "claimant 02:ab:00:00:10:ff-until 5\n",       // fields
      "claimant 02:ab:00:00:10:ff until -5\n",      // sign
      "claimant 02:ab:00:00:10:ff until 0\n",       // no time
      "claimant 02:ab:00:00:10:ff until 5 more\n",  // extra field
      "holder 02:ab:00:00:10:ff until 5\n",
  };
  for (const char* text : bad) {
    Overwrite("conflict", text);
    ExpectRefused(tags.RecordedConflict("vip").status());
  }
}

void TheLockIsTakenAndLetGo(void**) {
  TagState tags(g_dir);
  Result<LockTaken> locked = tags.LockTag("vip", LockIntent::kBringUp, Stopping);
  assert_true(locked.ok());
  assert_false(locked.value().waited);
  assert_false(locked.value().abandoned);
  assert_true(tags.AcceptAbandonRequests().ok());
  assert_false(tags.AbandonRequested());
  tags.UnlockTag();
  // Free again: a take-down finds nobody to ask.
  locked = tags.LockTag("vip", LockIntent::kTakeDown, Stopping);
  assert_true(locked.ok());
  assert_false(locked.value().waited);
  assert_false(locked.value().abandoned);
  tags.UnlockTag();
}

// Another process holds the lock for 0.2 s: both intents wait for it, and say
// so (the monitor's recover goes by that); nobody asked anyone to abandon.
void AWaitForAnotherHolderIsReported(void**) {
  TagState tags(g_dir);
  Result<LockTaken> locked = tags.LockTag("vip", LockIntent::kBringUp, Stopping);  // makes the file
  assert_true(locked.ok());
  tags.UnlockTag();
  char name[StateDir::kNameCapacity];
  Result<NetnsKey> key = CurrentNetnsKey();
  assert_true(key.ok());
  assert_true(FormatStateName("vip", key.value(), "lock", name, sizeof name));
  char path[200];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  for (LockIntent intent : {LockIntent::kBringUp, LockIntent::kTakeDown}) {
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t holder = fork();
    assert_true(holder >= 0);
    if (holder == 0) {
      int fd = open(path, O_RDWR);
      if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(ready[1], "x", 1) != 1) _exit(1);
      usleep(200000);
      _exit(0);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    locked = tags.LockTag("vip", intent, Stopping);
    assert_true(locked.ok());
    assert_true(locked.value().waited);
    assert_false(locked.value().abandoned);
    tags.UnlockTag();
    int status = 0;
    assert_int_equal(waitpid(holder, &status, 0), holder);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(ready[0]);
    close(ready[1]);
  }
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(WordReadsBack, Setup, Teardown),
      cmocka_unit_test_setup_teardown(WithdrawDeletesOnlyItsOwnWord, Setup, Teardown),
      cmocka_unit_test_setup_teardown(RemoveWithoutRoomDeletesTheWord, Setup, Teardown),
      cmocka_unit_test_setup_teardown(AWordLaunchedLaterStands, Setup, Teardown),
      cmocka_unit_test_setup_teardown(WordsWrittenAtOnceTakeTurns, Setup, Teardown),
      cmocka_unit_test_setup_teardown(TheWordWatchSeesWordsOnly, Setup, Teardown),
      cmocka_unit_test_setup_teardown(TheWordWatchNeedsTheDirectory, Setup, Teardown),
      cmocka_unit_test_setup_teardown(UnfinishedStepsAddUpAndClear, Setup, Teardown),
      cmocka_unit_test_setup_teardown(RecordsIpresDidNotWriteAreRefused, Setup, Teardown),
      cmocka_unit_test_setup_teardown(WordNamesItsRunningWriter, Setup, Teardown),
      cmocka_unit_test_setup_teardown(ConflictReadsBack, Setup, Teardown),
      cmocka_unit_test_setup_teardown(ConflictRecordsIpresDidNotWriteAreRefused, Setup, Teardown),
      cmocka_unit_test_setup_teardown(TheLockIsTakenAndLetGo, Setup, Teardown),
      cmocka_unit_test_setup_teardown(AWaitForAnotherHolderIsReported, Setup, Teardown),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
