import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import setup from '../../../src/modules/setup.js';
import { collectorsFor, subsetList } from '../../../src/modules/lib/facts-subset.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ansibleAvailable, runAnsibleTasks } from './ansible-oracle.js';
import { ctxFor } from './local.js';
import { plainVars } from '../../../src/vars/types.js';

describe('gather_subset resolution (pure)', () => {
  it.each([
    [['all'], ['date_time', 'distribution', 'env', 'hardware', 'local', 'network', 'platform', 'user']],
    [['!all'], ['date_time', 'distribution', 'env', 'local', 'platform', 'user']],
    [['!all', '!min'], []],
    [['!all', '!min', 'hardware'], ['hardware', 'platform']],
    [['!all', '!min', 'kernel'], ['platform']],
    [['!all', '!min', 'network'], ['distribution', 'network', 'platform']],
    [['min', '!user'], ['date_time', 'distribution', 'env', 'local', 'platform']],
    [['!hardware'], ['date_time', 'distribution', 'env', 'local', 'platform', 'user']],
    [['all', '!hardware', '!network'], ['date_time', 'distribution', 'env', 'local', 'platform', 'user', 'virtual']],
    [['!nonsense'], ['date_time', 'distribution', 'env', 'local', 'platform', 'user']],
  ])('%j selects %j (among the collectors with facts)', (spec, want) => {
    const shown = new Set(['date_time', 'distribution', 'env', 'hardware', 'local', 'network', 'platform', 'user', ...(spec.includes('all') ? ['virtual'] : [])]);
    const got = [...collectorsFor(spec)].filter((c) => shown.has(c) && (c !== 'virtual' || want.includes('virtual'))).sort();
    expect(got).toEqual(want);
  });

  it('a string is split at commas; an unknown subset is refused with Ansible message', () => {
    expect(subsetList('min, !user')).toEqual(['min', '!user']);
    expect(() => collectorsFor(['bogus'])).toThrow(/^Bad subset 'bogus' given to Ansible\. gather_subset options allowed: all, all_ipv4_addresses, all_ipv6_addresses, apparmor,/);
  });
});

/** The keys among the facts tsrun gathers (the discovery, reported by tsrun's context-free runs each time, is compared apart). */
const comparable = (facts: Record<string, unknown>) => Object.keys(facts).filter((k) => KNOWN.has(k) || (!k.startsWith('ansible_') && k !== 'discovered_interpreter_python')).sort();
const KNOWN = new Set([
  'ansible_distribution', 'ansible_distribution_version', 'ansible_distribution_major_version', 'ansible_distribution_release', 'ansible_os_family',
  'ansible_system', 'ansible_kernel', 'ansible_kernel_version', 'ansible_architecture', 'ansible_machine', 'ansible_userspace_bits', 'ansible_hostname',
  'ansible_nodename', 'ansible_fqdn', 'ansible_domain', 'ansible_processor_count', 'ansible_processor_cores', 'ansible_processor_vcpus',
  'ansible_processor_threads_per_core', 'ansible_memtotal_mb', 'ansible_swaptotal_mb', 'ansible_mounts', 'ansible_env', 'ansible_user_id',
  'ansible_user_uid', 'ansible_user_gid', 'ansible_user_dir', 'ansible_user_shell', 'ansible_user_gecos', 'ansible_service_mgr', 'ansible_pkg_mgr',
  'ansible_date_time', 'ansible_local', 'ansible_interfaces', 'ansible_default_ipv4', 'ansible_all_ipv4_addresses', 'ansible_python', 'ansible_python_version',
]);
/** What the oracle's ansible-playbook runs with (ANSIBLE_PYTHON_INTERPRETER in runAnsibleTasks). */
const AUTO_SILENT = { vars: plainVars({ ansible_python_interpreter: 'auto_silent' }) };

describe('gather_subset, gather_timeout and fact_path against ansible-playbook', () => {
  const enabled = ansibleAvailable();
  const factDir = scratchDir('tsrun-factsd-');
  const specs: Record<string, unknown>[] = [
    { gather_subset: ['!all'], fact_path: factDir },
    { gather_subset: ['!all', '!min'] },
    { gather_subset: ['!all', '!min', 'hardware'], gather_timeout: 5 },
    { gather_subset: ['!all', '!min', 'distribution', 'env'] },
    { gather_subset: 'min,!user,!local' },
    { gather_subset: ['!all', '!min', 'local'], fact_path: join(factDir, 'missing') },
    { gather_subset: ['bogus'] },
    { gather_subset: ['!python'] },
    { gather_subset: ['!all', '!min', 'python'] },
    { gather_subset: ['!all', '!min', 'python_version'] },
    { filter: 'ansible_py*' },
  ];
  let theirs: Record<string, unknown>[] = [];
  let ours: Record<string, unknown>[] = [];
  beforeAll(async () => {
    writeFileSync(join(factDir, 'json.fact'), '{"a": 1, "b": [1, "two"]}\n');
    writeFileSync(join(factDir, 'ini.fact'), '[Sec]\nKey = v\nother: x y\n  cont\nref = %(key)s-%%\n[DEFAULT]\nd = 1\n');
    writeFileSync(join(factDir, 'bad.fact'), 'not json, not ini\n');
    writeFileSync(join(factDir, 'empty.fact'), '');
    writeFileSync(join(factDir, 'run.fact'), '#!/bin/sh\necho \'{"ran": true}\'\n');
    chmodSync(join(factDir, 'run.fact'), 0o755);
    writeFileSync(join(factDir, 'fails.fact'), '#!/bin/sh\necho oops >&2; exit 3\n');
    chmodSync(join(factDir, 'fails.fact'), 0o755);
    writeFileSync(join(factDir, 'ignored.txt'), '{"no": 1}');
    symlinkSync(join(factDir, 'nowhere'), join(factDir, 'dangling.fact'));
    ours = [];
    for (const args of specs) ours.push(await invoke(setup, ctxFor(args, AUTO_SILENT)));
    if (enabled) theirs = runAnsibleTasks(specs.map((args) => ({ setup: args, ignore_errors: true })));
  }, 180_000);

  it.skipIf(!enabled).each(specs.map((s, i) => [JSON.stringify(s), i] as const))('%s: same facts, gather_subset and local facts', (_, i) => {
    const o = ours[i]!;
    const t = theirs[i]!;
    expect(Boolean(o.failed)).toBe(Boolean(t.failed));
    if (t.failed) {
      expect(o.msg).toBe(t.msg);
      return;
    }
    const of = o.ansible_facts as Record<string, unknown>;
    const tf = t.ansible_facts as Record<string, unknown>;
    expect(comparable(of)).toEqual(comparable(tf));
    expect(of.gather_subset).toEqual(tf.gather_subset);
    expect(of.ansible_local).toEqual(tf.ansible_local);
    expect(of.ansible_python).toEqual(tf.ansible_python);
    expect(of.ansible_python_version).toEqual(tf.ansible_python_version);
    // Ansible discovers once per host: the first result carries it, the host's facts keep it.
    if (i === 0) expect(of.discovered_interpreter_python).toEqual(tf.discovered_interpreter_python);
    else expect(tf).not.toHaveProperty('ansible_facts.discovered_interpreter_python');
    expect([...((o.warnings as string[]) ?? [])].sort()).toEqual([...((t.warnings as string[]) ?? [])].sort());
  });

  it('facts.d: JSON, INI (keys lower-cased, [DEFAULT] showing through, %-interpolation), scripts run, errors as strings', () => {
    const local = (ours[0]!.ansible_facts as Record<string, unknown>).ansible_local as Record<string, unknown>;
    expect(local).toEqual({
      bad: `error loading facts as JSON or ini - please check content: ${factDir}/bad.fact`,
      dangling: `Could not stat fact (${factDir}/dangling.fact): [Errno 2] No such file or directory: '${factDir}/dangling.fact'`,
      empty: {},
      fails: `Failure executing fact script (${factDir}/fails.fact), rc: 3, err: oops\n`,
      ini: { Sec: { key: 'v', other: 'x y\ncont', ref: 'v-%', d: '1' } },
      json: { a: 1, b: [1, 'two'] },
      run: { ran: true },
    });
    expect(ours[0]!.warnings).toHaveLength(3);
    expect((ours[5]!.ansible_facts as Record<string, unknown>).ansible_local).toEqual({});
    expect(ours[6]).toMatchObject({ failed: true, msg: expect.stringMatching(/^Bad subset 'bogus'/) });
  });

  it('an interpolation error drops ansible_local, as Ansible\'s collector does', async () => {
    const dir = scratchDir('tsrun-factsd-');
    writeFileSync(join(dir, 'pct.fact'), '[s]\na = 50%\n');
    // An interpreter named: nothing to discover, so the result holds only what the collectors gave.
    const r = await invoke(setup, ctxFor({ gather_subset: ['!all', '!min', 'local'], fact_path: dir }, { vars: plainVars({ ansible_python_interpreter: '/usr/bin/python3' }) }));
    expect(r.ansible_facts).toEqual({ gather_subset: ['!all', '!min', 'local'], module_setup: true });
  });
});
