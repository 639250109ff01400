/**
 * The `default` a module's schema declares (what `tsrun doc` shows) is the value the module
 * really uses when the argument is left out: for every declared default, a task without the
 * argument and the same task with the argument set to its default send the same scripts and
 * stdin to the host, leave the same files and return the same result. So that this cannot pass
 * by not exercising the argument, the same task with a different value must differ.
 * Modules that change this machine's accounts, packages or services (user, group, apt, service,
 * systemd) or wait (wait_for) are not run: their host answers are canned and their scripts compared.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModules } from '../../src/cli/doc/module-doc.js';
import type { Connection, ExecOptions } from '../../src/connection/types.js';
import { callModule } from '../../src/executor/module-args.js';
import { moduleRegistry } from '../../src/modules/index.js';
import type { ModuleContext, ModuleDef } from '../../src/modules/types.js';
import { encrypt } from '../../src/vault/format.js';
import { Keyring, setKeyring } from '../../src/vault/keyring.js';
import { evaluate } from '../../src/template/index.js';
import { renderTemplateFile } from '../../src/template/template-file.js';
import { ajv, compileSchema, type ErrorObject } from '../../src/playbook/ajv.js';
import { plainVars } from '../../src/vars/types.js';
import { localContext, localShell, scratchDir } from '../support/local-exec.js';

type Schema = Record<string, unknown>;
const modules = listModules(moduleRegistry());

/** Modules whose scripts would change this machine: their host is canned (rc 0, no output). */
const CANNED = new Set(['user', 'group', 'apt', 'service', 'systemd', 'wait_for']);

interface Base {
  args: Record<string, unknown>;
  /** Files to create under the scratch directory before the run (relative path -> text). */
  files?: Record<string, string>;
  vars?: Record<string, unknown>;
  /** Replaces what differs between equal runs (random names). */
  normalise?: (transcript: string) => string;
  /** Connection methods replaced for this base. */
  conn?: Partial<Connection>;
  /** Anything else to prepare in the scratch directory. */
  setup?: (d: string) => void;
}

/** The engine's template renderer over plain variables, for template. */
const renderWith = (vars: Record<string, unknown>): Partial<ModuleContext> => ({
  renderTemplateFile: (path, opts) => renderTemplateFile(path, { vars: plainVars(vars) }, opts),
  evaluate: (expr) => evaluate(expr, { vars: plainVars(vars) }),
});

/** A local HTTP server for uri and get_url: `/` answers 200, `/moved` redirects to `/`. */
let web = '';
const server = createServer((req, res) => {
  if (req.url === '/moved') res.writeHead(302, { location: '/' }).end();
  else res.writeHead(200, { 'content-type': 'text/plain' }).end('hello\n');
});

/** A task per module that reaches the code reading its defaulted arguments; `d` is a fresh scratch directory. */
const BASES: Record<string, (d: string) => Base> = {
  validate_argument_spec: () => ({ args: { argument_spec: { a: { type: 'str', required: true } } } }),
  apt: () => ({ args: { name: 'tsrun-pkg' } }),
  assert: () => ({ args: { that: ['1 == 2'] } }),
  blockinfile: (d) => ({ args: { path: `${d}/b`, block: 'x' }, files: { b: 'a\n' } }),
  command: () => ({ args: { cmd: 'cat', stdin: 'in' } }),
  copy: (d) => ({ args: { dest: `${d}/c`, src: `${d}/s` }, files: { c: 'old\n', s: 'new\n' } }),
  debug: () => ({ args: {} }),
  fail: () => ({ args: {} }),
  fetch: (d) => ({ args: { src: `${d}/f`, dest: `${d}/out` }, files: { f: 'x\n' } }),
  file: (d) => ({ args: { path: `${d}/f`, state: 'touch' } }),
  find: (d) => ({ args: { paths: d }, files: { '.h': '', a: '', 'sub/b': '' } }),
  get_url: (d) => ({ args: { url: `file://${d}/s`, dest: `${d}/g` }, files: { s: 'new\n', g: 'old\n' } }),
  getent: () => ({ args: { database: 'passwd', key: 'tsrun-no-such-user' } }),
  group: () => ({ args: { name: 'tsrun-grp' } }),
  group_by: () => ({ args: { key: 'k' } }),
  include_vars: (d) => ({ args: { dir: `${d}/v` }, files: { 'v/a.yml': 'a: 1\n', 'v/b.json': '{"b": 2}\n', 'v/c.txt': 'c: 3\n' } }),
  lineinfile: (d) => ({ args: { path: `${d}/l`, line: 'x' }, files: { l: 'a\n' } }),
  pause: () => ({ args: { seconds: 0 } }),
  ping: () => ({ args: {} }),
  replace: (d) => ({ args: { path: `${d}/r`, regexp: 'a' }, files: { r: 'a\n' } }),
  script: (d) => ({ args: { cmd: `${d}/s.sh` }, files: { 's.sh': 'echo hi\n' } }),
  service: () => ({ args: { name: 'tsrun-svc', state: 'started' } }),
  set_fact: () => ({ args: { x: 1 } }),
  setup: () => ({ args: { gather_subset: ['!all'] } }),
  shell: () => ({ args: { cmd: 'cat', stdin: 'in' } }),
  stat: (d) => ({ args: { path: `${d}/s` }, files: { s: 'x\n' } }),
  systemd: () => ({ args: { name: 'tsrun-svc', state: 'started' } }),
  tempfile: (d) => ({ args: { path: d }, normalise: (t) => t.replace(/(ansible\.(?:-other)?)[A-Za-z0-9]{8}/g, '$1<random>') }),
  template: (d) => ({ args: { src: `${d}/t.j2`, dest: `${d}/t` }, files: { 't.j2': '  {% if 1 %}\n  x {{ "y" }} {# c #}\n  {% endif %}\n', t: 'old\n' } }),
  unarchive: (d) => ({
    args: { src: `${d}/a.tar`, dest: `${d}/u` },
    files: { 'u/.keep': '', 'in/x': 'x\n' },
    // Fixed metadata: two runs a second apart must send the same archive bytes.
    setup: () => execFileSync('tar', ['--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-cf', `${d}/a.tar`, '-C', `${d}/in`, 'x']),
  }),
  uri: () => ({ args: { url: `${web}/` } }),
  user: () => ({ args: { name: 'tsrun-usr' } }),
  wait_for: (d) => ({ args: { path: `${d}/w`, timeout: 0 }, files: { w: '' } }),
};

const VAULT_PASSWORD = Buffer.from('defaults-test');

/** A base for one argument, where the module's base does not reach the code that reads it. */
const ARG_BASES: Record<string, (d: string) => Base> = {
  'blockinfile.insertafter': (d) => ({ args: { path: `${d}/b`, block: 'x' }, files: { b: 'a\nb\n' } }),
  'lineinfile.insertafter': (d) => ({ args: { path: `${d}/l`, line: 'x' }, files: { l: 'a\nb\n' } }),
  'lineinfile.firstmatch': (d) => ({ args: { path: `${d}/l`, line: 'N', insertafter: '^#x' }, files: { l: 'a\n#x\nb\n#x\nc\n' } }),
  'script.decrypt': (d) => ({ args: { cmd: `${d}/v.sh` }, files: { 'v.sh': encrypt(Buffer.from('echo plain\n'), VAULT_PASSWORD, undefined, Buffer.alloc(32, 1)) } }),
  'copy.decrypt': (d) => ({ args: { dest: `${d}/c`, src: `${d}/s` }, files: { s: encrypt(Buffer.from('plain\n'), VAULT_PASSWORD, undefined, Buffer.alloc(32, 1)) } }),
  'fetch.fail_on_missing': (d) => ({ args: { src: `${d}/missing`, dest: `${d}/out` } }),
  // The file changes between the probe and the read: only the checksum check notices.
  'fetch.validate_checksum': (d) => ({ args: { src: `${d}/f`, dest: `${d}/out/` }, files: { f: 'x\n' }, conn: { readFile: async () => Buffer.from('changed\n') } }),
  'file.force': (d) => ({ args: { path: `${d}/l`, src: `${d}/missing`, state: 'link' } }),
  'file.follow': (d) => ({ args: { path: `${d}/l`, state: 'file', mode: '0600' }, files: { t: 'x\n' }, setup: () => symlinkSync('t', `${d}/l`) }),
  'file.modification_time_format': (d) => ({ args: { path: `${d}/f`, state: 'touch', modification_time: '202001011200.00' } }),
  'file.access_time_format': (d) => ({ args: { path: `${d}/f`, state: 'touch', access_time: '202001011200.00' } }),
  'find.read_whole_file': (d) => ({ args: { paths: d, contains: '^y' }, files: { a: 'x\ny\n' } }),
  // Modified long ago, read just now: only the timestamp compared decides.
  'find.age_stamp': (d) => ({ args: { paths: d, age: '1d' }, files: { a: 'x\n' }, setup: () => utimesSync(`${d}/a`, new Date(), new Date(2000, 0, 1)) }),
  'find.use_regex': (d) => ({ args: { paths: d, patterns: 'a.*' }, files: { a: '', 'a.txt': '' } }),
  'apt.purge': () => ({ args: { name: 'tsrun-pkg', state: 'absent' } }),
  'apt.allow_downgrade': () => ({ args: { deb: '/nonexistent/tsrun.deb' } }),
  'apt.dpkg_options': () => ({ args: { deb: '/nonexistent/tsrun.deb' } }),
  'apt.force': () => ({ args: { deb: '/nonexistent/tsrun.deb' } }),
  // gather_timeout is read where the hardware facts are gathered; only a stable fact is kept to compare.
  'setup.gather_timeout': () => ({ args: { gather_subset: ['!all', '!min', 'hardware'], filter: 'ansible_processor_count' } }),
  'setup.fact_path': () => ({ args: { gather_subset: ['!all', '!min', 'local'] } }),
  'user.append': () => ({ args: { name: 'tsrun-usr', groups: ['g1'] } }),
  'user.remove': () => ({ args: { name: 'tsrun-usr', state: 'absent' } }),
  'user.force': () => ({ args: { name: 'tsrun-usr', state: 'absent' } }),
  'user.update_password': () => ({ args: { name: 'tsrun-usr', password: '$6$salt$hash' } }),
  'group.force': () => ({ args: { name: 'tsrun-grp', state: 'absent' } }),
  'wait_for.host': () => ({ args: { port: 1, timeout: 0 } }),
  'wait_for.connect_timeout': () => ({ args: { port: 1, timeout: 0 } }),
  'wait_for.active_connection_states': () => ({ args: { port: 1, state: 'drained', timeout: 0 } }),
  'uri.follow_redirects': () => ({ args: { url: `${web}/moved` } }),
  'uri.body_format': () => ({ args: { url: `${web}/`, method: 'POST', body: { a: 1 } } }),
  'get_url.force': (d) => ({ args: { url: `${web}/`, dest: `${d}/g` }, files: { g: 'old\n' } }),
  'get_url.timeout': (d) => ({ args: { url: `${web}/`, dest: `${d}/g` } }),
  'get_url.validate_certs': (d) => ({ args: { url: `${web}/`, dest: `${d}/g` } }),
  'assert.success_msg': () => ({ args: { that: ['1 == 1'] } }),
  'assert.quiet': () => ({ args: { that: ['1 == 1'] } }),
  'include_vars.depth': (d) => ({ args: { dir: `${d}/v` }, files: { 'v/a.yml': 'a: 1\n', 'v/sub/b.yml': 'b: 2\n' } }),
};

/** A value other than the default, where flipping or bumping it does not say anything. */
const OTHER: Record<string, unknown> = {
  'blockinfile.insertafter': '^a',
  'lineinfile.insertafter': '^a',
  'uri.follow_redirects': 'none',
  'uri.status_code': [201],
  'include_vars.depth': 1,
  'validate_argument_spec.provided_arguments': { a: 'x' },
  'validate_argument_spec.validate_args_context': { type: 'role', name: 'r' },
};

function otherValue(key: string, s: Schema, dflt: unknown): unknown {
  if (key in OTHER) return OTHER[key];
  if (Array.isArray(s.enum)) return s.enum.find((c) => c !== dflt);
  if (typeof dflt === 'boolean') return !dflt;
  if (typeof dflt === 'number') return dflt + 7;
  if (typeof dflt === 'string') return `${dflt}-other`;
  if (Array.isArray(dflt)) return ['other'];
  throw new Error(`${key}: no other value for default ${JSON.stringify(dflt)}`);
}

function recordingShell(canned: boolean): { conn: Connection; calls: string[] } {
  const inner = localShell();
  const calls: string[] = [];
  const exec = async (script: string, opts: ExecOptions = {}) => {
    calls.push(`${script}\n--stdin--\n${opts.stdin === undefined ? '' : String(opts.stdin)}\n--timeout-- ${opts.timeoutMs ?? ''}`);
    return canned ? { rc: 0, stdout: '', stderr: '' } : inner.exec(script, opts);
  };
  return { conn: { ...inner, exec }, calls };
}

function tree(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const p = join(rel, name);
    const st = lstatSync(join(dir, p));
    if (st.isSymbolicLink()) out.push(`${p} -> ${readlinkSync(join(dir, p))}`);
    else if (st.isDirectory()) out.push(`${p}/ ${(st.mode & 0o7777).toString(8)}`, ...tree(dir, p));
    else out.push(`${p} ${(st.mode & 0o7777).toString(8)} ${JSON.stringify(readFileSync(join(dir, p), 'utf8'))}`);
  }
  return out;
}

/** Keys whose value is a clock reading or a random name: equal runs differ there. */
const VOLATILE = new Set(['start', 'end', 'stop', 'delta', 'elapsed', 'invocation', 'atime', 'mtime', 'ctime', 'inode', 'dev', 'date']);

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !VOLATILE.has(k)).map(([k, x]) => [k, stable(x)]));
  return v;
}

/** Everything the run did, with the scratch directory's name replaced so two runs compare. */
async function transcript(def: ModuleDef, base: (d: string) => Base, arg: string, extra: Record<string, unknown>): Promise<string> {
  const d = scratchDir('tsrun-defaults-');
  const b = base(d);
  // The base decides nothing about the argument under test.
  const { [arg]: _ignored, ...args } = b.args;
  for (const [rel, text] of Object.entries(b.files ?? {})) {
    mkdirSync(join(d, rel, '..'), { recursive: true });
    writeFileSync(join(d, rel), text);
  }
  b.setup?.(d);
  const rec = recordingShell(CANNED.has(def.name));
  const calls = rec.calls;
  const conn = { ...rec.conn, ...b.conn };
  const vars = b.vars ?? {};
  const logs: string[] = [];
  const ctx = localContext({ ...args, ...extra }, { conn, vars: plainVars(vars), ...renderWith(vars), log: (level, m) => logs.push(`${level} ${m}`) });
  const result = await callModule(def, def.name, ctx);
  if (process.env.TSRUN_SHOW_TRANSCRIPT) console.log(def.name, JSON.stringify(extra), JSON.stringify(stable(result)).slice(0, 600));
  const text = JSON.stringify({ calls, logs, result: stable(result), files: tree(d) }, null, 1);
  // Temp names the host makes (mktemp, backups) carry random or time parts.
  const nonces = text.split(d).join('<dir>').replace(/__TSRUN_[0-9a-f]{16}/g, '<nonce>');
  return (b.normalise ?? ((t) => t))(nonces).replace(/\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~/g, '.<backup>~');
}

const defaulted = modules.flatMap((def) =>
  Object.entries(def.argsSchema.properties as Record<string, Schema>)
    .filter(([, s]) => 'default' in s)
    .map(([arg, s]) => ({ def, arg, s, dflt: s.default })),
);

describe('schema defaults', () => {
  beforeAll(async () => {
    setKeyring(new Keyring([{ id: 'default', password: VAULT_PASSWORD }]));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    web = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    setKeyring(new Keyring());
    server.close();
  });

  it('are declared for the arguments the modules default (the list tsrun doc shows)', () => {
    expect(defaulted.length).toBeGreaterThan(60);
  });

  it.each(defaulted.map((c) => [`${c.def.name}.${c.arg}`, c] as const))('%s: leaving it out = giving the default; another value differs', async (key, c) => {
    const validate = compileSchema({ type: 'object', properties: { [c.arg]: c.s } });
    expect(validate({ [c.arg]: c.dflt }), `${key}: default ${JSON.stringify(c.dflt)} fails its own schema`).toBe(true);
    const base = ARG_BASES[key] ?? BASES[c.def.name];
    expect(base, `${key}: no base task`).toBeDefined();
    const without = await transcript(c.def, base, c.arg, {});
    const withDefault = await transcript(c.def, base, c.arg, { [c.arg]: c.dflt });
    expect(JSON.parse(withDefault), `${key}: the module does not use ${JSON.stringify(c.dflt)} when the argument is left out`).toEqual(JSON.parse(without));
    const other = otherValue(key, c.s, c.dflt);
    const withOther = await transcript(c.def, base, c.arg, { [c.arg]: other });
    expect(withOther, `${key}: ${JSON.stringify(other)} changes nothing, so this base does not exercise the argument`).not.toBe(without);
  });
});

/** The schema with every `default` removed, at any depth. */
function withoutDefaults(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDefaults);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'default').map(([k, x]) => [k, withoutDefaults(x)]));
  return v;
}

/** An error without the schema text it quotes (ajv's verbose mode), which carries the defaults. */
const errorsOf = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map(({ keyword, instancePath, schemaPath, params, message }) => ({ keyword, instancePath, schemaPath, params, message }));

describe('defaults are documentation only for validation', () => {
  it('ajv does not insert defaults: validation never changes the arguments', () => {
    expect(ajv.opts.useDefaults).toBeFalsy();
    for (const def of modules) {
      const args = BASES[def.name]?.('/tmp/x').args ?? {};
      const before = JSON.stringify(args);
      compileSchema(def.argsSchema)(args);
      expect(JSON.stringify(args), def.name).toBe(before);
    }
  });

  it('every module accepts and rejects the same arguments with and without its defaults', () => {
    for (const def of modules) {
      const plain = ajv.compile(withoutDefaults(def.argsSchema) as Schema);
      const real = compileSchema(def.argsSchema);
      const base = BASES[def.name]?.('/tmp/x').args ?? {};
      const cases: unknown[] = [{}, base, 'text', null, { ...base, no_such_argument: 1 }];
      for (const c of defaulted.filter((x) => x.def === def)) {
        cases.push({ ...base, [c.arg]: c.dflt }, { ...base, [c.arg]: otherValue(`${def.name}.${c.arg}`, c.s, c.dflt) }, { ...base, [c.arg]: [[]] }, { ...base, [c.arg]: { x: 1 } });
      }
      for (const args of cases) {
        expect(real(args), `${def.name} ${JSON.stringify(args)}`).toBe(plain(args));
        expect(errorsOf(real.errors), `${def.name} ${JSON.stringify(args)}`).toEqual(errorsOf(plain.errors));
      }
    }
  });
});
