#!/usr/bin/env bash
# The benchmark's floor: the same deploy as bench/playbook, written the way a careful shell
# scripter would with plain OpenSSH. One multiplexed connection per host, all hosts in parallel,
# ssh/scp only, and unchanged work skipped on a second run:
#   1. one ssh: make the directories and print the remote sha256 of the two pushed files;
#   2. scp only the files whose checksum differs (to a temp name, renamed in step 3);
#   3. one ssh that runs a generated sh script on its stdin: templates (rendered here, replaced
#      only when different), lineinfile, stat + skipped branch, checksum, 8 markers, service
#      start unless its pid file exists, wait for the port, report.
#
# Usage: deploy.sh HOSTS_FILE      (lines: NAME ADDRESS PORT; '#' comments)
# Environment: SSH_USER, SSH_KEY (required); APP_ROOT (/srv/bench), APP_PORT (8080),
#              FILES_DIR (../playbook/files next to this script), KNOWN_HOSTS (a known_hosts
#              file to check host keys against; host key checking is off without it).
set -euo pipefail

hosts_file=${1:?usage: deploy.sh HOSTS_FILE}
: "${SSH_USER:?}" "${SSH_KEY:?}"
APP_ROOT=${APP_ROOT:-/srv/bench}
APP_PORT=${APP_PORT:-8080}
FILES_DIR=${FILES_DIR:-$(cd "$(dirname "$0")/../playbook/files" && pwd)}

ctl_dir=$(mktemp -d /tmp/plain-cp.XXXXXX)
if [[ -n ${KNOWN_HOSTS:-} ]]; then
  host_key_opts=(-o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$KNOWN_HOSTS")
else
  host_key_opts=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null)
fi
common_opts=(-o ControlMaster=auto -o "ControlPath=$ctl_dir/%C" -o ControlPersist=yes
  -o BatchMode=yes -o LogLevel=ERROR "${host_key_opts[@]}" -i "$SSH_KEY")
ssh_opts=("${common_opts[@]}" -l "$SSH_USER")

names=() addrs=() ports=()
while read -r name addr port _; do
  [[ -z $name || $name == \#* ]] && continue
  names+=("$name") addrs+=("$addr") ports+=("${port:-22}")
done < "$hosts_file"

blob_sum=$(sha256sum "$FILES_DIR/blob.bin" | cut -d' ' -f1)
script_sum=$(sha256sum "$FILES_DIR/app.sh" | cut -d' ' -f1)

# The host list is the same for every host's templates: build it once.
peers=""
for i in "${!names[@]}"; do
  peers+="${names[i]} = ${addrs[i]}:$APP_PORT"$'\n'
done

render_app_conf() { # NAME
  printf '# app.conf for %s\n[app]\nname = %s\nport = %s\nroot = %s\n\n[peers]\n%s' \
    "$1" "$1" "$APP_PORT" "$APP_ROOT" "$peers"
}

render_upstreams() { # NAME
  local i backup
  printf 'upstream app {\n'
  for i in "${!names[@]}"; do
    backup=""; [[ ${names[i]} == "$1" ]] && backup=" backup"
    printf '    server %s:%s%s;\n' "${addrs[i]}" "$APP_PORT" "$backup"
  done
  printf '}\n'
}

# The remote half of step 3, for one host. Everything here runs in the target's sh.
apply_script() { # NAME
  cat <<SH
set -e
cd '$APP_ROOT'
for f in data/blob.bin bin/app.sh; do
  if [ -f "\$f.new" ]; then mv -f "\$f.new" "\$f"; fi
done
chmod 0644 data/blob.bin; chmod 0755 bin/app.sh
put() { t="\$1.new.\$\$"; cat > "\$t"; if cmp -s "\$t" "\$1"; then rm -f "\$t"; else chmod 0644 "\$t"; mv -f "\$t" "\$1"; fi; }
put etc/app.conf <<'__APP_CONF__'
$(render_app_conf "$1")
__APP_CONF__
put etc/upstreams.conf <<'__UPSTREAMS__'
$(render_upstreams "$1")
__UPSTREAMS__
[ -e etc/app.env ] || install -m 0644 /dev/null etc/app.env
if grep -q '^APP_PORT=' etc/app.env; then
  grep -qx 'APP_PORT=$APP_PORT' etc/app.env || sed -i 's/^APP_PORT=.*/APP_PORT=$APP_PORT/' etc/app.env
else
  echo 'APP_PORT=$APP_PORT' >> etc/app.env
fi
if [ ! -e data/blob.bin ]; then echo artifact missing; fi
blob_sha256=\$(sha256sum data/blob.bin | cut -d' ' -f1)
for i in 1 2 3 4 5 6 7 8; do [ -e run/worker-\$i.ready ] || touch run/worker-\$i.ready; done
if [ ! -e run/app.pid ]; then
  nohup '$APP_ROOT/bin/app.sh' '$APP_PORT' '$APP_ROOT/data' </dev/null >run/app.log 2>&1 &
  echo \$! > run/app.pid
fi
n=0
until ss -ltnH 'sport = :$APP_PORT' | grep -q .; do
  n=\$((n + 1)); [ \$n -le 400 ] || { echo 'port $APP_PORT not open' >&2; exit 1; }
  sleep 0.05
done
echo "$1 serves \$blob_sha256 on port $APP_PORT"
SH
}

deploy_one() { # INDEX
  local name=${names[$1]} addr=${addrs[$1]} port=${ports[$1]} sums remote_blob remote_script
  local -a o=("${ssh_opts[@]}" -p "$port")
  sums=$(ssh -n "${o[@]}" "$addr" "mkdir -p '$APP_ROOT'/bin '$APP_ROOT'/etc '$APP_ROOT'/data '$APP_ROOT'/run && cd '$APP_ROOT' && { sha256sum data/blob.bin bin/app.sh 2>/dev/null || true; }")
  remote_blob=$(awk '$2 == "data/blob.bin" { print $1 }' <<<"$sums")
  remote_script=$(awk '$2 == "bin/app.sh" { print $1 }' <<<"$sums")
  if [[ $remote_blob != "$blob_sum" ]]; then
    scp -q "${common_opts[@]}" -P "$port" "$FILES_DIR/blob.bin" "$SSH_USER@$addr:$APP_ROOT/data/blob.bin.new"
  fi
  if [[ $remote_script != "$script_sum" ]]; then
    scp -q "${common_opts[@]}" -P "$port" "$FILES_DIR/app.sh" "$SSH_USER@$addr:$APP_ROOT/bin/app.sh.new"
  fi
  apply_script "$name" | ssh "${o[@]}" "$addr" sh -s
}

pids=()
for i in "${!names[@]}"; do
  { deploy_one "$i" 2>&1 | sed "s/^/[${names[i]}] /"; exit "${PIPESTATUS[0]}"; } &
  pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
  wait "${pids[i]}" || { echo "[${names[i]}] FAILED" >&2; failed=1; }
done
for i in "${!names[@]}"; do
  ssh "${ssh_opts[@]}" -p "${ports[i]}" -O exit "${addrs[i]}" 2>/dev/null || true
done
rm -rf "$ctl_dir"
exit $failed
