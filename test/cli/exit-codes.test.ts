/** Exit statuses as ansible-playbook's, and Ctrl-C: stop at once, recap, 99, no process left. */
import { spawn, spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, TSRUN, tsrun } from '../support/runners.js';
import { expectNoStackTrace, FIXTURES, TIME_LIMIT_MS } from './support.js';

const opts = { cwd: FIXTURES, timeoutMs: TIME_LIMIT_MS };

describe.runIf(ansibleAvailable())('exit codes match ansible-playbook', () => {
  const cases: [string, number, string[]][] = [
    ['all ok', 0, ['-i', 'hosts.ini', 'ok.yml']],
    ['a host failed', 2, ['-i', 'mixed.ini', 'fail.yml', '-l', 'h1']],
    ['a host unreachable (closed port)', 4, ['-i', 'mixed.ini', 'fail.yml', '-l', 'dead']],
    ['unreachable wins over failed', 4, ['-i', 'mixed.ini', 'fail.yml']],
    ['a playbook that does not parse', 4, ['-i', 'hosts.ini', '../bad/yaml-syntax.yml']],
    ['--limit matches no host', 1, ['-i', 'hosts.ini', 'ok.yml', '-l', 'nomatch']],
    ['a missing playbook', 1, ['-i', 'hosts.ini', 'nosuch.yml']],
    ['every host of a play unreachable: later plays do not run', 4, ['-i', 'mixed.ini', 'ok.yml', '-l', 'dead']],
  ];
  it.each(cases)('%s: %i', async (_name, code, args) => {
    const [ours, theirs] = await Promise.all([tsrun(args, opts), ansiblePlaybook(args, { cwd: FIXTURES, json: false })]);
    expectNoStackTrace(ours);
    expect(theirs.code).toBe(code);
    expect(ours.code, ours.stdout + ours.stderr).toBe(code);
    // The recap lines (when there is a run) are the same as ansible-playbook's.
    const recap = (s: string) => s.split('\n').filter((l) => / : ok=\d+/.test(l)).sort();
    expect(recap(ours.stdout)).toEqual(recap(theirs.stdout));
    const plays = (s: string) => s.split('\n').filter((l) => l.startsWith('PLAY ['));
    expect(plays(ours.stdout)).toEqual(plays(theirs.stdout));
  });
});

function processesRunning(marker: string): string {
  const r = spawnSync('pgrep', ['-af', `sleep ${marker}`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l && !l.includes('pgrep')).join('\n');
}

/** Starts tsrun, sends SIGINT once `readyText` is printed, and returns what happened. */
function interruptWhen(args: string[], readyText: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; sent: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [TSRUN, ...args], { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS);
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!sent && stdout.includes(readyText)) {
        sent = true;
        // Give the task a moment to really start on the hosts.
        setTimeout(() => child.kill('SIGINT'), 700);
      }
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolvePromise({ code, signal, stdout, stderr, sent });
    });
  });
}

describe('Ctrl-C (SIGINT)', () => {
  it('stops a running command at once, prints the recap, exits 99 and leaves no process', async () => {
    const marker = `30.${process.pid}${Date.now() % 100000}`;
    const r = await interruptWhen(['-i', 'hosts.ini', 'sleep.yml', '-e', `marker=${marker}`], 'TASK [wait long]');
    // The task sleeps 30 s, longer than the guard (TIME_LIMIT_MS) that SIGKILLs a hung run:
    // exiting by itself with 99 means it stopped the command instead of waiting for it.
    expect(r.sent).toBe(true);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(99);
    expect(r.stdout).toContain('PLAY RECAP');
    expect(r.stdout).toMatch(/^h1 +: ok=1 /m);
    expect(r.stdout).not.toContain('TASK [never reached]');
    expect(r.stdout + r.stderr).toContain('User interrupted execution');
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    // Give the killed process group a moment to be reaped before looking.
    await new Promise((res) => setTimeout(res, 200));
    expect(processesRunning(marker)).toBe('');
  });

  it('stops a pause, prints the recap and exits 99', async () => {
    const r = await interruptWhen(['-i', 'hosts.ini', 'pause.yml'], 'TASK [wait]');
    expect(r.sent).toBe(true);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(99);
    expect(r.stdout).toContain('PLAY RECAP');
    expect(r.stdout).not.toContain('TASK [never reached]');
  });

  it('a run that was not interrupted leaves no process behind either', async () => {
    const marker = `0.2${process.pid}`;
    const out = await tsrun(['-i', 'hosts.ini', 'sleep.yml', '-e', `marker=${marker}`], opts);
    expect(out.code).toBe(0);
    expect(processesRunning(marker)).toBe('');
  });
});

