#!/usr/bin/python3
"""bench/report.py DIR RESULTS.md: the table of make bench (bench/run.sh).

Reads DIR/time.txt (runstat lines), DIR/strace.CONTENDER.STEP.RUN
(strace -c -f), DIR/rss.txt, DIR/foot.txt and DIR/meta.txt; prints the table
and writes it, with the machine, into RESULTS.md."""
import glob
import os
import platform
import re
import statistics
import sys

CONTENDERS = ["ipres", "IPaddr2", "shell"]
STEPS = ["restore", "quickCheck", "remove"]
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


def main():
    d, out = sys.argv[1], sys.argv[2]
    meta = {}
    for line in open(os.path.join(d, "meta.txt")):
        k, _, v = line.strip().partition(" ")
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

    rows = []
    hdr = ("| step | wall ms: median (IQR) | wall / ipres | CPU ms: median (IQR) "
           "| CPU / ipres | processes | syscalls (range) | syscalls / ipres |")
    rows.append(hdr)
    rows.append("|" + " --- |" * 8)
    for s in STEPS:
        for c in CONTENDERS:
            key, base = (c, s), ("ipres", s)
            wq, cq = quartiles(wall[key]), quartiles(cpu[key])
            rw = med(wall, key) / med(wall, base)
            rc = med(cpu, key) / med(cpu, base)
            pr = procs.get(key, [0])
            ca = calls.get(key, [0])
            rk = statistics.median(ca) / statistics.median(calls[base])
            same = c == "ipres"
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
    table = "\n".join(rows)

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
    print(foot_t)
    print()
    print(budget_t)

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

## Budget

%s
""" % ("\n".join(machine), runs, sruns, table, foot_t, floor, budget_t))
        notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "NOTES.md")
        if os.path.exists(notes):
            f.write("\n" + open(notes).read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
