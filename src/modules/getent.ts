import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { guarded } from './lib/file-args.js';
import { bool, objectSchema, str } from './lib/file-schema.js';
import { sh } from '../connection/shell-text.js';

const COLON = ['passwd', 'shadow', 'group', 'gshadow'];

/** Python's str.split(sep): no separator splits on runs of whitespace. */
function pySplitFields(line: string, sep: string | undefined): string[] {
  if (sep === undefined) return line.split(/\s+/).filter((f) => f !== '');
  return line.split(sep);
}

/** Entries by their first field; a key seen twice holds a list of records, as Ansible's getent does. */
export function getentFacts(stdout: string, sep: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [first, ...rest] = pySplitFields(line, sep);
    const n = seen.get(first) ?? 0;
    if (n === 0) out[first] = rest;
    else if (n === 1) out[first] = [out[first], rest];
    else (out[first] as unknown[]).push(rest);
    seen.set(first, n + 1);
  }
  return out;
}

async function run(ctx: ModuleContext<GetentArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const { database, key, service } = a;
  const split = a.split ?? (COLON.includes(database) ? ':' : undefined);
  // options before `--`, so a database or key starting with '-' stays an operand
  const r = await ctx.exec(sh`getent ${service !== undefined ? ['-s', service] : []} -- ${database} ${key !== undefined ? [key] : []}`);
  const tree = `getent_${database}`;
  if (r.rc === 0) return { changed: false, ansible_facts: { [tree]: getentFacts(r.stdout, split) } };
  if (r.rc === 2 && key !== undefined && !(a.fail_key ?? true)) {
    return { changed: false, ansible_facts: { [tree]: { [key]: null } }, msg: 'One or more supplied key could not be found in the database.' };
  }
  const msgs: Record<number, string> = {
    1: 'Missing arguments, or database unknown.',
    2: 'One or more supplied key could not be found in the database.',
    3: 'Enumeration not supported on this database.',
  };
  return { failed: true, changed: false, msg: msgs[r.rc] ?? 'Unexpected failure!' };
}

const argsSchema = objectSchema({ database: str, key: str, service: str, split: str, fail_key: { ...bool, default: true } }, { required: ['database'] });
type GetentArgs = Infer<typeof argsSchema>;

const getent = defineModule({
  name: 'getent',
  aliases: ['ansible.builtin.getent'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default getent;
