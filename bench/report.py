#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/report.py DIR RESULTS.md: the table of make bench (bench/run.sh).

Reads DIR/time.txt (runstat lines), DIR/strace.CONTENDER.STEP.RUN
(strace -c -f), DIR/rss.txt, DIR/foot.txt, DIR/scale_time.txt and
DIR/scale_rss.txt (runstat lines labelled ADDRESSES/STEP), DIR/flood.txt
(bench/flood.sh) and DIR/meta.txt;
prints the tables and writes them, with the machine, into RESULTS.md."""
import glob
import os
import platform
import re
import statistics
import sys

CONTENDERS = ["ipres", "IPaddr2", "shell"]
# The IPv6 resource: ipres and IPaddr2 (the spec's commands are IPv4's).
CONTENDERS6 = ["ipres6", "IPaddr2v6"]
STEPS = ["restore", "quickCheck", "remove"]
SCALE_STEPS = ["quickCheck", "remove"]
NAMES = {
    ("ipres", "restore"): "ipres restore",
    ("ipres", "quickCheck"): "ipres quickCheck",
    ("ipres", "remove"): "ipres remove",
    ("IPaddr2", "restore"): "IPaddr2 start",
    ("IPaddr2", "quickCheck"): "IPaddr2 monitor",
    ("IPaddr2", "remove"): "IPaddr2 stop",
    ("shell", "restore"): "shell restore",
    ("shell", "quickCheck"): "shell quickCheck",
    ("shell", "remove"): "shell remove",
    ("ipres6", "restore"): "ipres restore",
    ("ipres6", "quickCheck"): "ipres quickCheck",
    ("ipres6", "remove"): "ipres remove",
    ("IPaddr2v6", "restore"): "IPaddr2 start",
    ("IPaddr2v6", "quickCheck"): "IPaddr2 monitor",
    ("IPaddr2v6", "remove"): "IPaddr2 stop",
}
SIZE_BUDGET = 150 * 1000  # bytes; 150 KB read as 150 000 (stricter than KiB)
RSS_BUDGET = 300  # kB


def quartiles(xs):
    xs = sorted(xs)
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], statistics.median(xs), q[2]


def fmt_ms(us):
    ms = us / 1000.0
    if ms >= 100:
        return "%.0f" % ms
    if ms >= 10:
        return "%.1f" % ms
    return "%.2f" % ms


def fmt_ratio(r):
    return "%.0fx" % r if r >= 10 else "%.1fx" % r


def parse_strace(path):
    calls = 0
    procs = 1
    with open(path) as f:
        for line in f:
            cols = line.split()
            if len(cols) not in (5, 6) or not cols[3].isdigit():
                continue
            name = cols[-1]
            try:
                n = int(cols[3])
            except ValueError:
                continue
            errors = int(cols[4]) if len(cols) == 6 else 0
            if name == "total":
                calls = n
            elif name in ("clone", "clone3", "fork", "vfork"):
                procs += n - errors
    return procs, calls


def read_runstat(path):
    """{(label, step): [{'wall_us':..., 'cpu_us':..., 'rss_kb':...}, ...]}"""
    runs = {}
    for line in open(path):
        label, *kv = line.split()
        kv = dict(x.split("=") for x in kv)
        n, s = label.split("/")
        runs.setdefault((int(n), s), []).append({k: int(v) for k, v in kv.items()})
    return runs


def scale_report(d, meta):
    """The scale table, the cost per 1,000 addresses and the budget lines, or
    None when the run has no scale part."""
    tpath, rpath = os.path.join(d, "scale_time.txt"), os.path.join(d, "scale_rss.txt")
    if not (os.path.exists(tpath) and os.path.exists(rpath)):
        return None
    times, rss = read_runstat(tpath), read_runstat(rpath)
    counts = sorted({n for n, _ in times})
    have = meta.get("scale_have", {})
    rows = ["| IPv4 addresses on the node | quickCheck wall ms: median (IQR) | quickCheck CPU ms "
            "| quickCheck peak RSS | remove wall ms: median (IQR) | remove CPU ms "
            "| remove peak RSS |",
            "|" + " --- |" * 7]
    med = {}
    peak = {}
    for n in counts:
        cells = ["{:,}".format(n) + ("" if have.get(n, n) == n else " (%s held)" % have[n])]
        for s in SCALE_STEPS:
            w = [r["wall_us"] for r in times[(n, s)]]
            c = [r["cpu_us"] for r in times[(n, s)]]
            k = [r["rss_kb"] for r in rss[(n, s)]]
            wq = quartiles(w)
            med[(n, s)] = (statistics.median(w), statistics.median(c))
            peak[(n, s)] = max(k)
            cells += ["%s (%s-%s)" % (fmt_ms(wq[1]), fmt_ms(wq[0]), fmt_ms(wq[2])),
                      fmt_ms(statistics.median(c)),
                      "%d kB" % max(k) if min(k) == max(k) else "%d kB (%d-%d)" % (max(k), min(k), max(k))]
        rows.append("| " + " | ".join(cells) + " |")
    table = "\n".join(rows)

    lo, hi = counts[0], counts[-1]
    mid = [n for n in counts if lo < n < hi]

    def per_k(a, b, s, i):  # ms per 1,000 addresses between counts a and b
        return (med[(b, s)][i] - med[(a, s)][i]) / 1000.0 / ((b - a) / 1000.0)

    cost = ["| step | wall ms per 1,000 addresses: %s | CPU ms per 1,000 addresses: %s |" % (
                ", ".join("%s-%s" % ("{:,}".format(a), "{:,}".format(b))
                          for a, b in zip(counts, counts[1:])) + ", %s-%s" % ("{:,}".format(lo), "{:,}".format(hi)),
                "{:,}-{:,}".format(lo, hi)),
            "| --- | --- | --- |"]
    for s in SCALE_STEPS:
        segs = [per_k(a, b, s, 0) for a, b in zip(counts, counts[1:])]
        cost.append("| ipres %s | %s | %.3f |" % (
            s, ", ".join("%.3f" % x for x in segs + [per_k(lo, hi, s, 0)]), per_k(lo, hi, s, 1)))
    cost_t = "\n".join(cost)

    def line(ok, text):
        return "- %s %s" % ("met:" if ok else "MISSED:", text)

    budget = []
    for s in SCALE_STEPS:
        grow = max(peak[(n, s)] for n in counts) - peak[(lo, s)]
        budget.append(line(grow <= 0, "peak RSS of %s does not grow with the addresses: %s (goal: +0 kB)" % (
            s, ", ".join("%d kB at %s" % (peak[(n, s)], "{:,}".format(n)) for n in counts))))
    failures = int(meta.get("scale_failures", "0"))
    budget.append(line(failures == 0, "every scale run succeeded and left the other addresses as they were"
                       if failures == 0 else "%d scale step(s) failed" % failures))
    summary = ", ".join("%s %.2f ms wall (%.2f ms CPU) per 1,000 addresses" % (
        s, per_k(lo, hi, s, 0), per_k(lo, hi, s, 1)) for s in SCALE_STEPS)
    return table, cost_t, "\n".join(budget), summary, mid


def cpus_report(d):
    """The per-CPU quickCheck table (bench/cpus.sh), or None when the run has
    no per-CPU part. For the record only: no budget line."""
    tpath, cpath = os.path.join(d, "cpus_time.txt"), os.path.join(d, "cpus.txt")
    if not (os.path.exists(tpath) and os.path.exists(cpath)):
        return None
    cpus = []
    for line in open(cpath):
        words = line.split()
        if len(words) >= 2 and words[0] == "cpu":
            kv = dict(w.split("=", 1) for w in words[2:])
            cpus.append((words[1], int(kv["size"]), kv["runner"]))
    runs = {}
    for line in open(tpath):
        label, *kv = line.split()
        kv = dict(x.split("=") for x in kv)
        runs.setdefault(label.split("/")[0], []).append(kv)
    ok = {a: [r for r in rs if r["status"] == "0"] for a, rs in runs.items()}
    rows = ["| CPU | runs under | stripped size bytes | quickCheck wall ms: median (IQR) "
            "| wall / x86_64 | quickCheck CPU ms: median (IQR) | CPU / x86_64 |",
            "|" + " --- |" * 7]
    base = ok.get("x86_64")
    for a, size, runner in cpus:
        good = ok.get(a, [])
        cells = [a, "natively" if runner == "native" else runner, "{:,}".format(size)]
        if not good:
            rows.append("| " + " | ".join(cells + ["failed", "", "failed", ""]) + " |")
            continue
        for key in ("wall_us", "cpu_us"):
            q = quartiles([int(r[key]) for r in good])
            ratio = q[1] / statistics.median([int(r[key]) for r in base]) if base else None
            cells += ["%s (%s-%s)" % (fmt_ms(q[1]), fmt_ms(q[0]), fmt_ms(q[2])) + (
                "" if len(good) == len(runs[a]) else ", %d of %d runs failed" % (
                    len(runs[a]) - len(good), len(runs[a]))),
                      "1" if a == "x86_64" else (fmt_ratio(ratio) if ratio else "")]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows), len(runs.get("x86_64", []))


def flood_report(d):
    """The monitor under an ARP flood (bench/flood.sh): the table, the text
    and the budget lines, or None when the run has no flood part."""
    path = os.path.join(d, "flood.txt")
    if not os.path.exists(path):
        return None
    runs = {}
    for line in open(path):
        words = line.split()
        if len(words) < 2 or words[0] != "flood":
            continue
        runs[words[1]] = dict(w.split("=", 1) for w in words[2:] if "=" in w)
    if "watched" not in runs or "other" not in runs:
        return None
    names = {"watched": "eth0: holds the monitor's address (the watch)",
             "other": "eth1: holds no watched address"}
    rows = ["| flood on | frames sent (per s) | frames the device received | monitor CPU ms "
            "| monitor utime+stime (ticks) | monitor wake-ups | sender CPU ms "
            "| monitor's packet sockets (ifindex) |",
            "|" + " --- |" * 8]
    for arr in ("watched", "other"):
        r = runs[arr]
        sent, secs = int(r["sent"]), int(r["elapsed_us"]) / 1e6
        rx = int(r["rx_eth0"] if arr == "watched" else r["rx_eth1"])
        rows.append("| %s | {:,} ({:,.0f}) | {:,} | %.2f | %d | %d | %.0f | %s |".format(
            sent, sent / secs, rx) % (
                names[arr], int(r["cpu_ns"]) / 1e6, int(r["ticks"]), int(r["csw"]),
                int(r["sender_cpu_us"]) / 1e3, r["packet_sockets"]))
    w, o = runs["watched"], runs["other"]
    cpu_w, cpu_o = int(w["cpu_ns"]) / 1e6, int(o["cpu_ns"]) / 1e6
    csw_w, csw_o = int(w["csw"]), int(o["csw"])
    watch = w["packet_sockets"] != "none"
    summary = ("%s ms of CPU over %s s with the flood on the watched device, %s ms with it on the "
               "other device (%d and %d wake-ups)%s" % (
                   "%.2f" % cpu_w, w["seconds"], "%.2f" % cpu_o, csw_w, csw_o,
                   "" if watch else "; this build has no watch socket (no packet socket in "
                   "the monitor), so both arrangements are the same to it"))

    def line(ok, text):
        return "- %s %s" % ("met:" if ok else "MISSED:", text)

    budget = [
        line(csw_w <= csw_o + 10, "the monitor wakes no more for %s unrelated ARP frames/s on its "
             "watched device than on another: %d wake-ups against %d over %s s (goal: at most 10 "
             "more%s)" % (w["rate"], csw_w, csw_o, w["seconds"],
                          "" if watch else "; this build has no watch socket")),
        line(cpu_w <= cpu_o + 10, "the monitor's CPU under that flood stays near zero: %.2f ms "
             "against %.2f ms over %s s (goal: at most 10 ms more, 0.02%% of a CPU)" % (
                 cpu_w, cpu_o, w["seconds"])),
    ]
    return "\n".join(rows), summary, "\n".join(budget), runs


def speed_table(contenders, wall, cpu, procs, calls):
    """The speed table of CONTENDERS, ratios to the first one's medians."""
    me = contenders[0]
    rows = ["| step | wall ms: median (IQR) | wall / ipres | CPU ms: median (IQR) "
            "| CPU / ipres | processes | syscalls (range) | syscalls / ipres |",
            "|" + " --- |" * 8]
    for s in STEPS:
        for c in contenders:
            key, base = (c, s), (me, s)
            wq, cq = quartiles(wall[key]), quartiles(cpu[key])
            rw = statistics.median(wall[key]) / statistics.median(wall[base])
            rc = statistics.median(cpu[key]) / statistics.median(cpu[base])
            pr = procs.get(key, [0])
            ca = calls.get(key, [0])
            rk = statistics.median(ca) / statistics.median(calls[base])
            same = c == me
            rows.append(
                "| %s | %s (%s-%s) | %s | %s (%s-%s) | %s | %s | %d (%d-%d) | %s |" % (
                    NAMES[key], fmt_ms(wq[1]), fmt_ms(wq[0]), fmt_ms(wq[2]),
                    "1" if same else fmt_ratio(rw),
                    fmt_ms(cq[1]), fmt_ms(cq[0]), fmt_ms(cq[2]),
                    "1" if same else fmt_ratio(rc),
                    "%d" % statistics.median(pr) if min(pr) == max(pr)
                    else "%d (%d-%d)" % (statistics.median(pr), min(pr), max(pr)),
                    statistics.median(ca), min(ca), max(ca),
                    "1" if same else fmt_ratio(rk)))
    return "\n".join(rows)


def family_table(wall, cpu, calls):
    """Each contender's IPv6 medians beside its IPv4 ones."""
    rows = ["| step | IPv4 wall ms | IPv6 wall ms | IPv6 / IPv4 wall | IPv4 CPU ms | IPv6 CPU ms "
            "| IPv6 / IPv4 CPU | syscalls IPv4, IPv6 |",
            "|" + " --- |" * 8]
    for s in STEPS:
        for c4, c6 in zip(CONTENDERS, CONTENDERS6):
            w4, w6 = statistics.median(wall[(c4, s)]), statistics.median(wall[(c6, s)])
            u4, u6 = statistics.median(cpu[(c4, s)]), statistics.median(cpu[(c6, s)])
            k4 = statistics.median(calls.get((c4, s), [0]))
            k6 = statistics.median(calls.get((c6, s), [0]))
            rows.append("| %s | %s | %s | %.2f | %s | %s | %.2f | %d, %d |" % (
                NAMES[(c4, s)], fmt_ms(w4), fmt_ms(w6), w6 / w4, fmt_ms(u4), fmt_ms(u6),
                u6 / u4, k4, k6))
    return "\n".join(rows)


def main():
    d, out = sys.argv[1], sys.argv[2]
    meta = {"scale_have": {}}
    for line in open(os.path.join(d, "meta.txt")):
        k, _, v = line.strip().partition(" ")
        if k == "scale_have":
            n, h = v.split()
            meta["scale_have"][int(n)] = int(h)
        else:
            meta[k] = v
    wall, cpu = {}, {}
    for line in open(os.path.join(d, "time.txt")):
        label, *kv = line.split()
        kv = dict(x.split("=") for x in kv)
        c, s = label.split("/")
        wall.setdefault((c, s), []).append(int(kv["wall_us"]))
        cpu.setdefault((c, s), []).append(int(kv["cpu_us"]))
    procs, calls = {}, {}
    for p in glob.glob(os.path.join(d, "strace.*")):
        _, c, s, _r = os.path.basename(p).split(".")
        n, k = parse_strace(p)
        procs.setdefault((c, s), []).append(n)
        calls.setdefault((c, s), []).append(k)

    def med(tab, key):
        return statistics.median(tab[key])

    table = speed_table(CONTENDERS, wall, cpu, procs, calls)
    table6 = speed_table(CONTENDERS6, wall, cpu, procs, calls)
    families = family_table(wall, cpu, calls)

    # footprint
    sizes, alloc = {}, {}
    for line in open(os.path.join(d, "foot.txt")):
        kind, arch, val = line.split()
        (sizes if kind == "size" else alloc)[arch] = val
    rss, floor = [], None
    for line in open(os.path.join(d, "rss.txt")):
        label, *kv = line.split()
        kv = dict(x.split("=") for x in kv)
        if label == "floor":
            floor = int(kv["rss_kb"])
        else:
            rss.append(int(kv["rss_kb"]))
    peak = max(rss)
    foot = ["| target | stripped size | peak RSS of quickCheck | heap allocations |",
            "| --- | --- | --- | --- |"]
    for a in ["x86_64", "aarch64", "armv7"]:
        b = int(sizes[a])
        foot.append("| %s | %d bytes (%.1f KiB) | %s | %s |" % (
            a, b, b / 1024.0,
            "%d kB (max of %d runs)" % (peak, len(rss)) if a == "x86_64"
            else "not measured (under qemu-user the RSS is the emulator's)",
            "0 (static proof)" if alloc.get(a) == "ok" else "CHECK FAILED"))
    foot_t = "\n".join(foot)

    # budget
    qc_w = med(wall, ("IPaddr2", "quickCheck")) / med(wall, ("ipres", "quickCheck"))
    qc_c = med(cpu, ("IPaddr2", "quickCheck")) / med(cpu, ("ipres", "quickCheck"))
    rs_w = med(wall, ("IPaddr2", "restore")) / med(wall, ("ipres", "restore"))
    maxsize = max(int(v) for v in sizes.values())

    def line(ok, text):
        return "- %s %s" % ("met:" if ok else "MISSED:", text)

    budget = [
        line(qc_w >= 50, "quickCheck wall %.0fx faster than IPaddr2 monitor (goal >= 50x)" % qc_w),
        line(qc_c >= 100, "quickCheck CPU %.0fx less than IPaddr2 monitor (goal >= 100x)" % qc_c),
        line(rs_w >= 20, "restore wall %.0fx faster than IPaddr2 start (goal >= 20x)" % rs_w),
        line(maxsize <= SIZE_BUDGET, "largest stripped binary %d bytes (goal <= 150 000; %s)" % (
            maxsize, ", ".join("%s %d" % (a, int(sizes[a])) for a in ["x86_64", "aarch64", "armv7"]))),
        line(peak <= RSS_BUDGET, "peak RSS of quickCheck %d kB on x86_64 (goal <= 300 kB)" % peak),
        line(all(v == "ok" for v in alloc.values()), "zero heap allocations on every target"),
    ]
    scale = scale_report(d, meta)
    if scale:
        budget += scale[2].split("\n")
    flood = flood_report(d)
    if flood:
        budget += flood[2].split("\n")
    cpus = cpus_report(d)
    budget_t = "\n".join(budget)

    cpu_model = "unknown"
    for l in open("/proc/cpuinfo"):
        if l.startswith("model name"):
            cpu_model = l.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for l in open("/proc/meminfo"):
        if l.startswith("MemTotal:"):
            mem_kb = int(l.split()[1])
    osname = "unknown"
    if os.path.exists("/etc/os-release"):
        m = re.search(r'^PRETTY_NAME="?([^"\n]*)', open("/etc/os-release").read(), re.M)
        osname = m.group(1) if m else osname
    machine = [
        "- date: %s" % meta.get("date"),
        "- CPU: %s, %d cores online; memory %.0f GiB" % (cpu_model, os.cpu_count(), mem_kb / 2**20),
        "- kernel: %s %s; %s" % (platform.system(), platform.release(), osname),
        "- load average (1, 5, 15 min) before the runs: %s; after: %s" % (
            meta.get("load_before"), meta.get("load_after")),
        "- packages: resource-agents %s, iproute2 %s, iputils %s, musl %s, strace %s" % (
            meta.get("resource_agents"), meta.get("iproute2"), meta.get("iputils"),
            meta.get("musl"), meta.get("strace")),
        "- other processes busy when the runs began (ps: share of CPU over their life, 10%% and up): %s" % meta.get("busy"),
        "- ipres: %s" % meta.get("ipres"),
    ]
    runs, sruns = int(meta["runs"]), int(meta["strace_runs"])

    print(table)
    print()
    print(table6)
    print()
    print(families)
    print()
    print(foot_t)
    print()
    if scale:
        print(scale[0])
        print()
        print(scale[1])
        print()
    if flood:
        print(flood[0])
        print()
        print(flood[1])
        print()
    if cpus:
        print(cpus[0])
        print()
    print(budget_t)
    flood_md = ""
    if flood:
        r = flood[3]["watched"]
        flood_md = """
## The monitor under an ARP flood

`ipres monitor bench` (x86_64, natively) while another namespace sends %s
ARP requests a second for %s s (tests/tools/arptool flood: who-has
192.0.2.200-249 tell 192.0.2.150-199, addresses no node holds; frame k due at
k/%s s, late wake-ups caught up) to one of the node's two devices, each over a
veth pair of its own: eth0, which holds the monitor's address 192.0.2.100/24
(where the claim watch has its packet socket), or eth1 (198.51.100.2/24), which
holds none. A fresh monitor for each, its flood starting 2 s after it, once
its first quickCheck is over (LKCHECKINTERVAL 120 s: no other one falls in
the window). Monitor CPU: the change in /proc/PID/schedstat's time on a CPU
over the flood (ns); utime+stime: /proc/PID/stat, in clock ticks of 10 ms;
wake-ups: its voluntary and involuntary context switches. Sender CPU: the
flooding process's user+sys (runstat), which on a veth also carries the
receiving namespace's packet processing run in its context. Packet sockets:
the monitor's AF_PACKET sockets found in /proc/PID/net/packet, by ifindex.

%s

In short: %s.
""" % ("{:,}".format(int(r["rate"])), r["seconds"], r["rate"], flood[0], flood[1])
    scale_md = ""
    if scale:
        scale_md = """
## Scale: quickCheck and remove with 2, 1,000 and 10,000 addresses

ipres alone (x86_64, natively), the node above holding more IPv4 addresses
(the counts include lo's 127.0.0.1 and 192.0.2.2, not the service address):
100 /32s of TEST-NET-3 on eth0 and the rest spread over 20 veths (bulk0..bulk19,
their peers in a namespace of their own, present at every count), up to 508
a device: TEST-NET-1..3 hold fewer than 800 addresses, but one address may
sit on many devices, so each holds TEST-NET-2 and -3's hosts
198.51.100.1-254 and 203.0.113.1-254 as /32s (a local route each, no subnet
route; no 192.0.2.x), all added with `ip -batch`. %d
timed runs per count, each a quickCheck then a remove (then an untimed
restore for the next run), under runstat; peak RSS from 3 more runs of each
under runstat -x, as in the footprint below. Every run's other addresses are
compared before and after: ipres must leave them as they were.

%s

Cost per 1,000 addresses: the difference of the medians over the difference
of the counts, for each span between two counts and over the whole range; a
cost that grows linearly gives about the same figure for every span. In
short: %s.

%s
""" % (int(meta.get("scale_runs", "0")), scale[0], scale[3], scale[1])

    cpus_md = ""
    if cpus:
        cpus_md = """
## Per CPU: quickCheck and size (for the record)

`ipres quickCheck bench` on every CPU the tree builds, board/bench's binary
for each (build/bench-ARCH/ipres, stripped), each CPU on a node of its own
in the bench's namespaces: eth0 192.0.2.2/24 holding 192.0.2.100/24
(restored by that CPU's binary, untimed), a veth peer 192.0.2.10 answering
the PingList's ping. %d rounds under runstat, each timing one quickCheck
per CPU in turn, so the machine's load falls on every CPU alike; the
address must be held after each. x86_64 runs natively, the rest under qemu-user as the
namespace tests run them: Debian's qemu-*-static for the little-endian
CPUs; for the big-endian mips and s390x, Debian's qemu built with its
rtnetlink fix (toolchain/qemu-source.sh; Debian's own answers their netlink
reads with "Protocol error"). So beside x86_64 the times are the emulator's
on this machine, not a router's: a record of what the tests run, with no
goal (bench/cpus.sh). s390x is no router's CPU: it is built to prove the
big-endian byte order on a real kernel in the boot tests.

%s
""" % (cpus[1], cpus[0])

    with open(out, "w") as f:
        f.write("""# bench results

Written by `make bench` (bench/run.sh, bench/report.py); every number below is
from the run described here. Reproduce with:

    make bench                      # as root; BENCH_RUNS=21 BENCH_STRACE=5 by default

## Machine

%s

## Speed: restore, quickCheck, remove

%d timed runs per contender, interleaved run by run (the order rotates), each
step a fresh process tree in the bench's own network namespaces; then %d runs
per contender under `strace -c -f` for the process and syscall counts (timed
runs are never traced). Wall: fork to wait4 of the step; CPU: user+sys of the
whole process tree (wait4's rusage, every process of the tree is waited for).
IQR: the middle half of the runs. Ratios: median over ipres' median for the
same step.

%s

What each contender does (address 192.0.2.100/24 on eth0, PingList 192.0.2.10):
- ipres: `ipres restore|quickCheck|remove bench`, board/bench: NOIPUNIQUE=1, so
  restore has no configured wait; it still checks the link, adds the address,
  flushes neighbours, sends its four gratuitous ARPs and pings the PingList.
- IPaddr2: resource-agents' `IPaddr2 start|monitor|stop`, OCF_RESKEY_ip,
  cidr_netmask=24, nic=eth0. Its configured waits set to their least:
  arp_count=1 (it rejects 0), arp_interval=2 ms (send_arp arms a timer of half
  the interval before its one packet; with 1 it never sends and pauses for
  ever), arp_bg=false (the sender is waited for and counted, instead of
  running on after start). monitor checks the address only: it sends no ping.
- shell: bench/spec_ops.sh, the commands of ip-recovery-kit-operations.txt
  with iproute2 and iputils (ip, arping, ping; lkping read as ping).
  Its restore includes four 1 s waits that are not configurable: iputils
  arping waits one interval after its last packet even with -U/-A, and -i
  takes whole seconds (-i 0 never returns). They are counted as they are:
  this is what the spec's commands cost; its CPU column is unaffected.

## Speed on IPv6: restore, quickCheck, remove

The same runs, interleaved with the ones above, for an IPv6 resource:
2001:db8::100/64 on the same eth0, PingList 2001:db8::10 (the node is
2001:db8::2; IPv6 is on for the two hosts' eth0 alone, their own addresses
added without DAD). Ratios to ipres on IPv6.

%s

- ipres: `ipres restore|quickCheck|remove bench6`, NOIPUNIQUE=1 as above
  (no duplicate probe; the address is added with IFA_F_NODAD): it checks the
  link, adds the address, flushes the IPv6 neighbours, sends its four
  unsolicited Neighbor Advertisements (Override) to ff02::1 from a raw ICMPv6
  socket and sends an ICMPv6 echo to the PingList.
- IPaddr2: the same agent with OCF_RESKEY_ip=2001:db8::100,
  cidr_netmask=64 and nodad=true (its address is added without DAD too;
  otherwise start waits in 1 s sleeps for the kernel's DAD), the other
  settings as above: one unsolicited advertisement from send_ua
  (arp_count=1). monitor checks the address only.
- shell: none. The spec's commands are IPv4's (arping, a ping to the
  subnet's broadcast address); iputils has no unsolicited Neighbor
  Advertisement to put in their place.

Each contender's IPv6 medians beside its IPv4 ones (syscalls: the median of
the strace runs):

%s

%s
## Footprint

%s

Stripped size: `stat` of build/bench-ARCH/ipres. Peak RSS: x86_64 only, run
natively; measured by bench/runstat -x, which stops the process at its exit
(ptrace) and reads Rss from /proc/PID/smaps_rollup. ipres has no heap and
never unmaps, so its RSS peaks at exit. (The kernel's ru_maxrss reads 0 for a
process this small: its counters are batched per CPU. The measuring helper's
own exit RSS is %s kB, a static musl program doing nothing.) Heap
allocations: tests/alloc_check.sh's static proof on each target's link (see
README, make alloc-test).
%s
## Budget

%s
""" % ("\n".join(machine), runs, sruns, table, table6, families, scale_md + flood_md, foot_t,
       floor, cpus_md, budget_t))
        notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")
        if os.path.exists(notes):
            f.write("\n" + open(notes).read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
