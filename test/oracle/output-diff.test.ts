import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiff } from '../../src/output/diff.js';
import { ansibleAvailable, run } from '../support/runners.js';

/** The Python ansible-core runs with (its CallbackBase._get_diff is the oracle). */
const PYTHON = '/usr/bin/python3';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i + 1}\n`).join('');

const CASES: Record<string, unknown>[] = [
  { before: '', after: 'one\ntwo\n', after_header: 'new' },
  { before: 'one\ntwo\n', after: '', before_header: 'gone' },
  { before: 'a\nb\n', after: 'a\nc', before_header: 'x' },
  { before: 'no newline', after: 'no newline\nnow', before_header: 'f', after_header: 'f' },
  { before: lines(20), after: lines(20).replace('line 3\n', 'line three\n').replace('line 17\n', ''), before_header: 'far apart' },
  { before: lines(8), after: lines(8).replace('line 2\n', 'line 2\nextra\n').replace('line 7\n', 'seven\n') },
  { before: lines(5), after: `${lines(5)}tail 1\ntail 2\n` },
  { before: 'same\n', after: 'same\n' },
  { before: { path: '/x', state: 'absent' }, after: { path: '/x', state: 'file' } },
  { before: null, after: 'x\n' },
  { dst_binary: 1 },
  { dst_larger: 104448 },
  { prepared: 'prepared text\n' },
  { before_header: '/etc/f (file attributes)', after_header: '/etc/f (file attributes)' },
];

describe.runIf(ansibleAvailable() && existsSync(PYTHON))('diff blocks match ansible-core CallbackBase._get_diff', () => {
  it('formats every case like Ansible', async () => {
    const script = [
      'import json, sys',
      'from ansible.plugins.callback import CallbackBase',
      'cb = CallbackBase()',
      'print(json.dumps([cb._get_diff(d) for d in json.load(sys.stdin)]))',
    ].join('\n');
    const res = await run(PYTHON, ['-c', script], { input: JSON.stringify(CASES), env: { ANSIBLE_NOCOLOR: '1' } });
    expect(res.code, res.stderr).toBe(0);
    const expected = JSON.parse(res.stdout) as string[];
    expect(CASES.map((c) => formatDiff(c as never))).toEqual(expected);
  });
});
