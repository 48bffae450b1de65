#!/usr/bin/env bash
# Fresh-machine check: the README's two commands in a clean Debian root, as a new user runs them.
# debootstraps a Debian minbase root (bookworm by default), puts this checkout's committed tree in
# it (like a fresh clone), then inside it with chroot runs
#   ./install.sh && exstreamtv demo && exstreamtv serve     (serve checked with `exstreamtv status`)
#   ./install.sh --dev && npm test [-- FILTER...]
# Only Debian's mirror and the npm registry need to be reachable. Slow (downloads, a compile of
# the SQLite addon, the suite): tens of minutes; --tests runs a part of the suite. Needs root;
# mounts /proc, /sys and /dev into the root for the duration and removes everything afterwards
# (unless --keep). Nothing is installed on the host (its node, npm and PATH stay as they are).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: sudo scripts/fresh-debian-check.sh [--suite bookworm] [--mirror URL] [--dir DIR] [--keep]
                                          [--no-tests] [--tests FILTER]... [-- FILTER...]
  --suite S        Debian release to bootstrap (default bookworm, i.e. Debian 12)
  --mirror URL     Debian mirror (default http://deb.debian.org/debian)
  --dir DIR        where the root goes (default a new directory under /var/tmp)
  --keep           leave the root in place afterwards (to look around: chroot DIR)
  --no-tests       run only the first command (install, demo, serve)
  --tests FILTER   run only the test files whose path contains FILTER (repeatable, e.g.
                   --tests stream/ --tests cli/ --tests server/); default: the whole suite
  -- FILTER...     the same, as a list
USAGE
}

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# shellcheck source=scripts/lib/debian-root.sh
. "$REPO/scripts/lib/debian-root.sh"
TESTS=1 FILTER=()
while [ $# -gt 0 ]; do
  root_option "$1" "${2:-}"
  if [ "$ROOT_OPT_USED" -gt 0 ]; then shift "$ROOT_OPT_USED"; continue; fi
  case "$1" in
    --no-tests) TESTS=0 ;;
    --tests) FILTER+=("${2:?--tests needs a path substring}"); shift ;;
    --) shift; FILTER+=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fresh-debian-check: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian-check: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
for f in "${FILTER[@]}"; do
  [[ "$f" =~ ^[A-Za-z0-9_./-]+$ ]] || { echo "fresh-debian-check: test filter '$f': letters, digits and _ . / - only" >&2; exit 2; }
done

ROOT="${DIR:-$(mktemp -d /var/tmp/exstreamtv-fresh-XXXXXX)}"
APP=/opt/exstreamtv

cleanup() {
  root_umount
  if [ "$KEEP" -eq 0 ]; then rm -rf --one-file-system "$ROOT"; else echo "root kept in $ROOT"; fi
}
trap cleanup EXIT

root_bootstrap "$SUITE" "$MIRROR"
root_put_checkout "$REPO"
root_mount

stamp "command 1: ./install.sh && exstreamtv demo && exstreamtv serve"
in_root "cd $APP && ./install.sh && exstreamtv demo"
# serve runs until stopped: start it, let the CLI find it the way a user's would, stop it. (No LAN
# announcements from this check: the host may run other tuners.)
in_root "cd $APP && { EXSTREAMTV_SSDP=false EXSTREAMTV_UDP_DISCOVERY=false exstreamtv serve >/tmp/serve.log 2>&1 & pid=\$!; }
  for i in \$(seq 1 100); do exstreamtv status 2>/dev/null | grep -q 'daemon up' && break; sleep 0.3; done
  exstreamtv status | tee /tmp/status; grep -q 'daemon up' /tmp/status; ok=\$?; exstreamtv channel list
  kill \$pid; wait \$pid; cat /tmp/serve.log
  [ \$ok -eq 0 ] && grep -q 'listening on' /tmp/serve.log"
echo "command 1: ok"

if [ "$TESTS" -eq 1 ]; then
  stamp "command 2: ./install.sh --dev && npm test${FILTER[*]:+ -- ${FILTER[*]}}"
  in_root "cd $APP && ./install.sh --dev && CI=true npm test${FILTER[*]:+ -- ${FILTER[*]}}"
  echo "command 2: ok"
fi
stamp "fresh $SUITE: the README's commands work"
