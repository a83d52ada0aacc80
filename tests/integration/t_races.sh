#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Cluster engines run ipres concurrently and kill it mid-step (contract.md,
# "Cluster engines"): a remove of a tag whose restore is still running wins,
# and a restore ended by SIGTERM leaves the address absent.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/nslib.sh

lan_hosts a client || exit 1
ns_tmp
holds() { ip -n "$(ns a)" -4 -o addr show dev eth0 | grep -q " $1/"; }
lacks() { ! holds "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# vip-slow's restore adds the address at once, then spends 8 s failing its
# connectivity check: a window in which the engine changes its mind.
ipres_in a restore vip-slow >"$tmp/restore.out" 2>&1 &
restore_pid=$!
check "the slow restore adds the address" wait_for 10 holds 192.0.2.108
start=$(now_ms)
ipres_in a remove vip-slow >"$tmp/remove.out" 2>&1
remove_status=$?
took=$(($(now_ms) - start))
wait "$restore_pid"
restore_status=$?
check "remove during a restore succeeds (exit $remove_status)" test "$remove_status" = 0
check "the abandoned restore fails (exit $restore_status)" test "$restore_status" = 1
check "the address ends absent" lacks 192.0.2.108
check "remove did not wait for the restore to run out (${took} ms; its checks take 8 s)" \
  test "$took" -lt 6000
check_text "the remove says it made the restore abandon" \
  "^vip-slow: remove: lock: a restore was running; it abandoned" "$(cat "$tmp/remove.out")"
check_text "the restore says it was stopped and removed the address" \
  'stopped.*address removed' "$(cat "$tmp/restore.out")"

# A restore ended by SIGTERM, once the address is on, leaves it absent.
(ipres_exec a restore vip-slow >"$tmp/restore.out" 2>&1) &
restore_pid=$!
check "the slow restore adds the address again" wait_for 10 holds 192.0.2.108
kill -TERM "$restore_pid"
wait "$restore_pid"
status=$?
check "SIGTERM ends the restore with exit 1 (got $status)" test "$status" = 1
check "the address ends absent after SIGTERM" lacks 192.0.2.108

# SIGTERM before the address is added: nothing is added.
ip -n "$(ns a)" link set eth0 down
(ipres_exec a restore vip-slow >"$tmp/restore.out" 2>&1) &
restore_pid=$!
sleep 0.2
kill -TERM "$restore_pid"
wait "$restore_pid"
status=$?
check "SIGTERM during the link bounce ends the restore with exit 1 (got $status)" test "$status" = 1
check "nothing was added" lacks 192.0.2.108
check_out "the bounced device is up again" '<.*,UP' ip -n "$(ns a)" link show eth0

summary "races ($IPRES_ARCH)"
