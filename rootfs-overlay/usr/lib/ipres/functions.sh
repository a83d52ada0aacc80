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

# removed_tags: the tags whose last word here is a remove (by an engine or
# by hand), one a line: "wanted":false in `ipres status --json` (true after a
# restore, null before any word).
removed_tags() {
  "$IPRES" status --json 2>/dev/null | sed -n 's/^{"tag":"\([^"]*\)",.*"wanted":false,.*/\1/p'
}

# all_tags: every compiled-in resource, one tag a line.
all_tags() {
  "$IPRES" list | sed -n 's/^\[\(.*\)\]$/\1/p'
}
