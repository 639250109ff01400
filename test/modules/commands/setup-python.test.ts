import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import setup, { splitSections } from '../../../src/modules/setup.js';
import { Reply } from '../../../src/connection/shell-protocol.js';
import { discoveryScript, interpreterPlan, readDiscovery, type InterpreterPlan } from '../../../src/modules/lib/python-discovery.js';
import { invoke, localShell, scratchDir } from '../../support/local-exec.js';
import { plainVars } from '../../../src/vars/types.js';
import { ctxFor } from './local.js';

type Discover = Extract<InterpreterPlan, { kind: 'discover' }>;
const SEC = `sec() { printf '\\n%s %s=\\n' "$TSRUN_N" "$1"; }\n`;

describe('interpreter plan (pure)', () => {
  it.each([
    ['auto', undefined, { kind: 'discover', legacy: false, silent: false }],
    ['auto_silent', undefined, { kind: 'discover', legacy: false, silent: true }],
    ['auto_legacy', undefined, { kind: 'discover', legacy: true, silent: false }],
    ['auto_legacy_silent', undefined, { kind: 'discover', legacy: true, silent: true }],
    ['auto', '/usr/bin/python3.9', { kind: 'use', words: ['/usr/bin/python3.9'] }],
    ['/usr/bin/python3', '/usr/bin/python3.9', { kind: 'use', words: ['/usr/bin/python3'] }],
    ['/usr/bin/env  python3', undefined, { kind: 'use', words: ['/usr/bin/env', 'python3'] }],
  ])('%j (discovered %j) → %j', (configured, discovered, want) => {
    expect(interpreterPlan(configured, discovered)).toMatchObject(want);
  });
});

/** A directory of fake interpreters (each a script that runs this machine's python3) and os-release files. */
function fakeHost(pythons: string[]): string {
  const dir = scratchDir('tsrun-pydisc-');
  for (const p of pythons) {
    writeFileSync(join(dir, p), `#!/bin/sh\necho "$0" >> ${dir}/ran\nexec /usr/bin/python3 "$@"\n`);
    chmodSync(join(dir, p), 0o755);
  }
  return dir;
}

/** Runs discovery with `candidates` against an os-release text; what readDiscovery makes of it. */
function discover(candidates: string[], osRelease: string, mode = 'auto') {
  const dir = scratchDir('tsrun-osrel-');
  writeFileSync(join(dir, 'os-release'), osRelease);
  const plan = { ...(interpreterPlan(mode, undefined) as Discover), candidates };
  const script = SEC + discoveryScript(plan, [join(dir, 'os-release'), join(dir, 'none')]).text;
  const out = spawnSync('/bin/sh', ['-c', script], { env: { ...process.env, TSRUN_N: 'N' }, encoding: 'utf8' });
  return readDiscovery(splitSections(new Reply(out.stdout, 'N')).pydisc ?? '', plan, 'h1');
}

describe('interpreter discovery: Ansible 2.14 rules, run by sh', () => {
  const hasPy3 = existsSync('/usr/bin/python3');
  const fake = fakeHost(['python3.11', 'python2.7']);
  const f = (n: string) => join(fake, n);
  const DOC = 'See https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html';

  it.runIf(hasPy3)('the platform Python when it was found (Debian 12: /usr/bin/python3), though another comes first', () => {
    expect(discover([f('python3.11'), '/usr/bin/python3'], 'ID=debian\nVERSION_ID="12"\n')).toEqual({ interpreter: '/usr/bin/python3', warnings: [] });
  });

  it('the first found, with Ansible\'s warnings, when the platform Python is missing (and was not even looked for)', () => {
    expect(discover([f('python3.11'), '/nonexistent/python3', f('python2.7')], 'ID="ubuntu"\nVERSION_ID="22.04"\n')).toEqual({
      interpreter: f('python3.11'),
      warnings: ['Platform interpreter /usr/bin/python3 on host h1 is missing from bootstrap list', `Distribution ubuntu 22.04 on host h1 should use /usr/bin/python3, but is using ${f('python3.11')}, since the discovered platform python interpreter was not present. ${DOC} for more information.`],
    });
  });

  it.each([
    ['ID=centos\nVERSION_ID=7\n', '/usr/bin/python'],
    ['ID=rocky\nVERSION_ID="8.9"\n', '/usr/libexec/platform-python'],
    ['ID=almalinux\nVERSION_ID="9.3"\n', '/usr/bin/python3'],
    ['ID=debian\nVERSION_ID="9"\n', '/usr/bin/python'],
    ['ID=raspbian\nVERSION_ID="11"\n', '/usr/bin/python3'],
    ['ID=debian\nVERSION_ID="7"\n', '/usr/bin/python'],
    ['ID=ubuntu\nVERSION_ID="14.04"\n', '/usr/bin/python'],
    ['ID=fedora\nVERSION_ID=39\n', '/usr/bin/python3'],
  ])('%j: the platform Python is %s (version map, nearest at or below, else the oldest)', (osr, plat) => {
    expect(discover([f('python2.7')], osr).warnings.join('')).toContain(`should use ${plat}, but is using ${f('python2.7')}`);
  });

  it.each([
    ['ID=alpine\nVERSION_ID=3.19.1\n', 'an unmapped distribution'],
    ['ID=debian\nPRETTY_NAME="Debian trixie/sid"\n', 'no VERSION_ID (Debian testing)'],
    ['ID=arch\nVERSION_ID=rolling\n', 'a version that is no number'],
  ])('%j (%s): the first found, with the "future installation" warning', (osr) => {
    expect(discover([f('python2.7'), f('python3.11')], osr)).toEqual({
      interpreter: f('python2.7'),
      warnings: [`Platform linux on host h1 is using the discovered Python interpreter at ${f('python2.7')}, but future installation of another Python interpreter could change the meaning of that path. ${DOC} for more information.`],
    });
  });

  it('auto_legacy prefers /usr/bin/python when it was found; _silent modes warn nothing; nothing found: no interpreter', () => {
    const legacy = discover([f('python3.11'), '/usr/bin/python'], 'ID=debian\nVERSION_ID=12\n', 'auto_legacy');
    if (existsSync('/usr/bin/python')) expect(legacy.interpreter).toBe('/usr/bin/python');
    expect(discover([f('python3.11')], 'ID=ubuntu\nVERSION_ID=22.04\n', 'auto_silent')).toEqual({ interpreter: f('python3.11'), warnings: [] });
    expect(discover(['/nonexistent/python', 'no-such-python-anywhere'], 'ID=debian\nVERSION_ID=12\n')).toEqual({ warnings: [] });
  });

  it('hostile os-release values are data, never code', () => {
    const r = discover([f('python2.7')], 'ID="$(touch /tmp/tsrun-pwned)`id`;x"\nVERSION_ID="12 ; rm -rf /"\n');
    expect(existsSync('/tmp/tsrun-pwned')).toBe(false);
    expect(r.interpreter).toBe(f('python2.7'));
  });
});

describe('setup asks the interpreter itself, in the one facts script', () => {
  it('one round trip, one Python process, the facts of the interpreter that ran', async () => {
    const fake = fakeHost(['python3.11']);
    const counter = { execs: 0 };
    const vars = plainVars({ ansible_python_interpreter: 'auto', ansible_interpreter_python_fallback: [join(fake, 'python3.11'), '/nonexistent/python3'] });
    const r = await invoke(setup, ctxFor({ gather_subset: ['!all', 'python'] }, { conn: localShell('localhost', counter), vars }));
    expect(counter.execs).toBe(1);
    expect(readFileSync(join(fake, 'ran'), 'utf8').trim().split('\n')).toEqual([join(fake, 'python3.11')]);
    const facts = r.ansible_facts as Record<string, unknown>;
    expect(facts.discovered_interpreter_python).toBe(join(fake, 'python3.11'));
    const py = facts.ansible_python as { version: { major: number }; version_info: unknown[]; executable: string; type: string; has_sslcontext: boolean };
    expect(py).toMatchObject({ version: { major: 3 }, type: 'cpython', has_sslcontext: true });
    expect(py.version_info).toHaveLength(5);
    expect(facts.ansible_python_version).toMatch(/^3\.\d+\.\d+/);
  });

  it('a known discovered_interpreter_python is used and not reported again; no python collector and no platform: no Python run', async () => {
    const fake = fakeHost(['python3']);
    const known = { ansible_facts: { discovered_interpreter_python: join(fake, 'python3') } };
    const r = await invoke(setup, ctxFor({ gather_subset: ['!all', '!min', 'python'] }, { vars: plainVars(known) }));
    expect(Object.keys(r.ansible_facts as object).sort()).toEqual(['ansible_python', 'gather_subset', 'module_setup']);
    const none = await invoke(setup, ctxFor({ gather_subset: ['!all', '!min', 'date_time'] }, { vars: plainVars(known) }));
    expect(none.ansible_facts).not.toHaveProperty('ansible_python');
    expect(readFileSync(join(fake, 'ran'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('an interpreter that does not run (and a hostile one) gives no python facts and runs nothing else', async () => {
    for (const interp of ['/nonexistent/python3', '/bin/true; touch /tmp/tsrun-pwned2 #']) {
      const r = await invoke(setup, ctxFor({ gather_subset: ['!all', 'python'] }, { vars: plainVars({ ansible_python_interpreter: interp }) }));
      expect(r.failed).toBeFalsy();
      expect(r.ansible_facts).not.toHaveProperty('ansible_python');
      expect(r.ansible_facts).not.toHaveProperty('ansible_python_version');
      expect(r.ansible_facts).not.toHaveProperty('discovered_interpreter_python');
    }
    expect(existsSync('/tmp/tsrun-pwned2')).toBe(false);
  });
});
