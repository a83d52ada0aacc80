// SPDX-License-Identifier: Apache-2.0
#include "ops/wanted.h"

namespace ipres {

Result<Word> RecordWord(const Op& op, bool wanted) {
  Result<Word> word = op.host.RecordWord(op.r.tag, wanted);
  if (!word.ok()) {
    return op.FailRecord(word.status(), "record that %s is %swanted here", op.r.tag,
                         wanted ? "" : "not ");
  }
  if (word.value().spoken_later) {
    op.Log(LogLevel::kInfo, "superseded by a %s launched after this %s: leaving %s to it",
           word.value().kind == WordKind::kRestore ? "restore" : "remove", op.name,
           IpText(op.r.address).s);
  } else if (!wanted && word.value().kind == WordKind::kNone) {
    op.Log(LogLevel::kWarning, "no room to record that %s is not wanted here: deleted its word",
           op.r.tag);
  }
  return word;
}

Result<bool> Superseded(const Op& op, const Word& mine) {
  Result<Word> last = op.host.LastWord(op.r.tag);
  if (!last.ok()) return op.FailRecord(last.status(), "read the last word on %s", op.r.tag);
  if (last.value() == mine) return false;
  op.Log(LogLevel::kInfo, "superseded by a later %s: leaving %s to it",
         last.value().kind == WordKind::kRestore ? "restore" : "remove", IpText(op.r.address).s);
  return true;
}

void WithdrawWord(const Op& op, const Word& mine) {
  Status s = op.host.WithdrawWord(op.r.tag, mine);
  if (!s.ok()) {
    op.FailRecord(s, "withdraw the word of this stopped restore on %s", op.r.tag)
        .IgnoreError("logged by FailRecord; the caller returns the stop's own error");
    return;
  }
  op.Log(LogLevel::kInfo, "stopped by signal: withdrew its word, the monitor leaves %s absent",
         IpText(op.r.address).s);
}

Status AcceptAbandonRequests(const Op& op) {
  Status s = op.host.AcceptAbandonRequests();
  if (s.ok()) return s;
  return op.FailRecord(s, "record the lock holder of %s", op.r.tag);
}

}  // namespace ipres
