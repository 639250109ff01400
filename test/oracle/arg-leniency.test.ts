import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';

/**
 * Module arguments are checked after templating, as in Ansible: a missing or ill-typed one
 * fails that task only (ignore_errors / rescue catch it), and a hostile value is refused before
 * any shell sees it. Each case runs under ansible-playbook and tsrun; per task the outcome
 * (ok / changed / failed / skipped) and the variables the play sets afterwards must agree.
 */
const dir = mkdtempSync(join(tmpdir(), 'tsrun-leniency-'));
const canary = join(dir, 'PWNED');
const playbook = `
- hosts: all
  gather_facts: no
  tasks:
    - name: copy without dest
      copy: content=x
      ignore_errors: true
    - name: creates given a boolean
      command: echo hi
      args:
        creates: yes
    - name: cacheable=no
      set_fact: a=1 cacheable=no
    - name: fractional delay
      command: "true"
      register: r2
      until: r2 is success
      retries: 2
      delay: 0.01
    - name: unknown parameter
      copy: dest=${dir}/x foo=bar
      ignore_errors: true
    - name: gid that is not an integer after templating
      group:
        name: tsrun-nogroup
        gid: "{{ '1; touch ${canary} #' }}"
      ignore_errors: true
    - name: timeout that is not a number
      wait_for: timeout=yes
      ignore_errors: true
    - block:
        - name: uid that is not an integer, in a block
          user:
            name: tsrun-nouser
            uid: "$(touch ${canary})"
      rescue:
        - name: rescued
          set_fact: rescued=yes
    - name: string port coerced
      wait_for: port="{{ '1' }}" host=127.0.0.1 state=stopped timeout=1
    - name: bool words coerced
      file: path=${dir} state=directory follow="{{ 'no' }}"
`;

interface Outcome { name: string; status: string }

function outcomes(json: string): Outcome[] {
  const doc = JSON.parse(json.slice(json.indexOf('{'))) as { plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] };
  return doc.plays[0].tasks.map((t) => {
    const r = t.hosts.localhost;
    const status = r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok';
    return { name: t.task.name, status };
  });
}

describe.runIf(ansibleAvailable())('argument checks after templating, as lenient as Ansible', () => {
  it('fails only the task, is caught, never executes a value, like ansible-playbook', async () => {
    const pb = join(dir, 'leniency.yml');
    const inv = join(dir, 'hosts');
    writeFileSync(pb, playbook);
    writeFileSync(inv, 'localhost ansible_connection=local\n');
    const ours = await tsrun(['-i', inv, '--json', pb]);
    expect(existsSync(canary)).toBe(false);
    const theirs = await ansiblePlaybook(['-i', inv, pb]);
    expect(existsSync(canary)).toBe(false);
    expect(ours.code).toBe(theirs.code);
    expect(ours.code).toBe(0);
    expect(outcomes(ours.stdout)).toEqual(outcomes(theirs.stdout));
  }, 120_000);
});
