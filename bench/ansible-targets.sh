#!/usr/bin/env bash
# Measures parity on Ansible's own integration targets (issue 11): runs each selected target with
# ansible-playbook 2.14 and with tsrun, the way ansible-test runs it (role targets through a generated
# play on `testhost`, script targets through their runme.sh with `ansible-playbook` on PATH pointing
# at the tool under test). Ansible's files never enter this repository: pass the path of an extracted
# stable-2.14 `test/integration/targets` tree; it is copied to a scratch dir per tool and per run.
#
#   bench/ansible-targets.sh TARGETS_DIR [OUT_DIR] [target...]
#
# Prints one line per target (PASS/FAIL for ansible, then tsrun, then tsrun's first error when
# ansible passed and tsrun did not) and a summary; full logs go to OUT_DIR/{ansible,tsrun}/TARGET.log.
# Each target runs under a timeout (TARGET_TIMEOUT seconds, default 300; TIMEOUT counts as FAIL).
# ANSIBLE_RESULTS=OLD_OUT/results.txt reuses an earlier run's ansible column instead of running
# ansible-playbook again (its results do not change when tsrun does).
set -u
TARGETS=$(realpath "${1:?usage: $0 TARGETS_DIR [OUT_DIR] [target...]}")
OUT=$(realpath -m "${2:-/tmp/tsrun-ansible-targets}")
shift 2 2>/dev/null || shift $#
REPO=$(realpath "$(dirname "$0")/..")
TSRUN_BIN=${TSRUN_BIN:-$REPO/bin/tsrun.js}  # another build, e.g. a copy taken before a change
TIMEOUT=${TARGET_TIMEOUT:-300}

# Targets exercising what tsrun supports (modules, keywords, filters, tests, lookups, vars). Targets
# that need the network, package installs, other CLIs (ansible-galaxy, ansible-vault, ansible-inventory)
# or custom Python plugins are left out.
DEFAULT_TARGETS="add_host any_errors_fatal args assert async async_fail blockinfile blocks changed_when
check_mode command_shell conditionals copy debug environment failed_when fetch file filter_core
filter_mathstuff filter_urls filter_urlsplit find getent group group_by groupby_filter handlers
ignore_errors import_tasks include_import include_import_tasks_nested include_vars
include_when_parent_is_dynamic include_when_parent_is_static includes keyword_inheritance lineinfile
lookup_dict lookup_env lookup_file lookup_fileglob lookup_first_found lookup_indexed_items lookup_ini
lookup_items lookup_lines lookup_list lookup_nested lookup_pipe lookup_random_choice lookup_sequence
lookup_subelements lookup_template lookup_together lookup_varnames lookup_vars loop-until loop_control
loops meta_tasks omit order pause ping play_iterator raw register replace roles roles_var_inheritance
script set_fact shell slurp special_vars special_vars_hosts split stat strategy_linear tags
task_ordering tasks tempfile template templating test_core test_files test_mathstuff test_uri throttle
unarchive undefined until user var_blending var_inheritance var_precedence var_templating wait_for
apt delegate_to gathering_facts facts_d include_parent_role_vars templating_lookups lookup_csvfile
hash var_reserved strategy_free roles_arg_spec"
LIST=${*:-$DEFAULT_TARGETS}

mkdir -p "$OUT"
SHIM="$OUT/shim"
mkdir -p "$SHIM"
# tsrun stands in for ansible-playbook.
cat >"$SHIM/ansible-playbook" <<EOF
#!/usr/bin/env bash
exec node "$TSRUN_BIN" "\$@"
EOF
chmod +x "$SHIM/ansible-playbook"

prepare() { # tool -> fresh copy of the targets tree with ansible-test's inventory and layout
  local dir="$OUT/work-$1"
  rm -rf "$dir" && mkdir -p "$dir/integration"
  cp -a "$TARGETS" "$dir/integration/targets"
  ln -s targets "$dir/integration/roles"
  printf '%s\n' '[testgroup]' 'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3' \
    >"$dir/integration/inventory"
  echo "$dir/integration"
}

run_target() { # tool integration-dir target -> exit status
  local tool=$1 idir=$2 t=$3 log="$OUT/$1/$3.log" gf=true
  local tdir="$idir/targets/$t" out="$idir/output/$t"
  mkdir -p "$OUT/$tool" "$out"
  grep -q 'gather_facts/no' "$tdir/aliases" 2>/dev/null && gf=false
  local path=$PATH
  [ "$tool" = tsrun ] && path="$SHIM:$PATH"
  local env=(env PATH="$path" HOME="$OUT/home" ANSIBLE_ROLES_PATH="$idir/targets" ANSIBLE_NOCOLOR=1
    ANSIBLE_DEPRECATION_WARNINGS=0 ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_RETRY_FILES_ENABLED=0
    ANSIBLE_PLAYBOOK_DIR="$tdir" ANSIBLE_TEST_PREFER_PODMAN=0 OUTPUT_DIR="$out" LC_ALL=C.UTF-8)
  if [ -x "$tdir/runme.sh" ]; then
    (cd "$tdir" && timeout -k 10 "$TIMEOUT" "${env[@]}" ./runme.sh) >"$log" 2>&1
  else
    printf -- '- hosts: testhost\n  gather_facts: %s\n  vars: {output_dir: "%s"}\n  roles: [%s]\n' "$gf" "$out" "$t" >"$idir/$t.yml"
    (cd "$idir" && timeout -k 10 "$TIMEOUT" "${env[@]}" ansible-playbook "$t.yml" -i inventory) >"$log" 2>&1
  fi
  local rc=$?
  [ $rc = 124 ] || [ $rc = 137 ] && echo "TIMEOUT after ${TIMEOUT}s" >>"$log"
  return $rc
}

first_error() { # log -> the first line that says why the run failed, on one line
  local line  # an error that the next line marks "...ignoring" did not end the run
  line=$(awk '/\.\.\.ignoring/ { held = ""; next }
    held != "" { print held; exit }
    /fatal: |ERROR!|FAILED!|^TIMEOUT after|[Ee]rror: / { held = $0 }
    END { if (held != "") print held }' "$1" 2>/dev/null | head -n 1)
  [ -n "$line" ] || line=$(tail -n 1 "$1" 2>/dev/null)
  printf '%s' "$line" | tr -s ' \t' ' ' | cut -c1-220
}

mkdir -p "$OUT/home"
ANSIBLE_RESULTS=${ANSIBLE_RESULTS:-}
[ -n "$ANSIBLE_RESULTS" ] || A=$(prepare ansible)
T=$(prepare tsrun)
pass_a=0 pass_t=0 both=0 n=0
: >"$OUT/results.txt"
for t in $LIST; do
  n=$((n + 1))
  if [ -n "$ANSIBLE_RESULTS" ]; then
    ra=$(awk -v t="$t" '$1 == t {print $3}' "$ANSIBLE_RESULTS")
    [ -n "$ra" ] || ra=FAIL
  else
    run_target ansible "$A" "$t" && ra=PASS || ra=FAIL
  fi
  run_target tsrun "$T" "$t" && rt=PASS || rt=FAIL
  [ $ra = PASS ] && pass_a=$((pass_a + 1))
  [ $rt = PASS ] && pass_t=$((pass_t + 1))
  [ $ra = PASS ] && [ $rt = PASS ] && both=$((both + 1))
  why=''
  [ $ra = PASS ] && [ $rt = FAIL ] && why="  # $(first_error "$OUT/tsrun/$t.log")"
  printf '%-34s ansible %s  tsrun %s%s\n' "$t" $ra $rt "$why" | tee -a "$OUT/results.txt"
done
echo "targets $n; ansible-playbook passes $pass_a; tsrun passes $pass_t ($both of ansible's $pass_a)" | tee -a "$OUT/results.txt"
