#!/usr/bin/env bash
# The fresh-machine check (not part of .ci/run: it takes about 15 minutes).
#
# Builds a clean Debian bookworm root with debootstrap, boots it with systemd as PID 1 under
# systemd-nspawn, clones this repository inside it and runs the README's two commands exactly
# as written: the first as a non-root user with sudo, the second as root. A green CI on a
# developer's machine can hide a missing install step; this cannot, because the container
# starts with only what a machine of this kind has before the project installs anything
# (Debian minbase, git, sudo and Node 20, which the machine image ships).
#
# Usage (root):  test/fresh/run.sh [--keep] [--offline-check]
#   --keep            leave the container's root in place for inspection
# Prints each command's outcome and time; exits non-zero if either command failed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=/var/lib/tsrun-fresh
keep=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "fresh check: needs root (debootstrap, systemd-nspawn)" >&2; exit 2; }

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }; }
need debootstrap debootstrap
need systemd-nspawn systemd-container

mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]*debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n1 | awk '{print $2}' || true)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$work"
if [ ! -e "$work/base/etc/debian_version" ]; then
  echo "fresh check: building the base root with debootstrap from $mirror (once, about 4 minutes)"
  rm -rf "$work/base.tmp"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,ca-certificates,git,sudo,iproute2,procps \
    bookworm "$work/base.tmp" "$mirror" >"$work/debootstrap.log" 2>&1
  mv "$work/base.tmp" "$work/base"
fi

# The container shares this machine's network (apt and npm need it), so the demo node's ports
# must be free here: a demo node left running on this machine would fail bootstrap's port check.
busy=$(ss -Hltn 2>/dev/null | awk '{print $4}' | grep -oE ':18[0-9]{3}$' | sort -u | tr '\n' ' ' || true)
if [ -n "$busy" ]; then
  echo "fresh check: ports of the demo node are in use on this machine ($busy); stop what uses them first" >&2
  exit 2
fi

run=$(mktemp -d "$work/run.XXXXXX")
root=$run/root
nspawn_pid=
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill "$nspawn_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$nspawn_pid" 2>/dev/null || true
  fi
  # Labs the tests left inside the container live in the host's network namespace.
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep '^tsl\.fresh-' || true); do ip netns del "$ns" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "fresh check: container root kept at $root"; else rm -rf "$run"; fi
}
trap cleanup EXIT

cp -a "$work/base" "$root"
# Node 20 and npm as the machine image ships them (the project installs neither).
cp -a /usr/bin/node "$root/usr/bin/node"
mkdir -p "$root/usr/lib/node_modules"
cp -a /usr/lib/node_modules/npm "$root/usr/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/bin/npx"
# npm's global settings as the machine has them (its cafile names the machine's CA bundle).
for f in /usr/etc/npmrc /etc/npmrc; do [ -f "$f" ] && mkdir -p "$root${f%/*}" && cp "$f" "$root$f"; done
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The machine's own certificate authorities (its registries may sit behind a TLS proxy), kept
# where update-ca-certificates finds them again when a package rebuilds the bundle.
cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
echo "fresh" >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 fresh\n::1 localhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
# A non-root operator with sudo, as the README's first command is meant to be run.
chroot "$root" useradd -m -s /bin/bash -G sudo dev
echo 'dev ALL=(ALL:ALL) NOPASSWD: ALL' >"$root/etc/sudoers.d/dev"
chmod 440 "$root/etc/sudoers.d/dev"

# The repository as it is committed (HEAD), not the work tree.
branch=$(git -C "$repo" rev-parse --abbrev-ref HEAD)
git -C "$repo" bundle create "$run/repo.bundle" HEAD "$branch" >/dev/null 2>&1

# CAP_NET_ADMIN and the host's network: the lab inside the container makes network namespaces,
# veth pairs and a bridge, and apt/npm reach their registries.
systemd-nspawn -D "$root" -b --register=no --keep-unit --console=passive \
  --capability=CAP_NET_ADMIN,CAP_SYS_MODULE --bind-ro="$run/repo.bundle:/srv/repo.bundle" \
  --machine="fresh-$$" >"$run/nspawn.log" 2>&1 &
nspawn_pid=$!

leader=
for _ in $(seq 150); do
  leader=$(pgrep -P "$nspawn_pid" -x systemd 2>/dev/null | head -n1 || true)
  [ -z "$leader" ] && leader=$(ps -o pid= --ppid "$nspawn_pid" 2>/dev/null | head -n1 | tr -d ' ' || true)
  if [ -n "$leader" ] && nsenter -t "$leader" -a systemctl is-system-running 2>/dev/null | grep -qE 'running|degraded'; then break; fi
  sleep 0.2
done
[ -n "$leader" ] || { echo "fresh check: the container did not boot"; cat "$run/nspawn.log"; exit 1; }
echo "fresh check: container booted (PID 1 is $(nsenter -t "$leader" -a ps -p 1 -o comm=))"

inside() { nsenter -t "$leader" -a -- "$@"; }
# The README's commands run as units of the container's own systemd, not as processes nsenter'd
# in from here: a process entered from outside stays in this machine's cgroup, which the
# container sees as "/..", and the systemd hosts the tests boot (systemd-nspawn inside the
# container) then fail with "Failed to create /../payload subcgroup". A delegated unit gives
# them a cgroup subtree of their own, as on a real machine.
inside_unit() {
  inside systemd-run --wait --pipe --collect --quiet -p Delegate=yes -p TasksMax=infinity \
    -p LimitNOFILE="$(ulimit -n)" -- "$@" </dev/null
}

# The README's commands, taken from the README itself so the check follows it.
readme_cmd() { awk -v n="$1" '/^```sh/{inb=1; next} /^```/{inb=0} inb && /^# /{c++} inb && c==n && !/^#/ && NF{print; exit}' "$repo/README.md"; }
cmd1=$(readme_cmd 1)
cmd2=$(readme_cmd 2)
echo "fresh check: README command 1 (as dev): $cmd1"
echo "fresh check: README command 2 (as root): $cmd2"

inside runuser -u dev -- git clone -q -b "$branch" /srv/repo.bundle /home/dev/tsrun
inside git clone -q -b "$branch" /srv/repo.bundle /root/tsrun

status=0
step() { # name user dir command
  local name=$1 user=$2 dir=$3 cmd=$4 t0 t1 rc
  t0=$(date +%s)
  set +e
  if [ "$user" = root ]; then
    inside_unit env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TSRUN_LAB_PREFIX=fresh- \
      bash -lc "cd $dir && $cmd" >"$run/$name.log" 2>&1
  else
    inside_unit runuser -l "$user" -c "cd $dir && $cmd" >"$run/$name.log" 2>&1
  fi
  rc=$?
  set -e
  t1=$(date +%s)
  printf 'fresh check: %-28s rc=%-3s %5ss\n' "$name" "$rc" "$((t1 - t0))"
  if [ "$rc" != 0 ]; then status=1; echo "----- last lines of $name -----"; tail -n 40 "$run/$name.log"; fi
  cp "$run/$name.log" "/var/lib/tsrun-fresh/last-$name.log"
}
step command1-as-dev dev /home/dev/tsrun "$cmd1"
step command2-as-root root /root/tsrun "$cmd2"
grep -aE '^ *(Test Files|Tests) ' "/var/lib/tsrun-fresh/last-command2-as-root.log" | sed 's/\x1b\[[0-9;]*m//g' || true
grep -aiE 'skipping|skipped because' "/var/lib/tsrun-fresh/last-command2-as-root.log" | sed 's/\x1b\[[0-9;]*m//g' | sort | uniq -c | head -n 20 || true
exit "$status"
