/**
 * Runaway playbooks and interruptions at every phase (issue 15 #3 and #10): a recursive
 * include stops with a clear error; SIGINT/SIGTERM during start-up, loading, a long run of
 * control-side tasks and after the recap all end tsrun with 99, never 130 or a hang.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tsrun } from '../support/runners.js';
import { sleep, startTsrun } from '../faults/support.js';
import { expectNoStackTrace, TIME_LIMIT_MS } from './support.js';

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
  writeFileSync(join(dir, 'big.yml'), `- hosts: localhost\n  gather_facts: false\n  vars:\n    big:\n${items}  tasks:\n    - debug: msg=one\n`);
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

describe('interruptions exit 99 in every phase', () => {
  it('while a large playbook loads: nothing runs, no recap', async () => {
    const live = startTsrun([...LOCAL, join(dir, 'big.yml')], { cwd: dir });
    // Inside the load: tsrun's own code alone stays under 100 MB, parsing this file goes far above.
    while (rssMb(live.child.pid!) < 200) await sleep(50);
    live.child.kill('SIGTERM');
    const r = await live.done;
    console.log(`SIGTERM while loading a 3 MB playbook: exit ${r.code} after ${r.ms} ms`);
    expect(r.code, live.output()).toBe(99);
    expect(r.stdout).not.toContain('PLAY [');
    expect(r.stderr).toContain('User interrupted execution');
  }, 180_000);

  it('during a long run of control-side tasks', async () => {
    const live = startTsrun([...LOCAL, join(dir, 'many.yml')], { cwd: dir });
    await live.waitFor(/TASK \[debug\]/);
    live.child.kill('SIGINT');
    const r = await live.done;
    expect(r.code, live.output().slice(-500)).toBe(99);
    expect(r.stdout).not.toContain('"msg": 19999');
  });

  it('after the recap', async () => {
    for (let i = 0; i < 3; i++) {
      const live = startTsrun([...LOCAL, join(dir, 'one.yml')], { cwd: dir });
      await live.waitFor(/PLAY RECAP/);
      live.child.kill('SIGINT');
      const r = await live.done;
      // Either tsrun had already exited (0) or the signal was an interruption (99), never 130.
      expect([0, 99]).toContain(r.code);
    }
  });
});
