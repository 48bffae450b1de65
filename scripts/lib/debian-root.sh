# Shared by scripts/fresh-debian-check.sh and scripts/systemd-check.sh (sourced, not run): a clean
# Debian root made with debootstrap, this checkout's committed tree put in it like a fresh clone,
# the host's kernel file systems mounted into it, and commands run in it with chroot and an empty
# environment. Nothing here touches the host outside the root (no PATH, no /usr/local).
# The caller parses its options with root_option, then sets ROOT (where the root goes) and APP
# (the checkout's path inside the root).

SUITE=bookworm MIRROR=http://deb.debian.org/debian DIR="" KEEP=0
# root_option ARG [VALUE]: the options every root check takes (--suite S, --mirror URL, --dir DIR,
# --keep); sets ROOT_OPT_USED to the words it took (0: not one of them).
root_option() {
  ROOT_OPT_USED=2
  case "$1" in --suite|--mirror|--dir) [ -n "$2" ] || { echo "$1 needs a value" >&2; exit 2; } ;; esac
  case "$1" in
    --suite) SUITE="$2" ;;
    --mirror) MIRROR="$2" ;;
    --dir) DIR="$2" ;;
    --keep) KEEP=1 ROOT_OPT_USED=1 ;;
    *) ROOT_OPT_USED=0 ;;
  esac
}

ROOT_MOUNTS=()
ROOT_ENV=()
root_started=$SECONDS
stamp() { printf '\n==> [%4ss] %s\n' "$((SECONDS - root_started))" "$*"; }

# root_bootstrap SUITE MIRROR [PKG,PKG...]: debootstrap --variant=minbase into $ROOT.
root_bootstrap() {
  local suite="$1" mirror="$2" include="${3:-}"
  if ! command -v debootstrap >/dev/null 2>&1; then
    stamp "apt-get install debootstrap (on this host)"
    apt-get update -q && apt-get install -y -q debootstrap
  fi
  stamp "debootstrap --variant=minbase${include:+ --include=$include} $suite $ROOT $mirror"
  debootstrap --variant=minbase ${include:+"--include=$include"} "$suite" "$ROOT" "$mirror" >"$ROOT.debootstrap.log" 2>&1 \
    || { tail -n 20 "$ROOT.debootstrap.log" >&2; return 1; }
  rm -f "$ROOT.debootstrap.log"
}

# root_put_checkout REPO: the committed tree of REPO (git archive HEAD) into $ROOT$APP, the host's
# resolver, and its local CAs (behind a TLS-inspecting proxy the host trusts its own CAs: so does
# the root; Debian's ca-certificates adds /usr/local/share/ca-certificates when installed, and Node
# reads the bundle through NODE_EXTRA_CA_CERTS, which goes into ROOT_ENV).
root_put_checkout() {
  local repo="$1"
  stamp "checkout (git archive HEAD of $repo) -> $ROOT$APP"
  if [ -d "$ROOT$APP/.git" ] || [ ! -f "$ROOT$APP/package.json" ]; then
    mkdir -p "$ROOT$APP"
    git -C "$repo" archive HEAD | tar -x -C "$ROOT$APP"
  else
    # A root used before: only the files that changed are replaced (as a `git pull` does), so
    # install.sh's "changed since" checks see only those.
    local tmp f; tmp="$(mktemp -d)"
    git -C "$repo" archive HEAD | tar -x -C "$tmp"
    (cd "$tmp" && find . -type f -print0) | while IFS= read -r -d '' f; do
      cmp -s "$tmp/$f" "$ROOT$APP/$f" || install -D -m "$(stat -c %a "$tmp/$f")" "$tmp/$f" "$ROOT$APP/$f"
    done
    rm -rf "$tmp"
  fi
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
    ROOT_ENV+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
  fi
}

root_mount() {
  local m
  for m in proc sys dev dev/pts; do
    case "$m" in
      proc) mount -t proc proc "$ROOT/proc" ;;
      sys) mount -t sysfs sys "$ROOT/sys" ;;
      *) mount --bind "/$m" "$ROOT/$m" ;;
    esac
    ROOT_MOUNTS+=("$ROOT/$m")
  done
}

root_umount() {
  local i
  for ((i = ${#ROOT_MOUNTS[@]} - 1; i >= 0; i--)); do umount -l "${ROOT_MOUNTS[$i]}" 2>/dev/null || true; done
  ROOT_MOUNTS=()
}

# in_root 'COMMANDS': bash -c in the root, as root, with an empty environment (as a login would).
in_root() {
  chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    "${ROOT_ENV[@]}" /bin/bash -c "$1"
}
