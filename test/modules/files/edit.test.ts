import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import blockinfile from '../../../src/modules/blockinfile.js';
import lineinfile from '../../../src/modules/lineinfile.js';
import replace from '../../../src/modules/replace.js';
import { scratchDir } from '../../support/local-exec.js';
import { runModule } from './helpers.js';

let d: string;
let f: string;
beforeEach(() => {
  d = scratchDir('tsrun-edit-');
  f = join(d, 'conf');
  writeFileSync(f, 'a=1\n#PermitRootLogin yes\nb=2\n');
});

describe('lineinfile on a real file', () => {
  test('replace by regexp, then unchanged; backup key always present', async () => {
    const args = { path: f, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' };
    expect(await runModule(lineinfile, args)).toEqual({ changed: true, msg: 'line replaced', backup: '' });
    expect(readFileSync(f, 'utf8')).toBe('a=1\nPermitRootLogin no\nb=2\n');
    expect(await runModule(lineinfile, args)).toEqual({ changed: false, msg: '', backup: '' });
  });

  test('check mode + diff: nothing written', async () => {
    const r = await runModule(lineinfile, { path: f, line: 'c=3' }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toEqual([{ before: 'a=1\n#PermitRootLogin yes\nb=2\n', after: 'a=1\n#PermitRootLogin yes\nb=2\nc=3\n', before_header: `${f} (content)`, after_header: `${f} (content)` }]);
    expect(readFileSync(f, 'utf8')).toBe('a=1\n#PermitRootLogin yes\nb=2\n');
  });

  test('missing file: fails without create, creates (with parents) with create', async () => {
    const p = join(d, 'sub', 'new');
    expect(await runModule(lineinfile, { path: p, line: 'x' })).toEqual({ failed: true, changed: false, rc: 257, msg: `Destination ${p} does not exist !` });
    expect(await runModule(lineinfile, { path: p, line: 'x', create: true, mode: '0600' })).toMatchObject({ changed: true, msg: 'line added' });
    expect(readFileSync(p, 'utf8')).toBe('x\n');
    expect((statSync(p).mode & 0o777).toString(8)).toBe('600');
  });

  test('attributes-only change gets Ansible message; absent state', async () => {
    const r = await runModule(lineinfile, { path: f, line: 'a=1', owner: 'nobody' });
    expect(r).toMatchObject({ changed: true, msg: 'ownership, perms or SE linux context changed' });
    expect(statSync(f).uid).toBe(65534);
    expect(await runModule(lineinfile, { path: f, regexp: '^[ab]=', state: 'absent' })).toMatchObject({ changed: true, found: 2, msg: '2 line(s) removed' });
    expect(readFileSync(f, 'utf8')).toBe('#PermitRootLogin yes\n');
    expect(statSync(f).uid).toBe(65534);
    expect(await runModule(lineinfile, { path: join(d, 'none'), line: 'x', state: 'absent' })).toEqual({ changed: false, msg: 'file not present' });
  });

  test('failing validate leaves the file as it was', async () => {
    const r = await runModule(lineinfile, { path: f, line: 'bad', validate: `sh -c '! grep -q bad "$1"' _ %s` });
    // lineinfile's own wording (Ansible 2.14), not copy's "failed to validate".
    expect(r).toMatchObject({ failed: true, msg: 'failed to validate: rc:1 error:' });
    expect(readFileSync(f, 'utf8')).toBe('a=1\n#PermitRootLogin yes\nb=2\n');
    expect(readdirSync(d)).toEqual(['conf']);
  });

  test('directory path and bad regexp are failed results', async () => {
    expect(await runModule(lineinfile, { path: d, line: 'x' })).toMatchObject({ failed: true, msg: `Path ${d} is a directory !` });
    expect((await runModule(lineinfile, { path: f, regexp: '(', line: 'x' })).failed).toBe(true);
  });
});

describe('blockinfile on a real file', () => {
  test('insert, unchanged, update, remove; backup file', async () => {
    const r1 = await runModule(blockinfile, { path: f, block: 'k1 v1\nk2 v2', insertafter: '^a=' });
    expect(r1).toEqual({ changed: true, msg: 'Block inserted' });
    expect(readFileSync(f, 'utf8')).toBe('a=1\n# BEGIN ANSIBLE MANAGED BLOCK\nk1 v1\nk2 v2\n# END ANSIBLE MANAGED BLOCK\n#PermitRootLogin yes\nb=2\n');
    expect((await runModule(blockinfile, { path: f, block: 'k1 v1\nk2 v2', insertafter: '^a=' })).changed).toBe(false);
    const r3 = await runModule(blockinfile, { path: f, content: 'k3', backup: true }, { diff: true });
    expect(r3.changed).toBe(true);
    expect(readFileSync(r3.backup_file as string, 'utf8')).toContain('k1 v1');
    expect((r3.diff as { after: string }[])[0]!.after).toContain('\nk3\n');
    expect(await runModule(blockinfile, { path: f, state: 'absent' })).toEqual({ changed: true, msg: 'Block removed' });
    expect(readFileSync(f, 'utf8')).toBe('a=1\n#PermitRootLogin yes\nb=2\n');
  });

  test('create a new file; missing without create fails', async () => {
    const p = join(d, 'n');
    expect(await runModule(blockinfile, { path: p, block: 'x' })).toMatchObject({ failed: true, msg: `Path ${p} does not exist !` });
    expect(await runModule(blockinfile, { path: p, block: 'x', create: true, marker: '// {mark}' })).toEqual({ changed: true, msg: 'File created' });
    expect(readFileSync(p, 'utf8')).toBe('// BEGIN\nx\n// END\n');
  });
});

describe('replace on a real file', () => {
  test('regexp with backrefs, unchanged second run, check mode', async () => {
    const args = { path: f, regexp: '^(\\w)=(\\d)$', replace: '\\1: \\2' };
    const chk = await runModule(replace, args, { check: true });
    expect(chk).toMatchObject({ changed: true, msg: '2 replacements made' });
    expect(readFileSync(f, 'utf8')).toBe('a=1\n#PermitRootLogin yes\nb=2\n');
    expect(await runModule(replace, args)).toMatchObject({ changed: true, msg: '2 replacements made' });
    expect(readFileSync(f, 'utf8')).toBe('a: 1\n#PermitRootLogin yes\nb: 2\n');
    expect(await runModule(replace, args)).toMatchObject({ changed: false, msg: '' });
  });

  test('missing file fails', async () => {
    expect(await runModule(replace, { path: join(d, 'x'), regexp: 'a' })).toMatchObject({ failed: true, rc: 257 });
    expect(existsSync(join(d, 'x'))).toBe(false);
  });
});
