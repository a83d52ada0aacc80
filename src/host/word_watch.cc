// SPDX-License-Identifier: Apache-2.0
#include "host/word_watch.h"

#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <utility>

#include "host/tag_state.h"

namespace ipres {
namespace {

// A record is renamed into place (a word written) or deleted (a remove on
// a full /run); its temporary's own events end in ".tmp" and do not match.
constexpr uint32_t kWordEvents = IN_MOVED_TO | IN_DELETE;

bool NamesWordRecord(const inotify_event& ev) {
  if (ev.len == 0) return false;
  const size_t len = strnlen(ev.name, ev.len);
  const size_t kind_len = strlen(kWordKind);
  return len > kind_len + 1 && ev.name[len - kind_len - 1] == '.' &&
         strcmp(ev.name + len - kind_len, kWordKind) == 0;
}

}  // namespace

Status WordWatch::Open(const char* dir) {
  UniqueFd fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd.valid()) return Status::Errno(errno, "inotify for %s", dir);
  if (inotify_add_watch(fd.get(), dir, kWordEvents | IN_ONLYDIR) < 0) {
    return Status::Errno(errno, "watch %s for new words", dir);
  }
  fd_ = std::move(fd);
  return OkStatus();
}

Result<bool> WordWatch::TakeChange() {
  alignas(inotify_event) char buffer[4096];
  bool changed = false;
  for (;;) {
    const ssize_t n = read(fd_.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EAGAIN) return changed;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Errno(errno, "read the state directory's watch");
    for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
      const inotify_event& ev = *reinterpret_cast<const inotify_event*>(buffer + at);
      changed |= (ev.mask & IN_Q_OVERFLOW) != 0 || NamesWordRecord(ev);
      at += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
    }
  }
}

}  // namespace ipres
