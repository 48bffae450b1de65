#!/usr/bin/env bash
# Real-systemd check of systemd/exstreamtv.service: in a clean Debian root (debootstrap minbase plus
# systemd), `./install.sh --service` as a user runs it, then the root is booted with systemd-nspawn
# (a real systemd as PID 1, loopback-only network: nothing is announced on the host's LAN and the
# host's ports stay free) where `./install.sh --service` enables and starts the unit, and checks:
#   - the service starts and serves /api/status; `systemd-analyze verify` is clean; the
#     `systemd-analyze security` exposure score;
#   - the hardening holds (NoNewPrivs, seccomp filter, no capabilities, read-only system) and
#     keeps working: a channel streams MPEG-TS from ffmpeg started by the service;
#   - an error is a journald error line: `journalctl -u exstreamtv -p err` finds it (no second
#     timestamp);
#   - Restart=on-failure: after a SIGKILL the service comes back with a new pid and serves;
#   - `systemctl stop` leaves no ffmpeg.
# Needs root and systemd-nspawn (apt-get install systemd-container). Slow (downloads, the addon
# build): ~10-20 minutes. Prints one PASS/FAIL line per check; exit 0 when all pass.
# `--inside` is the part that runs in the booted root (as the unit exstreamtv-check.service).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: sudo scripts/systemd-check.sh [--suite bookworm] [--mirror URL] [--dir DIR] [--keep] [--reuse]
  --suite S      Debian release to bootstrap (default bookworm, i.e. Debian 12)
  --mirror URL   Debian mirror (default http://deb.debian.org/debian)
  --dir DIR      where the root goes (default a new directory under /var/tmp)
  --keep         leave the root in place afterwards (look around: systemd-nspawn -b -D DIR)
  --reuse        DIR is a root kept by an earlier run (--keep): no new debootstrap; the checkout
                 is put in again and install.sh runs again (idempotent: only what changed)
USAGE
}

APP=/opt/exstreamtv
RESULT=/var/log/exstreamtv-systemd-check.txt

# ---------------------------------------------------------------------------------------------
# Inside the booted root (PID 1 is systemd).
inside() {
  local fails=0 base=http://127.0.0.1:8410 media=/srv/media show="Check Show"
  exec > >(tee "$RESULT") 2>&1
  pass() { printf 'PASS %s\n' "$*"; }
  fail() { printf 'FAIL %s\n' "$*"; fails=$((fails + 1)); }
  check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
  # until SECONDS CMD...: true once CMD succeeds, false after SECONDS.
  until_ok() { local end=$((SECONDS + $1)); shift; until "$@"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.5; done; }
  status_ok() { curl -fsS --max-time 5 "$base/api/status" >/dev/null 2>&1; }
  main_pid() { systemctl show -p MainPID --value exstreamtv; }
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root

  echo "== systemd $(systemctl --version | head -n1 | cut -d' ' -f2) is PID 1: $(cat /proc/1/comm)"
  # A root checked before (--reuse) starts from an empty library and data dir again.
  systemctl disable --now exstreamtv 2>/dev/null || true
  rm -rf "$media" /root/moved-away /var/lib/exstreamtv/* /root/.local/share/exstreamtv
  echo "== ./install.sh --service (systemd running: enables and starts the unit)"
  # Without HOME, as from a unit or cron (install.sh must not need it as root).
  (cd "$APP" && env -u HOME ./install.sh --service) || fail "install.sh --service exited $?"
  check "systemctl is-enabled exstreamtv" systemctl is-enabled --quiet exstreamtv
  check "the service is active and serves /api/status" until_ok 60 status_ok
  systemctl --no-pager status exstreamtv | head -n 12 || true

  local verify
  verify="$(systemd-analyze verify /etc/systemd/system/exstreamtv.service 2>&1)" || true
  printf '%s\n' "$verify"
  check "systemd-analyze verify is clean" test -z "$verify"
  echo "systemd-analyze security: $(systemd-analyze security --no-pager exstreamtv.service 2>&1 | tail -n1)"

  local pid; pid="$(main_pid)"
  echo "== the hardening of pid $pid ($(ps -o user= -p "$pid"))"
  grep -E '^(NoNewPrivs|Seccomp|CapEff|CapBnd):' "/proc/$pid/status"
  check "runs as user exstreamtv" test "$(ps -o user= -p "$pid")" = exstreamtv
  check "NoNewPrivs" grep -qE '^NoNewPrivs:\s+1$' "/proc/$pid/status"
  check "a seccomp filter" grep -qE '^Seccomp:\s+2$' "/proc/$pid/status"
  check "no capabilities" grep -qE '^CapEff:\s+0+$' "/proc/$pid/status"
  check "/usr is read-only for it" test "$(nsenter -t "$pid" -m -- sh -c 'touch /usr/.x 2>/dev/null && echo rw || echo ro')" = ro

  echo "== a channel streams under the hardening (ffmpeg started by the service)"
  mkdir -p "$media/$show/Season 01"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440 \
    -t 30 -c:v libx264 -preset ultrafast -c:a aac "$media/$show/Season 01/$show - S01E01 - Pilot.mkv"
  exstreamtv library add "$media" --name Check || fail "library add $media"
  exstreamtv channel add 1 --name Check --show "$show" || fail "channel add 1"
  # (wait for that pid only: a bare `wait` also waits for the tee above, which never ends.)
  curl -sS --max-time 30 -o /tmp/v1.ts "$base/auto/v1?duration=5" & local viewer=$!
  local ff=""
  until_ok 20 sh -c 'pgrep -u exstreamtv -x ffmpeg >/dev/null' && ff="$(pgrep -u exstreamtv -x ffmpeg | head -n1)"
  check "ffmpeg runs, in the service's cgroup, under its seccomp filter (pid ${ff:-none})" \
    sh -c "[ -n '$ff' ] && grep -q exstreamtv.service /proc/$ff/cgroup && grep -qE '^Seccomp:\s+2' /proc/$ff/status"
  wait "$viewer" || true
  local bytes; bytes="$(stat -c %s /tmp/v1.ts 2>/dev/null || echo 0)"
  check "/auto/v1 sends MPEG-TS ($bytes bytes in 5 s)" test "$bytes" -gt 100000
  check "its video is H.264" sh -c "ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 /tmp/v1.ts | grep -qx h264"

  echo "== an error reaches the journal as an error"
  mv "$media/$show" /root/moved-away
  exstreamtv library scan Check || true
  local errs
  until_ok 20 sh -c 'journalctl -u exstreamtv -p err --no-pager -o cat | grep -q "scan of"' || true
  errs="$(journalctl -u exstreamtv -p err --no-pager -o cat)"
  printf '%s\n' "$errs"
  check "journalctl -u exstreamtv -p err finds the failed scan" grep -q 'scan of "Check" failed' <<<"$errs"
  check "journal lines carry no second timestamp" sh -c "! journalctl -u exstreamtv --no-pager -o cat | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'"
  journalctl -u exstreamtv -p err --no-pager | tail -n 3
  check "journal lines are tagged exstreamtv" sh -c "journalctl -u exstreamtv -p err --no-pager -o short | grep -q ' exstreamtv\[[0-9]*\]: scan of'"

  echo "== Restart=on-failure"
  local before after; before="$(main_pid)"
  kill -KILL "$before"
  until_ok 30 sh -c "p=\$(systemctl show -p MainPID --value exstreamtv); [ \"\$p\" != 0 ] && [ \"\$p\" != $before ]" || true
  after="$(main_pid)"
  check "restarted after SIGKILL (pid $before -> $after, NRestarts=$(systemctl show -p NRestarts --value exstreamtv))" \
    test "$after" != 0 -a "$after" != "$before"
  check "serves again after the restart" until_ok 60 status_ok

  echo "== systemctl stop"
  mv /root/moved-away "$media/$show"
  curl -sS --max-time 10 -o /dev/null "$base/auto/v1?duration=8" & viewer=$!
  until_ok 20 pgrep -u exstreamtv -x ffmpeg >/dev/null || true
  systemctl stop exstreamtv
  check "no ffmpeg left after systemctl stop" sh -c '! pgrep -x ffmpeg'
  wait "$viewer" || true

  echo "== $fails failed"
  return "$fails"
}

if [ "${1:-}" = --inside ]; then
  rc=0; inside || rc=$?
  echo "$rc" >"$RESULT.rc"
  systemctl poweroff --no-block
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# On the host.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# shellcheck source=scripts/lib/debian-root.sh
. "$REPO/scripts/lib/debian-root.sh"
REUSE=0
while [ $# -gt 0 ]; do
  root_option "$1" "${2:-}"
  if [ "$ROOT_OPT_USED" -gt 0 ]; then shift "$ROOT_OPT_USED"; continue; fi
  case "$1" in
    --reuse) REUSE=1 KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "systemd-check: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" -eq 0 ] || { echo "systemd-check: needs root (debootstrap, chroot, systemd-nspawn)" >&2; exit 2; }
command -v systemd-nspawn >/dev/null || { echo "systemd-check: needs systemd-nspawn: apt-get install systemd-container" >&2; exit 2; }
[ "$REUSE" -eq 0 ] || [ -x "${DIR:-/nonexistent}/lib/systemd/systemd" ] || { echo "systemd-check: --reuse needs --dir of a kept root with systemd" >&2; exit 2; }

ROOT="${DIR:-$(mktemp -d /var/tmp/exstreamtv-systemd-XXXXXX)}"
cleanup() {
  root_umount
  if [ "$KEEP" -eq 0 ]; then rm -rf --one-file-system "$ROOT"; else echo "root kept in $ROOT"; fi
}
trap cleanup EXIT

[ "$REUSE" -eq 1 ] || root_bootstrap "$SUITE" "$MIRROR" systemd,systemd-sysv,dbus
root_put_checkout "$REPO"
root_mount
stamp "the check's own tools (curl, procps), then ./install.sh --service in a chroot (no systemd runs there yet: the unit is installed, not started)"
in_root "apt-get install -y -q curl procps >/dev/null || { apt-get update -q && apt-get install -y -q curl procps; }"
in_root "cd $APP && ./install.sh --service"
root_umount

# The check runs as a unit once the system is up; it powers the container off when done.
cat >"$ROOT/etc/systemd/system/exstreamtv-check.service" <<UNIT
[Unit]
Description=EXStreamTV real-systemd check (scripts/systemd-check.sh --inside)
# (Not After=multi-user.target: the target waits for the units it wants, so that would be a cycle.)
After=basic.target dbus.service systemd-journald.service
[Service]
Type=oneshot
ExecStart=$APP/scripts/systemd-check.sh --inside
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=1800
[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
ln -sfn ../exstreamtv-check.service "$ROOT/etc/systemd/system/multi-user.target.wants/exstreamtv-check.service"
rm -f "$ROOT$RESULT" "$ROOT$RESULT.rc"

stamp "systemd-nspawn -b -D $ROOT (loopback-only network)"
nspawn_rc=0
# --register=no --keep-unit: no machined or host systemd needed (the host's PID 1 may be anything).
timeout --foreground 2400 systemd-nspawn --quiet --boot --directory="$ROOT" --register=no --keep-unit --private-network \
  --machine=exstreamtv-check </dev/null || nspawn_rc=$?
if [ ! -f "$ROOT$RESULT.rc" ]; then
  echo "systemd-check: the check did not finish in the container (systemd-nspawn exit $nspawn_rc)" >&2
  exit 1
fi
stamp "results"
grep -E '^(PASS|FAIL|systemd-analyze security)' "$ROOT$RESULT"
rc="$(cat "$ROOT$RESULT.rc")"
[ "$rc" -eq 0 ] && echo "systemd-check: all checks passed" || echo "systemd-check: $rc check(s) failed" >&2
exit "$rc"
