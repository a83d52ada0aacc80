// SPDX-License-Identifier: Apache-2.0
#include "cli/lkping_options.h"

#include <string.h>

#include "base/text_fields.h"

namespace ipres {
namespace {

// ping's limit for -i and -W: milliseconds must fit an int.
constexpr uint32_t kMaxSecondsMs = 2147483000u;
constexpr uint64_t kMaxCount = 9223372036854775807ull;  // ping's LONG_MAX

bool ParseCount(const char* text, uint64_t* out) {
  return ParseDecimal(text, strlen(text), 1, kMaxCount, out) == FieldParse::kOk;
}

bool ParseSeconds(const char* text, uint32_t min_ms, uint32_t* out) {
  return ParseSecondsMs(text, strlen(text), SecondsSyntax::kPing, min_ms, kMaxSecondsMs, out) ==
         FieldParse::kOk;
}

Status ParseExcludeList(const char* text, LkpingOptions* out) {
  const char* p = text;
  for (;;) {
    const char* comma = strchr(p, ',');
    size_t len = comma ? static_cast<size_t>(comma - p) : strlen(p);
    IpAddress a;
    if (!ParseIpAddress(p, len, &a)) return Status::Fail("bad address in -z '%s'", text);
    if (out->exclude_count == EchoTracker::kMaxExcluded) {
      return Status::Fail("-z: more than %zu addresses", EchoTracker::kMaxExcluded);
    }
    out->exclude[out->exclude_count++] = a;
    if (!comma) return OkStatus();
    p = comma + 1;
  }
}

Status ApplyOption(char option, const char* value, LkpingOptions* out) {
  switch (option) {
    case 'c':
      if (!ParseCount(value, &out->count)) return Status::Fail("bad count -c '%s'", value);
      return OkStatus();
    case 'w':
      if (!ParseSeconds(value, 0, &out->deadline_ms)) {
        return Status::Fail("bad deadline -w '%s'", value);
      }
      return OkStatus();
    case 'W':
      if (!ParseSeconds(value, 1, &out->timeout_ms)) {
        return Status::Fail("bad timeout -W '%s'", value);
      }
      return OkStatus();
    case 'i':
      if (!ParseSeconds(value, 0, &out->interval_ms)) {
        return Status::Fail("bad interval -i '%s'", value);
      }
      return OkStatus();
    case 'I':
      if (ParseIpAddress(value, &out->source)) {
        out->device[0] = '\0';
        return OkStatus();
      }
      if (!IsValidDeviceName(value))
        return Status::Fail("bad -I '%s': not an address or device", value);
      out->source = IpAddress();
      memcpy(out->device, value, strlen(value) + 1);
      return OkStatus();
    default:  // 'z', the last that TakesValue admits
      return ParseExcludeList(value, out);
  }
}

bool TakesValue(char option) {
  return strchr("cwWiIz", option) != nullptr;
}

Status SetDestination(const char* text, LkpingOptions* out) {
  if (out->destination_text) return Status::Fail("more than one DEST ('%s')", text);
  if (!ParseIpAddress(text, &out->destination)) return Status::Fail("bad address '%s'", text);
  out->destination_text = text;
  return OkStatus();
}

}  // namespace

const char kLkpingUsage[] =
    "usage: lkping [-b] [-c COUNT] [-w DEADLINE] [-W TIMEOUT] [-i INTERVAL]\n"
    "              [-I ADDR|DEV] [-z ADDR[,ADDR...]] [-q] DEST\n"
    "       lkping -h | --help | -V | --version\n"
    "  -b            allow pinging a broadcast address\n"
    "  -c COUNT      stop after COUNT replies\n"
    "  -w DEADLINE   seconds before lkping exits, whatever was sent or received\n"
    "  -W TIMEOUT    seconds to wait for a reply after the last echo\n"
    "  -i INTERVAL   seconds between echoes (default 1)\n"
    "  -I ADDR|DEV   send from this address, or on this device\n"
    "  -z ADDR,...   replies from these addresses do not count\n"
    "  -q            print only the summary\n"
    "  -h, --help    print this and exit\n"
    "  -V, --version print the version and exit\n"
    "DEST is a dotted quad or an IPv6 address. Seconds may have a fraction (0.25).\n"
    "exit: 0 a reply that is not excluded arrived, 1 none did, 2 any other error\n";

Status ParseLkpingOptions(int argc, char* const* argv, LkpingOptions* out) {
  *out = LkpingOptions();
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      Status st = SetDestination(arg, out);
      if (!st.ok()) return st;
      continue;
    }
    if (!strcmp(arg, "--")) {
      options_done = true;
      continue;
    }
    // The long options a user tries first; -h and -V are ping's own.
    if (!strcmp(arg, "--help")) {
      out->help = true;
      continue;
    }
    if (!strcmp(arg, "--version")) {
      out->version = true;
      continue;
    }
    // Grouped flags and attached values, as getopt: "-bqc1" is -b -q -c 1.
    for (const char* p = arg + 1; *p; ++p) {
      char option = *p;
      if (option == 'b') {
        out->broadcast = true;
      } else if (option == 'q') {
        out->quiet = true;
      } else if (option == 'h') {
        out->help = true;
      } else if (option == 'V') {
        out->version = true;
      } else if (TakesValue(option)) {
        const char* value = p[1] ? p + 1 : nullptr;
        if (!value) {
          if (i + 1 >= argc) return Status::Fail("option -%c needs a value", option);
          value = argv[++i];
        }
        Status st = ApplyOption(option, value, out);
        if (!st.ok()) return st;
        break;
      } else {
        return Status::Fail("unknown option -%c", option);
      }
    }
  }
  if (out->help || out->version) return OkStatus();
  if (!out->destination_text) return Status::Fail("missing DEST");
  if (!out->source.IsUnspecified() && !SameFamily(out->source, out->destination)) {
    return Status::Fail("-I %s and DEST %s are of different families", IpText(out->source).s,
                        out->destination_text);
  }
  return OkStatus();
}

}  // namespace ipres
