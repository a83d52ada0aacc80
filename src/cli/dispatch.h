// SPDX-License-Identifier: Apache-2.0
// `ipres COMMAND ...`: the words read against the table of commands
// (cli/commands.h), the tags they name found, the process's capabilities
// cut to what the command keeps, then its handler run.
#pragma once

namespace ipres {

// Returns the exit status. A usage or input error is one line on stderr
// (exit 2), before anything is touched.
int IpresMain(int argc, char** argv);

}  // namespace ipres
