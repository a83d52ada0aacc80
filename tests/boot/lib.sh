# SPDX-License-Identifier: Apache-2.0
# Boot-test harness (tests/boot): qemu-system VMs booted with Debian's
# kernel for each CPU and an initramfs, their console on a FIFO pair
# (-serial pipe:PATH: the test writes PATH.in, reads PATH.out). All VMs of a
# run share one LAN, a qemu multicast socket on 127.0.0.1, and run inside a
# network namespace of their own that holds only lo: nothing leaves it.
# TCG only (no KVM here).
# shellcheck shell=sh

BOOT_OUT=${BOOT_OUT:-build/boot}
bt_tmp=""
bt_ns=""
bt_vms=""

# boot_inputs ARCH: sets image (board/boottest's rootfs.cpio.gz for ARCH),
# kernel (the folder with kernel and modules.cpio.gz) and the MACs of
# node a, node b and the client; fails when run.sh has not made them.
boot_inputs() {
  image="build/boottest-$1/rootfs.cpio.gz"
  kernel="$BOOT_OUT/$1"
  a_mac=52:54:00:12:00:02
  b_mac=52:54:00:12:00:03
  client_mac=52:54:00:12:00:0a
  for _f in "$image" "$kernel/kernel" "$kernel/modules.cpio.gz" "$BOOT_OUT/client.cpio.gz"; do
    [ -f "$_f" ] || { echo "$_f missing (tests/boot/run.sh makes it)" >&2; return 1; }
  done
}

# boot_init: the run's folder, namespace, LAN port and exit trap.
boot_init() {
  bt_tmp=$(mktemp -d /tmp/ipres-boot.XXXXXX)
  bt_ns="ipresboot$$"
  bt_port=$((20000 + $$ % 20000))
  mkdir -p "$BOOT_OUT/logs"
  trap 'boot_cleanup' EXIT
  trap 'boot_cleanup; exit 130' INT TERM
  ip netns add "$bt_ns" || return 1
  ip -n "$bt_ns" link set lo up
  ip -n "$bt_ns" link set lo multicast on
  ip -n "$bt_ns" route add 224.0.0.0/4 dev lo
}

# boot_cleanup: every VM killed, the namespace and the run's folder gone
# (the console and monitor logs are kept in $BOOT_OUT/logs/).
boot_cleanup() {
  for vm in $bt_vms; do
    for f in qemu cat moncat; do
      [ -f "$bt_tmp/$vm.$f" ] && kill "$(cat "$bt_tmp/$vm.$f")" 2>/dev/null
    done
  done
  for vm in $bt_vms; do
    [ -f "$bt_tmp/$vm.qemu" ] || continue
    n=0
    while kill -0 "$(cat "$bt_tmp/$vm.qemu")" 2>/dev/null && [ $n -lt 50 ]; do
      sleep 0.1
      n=$((n + 1))
    done
    kill -9 "$(cat "$bt_tmp/$vm.qemu")" 2>/dev/null
  done
  [ -n "$bt_ns" ] && ip netns del "$bt_ns" 2>/dev/null
  [ -n "$bt_tmp" ] && rm -rf "$bt_tmp"
  bt_vms=""
}

now() { date +%s.%N; }
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# vm_log NAME: the VM's console log.
vm_log() { echo "$BOOT_OUT/logs/$1.log"; }

# vm_start NAME ARCH MAC CMDLINE INITRD...: boots a VM in the background;
# the initrds are concatenated (the kernel unpacks each in turn, later files
# replacing earlier ones). CMDLINE is added to the console and quiet flags.
# Its one NIC, MAC, is on the run's LAN; unless vm_nics is set (then MAC is
# not used, and vm_start empties vm_nics): NICs in that order (eth0, eth1,
# ...), each "ID,GROUP:PORT,MAC" or "ID,GROUP:PORT,MAC,PCAP": qemu's netdev
# ID, a multicast LAN of the run's namespace (another GROUP:PORT is another
# LAN), the NIC's MAC, and a file where qemu's filter-dump writes every frame
# that netdev passes, both ways (what that NIC's cable carried; read it with
# tcpdump -e -r). vm_nic_opts, when set, is added to every NIC's -device
# (vm_start empties it too). Its qemu monitor is on a FIFO pair too
# (vm_monitor).
vm_start() {
  _name=$1 _arch=$2 _mac=$3 _cmdline=$4
  shift 4
  cat "$@" >"$bt_tmp/$_name.initrd" || return 1
  case "$_arch" in
    x86_64)
      _qemu="qemu-system-x86_64 -M pc"
      _nic="virtio-net-pci,romfile="
      _console=ttyS0 ;;
    aarch64)
      _qemu="qemu-system-aarch64 -M virt -cpu cortex-a53"
      _nic=virtio-net-device
      _console=ttyAMA0 ;;
    armv7)
      _qemu="qemu-system-arm -M virt,highmem=off -cpu cortex-a15"
      _nic=virtio-net-device
      _console=ttyAMA0 ;;
    mipsel)
      _qemu="qemu-system-mipsel -M malta"
      _nic="virtio-net-pci,romfile="
      _console=ttyS0 ;;
    s390x)
      # -serial is the SCLP's VT220 console there.
      _qemu="qemu-system-s390x -M s390-ccw-virtio"
      _nic=virtio-net-ccw
      _console=ttysclp0 ;;
    *) echo "vm_start: unknown ARCH $_arch" >&2; return 1 ;;
  esac
  if [ -n "${vm_nics:-}" ]; then
    _net=""
    for _n in $vm_nics; do
      _id=${_n%%,*} _r=${_n#*,}
      _lan=${_r%%,*} _r=${_r#*,}
      _m=${_r%%,*} _pcap=""
      [ "$_r" != "$_m" ] && _pcap=${_r#*,}
      _net="$_net -netdev socket,id=$_id,mcast=$_lan,localaddr=127.0.0.1 -device $_nic,netdev=$_id,mac=$_m${vm_nic_opts:-}"
      [ -n "$_pcap" ] && _net="$_net -object filter-dump,id=dump-$_id,netdev=$_id,file=$_pcap"
    done
    vm_nics="" vm_nic_opts=""
  else
    _net="-netdev socket,id=lan,mcast=230.0.0.1:$bt_port,localaddr=127.0.0.1 -device $_nic,netdev=lan,mac=$_mac"
  fi
  mkfifo "$bt_tmp/$_name.in" "$bt_tmp/$_name.out" "$bt_tmp/$_name.mon.in" "$bt_tmp/$_name.mon.out"
  _log=$(vm_log "$_name")
  : >"$_log"
  cat "$bt_tmp/$_name.out" >>"$_log" &
  echo $! >"$bt_tmp/$_name.cat"
  : >"$BOOT_OUT/logs/$_name.monitor.log"
  cat "$bt_tmp/$_name.mon.out" >>"$BOOT_OUT/logs/$_name.monitor.log" &
  echo $! >"$bt_tmp/$_name.moncat"
  bt_vms="$bt_vms $_name"
  now >"$bt_tmp/$_name.t0"
  # shellcheck disable=SC2086
  ip netns exec "$bt_ns" $_qemu -m 256 -smp 1 -accel tcg -nographic -nodefaults -no-reboot \
    -monitor "pipe:$bt_tmp/$_name.mon" -serial "pipe:$bt_tmp/$_name" $_net \
    -kernel "$BOOT_OUT/$_arch/kernel" -initrd "$bt_tmp/$_name.initrd" \
    -append "console=$_console quiet loglevel=3 panic=-1 $_cmdline" \
    </dev/null >"$bt_tmp/$_name.qemu.log" 2>&1 &
  echo $! >"$bt_tmp/$_name.qemu"
}

# vm_monitor NAME COMMAND: COMMAND typed on the VM's qemu monitor (e.g.
# "set_link n0 off": that NIC's cable pulled); its answer goes to
# $BOOT_OUT/logs/NAME.monitor.log. Returns at once: the caller checks the
# effect in the guest.
vm_monitor() { printf '%s\n' "$2" 1<>"$bt_tmp/$1.mon.in"; }

# vm_alive NAME: its qemu still runs (not a zombie: a check in a subshell
# cannot reap it, so kill -0 alone would say yes for ever).
vm_alive() {
  _stat=$(cat "/proc/$(cat "$bt_tmp/$1.qemu")/stat" 2>/dev/null) || return 1
  _state=${_stat##*) }
  [ "${_state%% *}" != Z ]
}

# vm_wait NAME SECONDS PATTERN: waits until the console log has a line
# matching the extended regex PATTERN; fails when the time runs out or
# qemu ends first.
vm_wait() {
  _deadline=$(awk -v s="$2" -v t="$(now)" 'BEGIN { printf "%.1f", t + s }')
  while ! grep -qE -- "$3" "$(vm_log "$1")"; do
    if ! vm_alive "$1"; then
      grep -qE -- "$3" "$(vm_log "$1")" && return 0
      echo "vm_wait: $1: qemu ended: $(cat "$bt_tmp/$1.qemu.log")" >&2
      return 1
    fi
    if awk -v d="$_deadline" -v t="$(now)" 'BEGIN { exit !(t > d) }'; then
      echo "vm_wait: $1: no '$3' within $2 s" >&2
      return 1
    fi
    sleep 0.1
  done
}

# vm_send NAME TEXT: TEXT and a newline typed on the console.
# Opened read-write: never blocks, even when qemu has gone.
vm_send() { printf '%s\n' "$2" 1<>"$bt_tmp/$1.in"; }

# The helpers below keep their state in files, since the checks of
# tests/lib.sh run them in a subshell.

# vm_boot NAME SECONDS: waits for the last init script (S99booted) and the
# console shell; records the boot time for vm_boot_time.
vm_boot() {
  vm_wait "$1" "$2" 'boot-test: init scripts done at' || return 1
  _wall=$(secs_between "$(cat "$bt_tmp/$1.t0")" "$(now)")
  _guest=$(tr -d '\r' <"$(vm_log "$1")" |
    sed -n 's/.*boot-test: init scripts done at \([0-9.]*\) s.*/\1/p' | tail -n 1)
  echo "$_wall s (guest clock $_guest s)" >"$bt_tmp/$1.boot"
  vm_wait "$1" "$2" 'Please press Enter to activate this console' || return 1
  vm_send "$1" ""
  vm_run "$1" "true" 30 >/dev/null
}

# vm_boot_time NAME: qemu start to the last init script by the host's clock,
# and the guest's uptime then.
vm_boot_time() { cat "$bt_tmp/$1.boot" 2>/dev/null || echo "(did not boot)"; }

# vm_run NAME COMMAND [SECONDS]: runs COMMAND in the console shell and waits
# for it (60 s unless told); prints its output (carriage returns dropped)
# and returns its exit status (124: no answer in time). Markers around the
# output are typed with quotes inside, so the shell's echo of the line
# never matches them.
vm_run() {
  _seq=$(($(cat "$bt_tmp/seq" 2>/dev/null || echo 0) + 1))
  echo "$_seq" >"$bt_tmp/seq"
  _b="@@b$_seq@@" _e="@@e$_seq"
  vm_send "$1" "echo @@b\"\"$_seq@@; $2; echo @@e\"\"$_seq \$?"
  vm_wait "$1" "${3:-60}" "$_e [0-9]+" || return 124
  _all=$(tr -d '\r' <"$(vm_log "$1")")
  printf '%s\n' "$_all" | awk -v b="$_b" -v e="$_e" '
    $0 == b { on = 1; next }
    on && index($0, e " ") == 1 { exit }
    on { print }'
  _rc=$(printf '%s\n' "$_all" | sed -n "s/^$_e \([0-9]*\).*/\1/p" | tail -n 1)
  return "${_rc:-125}"
}

# vm_until NAME CONDITION SECONDS: in the guest, waits for the shell
# CONDITION; prints "took T0 T1" (guest uptimes) once it holds.
vm_until() {
  _loop="while [ \$n -lt $(($3 * 20)) ]; do if $2; then echo took \$t0 \$(cut -d' ' -f1 /proc/uptime); break; fi; sleep 0.05; n=\$((n + 1)); done"
  vm_run "$1" "t0=\$(cut -d' ' -f1 /proc/uptime); n=0; $_loop" $(($3 + 30))
}

# took TEXT: the seconds a "took T0 T1" line in TEXT says.
took() { printf '%s\n' "$1" | awk '/^took/ { printf "%.2f s", $3 - $2 }'; }

# vm_ping_start NAME ADDRESS / vm_ping_gap NAME: a ping every 0.1 s in the
# guest's background; then the longest run of lost replies between two
# that arrived, as "N lost (about S s)".
vm_ping_start() {
  vm_run "$1" "{ ping -i 0.1 -w 120 $2 >/tmp/gap.ping 2>&1 & }" >/dev/null
}
vm_ping_gap() {
  vm_run "$1" "kill \$(pidof ping) 2>/dev/null; sleep 0.2; cat /tmp/gap.ping" |
    sed -n 's/.*seq=\([0-9]*\) .*/\1/p' |
    awk 'NR > 1 && $1 - p - 1 > max { max = $1 - p - 1 } { p = $1 } END { printf "%d lost (about %.1f s)", max, max / 10 }'
}

# vm_gone NAME SECONDS: waits for qemu to end; says how long that took.
vm_gone() {
  _t0=$(now)
  _n=0
  while vm_alive "$1"; do
    if [ "$_n" -ge $(($2 * 10)) ]; then
      echo "vm_gone: $1 still runs after $2 s" >&2
      return 1
    fi
    sleep 0.1
    _n=$((_n + 1))
  done
  echo "$1: ended after $(secs_between "$_t0" "$(now)") s"
}

# vm_poweroff NAME SECONDS: a clean poweroff (init runs the stop scripts);
# waits for qemu to end.
vm_poweroff() {
  vm_send "$1" poweroff
  vm_gone "$1" "$2"
}
