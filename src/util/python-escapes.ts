/**
 * Backslash escapes of a Python string literal (not raw), as both ast.literal_eval (INI
 * inventory values) and Jinja (string literals in expressions) decode them: \n \t ... \\ \' \",
 * octal \0-\777, \xXX \uXXXX \UXXXXXXXX, backslash-newline; unknown escapes keep the backslash.
 */
export class PyEscapeError extends Error {}

const SIMPLE: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

const HEX_LEN: Record<string, number> = { x: 2, u: 4, U: 8 };
const HEX_NAME: Record<string, string> = { x: '\\xXX', u: '\\uXXXX', U: '\\UXXXXXXXX' };

export function decodePyEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next in SIMPLE) {
      out += SIMPLE[next];
      i++;
    } else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next in HEX_LEN) {
      const len = HEX_LEN[next];
      const hex = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new PyEscapeError(`truncated ${HEX_NAME[next]} escape`);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw new PyEscapeError('illegal Unicode character');
      out += String.fromCodePoint(code);
      i += 1 + len;
    } else {
      out += ch;
    }
  }
  return out;
}
