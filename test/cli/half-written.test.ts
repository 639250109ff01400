/**
 * A template write that fails (the disk refuses, or the template throws half way) leaves the old
 * file and no temporary file behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, TSRUN, tsrun } from '../support/runners.js';
import { expectNoStackTrace, TIME_LIMIT_MS } from './support.js';

describe('a template write that fails leaves no half-written file', () => {
  function project(): { dir: string; dest: string } {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-cli-write-'));
    const dest = join(dir, 'out', 'dest.txt');
    mkdirSync(join(dir, 'out'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dest), 'old content\n');
    writeFileSync(join(dir, 'templates', 'big.ejs'), `${'x'.repeat(199)}\n`.repeat(1000));
    writeFileSync(join(dir, 'templates', 'throws.ejs'), 'first line\n<% throw new Error("half way") %>\nlast line\n');
    writeFileSync(join(dir, 'hosts.ini'), '[local]\nh1 ansible_connection=local\n');
    const play = (src: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: render\n      template: src=${src} dest=${dest}\n`;
    writeFileSync(join(dir, 'big.yml'), play('big.ejs'));
    writeFileSync(join(dir, 'throws.yml'), play('throws.ejs'));
    return { dir, dest };
  }

  it('the write itself fails half way (file size limit): the old file stays, no temporary file is left', async () => {
    const { dir, dest } = project();
    // ulimit -f 50 lets tsrun start but kills the writer after 50 blocks of the 200 kB file.
    const out = await run('bash', ['-c', `ulimit -f 50; exec "${process.execPath}" "${TSRUN}" -i hosts.ini big.yml`], { cwd: dir, timeoutMs: TIME_LIMIT_MS });
    expectNoStackTrace(out);
    expect(out.code, out.stdout + out.stderr).toBe(2);
    expect(out.stdout).toMatch(/^fatal: \[h1\]: FAILED! => .*failed to write/m);
    expect(readFileSync(dest, 'utf8')).toBe('old content\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['dest.txt']);
  });

  it('the template throws half way: nothing is written', async () => {
    const { dir, dest } = project();
    const out = await tsrun(['-i', 'hosts.ini', 'throws.yml'], { cwd: dir, timeoutMs: TIME_LIMIT_MS });
    expectNoStackTrace(out);
    expect(out.code).toBe(2);
    expect(out.stdout).toMatch(/throws\.ejs:2: half way/);
    expect(readFileSync(dest, 'utf8')).toBe('old content\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['dest.txt']);
  });
});
