#!/bin/sh
# make demo: the two-node failover demonstration arrives with the operations
# (restore/remove/quickCheck/recover). Until then it shows what is compiled in.
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory BOARD=nstest
echo "ipres demo: the operations are not implemented yet; the compiled-in resources are:"
build/nstest/ipres list
