// SPDX-License-Identifier: Apache-2.0
// The commands of `ipres COMMAND ...` (contract "Binary"), one row each in
// kCommands: the dispatcher (cli/dispatch.h) and the usage text read that
// table, and nothing else lists them.
#pragma once

#include <stddef.h>
#include <stdio.h>

#include "config/resource.h"
#include "host/host.h"

namespace ipres {

// Exit statuses (contract "Binary").
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitAbsent = 3;  // status TAG: the address is not on its device

// What a command takes after its name. The dispatcher checks it, and finds
// the resources named, before the handler runs.
enum class Takes {
  kNothing,   // no word at all
  kOneTag,    // exactly one word, a compiled-in tag
  kJsonFlag,  // nothing, or --json
  kTags,      // compiled-in tags, any number (each counts once); none: every one
  kAnything,  // words the handler reads itself (lkping's options), or ignores
};

// What the process may do once the dispatcher hands over to the handler.
enum class Keeps {
  kAsItIs,   // touches nothing of the machine, or sees to it itself (lkping)
  kNothing,  // only reads (netlink dumps, /run/ipres): every capability dropped
  kNetwork,  // changes the network: CAP_NET_ADMIN and CAP_NET_RAW, nothing else
};

// How a command appears in the usage text.
enum class Listed {
  kOwnLine,      // "  NAME ARGS   HELP"
  kOptionsLine,  // on the last line with the other options ("--help | --version")
  kNot,          // another spelling of a listed one (quickcheck, -h, help)
};

// What a handler runs with. `host` is null for a command that keeps its
// privileges as they are (Keeps::kAsItIs): it touches nothing through it.
struct Invocation {
  const char* name;  // the command as typed (quickcheck too)
  int argc;          // the words from the command's name on
  char** argv;
  Host* host;
  const Resource* resources[kMaxResources];  // the tags named (Takes::kOneTag, kTags)
  size_t count;
};

struct Command {
  const char* name;
  Takes takes;
  Keeps keeps;
  int (*run)(const Invocation& call);  // returns the exit status
  Listed listed;
  const char* help;  // the usage line's text (Listed::kOwnLine)
};

extern const Command kCommands[];
extern const size_t kCommandCount;

// `ipres --help`: a line for each command, made from the table.
void PrintUsage(FILE* out);

}  // namespace ipres
