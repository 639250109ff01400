import { describe, expect, test } from 'vitest';
import { lineAbsent, linePresent } from '../../../src/modules/lib/file-lines.js';
import { absentCases, presentCases } from './cases.js';

describe('lineinfile present', () => {
  test.each(presentCases)('%s', (_name, before, spec, after, msg) => {
    const r = linePresent(before, spec);
    expect(r.content).toBe(after);
    expect(r.msg).toBe(msg);
    expect(r.changed).toBe(before !== after);
  });
});

describe('lineinfile absent', () => {
  test.each(absentCases)('%s', (_n, before, spec, after, found) => {
    const r = lineAbsent(before, spec);
    expect(r.content).toBe(after);
    expect(r.found).toBe(found);
    expect(r.changed).toBe(found > 0);
    expect(r.msg).toBe(found ? `${found} line(s) removed` : '');
  });
});
