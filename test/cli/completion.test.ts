/**
 * Shell completion as a person gets it: the scripts from `tsrun completion bash|zsh` are loaded
 * into real bash and zsh with `tsrun` on PATH; bash is driven through COMP_WORDS/COMP_CWORD as
 * readline would, and both shells are also typed into under tmux, reading the screen after TAB.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TSRUN } from '../support/runners.js';
import { Tmux } from '../support/tmux.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const terms: Tmux[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsrun-complete-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tsrun'), `#!/bin/sh\nexec "${process.execPath}" "${TSRUN}" "$@"\n`);
  chmodSync(join(bin, 'tsrun'), 0o755);
  mkdirSync(join(dir, 'playbooks'));
  for (const p of ['deploy', 'start', 'stop', 'prepare']) writeFileSync(join(dir, 'playbooks', `${p}.yml`), '- hosts: all\n  tasks: []\n');
  writeFileSync(join(dir, 'hosts.ini'), '[web]\nweb-1\nweb-2\n[db]\ndb-primary\n[dc1:children]\nweb\ndb\n');
  writeFileSync(join(dir, 'other.yml'), 'all:\n  children:\n    cache:\n      hosts:\n        redis-1:\n');
  env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: dir };
});

afterAll(() => {
  for (const t of terms) t.close();
});

/** Runs bash with the completion loaded, completes `line` (cursor at its end), returns COMPREPLY. */
function bashComplete(line: string): string[] {
  const words = line.split(' ');
  const script = [
    'source <(tsrun completion bash)',
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    `COMP_LINE='${line}'`,
    `COMP_POINT=${line.length}`,
    '_tsrun_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  return execFileSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: dir, env, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe('bash completion', () => {
  it('registers for tsrun', () => {
    const out = execFileSync('bash', ['--norc', '-c', 'source <(tsrun completion bash); complete -p tsrun'], { cwd: dir, env, encoding: 'utf8' });
    expect(out.trim()).toBe('complete -F _tsrun_complete tsrun');
  });

  it('completes subcommands and playbook names under playbooks/', () => {
    expect(bashComplete('tsrun d')).toEqual(['deploy', 'doc']);
    expect(bashComplete('tsrun st')).toEqual(['start', 'stop']);
    // Files are offered too: a playbook given by path.
    expect(bashComplete('tsrun oth')).toEqual(['other.yml']);
  });

  it('completes options from the CLI definition', () => {
    expect(bashComplete('tsrun deploy --li')).toEqual(['--limit', '--list-hosts', '--list-tags', '--list-tasks']);
    expect(bashComplete('tsrun deploy --rep')).toEqual(['--report']);
    expect(bashComplete('tsrun inventory --g')).toEqual(['--graph']);
  });

  it('completes host and group names from -i, after commas too', () => {
    expect(bashComplete('tsrun -i hosts.ini deploy -l w')).toEqual(['web', 'web-1', 'web-2']);
    expect(bashComplete('tsrun -i hosts.ini deploy -l web-1,d')).toEqual(['web-1,db', 'web-1,db-primary', 'web-1,dc1']);
    expect(bashComplete('tsrun -i hosts.ini -i other.yml deploy --limit r')).toEqual(['redis-1']);
    expect(bashComplete('tsrun inventory -i other.yml --host c')).toEqual(['cache']);
  });

  it('completes every subcommand, their actions and options', () => {
    expect(bashComplete('tsrun ')).toEqual(expect.arrayContaining(['completion', 'config', 'doc', 'inventory', 'merge', 'schema', 'vault']));
    expect(bashComplete('tsrun vault e')).toEqual(['edit', 'encrypt', 'encrypt_string']);
    expect(bashComplete('tsrun vault encrypt --vault-p')).toEqual(['--vault-password-file']);
    expect(bashComplete('tsrun config d')).toEqual(['dump']);
    expect(bashComplete('tsrun config dump --only')).toEqual(['--only-changed']);
    expect(bashComplete('tsrun merge --j')).toEqual(['--json']);
    // After the action, vault takes files.
    expect(bashComplete('tsrun vault view ho')).toEqual(['hosts.ini']);
  });

  it('without -i, completes hosts of the inventory the run would use (ansible.cfg, then ./inventory.ini)', () => {
    const cfgDir = join(dir, 'with-cfg');
    mkdirSync(cfgDir, { recursive: true });
    writeFileSync(join(cfgDir, 'ansible.cfg'), '[defaults]\ninventory = site.ini\n');
    writeFileSync(join(cfgDir, 'site.ini'), '[app]\napp-1\napp-2\n');
    writeFileSync(join(cfgDir, 'inventory.ini'), 'not-this-one\n');
    const complete = (line: string, cwd: string) =>
      execFileSync('bash', ['--norc', '--noprofile', '-c', `source <(tsrun completion bash); COMP_WORDS=(${line.split(' ').map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.split(' ').length - 1}; _tsrun_complete; printf "%s\\n" "\${COMPREPLY[@]}"`], { cwd, env, encoding: 'utf8' })
        .split('\n').filter(Boolean).sort();
    expect(complete('tsrun deploy -l app', cfgDir)).toEqual(['app', 'app-1', 'app-2']);
    const plain = join(dir, 'plain');
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, 'inventory.ini'), '[edge]\nedge-1\n');
    expect(complete('tsrun deploy -l e', plain)).toEqual(['edge', 'edge-1']);
  });

  it('completes files after -i and module names after doc', () => {
    expect(bashComplete('tsrun -i ho')).toEqual(['hosts.ini']);
    expect(bashComplete('tsrun doc line')).toEqual(['lineinfile']);
    expect(bashComplete('tsrun completion z')).toEqual(['zsh']);
  });
});

describe('in a real terminal (tmux)', () => {
  // tmux gives new panes the client's PATH whatever -e says, so the shell gets it from env(1).
  function shell(cmd: string): Tmux {
    const t = new Tmux(`env PATH='${env.PATH}' HOME='${dir}' PS1='$ ' PROMPT='$ ' ${cmd}`, { cwd: dir });
    terms.push(t);
    return t;
  }

  /** zsh without rc files, compinit run and tsrun's completion loaded. */
  async function zshWithCompletion(): Promise<Tmux> {
    const t = shell('zsh -f');
    expect(await t.waitFor((s) => s.trim() !== '')).toBeDefined();
    t.type('autoload -Uz compinit && compinit -u && source <(tsrun completion zsh)\n');
    return t;
  }

  it('bash: TAB finishes a playbook name and lists hosts', async () => {
    const t = shell('bash --norc --noprofile');
    expect(await t.waitFor((s) => s.trim() !== '')).toBeDefined();
    t.type('source <(tsrun completion bash)\n');
    t.type('tsrun -i hosts.ini dep\t');
    // The screen drops trailing blanks; typing on without a space proves TAB added one.
    expect(await t.waitFor((s) => /tsrun -i hosts\.ini deploy$/m.test(s))).toBeDefined();
    t.type('-l web-\t\t');
    const screen = await t.waitFor((s) => /^web-1\s+web-2$/m.test(s));
    expect(screen, t.screen()).toBeDefined();
    expect(screen).toMatch(/tsrun -i hosts\.ini deploy -l web-$/m);
  });

  it.skipIf(!existsSync('/usr/bin/zsh') && process.env.CI !== 'true')('zsh: TAB finishes a playbook name and a host', async () => {
    const t = await zshWithCompletion();
    t.type('tsrun -i hosts.ini dep\t');
    expect(await t.waitFor((s) => s.includes('tsrun -i hosts.ini deploy'))).toBeDefined();
    t.type(' -l db-\t');
    expect(await t.waitFor((s) => s.includes('-l db-primary'))).toBeDefined();
    // Groups and hosts after a comma: the first TAB inserts what they share, the second lists them.
    t.type(',w\t');
    expect(await t.waitFor((s) => s.includes('-l db-primary,web'))).toBeDefined();
    t.type('\t');
    const listed = await t.waitFor((s) => /^db-primary,web +db-primary,web-1 +db-primary,web-2$/m.test(s));
    expect(listed, t.screen()).toBeDefined();
  }, 180_000);

  it.skipIf(!existsSync('/usr/bin/zsh') && process.env.CI !== 'true')('zsh: TAB completes options and subcommand actions', async () => {
    const t = await zshWithCompletion();
    t.type('tsrun deploy --rep\t');
    expect(await t.waitFor((s) => s.includes('tsrun deploy --report'))).toBeDefined();
    // Nothing to add to `--li`: the first TAB lists the options.
    t.type(' x.html --li\t');
    const listed = await t.waitFor((s) => /^--limit +--list-hosts +--list-tags +--list-tasks$/m.test(s));
    expect(listed, t.screen()).toBeDefined();
    t.key('C-c');
    // A fresh, empty prompt before typing on.
    expect(await t.waitFor((s) => /\n\$$/.test(s.trimEnd())), t.screen()).toBeDefined();
    t.type('tsrun vault encr\t');
    expect(await t.waitFor((s) => /tsrun vault encrypt$/m.test(s)), t.screen()).toBeDefined();
    t.type('\t');
    const actions = await t.waitFor((s) => /^encrypt +encrypt_string$/m.test(s));
    expect(actions, t.screen()).toBeDefined();
  }, 180_000);
});
