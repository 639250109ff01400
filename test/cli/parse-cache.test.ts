/**
 * The parse cache through the CLI as operators run it (the built bundle: only it has the code
 * identity the cache is keyed by). A second run reads what the first parsed and must behave
 * exactly as the first: same output, same positions in errors; an edited file is parsed anew.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsrun } from '../support/runners.js';

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

  it('keeps nothing when TSRUN_CACHE_DIR is empty', async () => {
    const { dir, cache, write } = project();
    write('p.yml', ['- hosts: localhost', '  gather_facts: false', '  tasks:', '    - debug: msg=x']);
    const out = await tsrun(['--syntax-check', 'p.yml'], { cwd: dir, env: { TSRUN_CACHE_DIR: '', HOME: dir, XDG_CACHE_HOME: cache } });
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(cache)).toBe(false);
    expect(existsSync(join(dir, '.cache'))).toBe(false);
  });
});
