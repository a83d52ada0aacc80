// SPDX-License-Identifier: Apache-2.0
// How the monitor follows the engine's last word (contract "The last word
// wins"): it keeps a tag's address up while the last word is a restore and
// leaves it alone otherwise, whatever AUTOSTART says; a new word is acted on
// at once (kWordChanged), so an operation SIGKILLed after recording its word
// is completed here.
#pragma once

#include "config/resource.h"
#include "host/host.h"

namespace ipres {

// The tag's last word; a record that cannot be read is no word (the
// resource is left alone), and the log says why. `readable`, when given,
// says whether it could be read: a word that changed into one that cannot
// be read is no remove either (an ipres of another version may have
// written it), so nothing is taken down for it.
Word LastWordOf(Host& host, const Resource& r, bool* readable = nullptr);
// A restore, remove or recover killed on this tag (this monitor's own
// recover, in an earlier life, too) may have left its device down or its
// address added but not in service: finished here, under the tag's lock, as
// the next operation would: put in service when the last word is a restore,
// taken down otherwise.
void FinishUnfinished(Host& host, const Resource& r);
// After a new word that is not a restore: once the tag's lock is free (the
// remove that spoke, if it still runs, has done its job), an address still
// on its device is taken down as remove would: that remove was killed.
void TakeDownAfterRemove(Host& host, const Resource& r);

}  // namespace ipres
