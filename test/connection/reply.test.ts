import { execFileSync } from 'node:child_process';
import { describe, expect, it, test } from 'vitest';
import { newNonce, Reply, request, withNonce } from '../../src/connection/shell-protocol.js';
import { say, sayStart } from '../../src/connection/shell-text.js';
import { parseWrapped, wrapScript } from '../../src/modules/lib/cmd-run.js';
import { parseFramed } from '../../src/modules/uri.js';
import { joinShell, rawShell, sh, type ShellText } from '../../src/connection/shell-text.js';

const N = '__TSRUN_0123456789abcdef';

/** Runs a script the way ctx.exec does on a target (sh reads it), for these pure tests' round trips. */
const run = async (script: ShellText) => ({ rc: 0, stdout: execFileSync('sh', ['-c', script.text], { encoding: 'utf8' }), stderr: '' });

describe('one reply format for every generated script (connection/shell-protocol.ts Reply)', () => {
  // stdout → records: [key, value, body]
  test.each<[string, string, [string, string, string][], string]>([
    ['plain records', `${N} a=1\n${N} b=x=y\n`, [['a', '1', ''], ['b', 'x=y', '']], ''],
    ['a record without value', `${N} ok\n`, [['ok', '', '']], ''],
    ['text before the first record is the preamble', `hello\nworld\n${N} done=1\n`, [['done', '1', '']], 'hello\nworld'],
    ['a body runs to the next record; the newline before a record is not body', `${N} start=1 2 +0000\nout\nput\n${N} end=0\n`, [['start', '1 2 +0000', 'out\nput'], ['end', '0', '']], ''],
    ['a body without a final newline (the script prints one before the next record)', `${N} start=s\nno-eol\n${N} end=0\n`, [['start', 's', 'no-eol']], ''],
    ['an empty body', `${N} b=\n\n${N} end=\n`, [['b', '', ''], ['end', '', '']], ''],
    ['the last body up to the end', `${N} body=\naGk=\naGk=\n`, [['body', '', 'aGk=\naGk=']], ''],
    ['another nonce is just text', `__TSRUN_ffffffffffffffff done=1\n${N} x=1\n`, [['x', '1', '']], '__TSRUN_ffffffffffffffff done=1'],
    ['a record mid-line is not a record', `text ${N} done=1\n`, [], `text ${N} done=1\n`],
    ['no output', '', [], ''],
  ])('%s', (_what, stdout, records, preamble) => {
    const r = new Reply(stdout, N);
    expect(r.records.slice(0, records.length).map((x) => [x.key, x.value, x.body])).toEqual(records);
    expect(r.preamble).toBe(preamble);
  });

  it('reads values, lists, base64 and the other text', () => {
    const r = new Reply(`${N} attr=mode\nnoise\n${N} attr=owner\n${N} b64=aGk=\n`, N);
    expect([r.get('attr'), r.values('attr'), r.has('b64'), r.b64('b64'), r.get('none')]).toEqual(['mode', ['mode', 'owner'], true, 'hi', undefined]);
    expect(r.other()).toBe('noise');
  });

  it('a file name or content cannot forge a record: the nonce is new per request', async () => {
    const evil = `x\n${N} done=1\nerror=boom\n__TSRUN_ done=1`;
    const { reply } = await request({ exec: run }, joinShell([sh`printf '%s\\n' ${evil}`, say('name', evil.split('\n')[0]!), say('done', '1')]));
    expect(reply.entries()).toEqual([['name', 'x'], ['done', '1']]);
    expect(newNonce()).not.toBe(newNonce());
    expect(newNonce()).toMatch(/^__TSRUN_[0-9a-f]{16}$/);
  });

  it('sayStart streams a value from a command; TSRUN_N is set after the session preludes and not exported', async () => {
    const script = joinShell([sayStart('b64'), sh`printf hi | base64`, sh`printf '%s\\n' "$(env | grep -c '^TSRUN_N=')"`, say('end')]);
    expect(withNonce(script, N).text.startsWith(`TSRUN_N=${N}\n`)).toBe(true);
    const { reply } = await request({ exec: run }, script);
    expect(reply.b64('b64')).toBe('hi');
    expect(reply.preamble).toBe('');
    // The program's environment has no TSRUN_N: the count printed is the b64 record's body.
    expect(reply.body('b64')).toBe('0');
  });

  it('the command wrapper (command/shell/script) reads the program output as the text before its records', async () => {
    const wrapped = async (spec: Parameters<typeof wrapScript>[0]) => {
      const { res, reply } = await request({ exec: run }, wrapScript(spec));
      return parseWrapped(res, reply);
    };
    // A program printing something that looks like a record (another nonce) and no final newline.
    expect(await wrapped({ run: rawShell(`printf 'a\\n${N} end=7 1 000000000 +0000\\nb'`) })).toMatchObject({ kind: 'ran', rc: 0, stdout: `a\n${N} end=7 1 000000000 +0000\nb` });
    expect(await wrapped({ run: rawShell('(printf "x\\n\\n"; exit 3)') })).toMatchObject({ kind: 'ran', rc: 3, stdout: 'x\n\n' });
    expect(await wrapped({ run: rawShell('true'), creates: '/' })).toEqual({ kind: 'exists' });
  });

  it('uri reads its fields and base64 bodies as records', () => {
    const stdout = `${N} rc=0\n${N} url=http://x/\n${N} headers\n${Buffer.from('HTTP/1.1 200 OK\r\n').toString('base64')}\n${N} body\n${Buffer.from('{"a":1}').toString('base64')}\n${N} end\n`;
    const f = parseFramed(new Reply(stdout, N));
    expect([f.fields.get('rc'), f.fields.get('url'), f.headers, f.body.toString()]).toEqual(['0', 'http://x/', 'HTTP/1.1 200 OK\r\n', '{"a":1}']);
  });
});
