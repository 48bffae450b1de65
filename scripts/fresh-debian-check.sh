#!/usr/bin/env bash
# Fresh-machine check: the README's two commands in a clean Debian root, as a new user runs them.
# debootstraps a Debian minbase root (bookworm by default), puts this checkout's committed tree in
# it (like a fresh clone), then inside it with chroot runs
#   ./install.sh && exstreamtv demo && exstreamtv serve     (serve checked with `exstreamtv status`)
#   ./install.sh --dev && npm test [-- FILTER...]
# Only Debian's mirror and the npm registry need to be reachable. Slow (downloads, a compile of
# the SQLite addon, the suite): tens of minutes. Needs root; mounts /proc, /sys and /dev into the
# root for the duration and removes everything afterwards (unless --keep).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: sudo scripts/fresh-debian-check.sh [--suite bookworm] [--mirror URL] [--dir DIR] [--keep]
                                          [--no-tests] [-- TEST-FILTER...]
  --suite S      Debian release to bootstrap (default bookworm, i.e. Debian 12)
  --mirror URL   Debian mirror (default http://deb.debian.org/debian)
  --dir DIR      where the root goes (default a new directory under /var/tmp)
  --keep         leave the root in place afterwards (to look around: chroot DIR)
  --no-tests     run only the first command (install, demo, serve)
  -- FILTER...   path substrings passed to the test runner (default: the whole suite)
USAGE
}

SUITE=bookworm MIRROR=http://deb.debian.org/debian DIR="" KEEP=0 TESTS=1 FILTER=()
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) SUITE="$2"; shift ;;
    --mirror) MIRROR="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    --keep) KEEP=1 ;;
    --no-tests) TESTS=0 ;;
    --) shift; FILTER=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "fresh-debian-check: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "fresh-debian-check: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ROOT="${DIR:-$(mktemp -d /var/tmp/exstreamtv-fresh-XXXXXX)}"
APP=/opt/exstreamtv
MOUNTS=()
started=$SECONDS
stamp() { printf '\n==> [%4ss] %s\n' "$((SECONDS - started))" "$*"; }

cleanup() {
  local m
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
  if [ "$KEEP" -eq 0 ]; then rm -rf --one-file-system "$ROOT"; else echo "root kept in $ROOT"; fi
}
trap cleanup EXIT

if ! command -v debootstrap >/dev/null 2>&1; then
  stamp "apt-get install debootstrap (on this host)"
  apt-get update -q && apt-get install -y -q debootstrap
fi

stamp "debootstrap --variant=minbase $SUITE $ROOT $MIRROR"
debootstrap --variant=minbase "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 \
  || { tail -n 20 "$ROOT.debootstrap.log" >&2; exit 1; }
rm -f "$ROOT.debootstrap.log"

stamp "checkout (git archive HEAD of $REPO) -> $ROOT$APP"
mkdir -p "$ROOT$APP"
git -C "$REPO" archive HEAD | tar -x -C "$ROOT$APP"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# Behind a TLS-inspecting proxy the host trusts its own CAs: so does the root (Debian's
# ca-certificates adds /usr/local/share/ca-certificates when install.sh installs it; Node reads
# the bundle through NODE_EXTRA_CA_CERTS).
EXTRA_ENV=()
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$ROOT/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  EXTRA_ENV+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
fi
for m in proc sys dev dev/pts; do
  case "$m" in
    proc) mount -t proc proc "$ROOT/proc" ;;
    sys) mount -t sysfs sys "$ROOT/sys" ;;
    *) mount --bind "/$m" "$ROOT/$m" ;;
  esac
  MOUNTS+=("$ROOT/$m")
done

in_root() { chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${EXTRA_ENV[@]}" /bin/bash -c "$1"; }

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
  stamp "command 2: ./install.sh --dev && npm test ${FILTER[*]:+-- ${FILTER[*]}}"
  in_root "cd $APP && ./install.sh --dev && npm test ${FILTER[*]:+-- ${FILTER[*]}}"
  echo "command 2: ok"
fi
stamp "fresh $SUITE: the README's commands work"
