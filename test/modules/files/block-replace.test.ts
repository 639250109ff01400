import { describe, expect, test } from 'vitest';
import { applyBlock } from '../../../src/modules/lib/file-block.js';
import { B, blockBase as base, blockCases, replaceCases } from './cases.js';
import { applyReplace } from '../../../src/modules/lib/file-replace.js';

describe('blockinfile', () => {
  test.each(blockCases)('%s', (_n, before, over, after, msg) => {
    const r = applyBlock(before, { ...base, ...over });
    expect(r.content).toBe(after);
    expect(r.msg).toBe(msg);
    expect(r.changed).toBe(before !== after);
  });
  test('new file', () => {
    expect(applyBlock(undefined, base)).toEqual({ content: B, changed: true, msg: 'File created' });
  });
});

describe('replace', () => {
  test.each(replaceCases)('%s', (_n, before, spec, after, msg) => {
    const r = applyReplace(before, spec);
    expect(r.content).toBe(after);
    expect(r.msg).toBe(msg);
  });
  test('section pattern not found', () => {
    const r = applyReplace('abc', { regexp: 'a', replace: 'b', after: 'zzz' });
    expect(r.changed).toBe(false);
    expect(r.msg).toBe('Pattern for before/after params did not match the given file: zzz(?P<subsection>.*)');
  });
});
