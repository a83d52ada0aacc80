// SPDX-License-Identifier: Apache-2.0
#include "ops/wanted.h"

namespace ipres {

Result<Word> RecordWord(const Op& op, bool wanted) {
  Result<Word> word = op.host.RecordWord(op.r.tag, wanted);
  if (!word.ok()) {
    return op.FailedWith(word.status(), "record that %s is %swanted here", op.r.tag,
                         wanted ? "" : "not ");
  }
  if (!wanted && word.value().kind == WordKind::kNone) {
    op.Log(LogLevel::kWarning, "no room to record that %s is not wanted here: deleted its word",
           op.r.tag);
  }
  return word;
}

Result<bool> Superseded(const Op& op, const Word& mine) {
  Result<Word> last = op.host.LastWord(op.r.tag);
  if (!last.ok()) return op.FailedWith(last.status(), "read the last word on %s", op.r.tag);
  if (last.value() == mine) return false;
  op.Log(LogLevel::kInfo, "superseded by a later %s: leaving %s to it",
         last.value().kind == WordKind::kRestore ? "restore" : "remove", IpText(op.r.address).s);
  return true;
}

Status AcceptAbandonRequests(const Op& op) {
  Status s = op.host.AcceptAbandonRequests();
  if (s.ok()) return s;
  return op.FailedWith(s, "record the lock holder of %s", op.r.tag);
}

}  // namespace ipres
