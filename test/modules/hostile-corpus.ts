/**
 * The hostile-value corpus of issue 9: for every module, every argument whose schema allows a
 * string or a number gets each hostile value in turn (the rest of the task is a harmless base).
 * Each value tries to create the canary file if any shell evaluates it. Pure: builds tasks only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleDef } from '../../src/modules/types.js';

export function hostileValues(canary: string): string[] {
  return [
    `; touch ${canary}`,
    `$(touch ${canary})`,
    `\`touch ${canary}\``,
    `' ; touch ${canary} ; '`,
    `" ; touch ${canary} ; "`,
    `x\ntouch ${canary}\n`,
    `-rf --x=1 > ${canary}`,
    `%s; touch ${canary} %s $(touch ${canary})`,
    `ünï☃ && touch ${canary} || touch ${canary}`,
    `${'A'.repeat(100 * 1024)}$(touch ${canary})`,
  ];
}

/** Arguments that are code by definition (shell:/raw: payloads, script's command line) or need a person at a terminal. */
const CODE_ARGS: Record<string, string[]> = {
  shell: ['_raw_params', 'cmd'],
  raw: ['_raw_params'],
  script: ['_raw_params', 'cmd'],
  pause: ['prompt'],
  // Jinja expressions evaluated on the control side, never sent to a shell.
  assert: ['that'],
  debug: ['var'],
};

/** Modules that change state shared by every lab host (/etc/passwd, dpkg, systemd): run in check mode. */
export const SHARED_STATE = new Set(['user', 'group', 'apt', 'systemd', 'service']);

/** A control-side directory with the files the base tasks name (vars file, script, template, archive). */
export function prepareWork(prefix: string): string {
  const work = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(work, 'vars.yml'), 'a: 1\n');
  writeFileSync(join(work, 's.sh'), 'touch /tmp/hc/script-ran\n');
  writeFileSync(join(work, 't.ejs'), 'x\n');
  mkdirSync(join(work, 'a'));
  writeFileSync(join(work, 'a', 'f'), 'x\n');
  execFileSync('tar', ['-czf', join(work, 'a.tgz'), '-C', join(work, 'a'), 'f']);
  return work;
}

/** A harmless task per module; `work` is a control-side directory, `/tmp/hc` the host's private scratch. */
export function baseArgs(work: string): Record<string, Record<string, unknown>> {
  return {
    add_host: { name: 'hc-added', groups: 'hc' },
    apt: { name: 'tsrun-no-such-package' },
    assert: { that: 'true' },
    async_status: { jid: 'j1.1' },
    blockinfile: { path: '/tmp/hc/b', block: 'x', create: true },
    command: { cmd: 'true' },
    copy: { dest: '/tmp/hc/c', content: 'x' },
    debug: { msg: 'x' },
    fail: { msg: 'x' },
    fetch: { src: '/etc/hostname', dest: `${work}/fetched/`, flat: true },
    file: { path: '/tmp/hc/d', state: 'directory' },
    find: { paths: '/tmp/hc', patterns: '*' },
    get_url: { url: 'file:///etc/hostname', dest: '/tmp/hc/g' },
    getent: { database: 'passwd', key: 'root' },
    group: { name: 'tsrunhc' },
    group_by: { key: 'hc' },
    include_vars: { file: `${work}/vars.yml` },
    lineinfile: { path: '/tmp/hc/l', line: 'x', create: true },
    pause: { seconds: 0 },
    ping: { data: 'pong' },
    raw: { _raw_params: 'true' },
    replace: { path: '/tmp/hc/r', regexp: 'x', replace: 'y' },
    script: { cmd: `${work}/s.sh` },
    service: { name: 'tsrunhc' },
    set_fact: { x: 'y' },
    setup: { gather_subset: 'min' },
    shell: { cmd: 'true' },
    slurp: { src: '/etc/hostname' },
    stat: { path: '/tmp/hc' },
    systemd: { name: 'tsrunhc' },
    tempfile: { path: '/tmp/hc', suffix: 'x' },
    template: { src: `${work}/t.ejs`, dest: '/tmp/hc/t' },
    unarchive: { src: `${work}/a.tgz`, dest: '/tmp/hc/u' },
    uri: { url: 'http://127.0.0.1:1/', timeout: 2 },
    user: { name: 'tsrunhc' },
    wait_for: { path: '/tmp/hc', timeout: 0 },
    validate_argument_spec: { argument_spec: { a: { type: 'str' }, b: { type: 'list', elements: 'str' } }, provided_arguments: { a: 'x', b: ['y'] } },
  };
}

function allowsScalar(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const s = schema as { type?: string | string[]; anyOf?: unknown[]; oneOf?: unknown[] };
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  if (types.some((t) => t === 'string' || t === 'integer' || t === 'number')) return true;
  if (s.type === undefined && !('enum' in s) && !s.anyOf && !s.oneOf) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(allowsScalar);
}

export interface HostileCase {
  module: string;
  arg: string;
  value: string;
  args: Record<string, unknown>;
  check: boolean;
}

/** The tasks of the corpus playbook: each value reaches its argument through a task variable, i.e. only after templating. */
export function hostileTasks(cases: readonly HostileCase[]): Record<string, unknown>[] {
  return [
    { name: 'scratch', file: { path: '/tmp/hc', state: 'directory' } },
    { name: 'file for replace', copy: { dest: '/tmp/hc/r', content: 'x\n' } },
    ...cases.map((c, i) => ({
      name: `${c.module} ${c.arg} #${i}`,
      [c.module]: { ...c.args, [c.arg]: '{{ hostile }}' },
      vars: { hostile: c.value },
      ignore_errors: true,
      ...(c.check ? { check_mode: true } : {}),
    })),
  ];
}

/** Every (module, string-or-number argument, hostile value), with the module's base args. */
export function hostileCases(modules: readonly ModuleDef[], work: string, canary: string): HostileCase[] {
  const bases = baseArgs(work);
  const out: HostileCase[] = [];
  for (const def of modules) {
    const base = bases[def.name];
    if (!base) throw new Error(`hostile corpus: no base arguments for module ${def.name}`);
    const props = def.argsSchema.properties as Record<string, unknown>;
    const args = Object.keys(props).filter((a) => allowsScalar(props[a]) && !(CODE_ARGS[def.name] ?? []).includes(a));
    if (def.name === 'set_fact') args.push('x');
    for (const arg of args) {
      for (const value of hostileValues(canary)) out.push({ module: def.name, arg, value, args: { ...base, [arg]: value }, check: SHARED_STATE.has(def.name) });
    }
  }
  return out;
}
