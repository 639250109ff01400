/**
 * hostvars is shared by all scopes built while no facts change (N scopes per template task,
 * not N²); a fact set later must still show through it, as Ansible shows it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsrun } from '../support/runners.js';

describe('hostvars across hosts', () => {
  it('sees registered values and set_fact of other hosts as soon as they are set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-hostvars-'));
    writeFileSync(join(dir, 'inv.ini'), '[g]\nh1 ansible_connection=local v=1\nh2 ansible_connection=local v=2\n');
    writeFileSync(
      join(dir, 'pb.yml'),
      `- hosts: g
  gather_facts: false
  tasks:
    - debug: { msg: "{{ groups.g | map('extract', hostvars, 'v') | join(',') }}" }
    - set_fact: { f: "first-{{ inventory_hostname }}" }
    - debug: { msg: "{{ hostvars['h1'].f }} {{ hostvars['h2'].f }}" }
    - set_fact: { f: "second-{{ inventory_hostname }}" }
    - command: echo {{ inventory_hostname }}
      register: out
    - debug: { msg: "{{ hostvars['h1'].f }} {{ hostvars['h2'].out.stdout }}" }
`,
    );
    const r = await tsrun(['-i', join(dir, 'inv.ini'), join(dir, 'pb.yml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { plays: Array<{ tasks: Array<{ hosts: Record<string, { msg?: string; action?: string }> }> }> };
    const msgs = doc.plays[0].tasks.filter((t) => t.hosts.h1?.action === 'debug').map((t) => [t.hosts.h1.msg, t.hosts.h2.msg]);
    expect(msgs).toEqual([
      ['1,2', '1,2'],
      ['first-h1 first-h2', 'first-h1 first-h2'],
      ['second-h1 h2', 'second-h1 h2'],
    ]);
  });
});
