import { posix } from 'node:path';
import type { ModeSpec } from './file-mode.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet } from './file-transfer.js';
import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';

export type FileState = 'file' | 'directory' | 'touch' | 'absent' | 'link' | 'hard';

export interface FileStateSpec {
  path: string;
  state: FileState;
  src?: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  recurse?: boolean;
  force?: boolean;
  follow?: boolean;
  /** touch: `now` (default), `preserve`, or a `YYYYMMDDHHMM.SS` time for touch -t. */
  modificationTime?: string;
  accessTime?: string;
  /** No state was given: keep whatever exists (Ansible's default), so a directory is fine. */
  stateDefaulted?: boolean;
}

/** Parents of `path` (shallowest first), for mkdir one level at a time with attributes on each. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = posix.normalize(path).replace(/\/+$/, '');
  while (p && p !== '/' && p !== '.') {
    out.unshift(p);
    p = posix.dirname(p);
  }
  return out;
}

/** Runs `cmd` unless in check mode; `what` is fixed text (it may name $_a / $p, expanded in double quotes). */
const act = (cmd: ShellText, what: string) => sh`if [ "$TSRUN_CHECK" != 1 ]; then _e=$(${cmd} 2>&1) || { tsrun_err ${rawShell(`"${what}: $_e"`)}; exit 0; }; fi`;

function touchArgs(kind: '-m' | '-a', t: string | undefined): ShellText {
  if (!t || t === 'now') return sh`touch ${kind} -- "$p"`;
  return sh`touch ${kind} -t ${t} -- "$p"`;
}

/**
 * One script that brings `path` to `state`: reports `prev=` (absent|file|directory|link|hard),
 * `did=` for each action, `attr=` for attribute changes, `error=` on failure, and the final
 * stat as `final_st=` (plus `final_lnk=` for links). Check mode reports without acting.
 */
export function fileStateScript(s: FileStateSpec, check: boolean): ShellText {
  const attrs = (expr: string, noFollow = false) => attrsSnippet(rawShell(expr), s.mode, s.owner, s.group, noFollow);
  const ownerOnly = (expr: string) => attrsSnippet(rawShell(expr), undefined, s.owner, s.group, true);
  const flag = (b: boolean | undefined) => (b ? '1' : '0');
  const L: ShellText[] = [
    prelude(check),
    sh`p=${s.path}`,
    sh`if [ -L "$p" ]; then prev=link; printf '%s prev_lnk=%s\\n' "$TSRUN_N" "$(readlink -- "$p")"`,
    sh`elif [ -d "$p" ]; then prev=directory`,
    sh`elif [ -f "$p" ] && [ "$(stat -c %h -- "$p")" -gt 1 ]; then prev=hard`,
    sh`elif [ -e "$p" ]; then prev=file`,
    sh`else prev=absent; fi`,
    sh`echo "$TSRUN_N" prev=$prev`,
  ];
  const follow = s.follow !== false;
  const list = rawShell('"$_list"');
  // Recursion reads a file list rather than a pipe so `exit 0` on failure leaves the script.
  const recurse = (): ShellText[] =>
    s.recurse && (s.mode || s.owner || s.group)
      ? [
          // mktemp: a fixed name in a shared /tmp could be another run's, or an attacker's link.
          sh`if [ -d "$p" ]; then _list=$(mktemp) || { tsrun_err "cannot create a temp file"; exit 0; }; find ${follow ? ['-L'] : []} "$p" -mindepth 1 > ${list}; while IFS= read -r f; do`,
          sh`  if [ -L "$f" ]; then ${ownerOnly('"$f"')}; else ${attrs('"$f"')}; fi`,
          // reading the tree may have moved the directory's own access time since tsrun_attrs read its stat
          sh`done < ${list}; rm -f ${list}; __ts_sp=; fi`,
        ]
      : [];
  switch (s.state) {
    case 'absent':
      L.push(sh`if [ $prev != absent ]; then echo "$TSRUN_N" did=remove; ${act(sh`rm -rf -- "$p"`, 'rmtree failed')}; fi`);
      break;
    case 'directory': {
      L.push(sh`if [ $prev = link ] && ${follow ? sh`[ -d "$p" ]` : sh`false`}; then :`, sh`elif [ $prev = absent ]; then`, sh`  echo "$TSRUN_N" did=create`);
      for (const a of ancestors(s.path)) {
        // Another process may create it between the test and mkdir: as Ansible, EEXIST is
        // fine when the path is a directory now.
        L.push(sh`  _a=${a}; if [ ! -d "$_a" ]; then ${act(sh`mkdir -- "$_a" || [ -d "$_a" ]`, 'There was an issue creating $_a as requested')}; [ "$TSRUN_CHECK" = 1 ] || ${attrs('"$_a"')}; fi`);
      }
      L.push(
        sh`elif [ $prev != directory ]; then tsrun_err "$p already exists as a $prev"; exit 0`,
        sh`fi`,
        sh`if [ -d "$p" ]; then ${attrs('"$p"')}; fi`,
        ...recurse(),
      );
      break;
    }
    case 'file':
      L.push(
        sh`if [ $prev = absent ]; then tsrun_err "file ($p) is absent, cannot continue"; exit 0; fi`,
        sh`if { [ $prev = directory ] && [ ${flag(s.stateDefaulted)} = 0 ]; } || { [ $prev = link ] && ${follow ? sh`[ ! -f "$p" ]` : sh`true`}; }; then tsrun_err "file ($p) is $prev, cannot continue"; exit 0; fi`,
        attrs('"$p"'),
      );
      break;
    case 'touch': {
      const m = s.modificationTime ?? 'now';
      const at = s.accessTime ?? 'now';
      L.push(sh`if [ $prev = absent ]; then echo "$TSRUN_N" did=create; ${act(sh`touch -- "$p"`, 'Error, could not touch target')}; fi`);
      const cmds: ShellText[] = [];
      if (m !== 'preserve') cmds.push(touchArgs('-m', m));
      if (at !== 'preserve') cmds.push(touchArgs('-a', at));
      if (cmds.length) L.push(sh`if [ $prev != absent ]; then echo "$TSRUN_N" did=touch; fi; ${act(joinShell(cmds, ' && '), 'Error while touching')}`);
      L.push(sh`if [ -e "$p" ] || [ -L "$p" ]; then ${attrs('"$p"', !follow)}; fi`);
      break;
    }
    case 'link':
    case 'hard': {
      const src = s.src ?? '';
      const hard = s.state === 'hard';
      // A relative symlink src is relative to the link's directory.
      const srcCheck = src.startsWith('/') ? sh`${src}` : sh`"$(dirname -- "$p")"/${src}`;
      L.push(sh`src=${src}`, sh`dir=$(dirname -- "$p"); base=$(basename -- "$p")`);
      if (hard) {
        L.push(sh`[ -e "$src" ] || { tsrun_err "src does not exist"; exit 0; }`, sh`if [ $prev != absent ] && [ "$p" -ef "$src" ]; then same=1; else same=0; fi`);
      } else {
        L.push(
          sh`if [ ! -e ${srcCheck} ] && [ ${flag(s.force)} = 0 ]; then tsrun_err "src file does not exist, use \\"force=yes\\" if you really want to create the link: $src"; exit 0; fi`,
          sh`if [ $prev = link ] && [ "$(readlink -- "$p")" = "$src" ]; then same=1; else same=0; fi`,
        );
      }
      L.push(
        sh`if [ $same = 0 ]; then`,
        sh`  if [ $prev = directory ] && [ ${flag(s.force)} = 0 ]; then tsrun_err ${`refusing to convert from directory to ${hard ? 'hard' : 'sym'}link for `}"$p"; exit 0; fi`,
        sh`  if [ $prev = directory ] && [ -n "$(ls -A -- "$p")" ]; then tsrun_err "the directory $p is not empty, refusing to convert it"; exit 0; fi`,
        sh`  if { [ $prev = file ] || [ $prev = hard ]; } && [ ${flag(s.force)} = 0 ]${hard ? sh` && false` : sh``}; then tsrun_err "refusing to convert from file to symlink for $p"; exit 0; fi`,
        sh`  echo "$TSRUN_N" did=link`,
        sh`  if [ "$TSRUN_CHECK" != 1 ]; then`,
        sh`    [ -d "$dir" ] || { tsrun_err "Error while linking: $dir does not exist"; exit 0; }`,
        sh`    tmp="$dir/.$base.tsrun.$$"; rm -f -- "$tmp"`,
        sh`    _e=$(ln ${hard ? [] : ['-s']} -- "$src" "$tmp" 2>&1) || { tsrun_err "Error while linking: $_e"; exit 0; }`,
        sh`    [ $prev = directory ] && rmdir -- "$p"`,
        sh`    _e=$(mv -f -T -- "$tmp" "$p" 2>&1) || { rm -f -- "$tmp"; tsrun_err "Error while linking: $_e"; exit 0; }`,
        sh`  fi`,
        sh`fi`,
        // A symlink's own owner/group can change (chown -h); its mode cannot on Linux.
        sh`if [ -L "$p" ] || [ -e "$p" ]; then ${hard ? attrs('"$p"') : ownerOnly('"$p"')}; fi`,
      );
      break;
    }
  }
  L.push(sh`tsrun_stat final_st "$p"`, sh`if [ -L "$p" ]; then printf '%s final_lnk=%s\\n' "$TSRUN_N" "$(readlink -- "$p")"; fi`, sh`echo "$TSRUN_N" done=1`);
  return joinShell(L);
}
