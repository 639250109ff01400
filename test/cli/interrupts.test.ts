/**
 * Runaway playbooks and interruptions at every phase (issue 15 #3 and #10): a recursive
 * include stops with a clear error; SIGINT/SIGTERM during start-up, loading, a long run of
 * control-side tasks and after the recap all end tsrun with 99, never 130 or a hang.
 *
 * Each phase is pinned without timing: the load case ends in an error the load would only find
 * at its very end, start-up is held open by a module hook, and after the recap tsrun is still
 * alive because nobody reads its output yet. The timer callback's run time is checked against a start-up
 * held open for 2 s: a lower bound by construction, not a speed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TSRUN, tsrun } from '../support/runners.js';
import { sleep, startTsrun } from '../faults/support.js';
import { expectNoStackTrace, printedWarnings, TIME_LIMIT_MS } from './support.js';

let dir: string;

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return Infinity; // exited: let the test see how
  }
}
let LOCAL: string[];
/** A sleep length no other process uses, to find the stubborn command among the processes. */
const STUBBORN = `300.${process.pid}`;

/** Process ids whose command line is `sleep STUBBORN`, with their parent's id. */
function stubbornSleeps(): { pid: number; ppid: number }[] {
  const out: { pid: number; ppid: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') !== `sleep\0${STUBBORN}\0`) continue;
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      out.push({ pid: Number(entry), ppid });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsrun-interrupts-'));
  writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n');
  LOCAL = ['-i', join(dir, 'hosts.ini')];
  writeFileSync(join(dir, 'a.yml'), '- debug: msg=x\n- include_tasks: a.yml\n');
  writeFileSync(join(dir, 'recurse.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - include_tasks: a.yml\n');
  const many = Array.from({ length: 20000 }, (_, i) => `    - debug: msg=${i}\n`).join('');
  writeFileSync(join(dir, 'many.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n${many}`);
  writeFileSync(join(dir, 'slow.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: sleep 20\n');
  writeFileSync(join(dir, 'one.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=one\n');
  // About 3 MB of valid YAML: loading it takes seconds, which is the window under test.
  const items = Array.from({ length: 33000 }, (_, i) => `      - { name: "item${i}", value: ${i}, tags: [a, b, c], text: "some text for item ${i}" }\n`).join('');
  // (With a duplicate key, which Ansible accepts with a warning.)
  writeFileSync(join(dir, 'big.yml'), `- hosts: localhost\n  gather_facts: false\n  gather_facts: false\n  vars:\n    big:\n${items}  tasks:\n    - debug: msg=one\n`);
  // The same with a mistake in its last line: a load that runs to its end says so (exit 4), an
  // interrupted one never gets there.
  writeFileSync(join(dir, 'big-bad.yml'), `- hosts: localhost\n  gather_facts: false\n  vars:\n    big:\n${items}  tasks:\n    - debug: msg=one\n    - no_such_module: x=1\n`);
  // A small playbook with its own duplicate key, then the large one: the part loaded before the
  // load moved to the worker thread must not warn twice.
  writeFileSync(join(dir, 'small-then-big.yml'), '- hosts: localhost\n  gather_facts: false\n  gather_facts: false\n  tasks: []\n- import_playbook: big.yml\n');
  writeFileSync(join(dir, 'small-bad.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=one\n    - no_such_module: x=1\n');
  // A command that ignores the signals tsrun ends commands with: a graceful stop waits for it.
  writeFileSync(join(dir, 'stubborn.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - command: sh -c "trap '' TERM INT HUP; exec sleep ${STUBBORN}"\n`);
  // A debug message larger than a pipe holds: tsrun cannot finish writing while nobody reads.
  writeFileSync(join(dir, 'loud.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg=${'x'.repeat(300_000)}\n`);
  // Holds tsrun in start-up: the import of its main module (tsc's), or of the loader of the
  // bundle of it that npm run build also writes, waits until the test lets it go (a file appears) or signals it.
  writeFileSync(join(dir, 'hold-hooks.mjs'), `import { existsSync, writeFileSync } from 'node:fs';
let marker;
export function initialize(data) { marker = data.marker; }
export async function load(url, context, next) {
  if (/\\/dist\\/cli\\/(main|code-cache)\\.js$/.test(url)) {
    writeFileSync(marker, '');
    for (let i = 0; i < 6000 && !existsSync(marker + '.go'); i++) await new Promise((r) => setTimeout(r, 20));
  }
  return next(url, context);
}
`);
  writeFileSync(join(dir, 'hold.mjs'), `import { register } from 'node:module';\nregister('./hold-hooks.mjs', import.meta.url, { data: { marker: ${JSON.stringify(join(dir, 'in-start-up'))} } });\n`);
});

describe('a recursive include_tasks', () => {
  it('stops at the depth limit with an error naming the include, exit 1', { timeout: 180_000 }, async () => {
    // A hang is still a failure, but 250 levels of includes may take a while on a loaded machine.
    const r = await tsrun([...LOCAL, join(dir, 'recurse.yml')], { cwd: dir, timeoutMs: 4 * TIME_LIMIT_MS });
    expectNoStackTrace(r);
    expect(r.code, r.stderr.slice(-500)).toBe(1);
    expect(r.stderr).toMatch(/^ERROR! Exceeded maximum include depth \(250\) at include_tasks 'a\.yml' \(a\.yml:2:3\)\. This may have been caused by a file or role that includes itself/m);
  });
});

describe('a large playbook (loaded off the main thread)', () => {
  it('reports its mistakes and warnings as a small one does', async () => {
    const [big, small] = await Promise.all([tsrun([...LOCAL, 'big-bad.yml'], { cwd: dir, timeoutMs: 4 * TIME_LIMIT_MS }), tsrun([...LOCAL, 'small-bad.yml'], { cwd: dir })]);
    for (const r of [big, small]) {
      expectNoStackTrace(r);
      expect(r.code, r.stderr).toBe(4);
    }
    const lastLine = readFileSync(join(dir, 'big-bad.yml'), 'utf8').split('\n').length - 1;
    const at = (file: string, line: number) =>
      `ERROR! unknown module 'no_such_module'\n\nThe error appears to be in '${join(dir, file)}': line ${line}, column 7, but may\n`;
    expect(small.stderr).toContain(at('small-bad.yml', 5));
    expect(small.stderr).toContain('\n    - no_such_module: x=1\n      ^ here\n');
    expect(big.stderr).toContain(at('big-bad.yml', lastLine));
    expect(big.stderr).toContain('\n    - no_such_module: x=1\n      ^ here\n');
  }, 180_000);

  it('warns about each duplicate key once', async () => {
    const r = await tsrun([...LOCAL, 'small-then-big.yml', '--syntax-check'], { cwd: dir, timeoutMs: 4 * TIME_LIMIT_MS });
    expect(r.code, r.stderr).toBe(0);
    const warnings = printedWarnings(r.stderr);
    expect(warnings).toEqual([
      expect.stringMatching(/small-then-big\.yml, line 1, column 3, found a duplicate dict key \(gather_facts\)\. Using last defined value only\.$/),
      expect.stringMatching(/big\.yml, line 1, column 3, found a duplicate dict key \(gather_facts\)\. Using last defined value only\.$/),
    ]);
  }, 180_000);
});

/** Starts tsrun on the large playbook with a mistake at its end and signals it once the parse is under way. */
async function interruptLoad(signal: NodeJS.Signals) {
  // Parsed, not read back from the parse cache (an earlier test parsed it): the window under test is the parse.
  const live = startTsrun([...LOCAL, join(dir, 'big-bad.yml')], { cwd: dir, env: { TSRUN_CACHE_DIR: '' } });
  // Inside the load: tsrun's own code alone stays under 100 MB, parsing this file goes far above.
  while (rssMb(live.child.pid!) < 200) await sleep(20);
  live.child.kill(signal);
  const r = await live.done;
  console.log(`${signal} while loading a 3 MB playbook: exit ${r.code} after ${r.ms} ms`);
  return r;
}

describe('interruptions exit 99 in every phase', () => {
  it("ansible.posix.timer's run time (callbacks_enabled=timer) counts from process start", async () => {
    const marker = join(dir, 'in-start-up');
    rmSync(marker, { force: true });
    const live = startTsrun(['--import', join(dir, 'hold.mjs'), TSRUN, ...LOCAL, join(dir, 'one.yml')], { cwd: dir, command: process.execPath, env: { ANSIBLE_CALLBACKS_ENABLED: 'timer' } });
    while (!existsSync(marker)) await sleep(10);
    // Held in start-up for at least 2 s: a clock started by the run itself would miss them.
    await sleep(2000);
    writeFileSync(`${marker}.go`, '');
    const r = await live.done;
    rmSync(`${marker}.go`);
    expect(r.code, live.output()).toBe(0);
    expect(Number(/^Playbook run took 0 days, 0 hours, 0 minutes, (\d+) seconds$/m.exec(r.stdout)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('at start-up, before tsrun has loaded its own code', async () => {
    const marker = join(dir, 'in-start-up');
    rmSync(marker, { force: true });
    const live = startTsrun(['--import', join(dir, 'hold.mjs'), TSRUN, ...LOCAL, join(dir, 'one.yml')], { cwd: dir, command: process.execPath });
    while (!existsSync(marker)) await sleep(10);
    live.child.kill('SIGINT');
    const r = await live.done;
    expect(r.code, live.output()).toBe(99);
    expect(r.stderr).toBe('ERROR! User interrupted execution\n');
    expect(r.stdout).toBe('');
  });

  it('SIGINT while a large playbook loads: stops the load (its mistake at the end is never reached), no play', async () => {
    const r = await interruptLoad('SIGINT');
    expect(r.code, r.stdout + r.stderr).toBe(99);
    expect(r.stderr).toBe('ERROR! User interrupted execution\n');
    expect(r.stdout).not.toContain('PLAY [');
  }, 180_000);

  it('SIGTERM while a large playbook loads: the same', async () => {
    const r = await interruptLoad('SIGTERM');
    expect(r.code, r.stdout + r.stderr).toBe(99);
    expect(r.stderr).toBe('ERROR! User interrupted execution\n');
  }, 180_000);

  it('during a long run of control-side tasks', async () => {
    const live = startTsrun([...LOCAL, join(dir, 'many.yml')], { cwd: dir });
    await live.waitFor(/TASK \[debug\]/);
    live.child.kill('SIGINT');
    const r = await live.done;
    expect(r.code, live.output().slice(-500)).toBe(99);
    expect(r.stdout).not.toContain('"msg": 19999');
  });

  it('a second SIGINT exits at once while the first one waits for a command to stop', async () => {
    const live = startTsrun([...LOCAL, join(dir, 'stubborn.yml')], { cwd: dir });
    try {
      let sleeps: { pid: number; ppid: number }[] = [];
      while ((sleeps = stubbornSleeps()).length === 0) await sleep(20);
      const shell = sleeps[0].ppid;
      live.child.kill('SIGINT');
      // The first one has been acted on once tsrun has ended the command's shell; the command
      // itself ignores that and keeps its output open, so the run cannot finish.
      while (stubbornSleeps()[0]?.ppid === shell) await sleep(20);
      expect(live.child.exitCode).toBeNull();
      live.child.kill('SIGINT');
      const r = await live.done;
      expect(r.code, live.output()).toBe(99);
      expect(r.stdout).not.toContain('PLAY RECAP');
    } finally {
      for (const s of stubbornSleeps()) process.kill(s.pid, 'SIGKILL');
    }
  });

  it('without a signal, a run whose reader is slow ends with its whole --json document', async () => {
    const log = join(dir, 'slow-reader.log');
    const child = spawn(process.execPath, [TSRUN, ...LOCAL, join(dir, 'loud.yml'), '--json'], { cwd: dir, env: { ...process.env, ANSIBLE_LOG_PATH: log }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // The document is complete in the log before anyone reads stdout.
    while (!(existsSync(log) && /"stats"/.test(readFileSync(log, 'utf8')))) await sleep(20);
    let out = '';
    const read = new Promise((done) => child.stdout.on('close', done));
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    expect(await exited).toBe(0);
    await read;
    const doc = JSON.parse(out) as { plays: { tasks: { hosts: Record<string, { msg: string }> }[] }[] };
    expect(doc.plays[0].tasks[0].hosts.localhost.msg).toHaveLength(300_000);
  });

  it('after the recap, while the output still waits for its reader: at once', async () => {
    // The log gets each line as it is printed; stdout is a pipe nobody reads, so tsrun has
    // printed its recap but cannot finish writing, and only the signal can end it.
    const log = join(dir, 'after-recap.log');
    const child = spawn(process.execPath, [TSRUN, ...LOCAL, join(dir, 'loud.yml')], { cwd: dir, env: { ...process.env, ANSIBLE_LOG_PATH: log }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    while (!(existsSync(log) && /localhost +: ok=1 /.test(readFileSync(log, 'utf8')))) await sleep(20);
    expect(readFileSync(log, 'utf8')).toMatch(/localhost +: ok=1 /);
    child.kill('SIGINT');
    const code = await Promise.race([exited, sleep(60_000).then(() => 'still running')]);
    child.kill('SIGKILL');
    child.stdout.destroy();
    expect(code, stderr).toBe(99);
  });
});
