/**
 * The parse cache through the CLI as operators run it (the built bundle: only it has the code
 * identity the cache is keyed by). A second run reads what the first parsed and must behave
 * exactly as the first: same output, same positions in errors; an edited file is parsed anew.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { run, tsrun, TSRUN } from '../support/runners.js';

const WORKER_PROBE = `
const threads = require('node:worker_threads');
if (threads.isMainThread) {
  let started = 0;
  const Worker = threads.Worker;
  threads.Worker = class extends Worker { constructor(...args) { started++; super(...args); } };
  process.on('exit', () => process.stderr.write('loader workers: ' + started + '\\n'));
}
`;

function kept(cache: string): number {
  const parsed = join(cache, 'parsed');
  if (!existsSync(parsed)) return 0;
  return readdirSync(parsed).reduce((n, id) => n + readdirSync(join(parsed, id)).length, 0);
}

function project(): { dir: string; cache: string; write: (rel: string, lines: string[]) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-parse-cache-cli-'));
  const write = (rel: string, lines: string[]): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), `${lines.join('\n')}\n`);
  };
  return { dir, cache: join(dir, 'cache'), write };
}

describe('parse cache (CLI)', () => {
  it('runs the second time from what the first parsed, the same way, and parses an edited file anew', async () => {
    const { dir, cache, write } = project();
    write('p.yml', ['- hosts: localhost', '  connection: local', '  gather_facts: false', '  vars:', '    count: 3', '  roles:', '    - r']);
    write('roles/r/defaults/main.yml', ['greeting: hello']);
    write('roles/r/tasks/main.yml', ['- debug:', '    msg: "{{ greeting }} {{ count }}"']);
    const env = { TSRUN_CACHE_DIR: cache, NO_COLOR: '1' };
    const first = await tsrun([join(dir, 'p.yml')], { cwd: dir, env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('"msg": "hello 3"');
    expect(kept(cache), 'the bundle is built (npm run build): only it keeps parses').toBe(3);
    const second = await tsrun([join(dir, 'p.yml')], { cwd: dir, env });
    expect(second).toEqual(first);
    write('roles/r/tasks/main.yml', ['- debug:', '    msg: "{{ greeting }} again"']);
    const edited = await tsrun([join(dir, 'p.yml')], { cwd: dir, env });
    expect(edited.stdout).toContain('"msg": "hello again"');
    expect(kept(cache)).toBe(4);
  });

  it('names the same file, line and column in a loader error when the file was read back', async () => {
    const { dir, cache, write } = project();
    write('bad.yml', ['- hosts: localhost', '  gather_facts: false', '  tasks:', '    - name: fine', '      debug: msg=x', '    - name: wrong', '      debug: msg=y', '      not_a_keyword: 1']);
    const env = { TSRUN_CACHE_DIR: cache, NO_COLOR: '1' };
    const first = await tsrun(['--syntax-check', 'bad.yml'], { cwd: dir, env });
    expect(first.code).not.toBe(0);
    expect(first.stderr).toContain("bad.yml': line 8, column 7");
    expect(kept(cache)).toBe(1);
    const second = await tsrun(['--syntax-check', 'bad.yml'], { cwd: dir, env });
    expect(second).toEqual(first);
  });

  it('reads back a playbook too large for the main thread in the loader worker', async () => {
    const { dir, cache, write } = project();
    // Over the main thread's budget of 100,000 YAML tokens (cli/load-playbooks.ts), parsed or read back.
    const items = Array.from({ length: 15000 }, (_, i) => `      - { n: ${i}, text: "item ${i}" }`);
    write('big.yml', ['- hosts: localhost', '  gather_facts: false', '  vars:', '    big:', ...items, '  tasks:', '    - name: original', '      debug: msg=x']);
    const env = { TSRUN_CACHE_DIR: cache, NO_COLOR: '1' };
    const first = await tsrun(['--list-tasks', 'big.yml'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('original');
    // The entry is changed (its digest made right again): a run that shows the change read it.
    const parsed = join(cache, 'parsed');
    const [id] = readdirSync(parsed);
    const [name] = readdirSync(join(parsed, id!));
    const file = join(parsed, id!, name!);
    const data = readFileSync(file);
    const nl = data.indexOf(0x0a);
    const entry = deserialize(data.subarray(nl + 1)) as { value: { tasks: { name: string }[] }[] };
    entry.value[0]!.tasks[0]!.name = 'planted';
    const payload = serialize(entry);
    writeFileSync(file, Buffer.concat([Buffer.from(`tsrun-parsed 1 ${createHash('sha256').update(payload).digest('hex')}\n`), payload]));
    // Counts the loader workers the run starts (preloaded, in the main thread only).
    const probe = join(dir, 'probe.cjs');
    writeFileSync(probe, WORKER_PROBE);
    const second = await run(process.execPath, ['--require', probe, TSRUN, '--list-tasks', 'big.yml'], { cwd: dir, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('loader workers: 1');
    expect(second.stdout).toContain('planted');
    expect(second.stdout).not.toContain('original');
  }, 120_000);

  it('keeps nothing when TSRUN_CACHE_DIR is empty', async () => {
    const { dir, cache, write } = project();
    write('p.yml', ['- hosts: localhost', '  gather_facts: false', '  tasks:', '    - debug: msg=x']);
    const out = await tsrun(['--syntax-check', 'p.yml'], { cwd: dir, env: { TSRUN_CACHE_DIR: '', HOME: dir, XDG_CACHE_HOME: cache } });
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(cache)).toBe(false);
    expect(existsSync(join(dir, '.cache'))).toBe(false);
  });
});
