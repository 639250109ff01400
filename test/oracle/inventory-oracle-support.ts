import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'inventory');

/** A neutral cwd: ansible-inventory also reads group_vars/ next to its working directory. */
export const scratch = mkdtempSync(join(tmpdir(), 'tsrun-inv-oracle-'));

export function ansibleEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: scratch,
    ANSIBLE_LOCAL_TEMP: join(scratch, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_CONFIG: join(scratch, 'none.cfg'),
    ANSIBLE_DEPRECATION_WARNINGS: 'false',
  };
}

/** ansible's own interpreter (the shebang of ansible-inventory), for the in-process batch runner. */
export function ansiblePython(): string {
  const which = spawnSync('sh', ['-c', 'command -v ansible-inventory'], { encoding: 'utf8' }).stdout.trim();
  const first = readFileSync(which, 'utf8').split('\n')[0];
  return first.replace(/^#!\s*/, '').trim().split(/\s+/)[0];
}

export interface BatchResult {
  rc: number;
  stdout: string;
  stderr: string;
  /** For pattern jobs: per pattern the hosts, or "ERROR: ..." when Ansible refused it */
  hosts?: (string[] | string)[];
}

export type BatchJob = { cli: string[] } | { inventory: string; patterns: string[]; limit?: string };

/**
 * Many ansible-inventory runs and `ansible PATTERN --list-hosts` selections in one Python
 * process, using ansible's own classes; see inventory-oracle-batch.py.
 */
export async function ansibleInventoryBatch(jobs: BatchJob[]): Promise<BatchResult[]> {
  const script = join(import.meta.dirname, 'inventory-oracle-batch.py');
  const r = await run(ansiblePython(), [script], {}, JSON.stringify(jobs));
  if (r.rc !== 0) throw new Error(`ansible-inventory batch failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as BatchResult[];
}

export function ansibleAvailable(): string | undefined {
  const r = spawnSync('ansible-inventory', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'ansible-inventory is not installed';
  return undefined;
}

export interface Case {
  name: string;
  dir: string;
  /** Inventory source as passed to -i */
  source: string;
  patterns: string[];
}

const SOURCE_NAMES = ['hosts.ini', 'hosts.yml', 'hosts.yaml', 'hosts.json', 'hosts', 'inv'];

export function loadCases(): Case[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name))
    .map((d) => {
      const dir = join(FIXTURES, d.name);
      const list = join(dir, 'hostlist.txt');
      const source = existsSync(list)
        ? readFileSync(list, 'utf8').trim()
        : join(dir, SOURCE_NAMES.find((n) => existsSync(join(dir, n)))!);
      const pfile = join(dir, 'patterns.txt');
      const patterns = existsSync(pfile) ? readFileSync(pfile, 'utf8').split('\n').filter((l) => l !== '') : [];
      return { name: d.name, dir, source, patterns };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function run(
  cmd: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
  stdin = '',
): Promise<{ rc: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: scratch, env: { ...ansibleEnv(), ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ rc: code ?? 255, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
