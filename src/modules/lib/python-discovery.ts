/**
 * Which Python Ansible 2.14 would run modules with on a host (executor/interpreter_discovery.py),
 * decided inside setup's script so that the python facts come from that interpreter with no extra
 * round trip. `ansible_python_interpreter` (or `interpreter_python` / ANSIBLE_PYTHON_INTERPRETER)
 * names it; its `auto*` modes discover it, once per host: a later setup uses the
 * `discovered_interpreter_python` fact, as Ansible's modules do.
 *
 * Discovery, as Ansible does it: `command -v` each INTERPRETER_PYTHON_FALLBACK name (paths only
 * count); none found: no interpreter (Ansible would try /usr/bin/python and fail the module). On
 * Linux, os-release's ID and VERSION_ID pick the distribution's platform Python from
 * _INTERPRETER_PYTHON_DISTRO_MAP (the id's own entry, else its OS family's; the nearest listed
 * version at or below the host's, else the oldest); that one is used if it was found, otherwise
 * the first found, with Ansible's warnings. Ansible 2.14 asks the first Python found for
 * `platform.dist()` before os-release; Pythons from 3.8 on have no such call, so os-release is
 * what decides on every current host.
 */
import { joinShell, quote, rawShell, sh, type ShellText } from '../../connection/shell-text.js';
import { OS_FAMILIES } from './facts-os.js';

/** Ansible 2.14's INTERPRETER_PYTHON_FALLBACK default (config/base.yml); `ansible_interpreter_python_fallback` replaces it. */
export const PYTHON_FALLBACK: readonly string[] = [
  'python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5',
  '/usr/bin/python3', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python',
];

/** Ansible 2.14's _INTERPRETER_PYTHON_DISTRO_MAP: distribution (or OS family) → version → platform Python. */
const DISTRO_MAP: Record<string, Record<number, string>> = {
  redhat: { 6: '/usr/bin/python', 8: '/usr/libexec/platform-python', 9: '/usr/bin/python3' },
  debian: { 8: '/usr/bin/python', 10: '/usr/bin/python3' },
  fedora: { 23: '/usr/bin/python3' },
  ubuntu: { 14: '/usr/bin/python', 16: '/usr/bin/python3' },
};

const DISCOVERY_MODES = new Set(['auto', 'auto_silent', 'auto_legacy', 'auto_legacy_silent']);

/** What setup's script does about the interpreter. */
export type InterpreterPlan =
  /** Run this interpreter (a path, or words such as `/usr/bin/env python3`). */
  | { kind: 'use'; words: string[] }
  /** Discover it first. */
  | { kind: 'discover'; candidates: string[]; legacy: boolean; silent: boolean };

/**
 * The plan from the configured interpreter (`ansible_python_interpreter`, else interpreter_python),
 * the host's `discovered_interpreter_python` fact and the fallback list.
 */
export function interpreterPlan(configured: string, discovered: unknown, fallback: readonly string[] = PYTHON_FALLBACK): InterpreterPlan {
  const mode = configured.trim();
  if (!DISCOVERY_MODES.has(mode)) return { kind: 'use', words: mode.split(/\s+/).filter(Boolean) };
  if (typeof discovered === 'string' && discovered) return { kind: 'use', words: [discovered] };
  return { kind: 'discover', candidates: [...fallback], legacy: mode.startsWith('auto_legacy'), silent: mode.endsWith('_silent') };
}

/** os-release ids whose distribution, or OS family, has a map entry: `case` arms picking `_pyplat`. */
function platformCase(): string {
  const ids = new Map<string, string[]>(Object.keys(DISTRO_MAP).map((k) => [k, [k]]));
  for (const [family, names] of Object.entries(OS_FAMILIES)) {
    const entry = ids.get(family.toLowerCase());
    // The distribution's own entry wins over its family's (ubuntu, fedora).
    if (entry) for (const n of names.map((x) => x.toLowerCase())) if (!(n in DISTRO_MAP) && !entry.includes(n)) entry.push(n);
  }
  const arms = [...ids].map(([key, names]) => {
    const versions = Object.entries(DISTRO_MAP[key]!).map(([v, path]) => [Number(v), path] as const).sort((a, b) => b[0] - a[0]);
    // Nearest listed version at or below the host's major version; older than all: the oldest.
    const ifs = versions.slice(0, -1).map(([v, path]) => `[ "$_pymaj" -ge ${v} ]; then _pyplat=${quote(path)}`);
    const oldest = `_pyplat=${quote(versions[versions.length - 1]![1])}`;
    const body = ifs.length ? `if ${ifs.join('; elif ')}; else ${oldest}; fi` : oldest;
    return `  ${names.map((n) => quote(n)).join('|')}) ${body} ;;`;
  });
  return `case "$_pyidl" in\n${arms.join('\n')}\nesac`;
}

/**
 * Shell that sets `_pyuse` (the interpreter, empty when none) and prints the `pydisc` section:
 * why, platform type, os-release ID, VERSION_ID, platform Python, the interpreter used.
 */
export function discoveryScript(plan: Extract<InterpreterPlan, { kind: 'discover' }>, osRelease: readonly [string, string] = ['/etc/os-release', '/usr/lib/os-release']): ShellText {
  const legacy = plan.legacy ? rawShell('1') : rawShell('');
  return joinShell([
    // `command -v NAME` for each candidate, as Ansible's bootstrap runs it, searched here without a
    // subshell per name (twelve forks cost more than the rest of the discovery).
    rawShell(String.raw`_pyfind() {
  case $1 in */*) [ -f "$1" ] && [ -x "$1" ] && _c=$1; return ;; esac
  _c=; set -f; _ifs=$IFS; IFS=:
  for _d in $PATH; do [ -f "$_d/$1" ] && [ -x "$_d/$1" ] && { _c=$_d/$1; break; }; done
  IFS=$_ifs; set +f; [ -n "$_c" ]
}`),
    sh`_pyf=; for _p in ${plan.candidates}; do _pyfind "$_p" || continue; case $_c in /*) _pyf="$_pyf$_c
"; esac; done
_pyleg=${legacy} _pyrel1=${osRelease[0]} _pyrel2=${osRelease[1]}`,
    // os-release read by the shell itself: no process per field.
    rawShell(String.raw`_pyuse=${"$"}{_pyf%%"
"*}; _pywhy=none; _pyos=; _pyid=; _pyver=; _pyplat=
_pyread() {
  [ -r "$1" ] && [ -s "$1" ] || return 1
  while IFS= read -r _l || [ -n "$_l" ]; do case $_l in ID=*) _pyid=${"$"}{_l#ID=} ;; VERSION_ID=*) _pyver=${"$"}{_l#VERSION_ID=} ;; esac; done < "$1"
}
_pyunq() { _v=$1; case $_v in \"*\") _v=${"$"}{_v#\"}; _v=${"$"}{_v%\"} ;; \'*\') _v=${"$"}{_v#\'}; _v=${"$"}{_v%\'} ;; esac; }
if [ -n "$_pyuse" ]; then
  _pywhy=fallback; _pyos=$(uname 2>/dev/null)
  if [ "$_pyos" = Linux ]; then
    _pyread "$_pyrel1" || _pyread "$_pyrel2"
    _pyunq "$_pyid"; _pyid=$_v; _pyunq "$_pyver"; _pyver=$_v
    _pyidl=$(printf '%s' "$_pyid" | tr 'A-Z' 'a-z'); _pymaj=${"$"}{_pyver%%[!0-9]*}
    if [ -n "$_pyidl" ] && [ -n "$_pymaj" ]; then
`),
    rawShell(platformCase()),
    rawShell(String.raw`    fi
    if [ -z "$_pyplat" ]; then :
    elif [ -n "$_pyleg" ] && [ "$_pyplat" != /usr/bin/python ] && case "
$_pyf" in *"
/usr/bin/python
"*) true ;; *) false ;; esac; then _pyuse=/usr/bin/python; _pywhy=legacy
    elif case "
$_pyf" in *"
$_pyplat
"*) true ;; *) false ;; esac; then _pyuse=$_pyplat; _pywhy=platform
    else _pywhy=missing
    fi
  fi
fi
sec pydisc; printf '%s\n' "$_pywhy" "$_pyos" "$_pyid" "$_pyver" "$_pyplat" "$_pyuse"`),
  ]);
}

const DOC = 'https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html';

export interface Discovery {
  /** discovered_interpreter_python; undefined when the host has no Python. */
  interpreter?: string;
  warnings: string[];
}

/** The `pydisc` section read back, with the warnings Ansible adds to the result. */
export function readDiscovery(body: string, plan: Extract<InterpreterPlan, { kind: 'discover' }>, host: string): Discovery {
  const [why = 'none', os = '', id = '', version = '', plat = '', use = ''] = body.split('\n');
  if (why === 'none' || !use) return { warnings: [] };
  const warnings: string[] = [];
  if (why === 'legacy')
    warnings.push(`Distribution ${id} ${version} on host ${host} should use ${plat}, but is using /usr/bin/python for backward compatibility with prior Ansible releases. See ${DOC} for more information`);
  if (why === 'missing') {
    if (!plan.candidates.includes(plat)) warnings.push(`Platform interpreter ${plat} on host ${host} is missing from bootstrap list`);
    warnings.push(`Distribution ${id} ${version} on host ${host} should use ${plat}, but is using ${use}, since the discovered platform python interpreter was not present. See ${DOC} for more information.`);
  }
  if (why === 'fallback')
    warnings.push(`Platform ${os.toLowerCase()} on host ${host} is using the discovered Python interpreter at ${use}, but future installation of another Python interpreter could change the meaning of that path. See ${DOC} for more information.`);
  return { interpreter: use, warnings: plan.silent ? [] : warnings };
}
