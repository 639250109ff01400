import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import unarchive from '../../../src/modules/unarchive.js';
import { detectFormat } from '../../../src/modules/lib/remote-unarchive.js';
import { scratchDir } from '../../support/local-exec.js';
import { runModule } from './helpers.js';

let d: string;
let dest: string;
beforeEach(() => {
  d = scratchDir('tsrun-unarchive-');
  mkdirSync(join(d, 'content', 'sub'), { recursive: true });
  writeFileSync(join(d, 'content', 'a.txt'), 'A\n');
  writeFileSync(join(d, 'content', 'sub', 'b.txt'), 'B\n');
  dest = join(d, 'dest');
  mkdirSync(dest);
});

function makeArchive(kind: 'tar.gz' | 'tar.xz' | 'tar' | 'zip'): string {
  const out = join(d, `pkg.${kind}`);
  if (kind === 'zip') execFileSync('zip', ['-qr', out, '.'], { cwd: join(d, 'content') });
  else execFileSync('tar', [kind === 'tar.gz' ? '-czf' : kind === 'tar.xz' ? '-cJf' : '-cf', out, '-C', join(d, 'content'), '.']);
  return out;
}

describe('unarchive', () => {
  test.each(['tar.gz', 'tar.xz', 'tar', 'zip'] as const)('%s: extracts, second run unchanged, changed after local edit', async (kind) => {
    const src = makeArchive(kind);
    const r1 = await runModule(unarchive, { src, dest, list_files: true });
    expect(r1).toMatchObject({ changed: true, dest, state: 'directory' });
    expect((r1.files as string[]).map((f) => f.replace(/^\.\//, '')).filter(Boolean).sort()).toEqual(['a.txt', 'sub/', 'sub/b.txt']);
    expect(readFileSync(join(dest, 'sub', 'b.txt'), 'utf8')).toBe('B\n');
    expect((await runModule(unarchive, { src, dest })).changed).toBe(false);
    writeFileSync(join(dest, 'a.txt'), 'edited');
    expect((await runModule(unarchive, { src, dest }, { check: true })).changed).toBe(true);
    expect(readFileSync(join(dest, 'a.txt'), 'utf8')).toBe('edited');
    expect((await runModule(unarchive, { src, dest })).changed).toBe(true);
    expect(readFileSync(join(dest, 'a.txt'), 'utf8')).toBe('A\n');
    expect(readdirSync(dest).sort()).toEqual(['a.txt', 'sub']);
  });

  test('creates skips; owner/mode applied and idempotent; remote_src', async () => {
    const src = makeArchive('tar.gz');
    writeFileSync(join(d, 'marker'), '');
    expect(await runModule(unarchive, { src, dest, creates: join(d, 'marker') })).toMatchObject({ changed: false });
    expect(existsSync(join(dest, 'a.txt'))).toBe(false);
    const r = await runModule(unarchive, { src, dest, owner: 'nobody', mode: 'u+rwX,go+rX' });
    expect(r.changed).toBe(true);
    expect(statSync(join(dest, 'sub', 'b.txt')).uid).toBe(65534);
    expect((await runModule(unarchive, { src, dest, owner: 'nobody', mode: 'u+rwX,go+rX' })).changed).toBe(false);
    const dest2 = join(d, 'dest2');
    mkdirSync(dest2);
    expect((await runModule(unarchive, { src, dest: dest2, remote_src: true })).changed).toBe(true);
    expect((await runModule(unarchive, { src, dest: dest2, remote_src: true })).changed).toBe(false);
  });

  test('errors: missing archive, dest not a directory, not an archive', async () => {
    expect(await runModule(unarchive, { src: join(d, 'nope.tgz'), dest })).toMatchObject({ failed: true, msg: `Could not find or access '${join(d, 'nope.tgz')}' on the Ansible Controller.` });
    const src = makeArchive('tar');
    expect(await runModule(unarchive, { src, dest: join(d, 'missing') })).toMatchObject({ failed: true, msg: `dest '${join(d, 'missing')}' must be an existing dir` });
    writeFileSync(join(d, 'junk.tar'), 'not a tar at all');
    const bad = await runModule(unarchive, { src: join(d, 'junk.tar'), dest });
    expect(bad.failed).toBe(true);
    expect(readdirSync(dest)).toEqual([]);
  });

  test('format detection by magic bytes beats the name', () => {
    expect(detectFormat('x.tar', Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('tar.gz');
    expect(detectFormat('x.bin', Buffer.from('PK\x03\x04rest', 'latin1'))).toBe('zip');
    expect(detectFormat('x.tgz')).toBe('tar.gz');
    expect(detectFormat('x.rar', Buffer.from('Rar!....'))).toBeUndefined();
  });
});
