// SPDX-License-Identifier: Apache-2.0
#include "cli/lkping.h"

#include <errno.h>
#include <stdio.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/privilege.h"
#include "base/stop_signal.h"
#include "cli/lkping_options.h"
#include "net/icmp.h"

namespace ipres {
namespace {

// Integer-only formatting: musl's floating-point printf would pull in more
// code than all of lkping.
void PrintRtt(int64_t us) {
  if (us >= 100000 - 50) {
    printf(" time=%lld ms", static_cast<long long>((us + 500) / 1000));
  } else if (us >= 10000 - 5) {
    printf(" time=%lld.%01lld ms", static_cast<long long>((us + 50) / 1000),
           static_cast<long long>(((us + 50) % 1000) / 100));
  } else if (us >= 1000) {
    printf(" time=%lld.%02lld ms", static_cast<long long>((us + 5) / 1000),
           static_cast<long long>(((us + 5) % 1000) / 10));
  } else {
    printf(" time=%lld.%03lld ms", static_cast<long long>(us / 1000),
           static_cast<long long>(us % 1000));
  }
}

void PrintMs3(int64_t us) {
  printf("%lld.%03lld", static_cast<long long>(us / 1000), static_cast<long long>(us % 1000));
}

int64_t IntSqrt(int64_t a) {
  if (a <= 0) return 0;
  int64_t x = a;
  int64_t prev = x + 1;
  while (x < prev) {
    prev = x;
    x = (x + a / x) / 2;
  }
  return prev;
}

struct Stats {
  uint64_t transmitted = 0;
  uint64_t received = 0;  // distinct sequences answered
  uint64_t duplicates = 0;
  uint64_t errors = 0;
  int64_t min_us = 0;
  int64_t max_us = 0;
  int64_t sum_us = 0;
  int64_t sum2_us = 0;  // sum of squares, for mdev

  void Add(int64_t rtt_us, bool duplicate) {
    if (received + duplicates == 0 || rtt_us < min_us) min_us = rtt_us;
    if (rtt_us > max_us) max_us = rtt_us;
    sum_us += rtt_us;
    sum2_us += rtt_us * rtt_us;
    if (duplicate) {
      ++duplicates;
    } else {
      ++received;
    }
  }
};

// ping's "%g%%" loss, to four decimals with trailing zeros dropped.
void PrintLoss(const Stats& s) {
  uint64_t lost = s.transmitted - s.received;
  uint64_t scaled = (lost * 1000000u * 2 + s.transmitted) / (2 * s.transmitted);
  printf("%llu", static_cast<unsigned long long>(scaled / 10000));
  unsigned frac = static_cast<unsigned>(scaled % 10000);
  if (frac != 0) {
    int digits = 4;
    while (frac % 10 == 0) {
      frac /= 10;
      --digits;
    }
    printf(".%0*u", digits, frac);
  }
  printf("%%");
}

void PrintSummary(const char* dest, const Stats& s, int64_t elapsed_ms) {
  printf("\n--- %s ping statistics ---\n", dest);
  printf("%llu packets transmitted, %llu received", static_cast<unsigned long long>(s.transmitted),
         static_cast<unsigned long long>(s.received));
  if (s.duplicates) printf(", +%llu duplicates", static_cast<unsigned long long>(s.duplicates));
  if (s.errors) printf(", +%llu errors", static_cast<unsigned long long>(s.errors));
  if (s.transmitted) {
    printf(", ");
    PrintLoss(s);
    printf(" packet loss, time %lldms", static_cast<long long>(elapsed_ms));
  }
  printf("\n");
  if (s.received) {
    int64_t total = static_cast<int64_t>(s.received + s.duplicates);
    int64_t avg = s.sum_us / total;
    // ping's order of operations: exact for small times, no overflow for large.
    int64_t var = s.sum_us < 0x7fffffff ? (s.sum2_us - (s.sum_us * s.sum_us) / total) / total
                                        : s.sum2_us / total - avg * avg;
    printf("rtt min/avg/max/mdev = ");
    PrintMs3(s.min_us);
    printf("/");
    PrintMs3(avg);
    printf("/");
    PrintMs3(s.max_us);
    printf("/");
    PrintMs3(IntSqrt(var));
    printf(" ms\n");
  }
  fflush(stdout);
}

int Fail(const Status& st) {
  fprintf(stderr, "lkping: %s\n", StatusText(st).c_str());
  return kLkpingExitError;
}

void PrintHeader(const LkpingOptions& o, const char* device) {
  const bool bound = !o.source.IsUnspecified();
  if (o.destination.is_v6()) {
    // As ping -6 prints it: the source (:: when the kernel picks it) and
    // the device whenever either is given, and the payload alone.
    printf("PING %s(%s) ", o.destination_text, o.destination_text);
    if (bound || device) printf("from %s %s: ", IpText(o.source.v6()).s, device ? device : "");
    printf("%zu data bytes\n", Pinger::kPayloadBytes);
    fflush(stdout);
    return;
  }
  printf("PING %s (%s) ", o.destination_text, o.destination_text);
  if (bound || device) {
    printf("from %s%s%s: ", bound ? IpText(o.source).s : "", bound && device ? " " : "",
           device ? device : "");
  }
  // With the ICMP and IPv4 headers.
  printf("%zu(%zu) bytes of data.\n", Pinger::kPayloadBytes, Pinger::kPayloadBytes + 28);
  fflush(stdout);
}

void PrintReply(const PingEvent& ev) {
  printf("%u bytes from %s: icmp_seq=%u ttl=%u", ev.reply.icmp_bytes, IpText(ev.reply.from).s,
         ev.reply.sequence, ev.reply.ttl);
  PrintRtt(ev.rtt_us);
  printf("%s\n", ev.duplicate ? " (DUP!)" : "");
  fflush(stdout);
}

// The first echo tells whether the destination can be pinged at all: when
// it fails, lkping ends (true). A later failure is counted and lkping goes on.
bool SendFailureEnds(const LkpingOptions& o, const Status& st, Stats* stats) {
  if (stats->transmitted == 1) {
    if (st.err() == EACCES && !o.broadcast) {
      fputs(
          "lkping: Do you want to ping broadcast? Then -b. If not, check your local "
          "firewall rules\n",
          stderr);
    } else {
      Fail(st);
    }
    return true;
  }
  ++stats->errors;
  if (!o.quiet) fprintf(stderr, "lkping: %s\n", StatusText(st).c_str());
  return false;
}

// How long to wait for replies once the last echo of -c went out: twice the
// slowest reply (at least one interval), or -W when nothing answered.
int64_t LingerMs(const LkpingOptions& o, const Stats& s) {
  int64_t wait = s.received ? (2 * s.max_us + 999) / 1000 : o.timeout_ms;
  if (s.received && wait < o.interval_ms) wait = o.interval_ms;
  return wait;
}

// Any responder may answer a broadcast, and every node of an IPv6
// multicast group (ping -6 needs no -b for ff02::1).
bool AnyResponder(const LkpingOptions& o) {
  return o.broadcast || (o.destination.is_v6() && IsMulticast(o.destination.v6()));
}

int Run(const LkpingOptions& o) {
  Pinger pinger;
  const char* device = o.device[0] ? o.device : nullptr;
  Status st =
      pinger.Open(device, o.source, AnyResponder(o), &o.destination, 1, o.exclude, o.exclude_count);
  if (!st.ok()) return Fail(st);

  Stats stats;
  const int64_t start = MonotonicMs();
  const int64_t end = o.deadline_ms ? start + o.deadline_ms : 0;
  int64_t next_send = start;
  int64_t last_send = start;
  int64_t linger_until = 0;  // armed once the last echo of -c went out (no -w)
  bool sending = true;

  for (;;) {
    int64_t now = MonotonicMs();
    if (StopSignalled()) break;
    if (o.count && stats.received >= o.count) break;
    if (end && now >= end) break;
    if (linger_until && now >= linger_until) break;

    if (sending && now >= next_send) {
      st = pinger.Send(0);
      ++stats.transmitted;
      last_send = now;
      if (!st.ok()) {
        if (st.err() == EINTR) break;
        if (SendFailureEnds(o, st, &stats)) return kLkpingExitError;
      }
      if (stats.transmitted == 1) PrintHeader(o, device);
      next_send += o.interval_ms;
      if (next_send < now) next_send = now;
      // As ping: with -w, -c counts replies and echoes go on until it is met.
      if (o.count && stats.transmitted >= o.count && !o.deadline_ms) {
        sending = false;
        linger_until = now + LingerMs(o, stats);
      }
      continue;
    }

    int64_t wake = sending ? next_send : linger_until;
    if (end && (!wake || end < wake)) wake = end;
    PingEvent ev;
    Result<bool> got = pinger.Wait(wake, &ev);
    if (!got.ok()) {
      if (got.status().err() == EINTR) break;
      PrintSummary(o.destination_text, stats, last_send - start);
      return Fail(got.status());
    }
    if (!got.value()) continue;
    stats.Add(ev.rtt_us, ev.duplicate);
    if (!o.quiet) PrintReply(ev);
  }
  PrintSummary(o.destination_text, stats, last_send - start);
  return stats.received ? kLkpingExitReplied : kLkpingExitNoReply;
}

}  // namespace

int LkpingMain(int argc, char** argv) {
  SetSyslogEnabled(false);
  LkpingOptions options;
  Status st = ParseLkpingOptions(argc, argv, &options);
  if (!st.ok()) {
    fprintf(stderr, "lkping: %s\n%s", st.context(), kLkpingUsage);
    return kLkpingExitError;
  }
  if (options.help) {
    fputs(kLkpingUsage, stdout);
    return kLkpingExitReplied;
  }
  if (options.version) {
    printf("lkping from ipres %s\n", IPRES_VERSION);  // as ping -V: "ping from iputils N"
    return kLkpingExitReplied;
  }
  // Raw ICMP is all lkping needs; without it, nothing is sent.
  st = KeepOnlyCapabilities(kCapNetRaw);
  if (!st.ok()) return Fail(st);
  st = InstallStopHandlers();
  if (!st.ok()) return Fail(st);
  return Run(options);
}

}  // namespace ipres
