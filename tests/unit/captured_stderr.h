// SPDX-License-Identifier: Apache-2.0
// What the code under test logs (to stderr, one write per line), kept while
// a CapturedStderr lives; Text() gives stderr back and returns the lines.
// Assert only after Text(): cmocka reports failures on stderr too.
#pragma once

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmocka_cxx.h"

class CapturedStderr {
 public:
  CapturedStderr() {
    fflush(stderr);
    file_ = tmpfile();
    saved_ = dup(STDERR_FILENO);
    if (!file_ || saved_ < 0 || dup2(fileno(file_), STDERR_FILENO) < 0) {
      fail_msg("cannot capture stderr");
    }
    active_ = this;
  }
  ~CapturedStderr() { Restore(); }
  // Gives stderr back, if a capture holds it, before a helper fails a test
  // while the test still captures: cmocka's jump out of the test skips the
  // destructor, and its report, and every later test's, would go to the file.
  static void GiveBack() {
    if (active_) active_->Restore();
  }
  CapturedStderr(const CapturedStderr&) = delete;
  CapturedStderr& operator=(const CapturedStderr&) = delete;

  const char* Text() {
    Restore();
    return text_;
  }

 private:
  void Restore() {
    if (active_ == this) active_ = nullptr;
    if (saved_ < 0) return;
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
    ssize_t n = pread(fileno(file_), text_, sizeof text_ - 1, 0);
    text_[n > 0 ? n : 0] = '\0';
    fclose(file_);
    file_ = nullptr;
  }

  static inline CapturedStderr* active_ = nullptr;
  FILE* file_ = nullptr;
  int saved_ = -1;
  char text_[16384];
};

// Fails the test unless `text` holds `line` as a whole line.
inline void ExpectLine(const char* text, const char* line) {
  const size_t len = strlen(line);
  for (const char* at = strstr(text, line); at; at = strstr(at + 1, line)) {
    if ((at == text || at[-1] == '\n') && (at[len] == '\n' || at[len] == '\0')) return;
  }
  fail_msg("no line '%s' in:\n%s", line, text);
}
