import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The python ansible-core runs under (the `python3` on PATH may be another one). */
export function ansiblePython(): string {
  const ansible = execFileSync('sh', ['-c', 'command -v ansible'], { encoding: 'utf8' }).trim();
  const shebang = readFileSync(ansible, 'utf8').split('\n')[0];
  const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(shebang);
  if (!m) return 'python3';
  return m[1].endsWith('/env') && m[2] ? m[2] : m[1];
}

/** Runs a python script with ansible-core importable, JSON in on stdin, JSON out on stdout. */
export function runAnsiblePython(script: string, input: unknown): unknown {
  return JSON.parse(execFileSync(ansiblePython(), ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' }));
}
