import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import copy from '../../../src/modules/copy.js';
import template from '../../../src/modules/template.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ctxFor, runModule } from './helpers.js';

const sha1 = (b: Buffer | string) => createHash('sha1').update(b).digest('hex');
const modeOf = (p: string) => (statSync(p).mode & 0o7777).toString(8);
let d: string;
beforeEach(() => {
  d = scratchDir('tsrun-copy-');
});

describe('copy', () => {
  test('content: changed, then unchanged, with Ansible result keys', async () => {
    const dest = join(d, 'a.txt');
    const r1 = await runModule(copy, { content: 'hello\n', dest });
    expect(r1).toMatchObject({ changed: true, dest, checksum: sha1('hello\n'), state: 'file', mode: '0644', owner: 'root', size: 6 });
    expect(readFileSync(dest, 'utf8')).toBe('hello\n');
    const r2 = await runModule(copy, { content: 'hello\n', dest });
    expect(r2).toMatchObject({ changed: false, dest, path: dest, checksum: sha1('hello\n') });
  });

  test('src file into an existing directory; mode/owner/group applied; unchanged run is one round trip', async () => {
    const src = join(d, 'src.conf');
    writeFileSync(src, 'x=1\n');
    mkdirSync(join(d, 'out'));
    const args = { src, dest: join(d, 'out'), mode: '0640', owner: 'nobody', group: 'nogroup' };
    const r1 = await runModule(copy, args);
    const dest = join(d, 'out', 'src.conf');
    expect(r1).toMatchObject({ changed: true, dest, mode: '0640', owner: 'nobody', group: 'nogroup' });
    expect(modeOf(dest)).toBe('640');
    const counter = { execs: 0 };
    const r2 = await invoke(copy, ctxFor(args, {}, counter));
    expect(r2.changed).toBe(false);
    expect(counter.execs).toBe(1);
  });

  test('attributes only: changed without rewriting content; symbolic mode', async () => {
    const dest = join(d, 'f');
    writeFileSync(dest, 'same');
    chmodSync(dest, 0o644);
    const ino = statSync(dest).ino;
    const r = await runModule(copy, { content: 'same', dest, mode: 'u+x,g-r' });
    expect(r).toMatchObject({ changed: true, mode: '0704' });
    expect(statSync(dest).ino).toBe(ino);
    expect((await runModule(copy, { content: 'same', dest, mode: 'u+x,g-r' })).changed).toBe(false);
  });

  test('int mode (YAML 0644 → 420) and owner by uid', async () => {
    const dest = join(d, 'f');
    const r = await runModule(copy, { content: 'x', dest, mode: 0o600, owner: '65534' });
    expect(r).toMatchObject({ changed: true, mode: '0600', uid: 65534 });
  });

  test('check mode changes nothing but reports; diff shows before/after', async () => {
    const dest = join(d, 'f');
    writeFileSync(dest, 'old\n');
    const r = await runModule(copy, { content: 'new\n', dest }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toEqual([{ before: 'old\n', after: 'new\n', before_header: dest, after_header: 'dynamically generated' }]);
    expect(readFileSync(dest, 'utf8')).toBe('old\n');
    const created = await runModule(copy, { content: 'n', dest: join(d, 'new') }, { check: true });
    expect(created.changed).toBe(true);
    expect(existsSync(join(d, 'new'))).toBe(false);
  });

  test('failing validate leaves the old file intact and no temp files', async () => {
    const dest = join(d, 'f');
    writeFileSync(dest, 'good\n');
    const r = await runModule(copy, { content: 'bad\n', dest, validate: 'grep -q good %s' });
    expect(r).toMatchObject({ failed: true, msg: 'failed to validate', exit_status: 1 });
    expect(readFileSync(dest, 'utf8')).toBe('good\n');
    expect(readdirSync(d)).toEqual(['f']);
    const ok = await runModule(copy, { content: 'good 2\n', dest, validate: 'grep -q good %s' });
    expect(ok.changed).toBe(true);
  });

  test('validate without %s is an argument error', async () => {
    const r = await runModule(copy, { content: 'x', dest: join(d, 'f'), validate: 'true' });
    expect(r).toMatchObject({ failed: true, msg: 'validate must contain %s: true' });
  });

  test('backup keeps the old content under an Ansible-style name', async () => {
    const dest = join(d, 'f');
    writeFileSync(dest, 'v1\n');
    const r = await runModule(copy, { content: 'v2\n', dest, backup: true });
    const b = r.backup_file as string;
    expect(b).toMatch(new RegExp(`^${dest}\\.\\d+\\.\\d{4}-\\d{2}-\\d{2}@\\d{2}:\\d{2}:\\d{2}~$`));
    expect(readFileSync(b, 'utf8')).toBe('v1\n');
  });

  test('force=false leaves an existing file alone', async () => {
    const dest = join(d, 'f');
    writeFileSync(dest, 'mine');
    const r = await runModule(copy, { content: 'theirs', dest, force: false });
    expect(r.changed).toBe(false);
    expect(readFileSync(dest, 'utf8')).toBe('mine');
  });

  test('keeps an existing file mode when none is given; writes through a symlink', async () => {
    const target = join(d, 't');
    writeFileSync(target, 'a');
    chmodSync(target, 0o600);
    symlinkSync(target, join(d, 'l'));
    const r = await runModule(copy, { content: 'b', dest: join(d, 'l') });
    expect(r.changed).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('b');
    expect(modeOf(target)).toBe('600');
  });

  test('4 MiB binary file travels on stdin; second run skips the transfer', async () => {
    const src = join(d, 'big.bin');
    const data = randomBytes(4 * 1024 * 1024 + 17);
    writeFileSync(src, data);
    const dest = join(d, 'big.out');
    const r = await runModule(copy, { src, dest });
    expect(r).toMatchObject({ changed: true, checksum: sha1(data), size: data.length });
    expect(readFileSync(dest).equals(data)).toBe(true);
    expect((await runModule(copy, { src, dest })).changed).toBe(false);
  });

  test('errors: missing src, missing dest dir, content into a directory', async () => {
    const missing = await runModule(copy, { src: join(d, 'nope'), dest: join(d, 'x') });
    expect(missing).toMatchObject({ failed: true });
    expect(missing.msg).toContain('nope');
    const noDir = await runModule(copy, { content: 'x', dest: join(d, 'no', 'such', 'f') });
    expect(noDir).toMatchObject({ failed: true, msg: `Destination directory ${join(d, 'no', 'such')} does not exist` });
    const toDir = await runModule(copy, { content: 'x', dest: d });
    expect(toDir).toMatchObject({ failed: true, msg: 'can not use content with a dir as dest' });
  });

  test('dest ending in / is created as a directory', async () => {
    const src = join(d, 's.txt');
    writeFileSync(src, 's');
    const r = await runModule(copy, { src, dest: join(d, 'new', 'dir') + '/' });
    expect(r.changed).toBe(true);
    expect(readFileSync(join(d, 'new', 'dir', 's.txt'), 'utf8')).toBe('s');
  });

  test('directory src: with and without trailing slash, directory_mode, idempotent', async () => {
    const src = join(d, 'tree');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'a'), 'A');
    writeFileSync(join(src, 'sub', 'b'), 'B');
    const out = join(d, 'out');
    mkdirSync(out);
    const r1 = await runModule(copy, { src, dest: out, directory_mode: '0750' });
    expect(r1.changed).toBe(true);
    expect(readFileSync(join(out, 'tree', 'sub', 'b'), 'utf8')).toBe('B');
    expect(modeOf(join(out, 'tree', 'sub'))).toBe('750');
    expect((await runModule(copy, { src, dest: out, directory_mode: '0750' })).changed).toBe(false);
    const r3 = await runModule(copy, { src: src + '/', dest: join(d, 'flat') });
    expect(r3.changed).toBe(true);
    expect(readFileSync(join(d, 'flat', 'a'), 'utf8')).toBe('A');
    writeFileSync(join(src, 'a'), 'A2');
    const r4 = await runModule(copy, { src: src + '/', dest: join(d, 'flat') });
    expect(r4.changed).toBe(true);
    expect(readFileSync(join(d, 'flat', 'a'), 'utf8')).toBe('A2');
  });

  test('remote_src copies on the target, idempotent, missing source fails', async () => {
    const src = join(d, 'r');
    writeFileSync(src, 'remote');
    const dest = join(d, 'r2');
    expect(await runModule(copy, { src, dest, remote_src: true })).toMatchObject({ changed: true, checksum: sha1('remote') });
    expect(readFileSync(dest, 'utf8')).toBe('remote');
    expect((await runModule(copy, { src, dest, remote_src: true })).changed).toBe(false);
    expect(await runModule(copy, { src: join(d, 'gone'), dest, remote_src: 'yes' })).toMatchObject({ failed: true, msg: `Source ${join(d, 'gone')} not found` });
  });
});

describe('template', () => {
  test('renders via ctx, writes, second run unchanged, diff headers', async () => {
    const tpl = join(d, 'app.conf.j2');
    writeFileSync(tpl, 'ignored by the fake renderer');
    const dest = join(d, 'app.conf');
    const ctx = () =>
      ctxFor({ src: 'app.conf.j2', dest, mode: '0600' }, { diff: true, findFile: (kind, rel) => (kind === 'templates' ? join(d, rel) : rel), renderTemplateFile: async (p) => `rendered from ${p}\n` });
    const r1 = await invoke(template, ctx());
    expect(r1).toMatchObject({ changed: true, dest, mode: '0600', src: 'app.conf.j2' });
    expect(r1.diff).toMatchObject([{ before: '', after: `rendered from ${tpl}\n`, after_header: tpl }]);
    expect(readFileSync(dest, 'utf8')).toBe(`rendered from ${tpl}\n`);
    expect((await invoke(template, ctx())).changed).toBe(false);
  });

  test('missing template fails with its name; render error is a failed result', async () => {
    const missing = await invoke(template, ctxFor({ src: 'nope.j2', dest: join(d, 'x') }, { findFile: () => { throw new Error('absent'); } }));
    expect(missing).toMatchObject({ failed: true, msg: "Could not find or access 'nope.j2'" });
    writeFileSync(join(d, 't.j2'), '{{ foo }}');
    const bad = await invoke(template, ctxFor({ src: 't.j2', dest: join(d, 'x') }, { findFile: () => join(d, 't.j2'), renderTemplateFile: async () => { throw new Error('undefined variable foo'); } }));
    expect(bad.failed).toBe(true);
    expect(bad.msg).toContain('undefined variable foo');
  });
});
