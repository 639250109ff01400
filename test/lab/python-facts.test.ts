import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

/**
 * Issue 11: the python facts and interpreter discovery against ansible-playbook 2.14, on three lab
 * hosts: `py` (this machine's Python: /usr/bin/python3 → python3.11), `py311` (/usr/bin/python3
 * removed: discovery takes python3.11 and warns) and `nopy` (no Python at all). One playbook,
 * run by both tools; each task's result compared host by host.
 */
const PYKEYS = ['ansible_python', 'ansible_python_version', 'discovered_interpreter_python', 'gather_subset', 'module_setup'];
const report = "{{ {'python': ansible_facts.python | default('UNDEF'), 'version': ansible_python_version | default('UNDEF'), 'discovered': discovered_interpreter_python | default('UNDEF'), 'major': ansible_python.version.major | default('UNDEF')} }}";

const PLAYBOOK = [
  {
    name: 'discovery (auto)',
    hosts: 'all',
    gather_facts: true,
    vars: { ansible_python_interpreter: 'auto' },
    tasks: [
      { name: 'min, python and platform off', setup: { gather_subset: ['!all', '!min'] } },
      { name: 'not python', setup: { gather_subset: ['!python'] } },
      { name: 'python only', setup: { gather_subset: ['!all', '!min', 'python'] } },
      { name: 'python_version names platform', setup: { gather_subset: ['!all', '!min', 'python_version'] } },
      { name: 'filter', setup: { filter: 'ansible_py*' } },
      { name: 'report', debug: { msg: report } },
    ],
  },
  {
    name: 'explicit interpreter (templated; words)',
    hosts: 'all',
    gather_facts: true,
    vars: { ansible_python_interpreter: "{{ '/usr/bin/env python3' if inventory_hostname == 'py' else '/usr/bin/python3' }}" },
    tasks: [{ name: 'report', debug: { msg: report } }],
  },
];

interface Result {
  failed?: boolean;
  msg?: unknown;
  warnings?: string[];
  ansible_facts?: Record<string, unknown>;
}
type Results = Record<string, Result>[];

function results(stdout: string): Results {
  const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { plays: { tasks: { hosts: Record<string, Result> }[] }[] };
  return json.plays.flatMap((p) => p.tasks.map((t) => t.hosts));
}

/** What is compared of a result: the python keys of its facts, its debug message, its discovery warnings. */
function view(r: Result | undefined) {
  const facts = r?.ansible_facts ?? {};
  return {
    facts: Object.fromEntries(PYKEYS.filter((k) => k in facts).map((k) => [k, facts[k]])),
    msg: typeof r?.msg === 'object' ? r.msg : undefined,
    warnings: (r?.warnings ?? []).filter((w) => /interpreter|Python/.test(w)),
  };
}

describeLab('python facts and interpreter discovery against ansible-playbook', () => {
  const enabled = ansibleAvailable();
  let lab: Lab;
  let ours: Results = [];
  let theirs: Results = [];

  beforeAll(async () => {
    lab = await createLab({ name: 'pyfacts', hosts: ['py', 'py311', 'nopy'] });
    // /usr is a private overlay per lab host: this removes nothing from the machine.
    await lab.runAsRoot('py311', 'rm /usr/bin/python3');
    await lab.runAsRoot('nopy', 'rm -f /usr/bin/python3* /usr/bin/python2* /usr/bin/python');
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-pyfacts-'));
    writeFileSync(join(dir, 'hosts.ini'), lab.inventory());
    writeFileSync(join(dir, 'play.yml'), JSON.stringify(PLAYBOOK));
    const args = ['-i', join(dir, 'hosts.ini'), join(dir, 'play.yml')];
    const t = await tsrun(['--json', ...args], { cwd: dir, timeoutMs: 600_000 });
    expect(t.stdout, t.stderr).toContain('{');
    ours = results(t.stdout);
    if (enabled) {
      const a = await ansiblePlaybook(args, { cwd: dir, timeoutMs: 600_000 });
      expect(a.stdout, a.stderr).toContain('{');
      theirs = results(a.stdout);
    }
  }, 900_000);

  afterAll(async () => {
    await lab?.destroy();
  });

  it.runIf(enabled)('where Ansible runs, tsrun reports the same python facts, discovery and warnings, task by task', () => {
    expect(ours.length).toBe(theirs.length);
    let compared = 0;
    ours.forEach((hosts, i) => {
      for (const [host, t] of Object.entries(theirs[i]!)) {
        if (t.failed) continue;
        expect.soft(view(hosts[host]), `task ${i} on ${host}`).toEqual(view(t));
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(15);
  });

  it('the facts describe the interpreter found on each host', () => {
    const reportOf = (task: number, host: string) => ours[task]![host]!.msg as Record<string, unknown>;
    expect(reportOf(6, 'py')).toMatchObject({ discovered: '/usr/bin/python3', python: { executable: '/usr/bin/python3', type: 'cpython' }, major: 3 });
    expect(reportOf(6, 'py311')).toMatchObject({ discovered: '/usr/bin/python3.11', python: { executable: '/usr/bin/python3.11' } });
    expect(ours[0]!.py311!.warnings).toEqual([expect.stringMatching(/^Distribution debian \S+ on host py311 should use \/usr\/bin\/python3, but is using \/usr\/bin\/python3\.11/)]);
    // `/usr/bin/env python3` runs the python3 on PATH.
    expect(reportOf(8, 'py')).toMatchObject({ python: { executable: '/usr/bin/python3' } });
  });

  it('without Python (none at all, or not where ansible_python_interpreter says), the facts are absent and setup still succeeds', () => {
    for (const [task, host] of [[0, 'nopy'], [6, 'nopy'], [7, 'py311'], [7, 'nopy'], [8, 'nopy']] as const) {
      const r = ours[task]![host]!;
      expect(r.failed, `task ${task} on ${host}`).toBeFalsy();
      if (task === 6 || task === 8) expect(r.msg).toEqual({ python: 'UNDEF', version: 'UNDEF', discovered: 'UNDEF', major: 'UNDEF' });
      else expect(Object.keys(r.ansible_facts ?? {}).filter((k) => k.includes('python'))).toEqual([]);
    }
    // Ansible cannot run its setup module there: it fails the host (documented in docs/DIFFERENCES.md).
    if (enabled) for (const [task, host] of [[0, 'nopy'], [7, 'py311']] as const) expect(theirs[task]![host]!.failed).toBe(true);
  });
});
