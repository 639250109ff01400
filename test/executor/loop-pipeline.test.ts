/**
 * Loops of command, shell and file send their items one behind the other (task-runner.ts
 * pipelineLane): each item's result must stay what Ansible gives, item for item — `when`,
 * changed_when/failed_when, failing items that do not stop the loop, and an item whose
 * arguments cannot be templated, which fails the task after the items before it ran and
 * before any after it does. Checked against ansible-playbook, and on the target's files.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';

const dir = mkdtempSync(join(tmpdir(), 'tsrun-loop-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PLAYBOOK = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: commands
      command: "echo {{ item }}"
      loop: "{{ range(0, 12) | list }}"
      when: item != 3
      changed_when: item == 5
      failed_when: item == 7
      ignore_errors: true
    - name: order
      shell: "echo {{ item }} >> {{ out }}/order; echo e{{ item }} >&2; exit {{ item % 3 }}"
      loop: "{{ range(0, 20) | list }}"
      ignore_errors: true
    - name: dirs
      file:
        path: "{{ out }}/d{{ item }}"
        state: directory
        mode: "0750"
      loop: [a, b, c]
    - name: stops at an item it cannot template
      command: "touch {{ out }}/t{{ item.x }}"
      loop: [{x: 1}, {x: 2}, {y: 3}, {x: 4}]
      ignore_errors: true
`;

type Json = Record<string, unknown>;

/** Per task: its name and each item's result fields that do not depend on the clock or the tool. */
function items(doc: Json): Array<{ task: string; result: unknown }> {
  const plays = doc.plays as Array<{ tasks: Array<{ task: { name: string }; hosts: Record<string, Json> }> }>;
  return plays[0]!.tasks.map((t) => {
    const h = t.hosts.localhost!;
    const pick = (r: Json) => {
      const out: Json = {};
      for (const k of ['item', 'rc', 'stdout', 'stderr', 'changed', 'failed', 'skipped', 'msg', 'state', 'mode', 'failed_when_result']) if (k in r) out[k] = r[k];
      return out;
    };
    const results = h.results as Json[] | undefined;
    // A task that failed as a whole (an item it could not template): its message is tsrun's own wording.
    return { task: t.task.name, result: results ? results.map(pick) : { failed: h.failed, cause: /has no attribute 'x'/.test(String(h.msg)) } };
  });
}

describe.skipIf(!ansibleAvailable())('a pipelined loop', () => {
  it('gives the item results ansible-playbook gives, and runs items in order', async () => {
    const book = join(dir, 'pb.yml');
    writeFileSync(book, PLAYBOOK);
    const [ours, theirs] = await Promise.all(
      ['ours', 'theirs'].map(async (who) => {
        const out = join(dir, who);
        mkdirSync(out);
        const r = who === 'ours'
          ? await tsrun(['-i', 'localhost,', book, '--json', '-e', `out=${out}`], { cwd: dir, env: { NO_COLOR: '1' } })
          : await ansiblePlaybook(['-i', 'localhost,', book, '-e', `out=${out}`], { cwd: dir });
        return { out, r, doc: JSON.parse(r.stdout) as Json };
      }),
    );
    expect(ours!.r.code, ours!.r.stderr).toBe(0);
    expect(theirs!.r.code, theirs!.r.stderr).toBe(0);
    expect(items(ours!.doc)).toEqual(items(theirs!.doc));
    for (const { out } of [ours!, theirs!]) {
      expect(readFileSync(join(out, 'order'), 'utf8')).toBe(Array.from({ length: 20 }, (_, i) => `${i}\n`).join(''));
      expect([1, 2, 3, 4].map((i) => existsSync(join(out, `t${i}`)))).toEqual([true, true, false, false]);
    }
  }, 120_000);
});
