import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleEnv, ansiblePlaybook, tsrun } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';

/**
 * Issue 11: command-line behaviours Ansible's own integration targets rely on, where the
 * parity fixtures (which always pass -i) cannot reach.
 */
describe.runIf(ansibleAvailable())('command line as ansible-playbook', () => {
  it('without -i (and no inventory file) only the implicit localhost exists, on the local connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-noinv-'));
    writeFileSync(
      join(dir, 'play.yml'),
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - debug: {msg: "all matched {{ inventory_hostname }}"}',
        '- hosts: localhost',
        '  gather_facts: false',
        '  tasks:',
        '    - name: connection of the implicit localhost',
        '      debug: {msg: "{{ ansible_connection }} {{ groups.all }} {{ groups.ungrouped }}"}',
        '    - name: a command runs there',
        '      command: echo ran',
        '      register: out',
        '    - debug: {msg: "{{ out.stdout }}"}',
      ].join('\n'),
    );
    const [ours, theirs] = await Promise.all([tsrun(['play.yml', '--json'], { cwd: dir }), ansiblePlaybook(['play.yml'], { cwd: dir })]);
    const a = summary(parseJson(theirs.stdout, `ansible-playbook (stderr: ${theirs.stderr})`));
    const b = summary(parseJson(ours.stdout, `tsrun (stderr: ${ours.stderr})`));
    expect(b).toEqual(a);
    expect(ours.code).toBe(theirs.code);
    expect(ours.stderr).toContain('No inventory was parsed, only implicit localhost is available');
  }, 120_000);

  it('warns once per reserved variable name the play defines (play vars, role defaults and vars, -e), not for host vars', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-reserved-'));
    mkdirSync(join(dir, 'roles/r/defaults'), { recursive: true });
    mkdirSync(join(dir, 'roles/r/tasks'), { recursive: true });
    writeFileSync(join(dir, 'roles/r/defaults/main.yml'), 'timeout: 3\nfine_name: 1\n');
    writeFileSync(join(dir, 'roles/r/tasks/main.yml'), '- debug: {msg: "{{ timeout }}"}\n');
    writeFileSync(join(dir, 'hosts'), 'localhost ansible_connection=local tags=from_inventory\n');
    writeFileSync(
      join(dir, 'play.yml'),
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  vars: {lipsum: a, name: b, vars: c, ok_name: d}',
        '  roles: [r]',
        '  tasks:',
        '    - debug: {msg: "{{ name }}"}',
        '- hosts: nomatch',
        '  vars: {range: 1}',
        '  tasks: []',
      ].join('\n'),
    );
    const args = ['-i', 'hosts', 'play.yml', '-e', 'serial=1'];
    const [ours, theirs] = await Promise.all([tsrun(args, { cwd: dir }), ansiblePlaybook(args, { cwd: dir, json: false })]);
    const warned = (text: string) => text.split('\n').filter((l) => l.includes('Found variable using reserved name')).sort();
    expect(warned(theirs.stdout + theirs.stderr)).toHaveLength(4);
    expect(warned(ours.stdout + ours.stderr)).toEqual(warned(theirs.stdout + theirs.stderr));
    expect(ours.code).toBe(theirs.code);
  }, 120_000);

  it("a playbook-level `include` is refused as Ansible 2.14 refuses it (import_playbook replaced it)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-pb-include-'));
    writeFileSync(join(dir, 'other.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks: []\n');
    writeFileSync(join(dir, 'play.yml'), '- include: other.yml\n');
    const [ours, theirs] = await Promise.all([tsrun(['-i', 'localhost,', 'play.yml'], { cwd: dir }), ansiblePlaybook(['-i', 'localhost,', 'play.yml'], { cwd: dir, json: false })]);
    const said = "'include' is not a valid attribute for a Play";
    expect(theirs.stdout + theirs.stderr).toContain(said);
    expect(ours.stdout + ours.stderr).toContain(said);
    expect(ours.code).toBe(theirs.code);
  }, 120_000);

  it("load errors print as Ansible's: the message, the file, line and column, the offending line and its caret", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-load-errors-'));
    const books: Record<string, string> = {
      // positions where tsrun and Ansible point at the same place
      'pb-include.yml': '- include: other.yml\n',
      'no-role.yml': '- hosts: localhost\n  gather_facts: false\n  roles:\n    - nosuchrole\n',
      'no-module.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - nosuchmodule: a=b\n',
      'yaml-error.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg="a"\n      foo: [1, 2\n',
      // a task file included at run time that does not parse ends the run (exit 4, no recap)
      'dyn-include.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - include_tasks: bad-tasks.yml\n    - debug: msg=never\n',
      'bad-tasks.yml': '- name: x\n  debug: msg=a\n  whn: true\n',
      // include_role of a missing role: the include is ok, the error is printed, the host fails
      'dyn-role.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - include_role: name=nosuch\n',
      // ... and a rescue section catches that (exit 0)
      'dyn-role-rescued.yml': '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - block:\n        - include_role: name=nosuch\n      rescue:\n        - debug: msg=rescued\n',
    };
    for (const [name, text] of Object.entries(books)) writeFileSync(join(dir, name), text);
    const env = { HOME: ansibleEnv().HOME };
    const names = ['pb-include.yml', 'no-role.yml', 'no-module.yml', 'yaml-error.yml', 'dyn-include.yml', 'dyn-role.yml', 'dyn-role-rescued.yml'];
    const runs = await Promise.all(
      names.map(async (book) => {
        const args = ['-i', 'localhost,', book];
        const [ours, theirs] = await Promise.all([tsrun(args, { cwd: dir, env }), ansiblePlaybook(args, { cwd: dir, json: false })]);
        return { book, ours, theirs };
      }),
    );
    const by = Object.fromEntries(runs.map((r) => [r.book, r]));
    const block = (text: string) => /The error appears to be in [^]*?\^ here\n/.exec(text)?.[0];
    for (const book of ['pb-include.yml', 'no-role.yml']) expect(by[book].ours.stderr, book).toBe(by[book].theirs.stderr);
    for (const book of ['no-module.yml', 'yaml-error.yml']) {
      expect(block(by[book].theirs.stderr), book).toContain(`'${join(dir, book)}': line`);
      expect(block(by[book].ours.stderr), book).toBe(block(by[book].theirs.stderr));
    }
    for (const book of ['pb-include.yml', 'no-module.yml', 'yaml-error.yml']) expect(by[book].ours.code, book).toBe(by[book].theirs.code);
    const dyn = by['dyn-include.yml'];
    for (const r of [dyn.ours, dyn.theirs]) {
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`The error appears to be in '${join(dir, 'bad-tasks.yml')}': line `);
      expect(r.stdout).not.toContain('PLAY RECAP');
    }
    const role = by['dyn-role.yml'];
    const errorLine = (text: string) => text.split('\n').find((l) => l.startsWith('ERROR! '));
    expect(errorLine(role.ours.stderr)).toBe(errorLine(role.theirs.stderr));
    expect(role.ours.code).toBe(role.theirs.code);
    const rescued = by['dyn-role-rescued.yml'];
    expect(rescued.theirs.code).toBe(0);
    expect(rescued.ours.code).toBe(0);
    expect(rescued.ours.stdout).toContain('"msg": "rescued"');
  }, 180_000);

  it('-vvvv shows the become command line (sudo -H -S ...) as ansible-playbook does, never the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-vvvv-become-'));
    writeFileSync(join(dir, 'hosts'), 'localhost ansible_connection=local ansible_become_password=Sekr1t-pw\n');
    writeFileSync(join(dir, 'play.yml'), '- hosts: localhost\n  gather_facts: false\n  become: true\n  tasks:\n    - command: whoami\n');
    const env = { ANSIBLE_BECOME_ALLOW_SAME_USER: 'true' };
    const args = ['-i', 'hosts', 'play.yml', '-vvvv'];
    const [ours, theirs] = await Promise.all([tsrun(args, { cwd: dir, env }), ansiblePlaybook(args, { cwd: dir, json: false, env })]);
    const becomeLines = (text: string) => text.split('\n').filter((l) => /^<[^>]+> EXEC .*sudo -H -S /.test(l));
    expect(becomeLines(theirs.stdout).length).toBeGreaterThan(0);
    expect(becomeLines(ours.stdout).length).toBeGreaterThan(0);
    // without -vvvv tsrun does not print it
    const quiet = await tsrun(['-i', 'hosts', 'play.yml', '-vvv'], { cwd: dir, env });
    expect(becomeLines(quiet.stdout)).toEqual([]);
    for (const r of [ours, theirs, quiet]) expect(r.stdout + r.stderr).not.toContain('Sekr1t-pw');
    expect(ours.code).toBe(theirs.code);
  }, 120_000);

  it("assert's untemplated conditions find lookup files where the task's own arguments do", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-assert-lookup-'));
    mkdirSync(join(dir, 'roles/r/tasks'), { recursive: true });
    mkdirSync(join(dir, 'roles/r/templates'), { recursive: true });
    mkdirSync(join(dir, 'roles/r/files'), { recursive: true });
    writeFileSync(join(dir, 'roles/r/templates/t.j2'), '{{ 40 + 2 }}\n');
    writeFileSync(join(dir, 'roles/r/files/f.txt'), 'hello\n');
    writeFileSync(join(dir, 'roles/r/tasks/main.yml'), "- assert:\n    that:\n      - lookup('template', 't.j2') | trim == '42'\n      - \"lookup('file', 'f.txt') == 'hello'\"\n");
    writeFileSync(join(dir, 'play.yml'), '- hosts: localhost\n  gather_facts: false\n  roles: [r]\n');
    const [ours, theirs] = await Promise.all([tsrun(['-i', 'localhost,', 'play.yml', '--json'], { cwd: dir }), ansiblePlaybook(['-i', 'localhost,', 'play.yml'], { cwd: dir })]);
    expect(summary(parseJson(ours.stdout, ours.stderr))).toEqual(summary(parseJson(theirs.stdout, theirs.stderr)));
    expect(ours.code).toBe(0);
  }, 120_000);

  it('-vv prints a META line for each meta task, as ansible-playbook does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-meta-lines-'));
    writeFileSync(join(dir, 'hosts'), 'a ansible_connection=local\nb ansible_connection=local\n');
    writeFileSync(
      join(dir, 'play.yml'),
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - meta: noop',
        '    - meta: clear_host_errors',
        '    - meta: clear_facts',
        '    - meta: flush_handlers',
        '    - meta: end_host',
        '      when: inventory_hostname == "b"',
        '    - meta: end_play',
        '      when: false',
        '    - meta: end_batch',
      ].join('\n'),
    );
    const args = ['-i', 'hosts', 'play.yml', '-vv'];
    const [ours, theirs] = await Promise.all([tsrun(args, { cwd: dir }), ansiblePlaybook(args, { cwd: dir, json: false })]);
    const metas = (text: string) => text.split('\n').filter((l) => l.startsWith('META: '));
    expect(metas(theirs.stdout).length).toBeGreaterThan(6);
    expect(metas(ours.stdout)).toEqual(metas(theirs.stdout));
    expect(ours.code).toBe(theirs.code);
  }, 120_000);

  it('meta refresh_inventory reads the sources again and keeps what add_host and group_by did', async () => {
    const play = [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - add_host: {name: added, ansible_connection: local, kind: odd}',
      '      run_once: true',
      '    - group_by: {key: "{{ kind }}"}',
      '    - name: the source changes',
      '      copy:',
      '        dest: "{{ inventory_file }}"',
      '        content: "two ansible_connection=local kind=even\\nthree ansible_connection=local kind=odd\\n"',
      '      run_once: true',
      '    - meta: refresh_inventory',
      '    - name: a host the source dropped finishes this play',
      '      debug: {msg: "{{ inventory_hostname }} {{ group_names }}"}',
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - debug: {msg: "{{ ansible_play_hosts_all }} {{ groups.odd | default([]) }} {{ groups.even | default([]) }}"}',
      '      run_once: true',
    ].join('\n');
    const run = async (who: 'ours' | 'theirs') => {
      const dir = mkdtempSync(join(tmpdir(), `tsrun-refresh-${who}-`));
      writeFileSync(join(dir, 'hosts'), 'one ansible_connection=local kind=odd\ntwo ansible_connection=local kind=even\n');
      writeFileSync(join(dir, 'play.yml'), play);
      return who === 'ours' ? tsrun(['-i', 'hosts', 'play.yml', '--json'], { cwd: dir }) : ansiblePlaybook(['-i', 'hosts', 'play.yml'], { cwd: dir });
    };
    const [ours, theirs] = await Promise.all([run('ours'), run('theirs')]);
    const a = summary(parseJson(theirs.stdout, `ansible-playbook (stderr: ${theirs.stderr})`));
    const b = summary(parseJson(ours.stdout, `tsrun (stderr: ${ours.stderr})`));
    expect(b).toEqual(a);
    expect(ours.code).toBe(theirs.code);
  }, 120_000);
});
