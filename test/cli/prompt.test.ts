/** -K / -k ask on the terminal: without one they fail at once; with one the secret is not echoed. */
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TSRUN, tsrun } from '../support/runners.js';
import { expectNoStackTrace, FIXTURES, TIME_LIMIT_MS } from './support.js';
import { describeIf, programMissing } from '../support/needs.js';

const opts = { cwd: FIXTURES, timeoutMs: TIME_LIMIT_MS };
const scriptMissing = programMissing('script', 'bsdutils');

describe('password prompts without a terminal', () => {
  it.each([
    ['-K', '-K/--ask-become-pass'],
    ['--ask-become-pass', '-K/--ask-become-pass'],
    ['-k', '-k/--ask-pass'],
  ])('%s fails clearly, exit 1, no hang', async (flag, named) => {
    const out = await tsrun(['-i', 'hosts.ini', 'become.yml', flag], opts);
    expectNoStackTrace(out);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`ERROR! ${named} asks for a password, but stdin is not a terminal`);
    expect(out.stdout).not.toContain('PLAY [');
  });
});

/** Runs tsrun under `script` (a pty), typing `answer` once `prompt` shows. */
function withPty(args: string[], prompt: string, answer: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const cmd = [process.execPath, TSRUN, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: FIXTURES, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typed = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (!typed && output.includes(prompt)) {
        typed = true;
        child.stdin.write(answer);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolvePromise({ code, output });
    });
  });
}

describeIf(scriptMissing, 'password prompts on a terminal', () => {
  it('-K asks once, does not echo the password, and the run goes on', async () => {
    const secret = 'pw-never-shown-42';
    const r = await withPty(['-i', 'hosts.ini', 'become.yml', '-l', 'h1', '-b', '-K', '-vvvv'], 'BECOME password:', `${secret}\n`);
    expect(r.code, r.output).toBe(0);
    expect(r.output.match(/BECOME password:/g)).toHaveLength(1);
    expect(r.output).not.toContain(secret);
    expect(r.output.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/h1 +: ok=1 /);
  });

  it('Ctrl-C at the prompt exits 99 without running anything', async () => {
    const r = await withPty(['-i', 'hosts.ini', 'become.yml', '-K'], 'BECOME password:', '\x03');
    expect(r.code, r.output).toBe(99);
    expect(r.output).not.toContain('PLAY [');
    expect(r.output).not.toMatch(/^\s+at /m);
  });
});
