/**
 * File-module details Ansible's own integration targets (find, blockinfile, lineinfile) assert
 * on, each run by tsrun and by ansible-playbook 2.14 on this machine, in twin directories: the
 * results (changed, failed, msg, warnings) and the files left behind must be the same.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import blockinfile from '../../../src/modules/blockinfile.js';
import file from '../../../src/modules/file.js';
import lineinfile from '../../../src/modules/lineinfile.js';
import type { ModuleDef } from '../../../src/modules/types.js';
import { invoke, localContext, scratchDir } from '../../support/local-exec.js';
import { ansibleAvailable, runAnsibleTasks } from '../commands/ansible-oracle.js';

const MODULES: Record<string, ModuleDef> = { file, lineinfile, blockinfile };
const D = '@DIR@';

/** [what, module, args (paths under @DIR@), files to create first (relative → text)] */
const CASES: [string, string, Record<string, unknown>, Record<string, string>][] = [
  ['touch with a time whose seconds have one digit', 'file', { path: `${D}/t1`, state: 'touch', modification_time: '202001011200.0', access_time: '202001011200.0' }, {}],
  ['touch an existing file with another format', 'file', { path: `${D}/t2`, state: 'touch', modification_time: '2021-03-04 05:06:07', modification_time_format: '%Y-%m-%d %H:%M:%S', access_time: 'preserve' }, { t2: 'x\n' }],
  ['a time that does not fit the format', 'file', { path: `${D}/t3`, state: 'touch', modification_time: '2020-01-01' }, {}],
  ['lineinfile: an empty regexp warns', 'lineinfile', { path: `${D}/l1`, regexp: '', line: 'new' }, { l1: 'a\nb\n' }],
  ['lineinfile: an empty search_string warns', 'lineinfile', { path: `${D}/l2`, search_string: '', line: 'new' }, { l2: 'a\nb\n' }],
  ['lineinfile: a missing file without create', 'lineinfile', { path: `${D}/nodir/l3`, line: 'x' }, {}],
  ['lineinfile: create makes the missing directories', 'lineinfile', { path: `${D}/newdir/sub/l4`, line: 'x', create: true }, {}],
  ['lineinfile: create on an existing file', 'lineinfile', { path: `${D}/l5`, line: 'x', create: true }, { l5: 'a\n' }],
  ['blockinfile: validate without %s', 'blockinfile', { path: `${D}/v1`, block: 'line1\nline2\n', create: true, validate: 'grep' }, {}],
  ['blockinfile: validate that fails', 'blockinfile', { path: `${D}/v2`, block: 'line1\nline2\n', create: true, validate: 'grep line47 %s' }, {}],
  ['blockinfile: validate that passes', 'blockinfile', { path: `${D}/v3`, block: 'line1\nline2\n', create: true, validate: 'grep line1 %s' }, {}],
  ['blockinfile: (?m) insertafter spanning lines', 'blockinfile', { path: `${D}/v4`, block: 'N', insertafter: '(?m)^SID =\\n.*\\(LIST =' }, { v4: 'a\nSID =\n  (LIST =\nb\n' }],
];

const withDir = (v: unknown, dir: string): unknown =>
  typeof v === 'string' ? v.split(D).join(dir) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withDir(x, dir)])) : v;

/** What a run leaves to compare: result keys that matter, and every file's text and mtime. */
function outcome(r: Record<string, unknown>, dir: string, rel: string[], times: boolean) {
  const text = (v: unknown) => (typeof v === 'string' ? v.split(dir).join(D) : v);
  const files = Object.fromEntries(
    rel.map((f) => {
      const p = join(dir, f);
      // The time a file was last written is compared only where a task sets it (touch).
      return [f, existsSync(p) ? { text: readFileSync(p, 'utf8'), ...(times ? { mtime: Math.floor(statSync(p).mtimeMs / 1000) } : {}) } : null];
    }),
  );
  return { changed: Boolean(r.changed), failed: Boolean(r.failed), msg: text(r.msg), warnings: ((r.warnings as string[] | undefined) ?? []).map(text), files };
}

describe('file-module details against ansible-playbook', () => {
  const enabled = ansibleAvailable();
  const ours: ReturnType<typeof outcome>[] = [];
  const theirs: ReturnType<typeof outcome>[] = [];
  const paths = (c: (typeof CASES)[number]) => [String(c[2].path).replace(`${D}/`, '')];
  const prepare = (dir: string, files: Record<string, string>) => {
    mkdirSync(dir, { recursive: true });
    for (const [rel, t] of Object.entries(files)) writeFileSync(join(dir, rel), t);
  };
  beforeAll(async () => {
    const root = scratchDir('tsrun-details-');
    const oursDir = (i: number) => join(root, 'ours', String(i));
    const theirsDir = (i: number) => join(root, 'theirs', String(i));
    for (const [i, c] of CASES.entries()) {
      prepare(oursDir(i), c[3]);
      const r = await invoke(MODULES[c[1]]!, localContext(withDir(c[2], oursDir(i)) as Record<string, unknown>));
      ours.push(outcome(r, oursDir(i), paths(c), c[1] === 'file'));
    }
    if (!enabled) return;
    CASES.forEach((c, i) => prepare(theirsDir(i), c[3]));
    const results = runAnsibleTasks(CASES.map((c, i) => ({ [c[1]]: withDir(c[2], theirsDir(i)), ignore_errors: true })));
    results.forEach((r, i) => theirs.push(outcome(r, theirsDir(i), paths(CASES[i]!), CASES[i]![1] === 'file')));
  }, 120_000);

  it.skipIf(!enabled).each(CASES.map((c, i) => [c[0], i] as const))('%s', (_what, i) => {
    expect(ours[i]).toEqual(theirs[i]);
  });

  it('the touch times land on the file (seconds included)', () => {
    // 2020-01-01 12:00:00 local time, as touch -t and Ansible's time.mktime read it.
    expect(ours[0]!.files.t1!.mtime).toBe(Math.floor(new Date(2020, 0, 1, 12, 0, 0).getTime() / 1000));
    expect(ours[1]!.files.t2!.mtime).toBe(Math.floor(new Date(2021, 2, 4, 5, 6, 7).getTime() / 1000));
  });
});
