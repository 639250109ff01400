import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import fetch from '../../../src/modules/fetch.js';
import file from '../../../src/modules/file.js';
import slurp from '../../../src/modules/slurp.js';
import stat from '../../../src/modules/stat.js';
import { scratchDir } from '../../support/local-exec.js';
import { runModule } from './helpers.js';

const modeOf = (p: string) => (statSync(p).mode & 0o7777).toString(8);
let d: string;
beforeEach(() => {
  d = scratchDir('tsrun-file-');
});

describe('file', () => {
  test('state=directory creates parents with mode, then unchanged', async () => {
    const p = join(d, 'a', 'b', 'c');
    const r1 = await runModule(file, { path: p, state: 'directory', mode: '0750' });
    expect(r1).toMatchObject({ changed: true, path: p, state: 'directory', mode: '0750' });
    expect(modeOf(join(d, 'a'))).toBe('750');
    expect(modeOf(p)).toBe('750');
    expect((await runModule(file, { path: p, state: 'directory', mode: '0750' })).changed).toBe(false);
  });

  test('state=directory on an existing file fails', async () => {
    writeFileSync(join(d, 'f'), '');
    const r = await runModule(file, { path: join(d, 'f'), state: 'directory' });
    expect(r).toMatchObject({ failed: true, msg: `${join(d, 'f')} already exists as a file` });
  });

  test('state=file: attributes only; absent file fails', async () => {
    const p = join(d, 'f');
    writeFileSync(p, 'x');
    const r = await runModule(file, { path: p, state: 'file', owner: 'nobody', mode: 'g+w' }, { diff: true });
    expect(r).toMatchObject({ changed: true, state: 'file', owner: 'nobody', mode: '0664' });
    expect(r.diff).toMatchObject({ before: expect.stringContaining('"mode": "0644"'), after: expect.stringContaining('"mode": "0664"') });
    expect(JSON.parse((r.diff as { after: string }).after)).toEqual({ path: p, mode: '0664', owner: 65534 });
    expect(lstatSync(p).uid).toBe(65534);
    expect((await runModule(file, { path: p, owner: 'nobody', mode: 'g+w' })).changed).toBe(false);
    expect(await runModule(file, { path: join(d, 'nope'), state: 'file' })).toMatchObject({ failed: true, msg: `file (${join(d, 'nope')}) is absent, cannot continue` });
  });

  test('no state on an existing directory keeps it a directory', async () => {
    const r = await runModule(file, { path: d, mode: '0755' });
    expect(r).toMatchObject({ changed: true, state: 'directory', mode: '0755' });
  });

  test('touch creates, then always changes times; preserve is unchanged', async () => {
    const p = join(d, 't');
    expect(await runModule(file, { path: p, state: 'touch', mode: '0600' })).toMatchObject({ changed: true, state: 'file', mode: '0600' });
    utimesSync(p, 1000, 1000);
    expect((await runModule(file, { path: p, state: 'touch' })).changed).toBe(true);
    expect(statSync(p).mtimeMs).toBeGreaterThan(1_000_000);
    const keep = await runModule(file, { path: p, state: 'touch', modification_time: 'preserve', access_time: 'preserve' });
    expect(keep.changed).toBe(false);
    await runModule(file, { path: p, state: 'touch', modification_time: '202001021230.00' });
    expect(new Date(statSync(p).mtimeMs).getFullYear()).toBe(2020);
  });

  test('state=absent removes trees; second run unchanged; check mode keeps it', async () => {
    const p = join(d, 'tree');
    mkdirSync(join(p, 'x'), { recursive: true });
    const chk = await runModule(file, { path: p, state: 'absent' }, { check: true, diff: true });
    expect(chk).toMatchObject({ changed: true, state: 'absent' });
    expect(chk.diff).toMatchObject({ before: expect.stringContaining('"state": "directory"'), after: expect.stringContaining('"state": "absent"') });
    expect(existsSync(p)).toBe(true);
    expect(await runModule(file, { path: p, state: 'absent' })).toMatchObject({ changed: true, state: 'absent' });
    expect(existsSync(p)).toBe(false);
    expect(await runModule(file, { path: p, state: 'absent' })).toMatchObject({ changed: false, state: 'absent' });
  });

  test('state=link: create, idempotent, retarget, refuse file without force', async () => {
    writeFileSync(join(d, 'target'), 't');
    const l = join(d, 'link');
    expect(await runModule(file, { src: join(d, 'target'), dest: l, state: 'link' })).toMatchObject({ changed: true, state: 'link', src: join(d, 'target'), dest: l });
    expect(readlinkSync(l)).toBe(join(d, 'target'));
    expect((await runModule(file, { src: join(d, 'target'), dest: l, state: 'link' })).changed).toBe(false);
    expect((await runModule(file, { src: 'target', dest: l, state: 'link' })).changed).toBe(true);
    expect(readlinkSync(l)).toBe('target');
    writeFileSync(join(d, 'plain'), 'p');
    const refused = await runModule(file, { src: 'target', path: join(d, 'plain'), state: 'link' });
    expect(refused).toMatchObject({ failed: true, msg: `refusing to convert from file to symlink for ${join(d, 'plain')}` });
    expect(await runModule(file, { src: 'target', path: join(d, 'plain'), state: 'link', force: true })).toMatchObject({ changed: true, state: 'link' });
    const dangling = await runModule(file, { src: join(d, 'missing'), path: join(d, 'l2'), state: 'link' });
    expect(dangling.failed).toBe(true);
    expect(await runModule(file, { src: join(d, 'missing'), path: join(d, 'l2'), state: 'link', force: true })).toMatchObject({ changed: true });
  });

  test('state=hard links to the same inode, idempotent', async () => {
    writeFileSync(join(d, 'orig'), 'o');
    const h = join(d, 'hard');
    expect(await runModule(file, { src: join(d, 'orig'), path: h, state: 'hard' })).toMatchObject({ changed: true, state: 'hard' });
    expect(statSync(h).ino).toBe(statSync(join(d, 'orig')).ino);
    expect((await runModule(file, { src: join(d, 'orig'), path: h, state: 'hard' })).changed).toBe(false);
  });

  test('recurse applies owner and mode below a directory', async () => {
    mkdirSync(join(d, 'r', 's'), { recursive: true });
    writeFileSync(join(d, 'r', 's', 'f'), '');
    const r = await runModule(file, { path: join(d, 'r'), state: 'directory', recurse: true, owner: 'nobody' });
    expect(r.changed).toBe(true);
    expect(statSync(join(d, 'r', 's', 'f')).uid).toBe(65534);
    expect((await runModule(file, { path: join(d, 'r'), state: 'directory', recurse: true, owner: 'nobody' })).changed).toBe(false);
  });

  test('argument errors come back as failed results', async () => {
    expect(await runModule(file, { path: join(d, 'x'), state: 'link' })).toMatchObject({ failed: true, msg: 'src is required for creating a symlink' });
    expect(await runModule(file, { path: join(d, 'x'), mode: 'rwx' })).toMatchObject({ failed: true, msg: 'mode must be in octal or symbolic form: rwx' });
    expect(await runModule(file, { path: join(d, 'x'), src: '/etc', state: 'directory' })).toMatchObject({ failed: true, msg: "src option requires state to be 'link' or 'hard'" });
  });
});

describe('stat', () => {
  test('regular file, like Ansible', async () => {
    const p = join(d, 'f');
    writeFileSync(p, 'abc');
    const r = await runModule(stat, { path: p });
    expect(r.changed).toBe(false);
    expect(r.stat).toMatchObject({
      exists: true, path: p, mode: '0644', isreg: true, isdir: false, islnk: false, size: 3, uid: 0, pw_name: 'root', gr_name: 'root',
      checksum: createHash('sha1').update('abc').digest('hex'), rusr: true, wusr: true, xusr: false, roth: true, readable: true,
    });
    const r2 = await runModule(stat, { path: p, checksum_algorithm: 'sha256', get_checksum: true });
    expect((r2.stat as Record<string, unknown>).checksum).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  test('missing, directory, symlink with and without follow', async () => {
    expect((await runModule(stat, { path: join(d, 'nope') })).stat).toEqual({ exists: false });
    expect((await runModule(stat, { path: d })).stat).toMatchObject({ isdir: true, exists: true });
    writeFileSync(join(d, 't'), 'x');
    symlinkSync('t', join(d, 'l'));
    expect((await runModule(stat, { path: join(d, 'l') })).stat).toMatchObject({ islnk: true, lnk_target: 't', lnk_source: join(d, 't') });
    expect((await runModule(stat, { path: join(d, 'l'), follow: true })).stat).toMatchObject({ islnk: false, isreg: true });
  });
});

describe('slurp and fetch', () => {
  test('slurp returns base64 content; errors name the file', async () => {
    const p = join(d, 'f');
    writeFileSync(p, Buffer.from([0, 1, 2, 255]));
    expect(await runModule(slurp, { src: p })).toEqual({ changed: false, content: 'AAEC/w==', encoding: 'base64', source: p });
    expect(await runModule(slurp, { src: join(d, 'n') })).toMatchObject({ failed: true, msg: `file not found: ${join(d, 'n')}` });
    expect((await runModule(slurp, { src: d })).failed).toBe(true);
  });

  test('fetch lays out dest/<host>/<path>, flat, idempotent, missing file', async () => {
    const src = join(d, 'remote.txt');
    writeFileSync(src, 'data');
    const out = join(d, 'out');
    const r = await runModule(fetch, { src, dest: out });
    const want = join(out, 'localhost', src);
    expect(r).toMatchObject({ changed: true, dest: want, remote_checksum: expect.any(String) });
    expect(readFileSync(want, 'utf8')).toBe('data');
    expect((await runModule(fetch, { src, dest: out })).changed).toBe(false);
    const flat = await runModule(fetch, { src, dest: out + '/', flat: true });
    expect(flat).toMatchObject({ changed: true, dest: join(out, 'remote.txt') });
    expect(await runModule(fetch, { src: join(d, 'nope'), dest: out })).toMatchObject({ failed: true, msg: 'the remote file does not exist, not transferring, ignored' });
    expect(await runModule(fetch, { src: join(d, 'nope'), dest: out, fail_on_missing: false })).toMatchObject({ changed: false });
    const chk = await runModule(fetch, { src, dest: join(d, 'chk') }, { check: true });
    expect(chk).toEqual({ changed: false, skipped: true, msg: 'check mode not (yet) supported for this module' });
    expect(existsSync(join(d, 'chk'))).toBe(false);
  });
});
