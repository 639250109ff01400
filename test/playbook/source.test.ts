import { describe, expect, test } from 'vitest';
import { keyPos, parseYamlWithPositions, pointerPos, posOf, valuePos } from '../../src/playbook/source.js';

describe('YAML with positions', () => {
  test('YAML 1.1 scalars as PyYAML reads them', () => {
    const data = parseYamlWithPositions('a: yes\nb: off\nc: 0755\nn: 1\ny: 2\nd: Y\ne: "yes"\n', '/tmp/x.yml');
    expect(data).toEqual({ a: true, b: false, c: 493, n: 1, y: 2, d: 'Y', e: 'yes' });
  });

  test('positions of mappings, keys, values and list items', () => {
    const text = '- name: a\n  vars:\n    x: [1, 2]\n-   name: b\n    debug: {}\n';
    const data = parseYamlWithPositions(text, '/tmp/p.yml') as Record<string, unknown>[];
    const fb = { file: 'f' };
    expect(posOf(data[0], fb)).toEqual({ file: '/tmp/p.yml', line: 1, column: 3 });
    expect(posOf(data[1], fb)).toMatchObject({ line: 4, column: 5 });
    expect(keyPos(data[0], 'vars')).toMatchObject({ line: 2, column: 3 });
    expect(valuePos(data[0], 'vars')).toMatchObject({ line: 3, column: 5 });
    expect(pointerPos(data, '/0/vars/x/1', fb)).toMatchObject({ line: 3, column: 12 });
    expect(pointerPos(data[0], '/vars', fb, 'x')).toMatchObject({ line: 3, column: 5 });
  });

  test('merge keys and anchors load like PyYAML', () => {
    const data = parseYamlWithPositions('base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n', '/tmp/m.yml') as Record<string, Record<string, unknown>>;
    expect(data.other).toEqual({ x: 1, y: 2 });
    expect(keyPos(data.other, 'y')).toMatchObject({ line: 4, column: 3 });
  });

  test('syntax errors name file:line:column', () => {
    expect(() => parseYamlWithPositions('a: 1\n b: 2\n', '/tmp/e.yml')).toThrow(/^\/tmp\/e\.yml:1:4: YAML syntax error: /);
  });
});
