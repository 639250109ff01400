import { posix } from 'node:path';
import type { ModeSpec } from './file-mode.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet } from './remote-write.js';
import { shQuote } from './shell.js';

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

const act = (cmd: string, what: string) => `if [ "$TSRUN_CHECK" != 1 ]; then _e=$(${cmd} 2>&1) || { tsrun_err "${what}: $_e"; exit 0; }; fi`;

function touchArgs(kind: '-m' | '-a', t: string | undefined): string {
  if (!t || t === 'now') return `touch ${kind} -- "$p"`;
  return `touch ${kind} -t ${shQuote(t)} -- "$p"`;
}

/**
 * One script that brings `path` to `state`: reports `prev=` (absent|file|directory|link|hard),
 * `did=` for each action, `attr=` for attribute changes, `error=` on failure, and the final
 * stat as `final_st=` (plus `final_lnk=` for links). Check mode reports without acting.
 */
export function fileStateScript(s: FileStateSpec, check: boolean): string {
  const attrs = (expr: string, noFollow = false) => attrsSnippet(expr, s.mode, s.owner, s.group, noFollow);
  const L: string[] = [
    prelude(check),
    `p=${shQuote(s.path)}`,
    'if [ -L "$p" ]; then prev=link; printf \'prev_lnk=%s\\n\' "$(readlink -- "$p")"',
    'elif [ -d "$p" ]; then prev=directory',
    'elif [ -f "$p" ] && [ "$(stat -c %h -- "$p")" -gt 1 ]; then prev=hard',
    'elif [ -e "$p" ]; then prev=file',
    'else prev=absent; fi',
    'echo prev=$prev',
  ];
  const follow = s.follow !== false;
  const list = '"$_list"';
  // Recursion reads a file list rather than a pipe so `exit 0` on failure leaves the script.
  const recurse = () =>
    s.recurse && (s.mode || s.owner || s.group)
      ? [
          // mktemp: a fixed name in a shared /tmp could be another run's, or an attacker's link.
          `if [ -d "$p" ]; then _list=$(mktemp) || { tsrun_err "cannot create a temp file"; exit 0; }; find ${follow ? '-L ' : ''}"$p" -mindepth 1 > ${list}; while IFS= read -r f; do`,
          `  if [ -L "$f" ]; then ${attrsSnippet('"$f"', undefined, s.owner, s.group, true) || ':'}; else ${attrs('"$f"') || ':'}; fi`,
          `done < ${list}; rm -f ${list}; fi`,
        ].join('\n')
      : '';
  switch (s.state) {
    case 'absent':
      L.push('if [ $prev != absent ]; then echo did=remove; ' + act('rm -rf -- "$p"', 'rmtree failed') + '; fi');
      break;
    case 'directory': {
      L.push(
        `if [ $prev = link ] && ${follow ? '[ -d "$p" ]' : 'false'}; then :`,
        'elif [ $prev = absent ]; then',
        '  echo did=create',
      );
      for (const a of ancestors(s.path)) {
        const q = shQuote(a);
        // Another process may create it between the test and mkdir: as Ansible, EEXIST is
        // fine when the path is a directory now.
        L.push(`  _a=${q}; if [ ! -d "$_a" ]; then ${act('mkdir -- "$_a" || [ -d "$_a" ]', 'There was an issue creating $_a as requested')}; [ "$TSRUN_CHECK" = 1 ] || ${attrs('"$_a"') || ':'}; fi`);
      }
      L.push(
        'elif [ $prev != directory ]; then tsrun_err "$p already exists as a $prev"; exit 0',
        'fi',
        `if [ -d "$p" ]; then ${attrs('"$p"') || ':'}; fi`,
        recurse(),
      );
      break;
    }
    case 'file':
      L.push(
        `if [ $prev = absent ]; then tsrun_err "file ($p) is absent, cannot continue"; exit 0; fi`,
        `if { [ $prev = directory ] && [ ${s.stateDefaulted ? 1 : 0} = 0 ]; } || { [ $prev = link ] && ${follow ? '[ ! -f "$p" ]' : 'true'}; }; then tsrun_err "file ($p) is $prev, cannot continue"; exit 0; fi`,
        attrs('"$p"'),
      );
      break;
    case 'touch': {
      const m = s.modificationTime ?? 'now';
      const at = s.accessTime ?? 'now';
      L.push(
        `if [ $prev = absent ]; then echo did=create; ${act('touch -- "$p"', 'Error, could not touch target')}; fi`,
      );
      const cmds: string[] = [];
      if (m !== 'preserve') cmds.push(touchArgs('-m', m));
      if (at !== 'preserve') cmds.push(touchArgs('-a', at));
      if (cmds.length) L.push(`if [ $prev != absent ]; then echo did=touch; fi; ${act(cmds.join(' && '), 'Error while touching')}`);
      L.push(`if [ -e "$p" ] || [ -L "$p" ]; then ${attrs('"$p"', !follow) || ':'}; fi`);
      break;
    }
    case 'link':
    case 'hard': {
      const src = s.src ?? '';
      const hard = s.state === 'hard';
      // A relative symlink src is relative to the link's directory.
      const srcCheck = src.startsWith('/') ? shQuote(src) : `"$(dirname -- "$p")"/${shQuote(src)}`;
      L.push(`src=${shQuote(src)}`, 'dir=$(dirname -- "$p"); base=$(basename -- "$p")');
      if (hard) {
        L.push(
          `[ -e "$src" ] || { tsrun_err "src does not exist"; exit 0; }`,
          'if [ $prev != absent ] && [ "$p" -ef "$src" ]; then same=1; else same=0; fi',
        );
      } else {
        L.push(
          `if [ ! -e ${srcCheck} ] && [ ${s.force ? 1 : 0} = 0 ]; then tsrun_err "src file does not exist, use \\"force=yes\\" if you really want to create the link: $src"; exit 0; fi`,
          'if [ $prev = link ] && [ "$(readlink -- "$p")" = "$src" ]; then same=1; else same=0; fi',
        );
      }
      L.push(
        'if [ $same = 0 ]; then',
        `  if [ $prev = directory ] && [ ${s.force ? 1 : 0} = 0 ]; then tsrun_err "refusing to convert from directory to ${hard ? 'hard' : 'sym'}link for $p"; exit 0; fi`,
        `  if [ $prev = directory ] && [ -n "$(ls -A -- "$p")" ]; then tsrun_err "the directory $p is not empty, refusing to convert it"; exit 0; fi`,
        `  if { [ $prev = file ] || [ $prev = hard ]; } && [ ${s.force ? 1 : 0} = 0 ]${hard ? ' && false' : ''}; then tsrun_err "refusing to convert from file to symlink for $p"; exit 0; fi`,
        '  echo did=link',
        '  if [ "$TSRUN_CHECK" != 1 ]; then',
        '    [ -d "$dir" ] || { tsrun_err "Error while linking: $dir does not exist"; exit 0; }',
        '    tmp="$dir/.$base.tsrun.$$"; rm -f -- "$tmp"',
        `    _e=$(ln ${hard ? '' : '-s'} -- "$src" "$tmp" 2>&1) || { tsrun_err "Error while linking: $_e"; exit 0; }`,
        '    [ $prev = directory ] && rmdir -- "$p"',
        '    _e=$(mv -f -T -- "$tmp" "$p" 2>&1) || { rm -f -- "$tmp"; tsrun_err "Error while linking: $_e"; exit 0; }',
        '  fi',
        'fi',
        // A symlink's own owner/group can change (chown -h); its mode cannot on Linux.
        `if [ -L "$p" ] || [ -e "$p" ]; then ${(hard ? attrs('"$p"') : attrsSnippet('"$p"', undefined, s.owner, s.group, true)) || ':'}; fi`,
      );
      break;
    }
  }
  L.push(
    'tsrun_stat final_st "$p"',
    'if [ -L "$p" ]; then printf \'final_lnk=%s\\n\' "$(readlink -- "$p")"; fi',
    'echo done=1',
  );
  return L.filter((l) => l !== '').join('\n');
}
