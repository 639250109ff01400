/**
 * tsrun itself, offline (issue 12): scripts/build-offline.sh packs the CLI, its production
 * node_modules and the org content into one tarball; unpacked elsewhere, in a network namespace
 * with nothing but loopback (no registry, no route anywhere), it runs the README's job on the
 * default inventory: prepare, bootstrap, deploy, start, verify, stop, cleanup.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/runners.js';

// A private network namespace needs root (the lab's condition too); elsewhere the test says why it skips.
const canIsolate = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;
if (!canIsolate) {
  if (process.env.CI === 'true') throw new Error('the offline test needs root and unshare -n');
  console.warn('skipping the offline tsrun test: needs root and `unshare -n`');
}

describe.runIf(canIsolate)('tsrun offline', () => {
  const work = mkdtempSync(join(tmpdir(), 'tsrun-offline-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds one tarball that runs the README job with no network and no registry', () => {
    const tarball = execFileSync(join(REPO, 'scripts/build-offline.sh'), [join(work, 'out')], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
    expect(tarball).toMatch(/tsrun-[\d.]+-offline\.tar\.gz$/);
    const sum = execFileSync('sha256sum', ['-c', `${tarball.split('/').pop()}.sha256`], { cwd: join(work, 'out'), encoding: 'utf8' });
    expect(sum).toContain(': OK');
    execFileSync('tar', ['-C', work, '-xzf', tarball]);
    const dir = join(work, tarball.split('/').pop()!.replace(/-offline\.tar\.gz$/, ''));
    // Production dependencies only: no compiler, no test runner.
    expect(existsSync(join(dir, 'node_modules/ssh2'))).toBe(true);
    expect(existsSync(join(dir, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules/vitest'))).toBe(false);

    const script = [
      'set -e',
      'ip link set lo up',
      // Only loopback: nothing outside this namespace is reachable.
      'ip -o link show | cut -d: -f2 | tr -d " " | tr "\\n" " "; echo',
      'cd "$1"',
      'for p in prepare bootstrap deploy start verify stop; do node bin/tsrun.js -i inventory.ini $p > "log-$p.txt" 2>&1 || { echo "FAILED $p"; tail -40 "log-$p.txt"; exit 1; }; echo "OK $p"; done',
      'node bin/tsrun.js -i inventory.ini cleanup -e confirm=yes > log-cleanup.txt 2>&1 && echo OK cleanup',
      'test ! -e .metis-local && echo CLEAN',
    ].join('\n');
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script, 'sh', dir], { encoding: 'utf8', timeout: 600_000 });
    expect(r.stdout + r.stderr).toBe('lo \nOK prepare\nOK bootstrap\nOK deploy\nOK start\nOK verify\nOK stop\nOK cleanup\nCLEAN\n');
  }, 900_000);
});
