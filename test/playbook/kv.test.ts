import { describe, expect, test } from 'vitest';
import { parseKeyValue } from '../../src/playbook/index.js';
import { runAnsiblePython } from './ansible-python.js';

/** Inputs checked against ansible-core's own parse_kv (one python run for all of them). */
const CASES: { text: string; checkRaw: boolean }[] = [
  { text: 'src=a dest=b', checkRaw: false },
  { text: 'dest=/x content="a b" mode=0644', checkRaw: false },
  { text: "msg='hello world' other=\"x\"", checkRaw: false },
  { text: 'ls -l chdir=/tmp', checkRaw: true },
  { text: 'echo a=b chdir=/tmp creates=/x', checkRaw: true },
  { text: 'echo a=b', checkRaw: false },
  { text: 'msg={{ a | default("x y") }} b=2', checkRaw: false },
  { text: 'echo "{{ x }}" removes=/y', checkRaw: true },
  { text: 'a=1   b=2', checkRaw: false },
  { text: 'echo one\necho two chdir=/', checkRaw: true },
  { text: 'x=a\\=b y=1', checkRaw: false },
  { text: 'path=/x\\ty', checkRaw: false },
  { text: 'just words here', checkRaw: false },
  { text: '{% if a %}x{% endif %} k=v', checkRaw: true },
  { text: "echo 'it''s' stdin=abc", checkRaw: true },
  { text: '=lead k=v', checkRaw: false },
];

function ansibleParseKv(): Record<string, unknown>[] {
  const script = [
    'import json, sys',
    'from ansible.parsing.splitter import parse_kv',
    'cases = json.load(sys.stdin)',
    'print(json.dumps([parse_kv(c["text"], check_raw=c["checkRaw"]) for c in cases]))',
  ].join('\n');
  return runAnsiblePython(script, CASES) as Record<string, unknown>[];
}

describe('parseKeyValue matches ansible-core parse_kv', () => {
  const expected = ansibleParseKv();
  CASES.forEach((c, i) => {
    test(JSON.stringify(c.text) + (c.checkRaw ? ' (free-form)' : ''), () => {
      const { params, raw } = parseKeyValue(c.text, { checkRaw: c.checkRaw });
      const got: Record<string, unknown> = { ...params };
      if (raw !== '') got._raw_params = raw;
      expect(got).toEqual(expected[i]);
    });
  });

  test('unbalanced quotes are an error', () => {
    expect(() => parseKeyValue('a="b c')).toThrow(/unbalanced jinja2 block or quotes/);
  });
});
