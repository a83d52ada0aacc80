# SPDX-License-Identifier: Apache-2.0
# Shared by the init script and the hotplug hook (BusyBox ash, no bashisms).
# shellcheck shell=sh

IPRES=${IPRES:-/usr/sbin/ipres}

# autostart_tags DEVICE: the AUTOSTART=1 resources, one tag a line; only
# those on DEVICE unless it is "". Read from `ipres list`.
autostart_tags() {
  "$IPRES" list | awk -v want="$1" '
    function flush() { if (tag != "" && auto && (want == "" || want == device)) print tag }
    /^\[/ { flush(); tag = substr($0, 2, length($0) - 2); device = ""; auto = 0 }
    /^DEVICE=/ { device = substr($0, 8) }
    /^AUTOSTART=1$/ { auto = 1 }
    END { flush() }
  '
}

# all_tags: every compiled-in resource, one tag a line.
all_tags() {
  "$IPRES" list | sed -n 's/^\[\(.*\)\]$/\1/p'
}
