// SPDX-License-Identifier: Apache-2.0
// lkping: ping as the connectivity check does (contract.md), as `lkping ...`
// (argv[0]) or `ipres lkping ...`. Returns the exit status: 0 a reply that is
// not excluded arrived, 1 none did, 2 any other error.
#pragma once

namespace ipres {

// Its argv[0], and ipres's command for it.
constexpr char kLkpingName[] = "lkping";

// Its exit statuses, as iputils ping's.
constexpr int kLkpingExitReplied = 0;
constexpr int kLkpingExitNoReply = 1;
constexpr int kLkpingExitError = 2;

int LkpingMain(int argc, char** argv);

}  // namespace ipres
