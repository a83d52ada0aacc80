// SPDX-License-Identifier: Apache-2.0
// What this node records about a tag for the operations that come after
// this one: the engine's last word (contract "The engine's word outlives the
// operation that carries it"), and who holds its lock (so a remove can ask
// a bring-up to abandon).
#pragma once

#include "base/status.h"
#include "ops/op.h"

namespace ipres {

// Records what this node was told about the tag (restore: wanted, remove:
// not), before the operation waits for anything. A failure is the
// operation's: logged, then returned, so the caller fails before it changes
// anything. A word the engine spoke after this one already standing (its
// process launched later, though it got going first) is logged in one line
// and returned with spoken_later: the caller leaves the address to it. A
// remove that could only delete the record (no room) is told so in a
// warning and goes on: no word is no restore either.
Result<Word> RecordWord(const Op& op, bool wanted);
// Under the tag's lock: true when a later restore or remove recorded its
// word since `mine` (that operation will do the job), logged in one line;
// the caller then leaves the address alone. A record that cannot be read is
// logged, then returned.
Result<bool> Superseded(const Op& op, const Word& mine);
// Deletes `mine` unless a later word replaced it (a stopped restore's word
// must not make the monitor act), logged in one line; a failure is logged
// only: the operation's own error is the one to return.
void WithdrawWord(const Op& op, const Word& mine);
// From here until the lock is released a remove may make this bring-up
// abandon. A failure to record that is logged, then returned.
Status AcceptAbandonRequests(const Op& op);

}  // namespace ipres
