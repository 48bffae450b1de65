#!/usr/bin/env bash
# EXStreamTV installer for Debian (NAS / Raspberry Pi / mini PC). Idempotent: a second run
# changes nothing and only re-checks. See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./install.sh [--dev] [--service] [--no-apt] [--help]

Installs EXStreamTV from this checkout:
  1. checks Node.js >= 20 and a C++ toolchain (python3, make, g++) for the
     better-sqlite3 native addon;
  2. installs missing Debian packages (runtime: ffmpeg, fonts-dejavu-core for slates), as root;
  3. npm ci (only when node_modules is missing or older than package-lock.json),
     npm run build (only when sources changed since the last build), and checks
     that better-sqlite3 loads (npm rebuild better-sqlite3 if it does not);
  4. puts `exstreamtv` on PATH: /usr/local/bin/exstreamtv as root,
     ~/.local/bin/exstreamtv otherwise.

Options (may be combined):
  --dev       also install the Debian test clients used by `npm test`:
              xmltv-util libxml2-utils hdhomerun-config gupnp-tools mpv tstools
              chromium iproute2 tmux procps psmisc
  --service   (root only) create the system user `exstreamtv` (groups video and
              render where they exist), the data dir /var/lib/exstreamtv, install
              /etc/systemd/system/exstreamtv.service and enable + start it when
              systemd is running
  --no-apt    never run apt-get: only report missing Debian packages and go on
  -h, --help  show this help

Not root and Debian packages missing: prints the apt-get command to run and
exits 1 (unless --no-apt).

Examples:
  sudo ./install.sh --service    # appliance install
  sudo ./install.sh --dev        # development / CI box (then: npm test)
  ./install.sh --no-apt          # user install, packages already present
EOF
}

DEV=0 SERVICE=0 NO_APT=0
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    --service) SERVICE=1 ;;
    --no-apt) NO_APT=1 ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'install.sh: unknown option: %s (see ./install.sh --help)\n' "$arg" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
cd "$REPO"

RUNTIME_PKGS=(ffmpeg fonts-dejavu-core)
DEV_PKGS=(xmltv-util libxml2-utils hdhomerun-config gupnp-tools mpv tstools chromium iproute2 tmux procps psmisc)
# The Node.js majors package.json's engines admit (current LTS lines); the one fetched when the
# system has none of them (EXSTREAMTV_NODE_MAJOR=22 picks the other).
NODE_MAJORS=(22 24)
NODE_FETCH_MAJOR="${EXSTREAMTV_NODE_MAJOR:-24}"
PRIVATE_NODE="$REPO/.node"
SERVICE_USER=exstreamtv
DATA_DIR=/var/lib/exstreamtv
UNIT_SRC="$REPO/systemd/exstreamtv.service"
UNIT_DST=/etc/systemd/system/exstreamtv.service
BUILD_STAMP="$REPO/dist/.install-build-stamp"

export DEBIAN_FRONTEND=noninteractive

IS_ROOT=0; [ "$(id -u)" -eq 0 ] && IS_ROOT=1
CHANGES=()
APT_UPDATED=0

step() { printf '\n==> %s\n' "$*"; }
ok()   { printf '    ok: %s\n' "$*"; }
say()  { printf '    %s\n' "$*"; }
warn() { printf '    WARNING: %s\n' "$*" >&2; }
die()  { printf '\nERROR: %s\n' "$*" >&2; exit 1; }
changed() { CHANGES+=("$1"); }

apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    apt-get update -q
    APT_UPDATED=1
  fi
  say "apt-get install -y $*"
  apt-get install -y -q -o Dpkg::Use-Pty=0 "$@"
  changed "apt-get install $*"
}

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

node_major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
supported_major() { local m; for m in "${NODE_MAJORS[@]}"; do [ "$1" = "$m" ] && return 0; done; return 1; }
# Debian's npm builds addons with Debian's node-gyp, which links against Debian's libnode: never
# pair it with a Node from elsewhere (the addon then segfaults on load).
debian_owned() { dpkg-query -S "$(readlink -f "$1")" >/dev/null 2>&1; }
# The major of the nodejs that apt would install (e.g. 18 on Debian 12, 20 on Debian 13).
apt_candidate_major() {
  apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/{print $2; exit}' | sed -E 's/^[0-9]+://; s/[^0-9].*//'
}
describe_node() {
  local n v="none"; n="$(command -v node 2>/dev/null || true)"
  [ -n "$n" ] && v="$("$n" --version 2>/dev/null || echo '?') ($n)"
  printf 'node %s, npm %s' "$v" "$(command -v npm >/dev/null 2>&1 && npm --version 2>/dev/null || echo none)"
}

# Sets NODE_BIN (absolute) and NODE_FROM to a supported Node with a usable npm, or returns 1.
choose_node() {
  NODE_BIN="" NODE_FROM=""
  if [ -x "$PRIVATE_NODE/bin/node" ] && supported_major "$(node_major_of "$PRIVATE_NODE/bin/node")"; then
    NODE_BIN="$PRIVATE_NODE/bin/node" NODE_FROM="fetched from the npm registry into $PRIVATE_NODE"
    return 0
  fi
  local n p
  n="$(command -v node 2>/dev/null || true)"; p="$(command -v npm 2>/dev/null || true)"
  [ -n "$n" ] && [ -n "$p" ] && supported_major "$(node_major_of "$n")" || return 1
  if debian_owned "$p" && ! debian_owned "$n"; then
    say "$n is not Debian's but $p is Debian's npm (its node-gyp builds for Debian's Node): not used"
    return 1
  fi
  NODE_BIN="$(readlink -f "$n")" NODE_FROM="the system's ($n)"
}

node_help() {
  cat <<EOF
Node.js ${NODE_MAJORS[*]} (an LTS line) with npm is required (found: $(describe_node)).
install.sh gets one by itself: Debian's nodejs when apt offers a supported version, else
Node $NODE_FETCH_MAJOR and npm from the npm registry into $PRIVATE_NODE (this needs python3
and ca-certificates: sudo apt-get install -y python3 ca-certificates). Or install Node 22 or 24
yourself and put it first on PATH. Then run ./install.sh again.
EOF
}

# When root works in a checkout owned by someone else (git clone as pi, then sudo), run npm
# as the owner so node_modules/ and dist/ do not end up owned by root.
REPO_UID="$(stat -c %u "$REPO")"
REPO_OWNER=""; REPO_HOME=""
if [ "$IS_ROOT" -eq 1 ] && [ "$REPO_UID" -ne 0 ] && getent passwd "$REPO_UID" >/dev/null; then
  REPO_OWNER="$(getent passwd "$REPO_UID" | cut -d: -f1)"
  REPO_HOME="$(getent passwd "$REPO_UID" | cut -d: -f6)"
fi
as_owner() {
  if [ -n "$REPO_OWNER" ]; then
    runuser -u "$REPO_OWNER" -- env HOME="$REPO_HOME" PATH="$PATH" "$@"
  else
    "$@"
  fi
}

FLAGS=""
if [ "$DEV" -eq 1 ]; then FLAGS+=", --dev"; fi
if [ "$SERVICE" -eq 1 ]; then FLAGS+=", --service"; fi
if [ "$NO_APT" -eq 1 ]; then FLAGS+=", --no-apt"; fi
printf 'EXStreamTV install: %s (as %s%s)\n' "$REPO" "$(id -un)" "$FLAGS"

if [ "$SERVICE" -eq 1 ] && [ "$IS_ROOT" -ne 1 ]; then
  die "--service needs root: sudo ./install.sh --service"
fi

# ---------------------------------------------------------------------------------------
step "Node.js (${NODE_MAJORS[*]})"
supported_major "$NODE_FETCH_MAJOR" || die "EXSTREAMTV_NODE_MAJOR=$NODE_FETCH_MAJOR: choose one of ${NODE_MAJORS[*]}"
NODE_PROBLEM=0
if ! choose_node; then
  say "no supported Node.js with npm on this system ($(describe_node))"
  cand="$(apt_candidate_major)"
  if supported_major "${cand:-0}" && [ "$IS_ROOT" -eq 1 ] && [ "$NO_APT" -eq 0 ]; then
    say "Debian's candidate nodejs is $cand: installing it"
    apt_install nodejs npm
    hash -r
    choose_node || true
  elif [ -n "$cand" ]; then
    say "Debian's candidate nodejs is $cand (too old): not installed"
  fi
fi
if [ -z "$NODE_BIN" ]; then
  if ! command -v python3 >/dev/null 2>&1 || [ ! -s /etc/ssl/certs/ca-certificates.crt ]; then
    if [ "$IS_ROOT" -eq 1 ] && [ "$NO_APT" -eq 0 ]; then apt_install python3 ca-certificates; fi
  fi
  if command -v python3 >/dev/null 2>&1 && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    say "fetching Node $NODE_FETCH_MAJOR and a matching npm from the npm registry into $PRIVATE_NODE"
    [ -w "$REPO" ] || die "$REPO is not writable by $(id -un): cannot install Node into $PRIVATE_NODE"
    as_owner python3 "$REPO/scripts/node-from-registry.py" "$NODE_FETCH_MAJOR" "$PRIVATE_NODE" \
      || die "could not fetch Node $NODE_FETCH_MAJOR from the npm registry (see above)"
    changed "Node $NODE_FETCH_MAJOR + npm in $PRIVATE_NODE"
    choose_node || die "$PRIVATE_NODE/bin/node does not run on this machine"
  elif [ "$IS_ROOT" -eq 1 ]; then
    printf '\n' >&2; node_help >&2; exit 1
  else
    NODE_PROBLEM=1   # reported below together with missing packages
    warn "need Node.js ${NODE_MAJORS[*]} with npm; found $(describe_node), and no python3/ca-certificates to fetch one"
  fi
fi
if [ "$NODE_PROBLEM" -eq 0 ]; then
  # From here on `node`, `npm` and npm's scripts (tsc, node-gyp) run on the chosen Node.
  export PATH="$(dirname "$NODE_BIN"):$PATH"
  hash -r
  if [ "$NODE_BIN" = "$PRIVATE_NODE/bin/node" ]; then
    # Its own npm's node-gyp and headers, whatever ~/.npmrc or another npm say.
    export npm_config_node_gyp="$PRIVATE_NODE/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
    export npm_config_nodedir="$PRIVATE_NODE"
  fi
  ok "node $("$NODE_BIN" --version), npm $(npm --version) ($NODE_FROM)"
fi

# ---------------------------------------------------------------------------------------
step "Debian packages"
WANT=("${RUNTIME_PKGS[@]}")
# C++ toolchain for the better-sqlite3 native addon (node-gyp): by command, not package,
# so a toolchain from elsewhere counts.
for tool in python3 make g++; do
  command -v "$tool" >/dev/null 2>&1 || WANT+=("$tool")
done
[ "$DEV" -eq 1 ] && WANT+=("${DEV_PKGS[@]}")

MISSING=()
for p in "${WANT[@]}"; do
  if pkg_installed "$p"; then continue; fi
  if [ "$p" = ffmpeg ] && command -v ffmpeg >/dev/null 2>&1; then
    say "ffmpeg: not Debian's package, using $(command -v ffmpeg)"
    continue
  fi
  MISSING+=("$p")
done

if [ "${#MISSING[@]}" -eq 0 ]; then
  ok "all present: ${WANT[*]}"
elif [ "$NO_APT" -eq 1 ]; then
  warn "missing (not installed because of --no-apt): ${MISSING[*]}"
elif [ "$IS_ROOT" -eq 1 ]; then
  say "missing: ${MISSING[*]}"
  apt_install "${MISSING[@]}"
else
  {
    printf '\nNot running as root, and these Debian packages are missing: %s\n' "${MISSING[*]}"
    printf 'Install them with:\n\n    sudo apt-get update && sudo apt-get install -y %s\n\n' "${MISSING[*]}"
    printf 'then run ./install.sh again (or run it as root; --no-apt skips this check).\n'
  } >&2
  [ "$NODE_PROBLEM" -eq 1 ] && { printf '\n' >&2; node_help >&2; }
  exit 1
fi
if [ "$NODE_PROBLEM" -eq 1 ]; then
  printf '\n' >&2; node_help >&2; exit 1
fi

# ---------------------------------------------------------------------------------------
step "npm dependencies"
[ -w "$REPO" ] || die "$REPO is not writable by $(id -un) (owner: $(stat -c %U "$REPO")): run install.sh as that user or as root"
[ -n "$REPO_OWNER" ] && say "running npm as the checkout's owner, $REPO_OWNER"
# node-gyp (better-sqlite3 is compiled from source) downloads Node's headers from
# nodejs.org unless told where they are. Installed Node packages (NodeSource, Debian 13)
# ship them in <prefix>/include/node: use them when they match the running node, so the
# build works offline and for users without a configured ~/.npmrc.
GYP_NOTE=""
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  hdr="$node_prefix/include/node/node_version.h"
  if [ -f "$hdr" ] && [ -f "$node_prefix/include/node/common.gypi" ]; then
    hdr_version="v$(awk '/^#define NODE_(MAJOR|MINOR|PATCH)_VERSION /{print $3}' "$hdr" | paste -sd.)"
    if [ "$hdr_version" = "$(node --version)" ]; then
      export npm_config_nodedir="$node_prefix"
      GYP_NOTE="(node-gyp uses the local Node headers in $node_prefix/include/node)"
    fi
  fi
fi
DEPS_INSTALLED=0
if [ -f package-lock.json ]; then
  reason=""
  if [ ! -d node_modules ]; then
    reason="node_modules/ is missing"
  elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    reason="package-lock.json is newer than node_modules/"
  fi
  if [ -n "$reason" ]; then
    say "$reason: npm ci $GYP_NOTE"
    as_owner npm ci --no-audit --no-fund
    DEPS_INSTALLED=1; changed "npm ci"
  else
    ok "node_modules/ is up to date with package-lock.json"
  fi
else
  if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
    say "no package-lock.json: npm install $GYP_NOTE"
    as_owner npm install --no-audit --no-fund
    DEPS_INSTALLED=1; changed "npm install"
  else
    ok "node_modules/ present (no package-lock.json)"
  fi
fi

# ---------------------------------------------------------------------------------------
step "Build (npm run build)"
need_build=""
if [ "$DEPS_INSTALLED" -eq 1 ]; then
  need_build="dependencies were installed"
elif [ ! -f "$BUILD_STAMP" ]; then
  need_build="no previous build by install.sh"
else
  srcs=()
  for s in src test bench scripts tsconfig.json package.json package-lock.json; do
    [ -e "$s" ] && srcs+=("$s")
  done
  newer="$(find "${srcs[@]}" -newer "$BUILD_STAMP" -print -quit 2>/dev/null || true)"
  [ -n "$newer" ] && need_build="sources changed since the last build ($newer)"
fi
if [ -n "$need_build" ]; then
  say "$need_build"
  as_owner npm run build || die "npm run build failed (see the TypeScript errors above)"
  as_owner touch "$BUILD_STAMP"
  changed "npm run build"
else
  ok "dist/ is up to date (no source changed since the last build)"
fi
[ -f dist/src/cli/main.js ] || warn "dist/src/cli/main.js is missing after the build: bin/exstreamtv.js cannot start"

# ---------------------------------------------------------------------------------------
step "better-sqlite3 native addon"
# The real reason when it fails: node's own error lines, or the signal that killed it (an addon
# built for another Node, e.g. by Debian's node-gyp against Debian's libnode, segfaults on load).
sqlite_check() {
  local rc=0
  out="$(node --input-type=commonjs -e "require('better-sqlite3')(':memory:').close()" 2>&1)" || rc=$?
  [ "$rc" -eq 0 ] && return 0
  if [ "$rc" -gt 128 ]; then
    out="node $(node --version) died of signal $(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128))) (exit $rc) while loading node_modules/better-sqlite3/build/Release/better_sqlite3.node: it was built for another Node.js${out:+; output: $out}"
  elif [ -z "$out" ]; then
    out="node exited $rc without a message"
  fi
  return 1
}
out=""
if sqlite_check; then
  ok "better-sqlite3 loads"
else
  say "better-sqlite3 does not load: $(printf '%s' "$out" | grep -E 'Error|error|signal' | head -n3 || true)"
  [ -n "$(printf '%s' "$out" | grep -E 'Error|error|signal')" ] || say "  $(printf '%s' "$out" | head -n3)"
  say "npm rebuild better-sqlite3 (compiles from source with node-gyp) $GYP_NOTE"
  as_owner npm rebuild better-sqlite3
  changed "npm rebuild better-sqlite3"
  sqlite_check || die "better-sqlite3 still does not load after a rebuild:
$out"
  ok "better-sqlite3 loads after the rebuild"
fi

# ---------------------------------------------------------------------------------------
step "exstreamtv command on PATH"
# A launcher that runs bin/exstreamtv.js on the chosen Node (.node/ when install.sh fetched it).
TARGET="$REPO/bin/exstreamtv"
for f in "$TARGET" "$REPO/bin/exstreamtv.js"; do
  [ -x "$f" ] || { chmod +x "$f"; changed "chmod +x ${f#"$REPO"/}"; }
done
link_cli() {
  local dst="$1" target="$2"
  if [ -L "$dst" ] && [ "$(readlink "$dst")" = "$target" ]; then
    ok "$dst -> $target"
  elif [ -e "$dst" ] && [ ! -L "$dst" ]; then
    warn "$dst exists and is not a symlink: left alone (remove it and rerun to link $target)"
  elif mkdir -p "$(dirname "$dst")" 2>/dev/null && ln -sfn "$target" "$dst" 2>/dev/null; then
    ok "linked $dst -> $target"; changed "symlink $dst"
  else
    warn "could not create $dst; run $target directly"
    return 0
  fi
}
# (Root's link goes to /usr/local/bin whatever HOME is: install.sh may run from a unit or cron,
# where HOME is not set.)
if [ "$IS_ROOT" -eq 1 ]; then LINK_DIR=/usr/local/bin
else LINK_DIR="${HOME:?is not set: cannot link ~/.local/bin/exstreamtv}/.local/bin"
fi
link_cli "$LINK_DIR/exstreamtv" "$TARGET"
if [ "$DEV" -eq 1 ] && [ "$NODE_BIN" = "$PRIVATE_NODE/bin/node" ]; then
  # A development box runs `npm test` by hand: the fetched Node and npm go on PATH too.
  for t in node npm npx; do link_cli "$LINK_DIR/$t" "$PRIVATE_NODE/bin/$t"; done
fi
if [ "$IS_ROOT" -ne 1 ]; then
  case ":$PATH:" in
    *":$HOME/.local/bin:"*) ;;
    *) warn "$HOME/.local/bin is not on your PATH: add  export PATH=\"\$HOME/.local/bin:\$PATH\"  to ~/.profile" ;;
  esac
fi

# ---------------------------------------------------------------------------------------
if [ "$SERVICE" -eq 1 ]; then
  step "Service user $SERVICE_USER"
  if getent passwd "$SERVICE_USER" >/dev/null; then
    ok "user $SERVICE_USER exists"
  else
    nologin="$(command -v nologin || echo /usr/sbin/nologin)"
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell "$nologin" --comment "EXStreamTV service" "$SERVICE_USER"
    ok "created system user $SERVICE_USER (home $DATA_DIR, shell $nologin)"; changed "useradd $SERVICE_USER"
  fi
  UNIT_GROUPS=()
  for g in video render; do
    if ! getent group "$g" >/dev/null; then
      say "group $g does not exist on this host: skipped"
      continue
    fi
    UNIT_GROUPS+=("$g")
    if [[ " $(id -nG "$SERVICE_USER") " == *" $g "* ]]; then
      ok "$SERVICE_USER is in group $g"
    else
      usermod -aG "$g" "$SERVICE_USER"
      ok "added $SERVICE_USER to group $g"; changed "usermod -aG $g $SERVICE_USER"
    fi
  done

  step "Data directory $DATA_DIR"
  if [ -d "$DATA_DIR" ] && [ "$(stat -c %U:%G "$DATA_DIR")" = "$SERVICE_USER:$SERVICE_USER" ]; then
    ok "$DATA_DIR exists, owned by $SERVICE_USER"
  else
    install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0750 "$DATA_DIR"
    chown "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
    ok "$DATA_DIR owned by $SERVICE_USER"; changed "data dir $DATA_DIR"
  fi
  if ! runuser -u "$SERVICE_USER" -- test -r "$REPO/package.json" -a -r "$TARGET" -a -x "$NODE_BIN" 2>/dev/null; then
    warn "user $SERVICE_USER cannot read $REPO (a parent directory such as /root or a 0700 home blocks it):
             move the checkout (e.g. to /opt/exstreamtv) or make its parents world-searchable (chmod o+x)"
  fi

  step "systemd unit $UNIT_DST"
  [ -f "$UNIT_SRC" ] || die "missing $UNIT_SRC"
  # systemd unit escaping: % -> %%, $ -> $$; the path sits inside double quotes in ExecStart.
  unit_esc() { local v="${1//%/%%}"; printf '%s' "${v//\$/\$\$}"; }
  repo_esc="$(unit_esc "$REPO")"; node_esc="$(unit_esc "$NODE_BIN")"
  if [ "${#UNIT_GROUPS[@]}" -gt 0 ]; then groups_line="SupplementaryGroups=${UNIT_GROUPS[*]}"
  else groups_line="# SupplementaryGroups=video render  (neither group exists on this host)"
  fi
  tmp_unit="$(mktemp)"
  trap 'rm -f "$tmp_unit"' EXIT
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      SupplementaryGroups=*) line="$groups_line" ;;
      '#'*|';'*) ;;
      *) line="${line//@REPO@/"$repo_esc"}"; line="${line//@NODE@/"$node_esc"}" ;;
    esac
    printf '%s\n' "$line"
  done <"$UNIT_SRC" >"$tmp_unit"
  UNIT_CHANGED=0
  if [ -f "$UNIT_DST" ] && cmp -s "$tmp_unit" "$UNIT_DST"; then
    ok "$UNIT_DST is up to date"
  else
    install -D -m 0644 "$tmp_unit" "$UNIT_DST"
    UNIT_CHANGED=1
    ok "installed $UNIT_DST (ExecStart: $(grep -m1 '^ExecStart=' "$UNIT_DST" | cut -d= -f2-))"
    changed "unit $UNIT_DST"
  fi

  step "Enable and start exstreamtv.service"
  if [ -d /run/systemd/system ]; then
    [ "$UNIT_CHANGED" -eq 1 ] && { systemctl daemon-reload; say "systemctl daemon-reload"; }
    if ! systemctl is-enabled --quiet exstreamtv.service 2>/dev/null; then
      systemctl enable --now exstreamtv.service
      ok "enabled and started"; changed "systemctl enable --now exstreamtv"
    elif ! systemctl is-active --quiet exstreamtv.service; then
      systemctl start exstreamtv.service
      ok "started"; changed "systemctl start exstreamtv"
    elif [ "${#CHANGES[@]}" -gt 0 ]; then
      systemctl restart exstreamtv.service
      ok "restarted (the installation changed)"; changed "systemctl restart exstreamtv"
    else
      ok "enabled and running"
    fi
    systemctl --no-pager --lines=0 status exstreamtv.service || true
  else
    pid1="$(cat /proc/1/comm 2>/dev/null || echo unknown)"
    say "systemd is not running here (PID 1 is '$pid1'): the unit is installed but NOT started."
    say "On a systemd host run: systemctl daemon-reload && systemctl enable --now exstreamtv"
  fi
fi

# ---------------------------------------------------------------------------------------
printf '\n==> Done in %ss. ' "$SECONDS"
if [ "${#CHANGES[@]}" -eq 0 ]; then
  printf 'Nothing changed (already installed).\n'
else
  printf 'Changed:\n'
  printf '    - %s\n' "${CHANGES[@]}"
fi
