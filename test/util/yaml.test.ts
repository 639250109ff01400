import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/yaml/yaml.js';
import { describeIf, programMissing } from '../support/needs.js';

const docs = [
  'a: y\nb: n\nc: yes\nd: On\ne: OFF\nf: True\ng: no\n',
  'mode: 0755\nhex: 0x1F\nsexa: 1:30\nf: 1.5\nexp: 1e3\nexp2: 1.0e+3\nexp3: 2.5E-2\nneg: -7\n',
  'date: 2001-12-14\nstamp: 2001-12-14 21:59:43.10\n',
  'n1: ~\nn2: null\nn3:\ns: "yes"\nt: \'0755\'\n',
  'base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n',
  'list: [a, "b", 1, true, null]\nblock: |\n  line1\n  line2\nfolded: >\n  a\n  b\n',
];

// PyYAML (what Ansible parses with) is the reference; Debian's python3 ships it with ansible-core.
function pyyaml(text: string): unknown {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys,yaml,json,datetime; print(json.dumps(yaml.safe_load(sys.stdin.read()), default=str))'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const pyYamlMissing = programMissing('/usr/bin/python3', 'python3-yaml', ['-c', 'import yaml']);

describeIf(pyYamlMissing, 'YAML reads as PyYAML reads it', () => {
  it.each(docs)('%j', (doc) => {
    const ours = parseYaml(doc, 'doc.yml') as Record<string, unknown>;
    const theirs = pyyaml(doc) as Record<string, unknown>;
    // PyYAML turns timestamps into datetimes, which print as "2001-12-14 21:59:43.100000";
    // tsrun keeps the text, so only the date part is compared.
    for (const k of ['date', 'stamp']) if (k in theirs) theirs[k] = String(theirs[k]).slice(0, 10);
    for (const k of ['date', 'stamp']) if (k in ours) ours[k] = String(ours[k]).slice(0, 10);
    expect(ours).toEqual(theirs);
  });
});

describe('YAML errors', () => {
  it('names file, line and column', () => {
    expect(() => parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'bad.yml')).toThrow(/^bad\.yml:\d+:\d+: YAML syntax error/);
    // A repeated key is no error for PyYAML (Ansible warns and keeps the last value): test/cli/bad-input.test.ts checks the warning.
    expect(parseYaml('a: 1\na: 2\n', 'dup.yml')).toEqual({ a: 2 });
  });
});
