import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodePyEscapes, PyEscapeError } from '../../src/util/python-escapes.js';
import { lex } from '../../src/template/lexer.js';
import { TemplateError } from '../../src/template/errors.js';

describe('decodePyEscapes agrees with Python string literals', () => {
  // Bodies of single-quoted literals; Python decodes `'<body>'` with ast.literal_eval.
  const bodies = [
    String.raw`a\nb\tc\\d\'e\"f`,
    String.raw`\101\0\08\777x`,
    String.raw`\x41\u00e9\U0001F600`,
    String.raw`\q\8\9`,
    'line\\\nnext',
    String.raw`\a\b\f\v\r`,
  ];
  const python = JSON.parse(
    execFileSync('python3', ['-c', "import ast,json,sys\nprint(json.dumps([ast.literal_eval(\"'\" + b + \"'\") for b in json.load(sys.stdin)]))"], {
      input: JSON.stringify(bodies),
      encoding: 'utf8',
    }),
  ) as string[];
  bodies.forEach((b, i) => it(JSON.stringify(b), () => expect(decodePyEscapes(b)).toBe(python[i])));

  it('rejects truncated hex escapes with Python\'s words', () => {
    expect(() => decodePyEscapes(String.raw`\x4`)).toThrow(new PyEscapeError('truncated \\xXX escape'));
    expect(() => decodePyEscapes(String.raw`\u12`)).toThrow('truncated \\uXXXX escape');
    expect(() => decodePyEscapes(String.raw`\U00110000`)).toThrow('illegal Unicode character');
  });
  it('is what template string literals use', () => {
    expect(lex(String.raw`'\101\x42'`).tokens[0].value).toBe('AB');
    expect(() => lex(String.raw`'\x4'`)).toThrow(TemplateError);
  });
});
