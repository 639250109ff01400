import type { ModuleDef } from '../../src/modules/types.js';
import type { ArgsSchema } from '../../src/modules/schema-types.js';

/** Small stand-ins for real modules: only names and argsSchemas matter to the loader. */
function mod(name: string, argsSchema: ArgsSchema, extra: Partial<ModuleDef> = {}): ModuleDef {
  return { name, argsSchema, checkMode: true, run: async () => ({ changed: false }), ...extra };
}

const obj = (properties: Record<string, object>, extra: Record<string, unknown> = {}): ArgsSchema => ({ type: 'object', additionalProperties: false, properties, ...extra });
const mode = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
const bool = { type: 'boolean' };
const str = { type: 'string' };
const cmdCommon = { chdir: str, creates: str, removes: str, stdin: str, executable: str };

export const fakeModules: ModuleDef[] = [
  mod('copy', obj({ src: str, dest: str, content: {}, mode, owner: str, backup: bool }, { required: ['dest'] }), { aliases: ['ansible.builtin.copy'] }),
  mod('file', obj({ path: str, dest: str, name: str, state: { enum: ['file', 'directory', 'absent', 'touch', 'link'] }, mode, recurse: bool }, {
    allOf: [{ anyOf: [{ required: ['path'] }, { required: ['dest'] }, { required: ['name'] }] }],
  })),
  mod('command', obj({ _raw_params: str, cmd: str, argv: { type: 'array', items: str }, ...cmdCommon }), { freeForm: true }),
  mod('shell', obj({ _raw_params: str, cmd: str, ...cmdCommon }), { freeForm: true }),
  mod('debug', obj({ msg: {}, var: str, verbosity: { type: 'integer', minimum: 0 } }), { controlOnly: true }),
  mod('set_fact', { type: 'object', additionalProperties: false, properties: { cacheable: bool }, patternProperties: { '^[A-Za-z_][A-Za-z0-9_]*$': {} } }),
  mod('include_vars', obj({ _raw_params: str, file: str, name: str }), { controlOnly: true }),
  mod('ping', obj({ data: str })),
  mod('lineinfile', obj({ path: str, line: str, regexp: str, lines: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { a: { type: 'integer' } } } } }, { required: ['path'] })),
];

export function fakeRegistry(): Map<string, ModuleDef> {
  const m = new Map<string, ModuleDef>();
  for (const d of fakeModules) for (const n of [d.name, ...(d.aliases ?? [])]) m.set(n, d);
  return m;
}
