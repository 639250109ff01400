import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The tsrun and ansible forms must be the same playbook: after dropping comments and mapping
 * `.ejs` to `.j2`, the files are identical, and every template has its twin. Throws otherwise.
 */
export function checkTwins(playbookDir: string): void {
  const norm = (text: string): string =>
    text
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('#'))
      .map((l) => l.replace(/\.ejs\b/g, '.j2'))
      .join('\n');
  const ts = readFileSync(join(playbookDir, 'tsrun.yml'), 'utf8');
  const an = readFileSync(join(playbookDir, 'ansible.yml'), 'utf8');
  if (norm(ts) !== norm(an)) throw new Error('bench/playbook: tsrun.yml and ansible.yml differ beyond .ejs/.j2 template names');
  for (const m of ts.matchAll(/src:\s*(templates\/\S+)\.ejs/g)) {
    for (const ext of ['.ejs', '.j2']) {
      if (!existsSync(join(playbookDir, m[1]! + ext))) throw new Error(`bench/playbook: missing ${m[1]}${ext}`);
    }
  }
}
