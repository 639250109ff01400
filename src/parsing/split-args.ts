import { ConfigError, type SourcePos } from '../util/errors.js';

/**
 * Ansible's split_args: splits on spaces but keeps quoted strings and Jinja2 blocks
 * (`{{ a b }}`, `{% ... %}`, `{# #}`) together, and keeps newlines of multi-line text.
 */
export function splitArgs(args: string, pos?: SourcePos): string[] {
  const params: string[] = [];
  const lines = args.split('\n');
  let quoteChar: string | null = null;
  let printDepth = 0;
  let blockDepth = 0;
  let commentDepth = 0;

  const quoteState = (token: string, current: string | null): string | null => {
    let q = current;
    for (let i = 0; i < token.length; i++) {
      const c = token[i];
      const prev = i > 0 ? token[i - 1] : null;
      if ((c === '"' || c === "'") && prev !== '\\') {
        if (q) {
          if (c === q) q = null;
        } else q = c;
      }
    }
    return q;
  };
  const depth = (token: string, cur: number, open: string, close: string): number => {
    const n = token.split(open).length - 1 - (token.split(close).length - 1);
    return n === 0 ? cur : Math.max(0, cur + n);
  };

  lines.forEach((line, lineIdx) => {
    const tokens = line.split(' ');
    let continuation = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        if (params.length > 0) params[params.length - 1] += ' ';
        return;
      }
      if (token === '\\' && quoteChar === null) {
        continuation = true;
        return;
      }
      const wasInside = quoteChar !== null;
      quoteChar = quoteState(token, quoteChar);
      const inside = quoteChar !== null;
      const inJinja = printDepth > 0 || blockDepth > 0 || commentDepth > 0;
      let appended = false;
      if (inside && !wasInside && !inJinja) {
        params.push(token);
        appended = true;
      } else if (inJinja || inside || wasInside) {
        const last = params.length - 1;
        if (idx === 0 && wasInside) params[last] = `${params[last]}${token}`;
        else if (tokens.length > 1) params[last] = `${params[last]}${idx > 0 ? ' ' : ''}${token}`;
        else params[last] = `${params[last]}\n${token}`;
        appended = true;
      }
      for (const [open, close, which] of [['{{', '}}', 'p'], ['{%', '%}', 'b'], ['{#', '#}', 'c']] as const) {
        const before = which === 'p' ? printDepth : which === 'b' ? blockDepth : commentDepth;
        const after = depth(token, before, open, close);
        if (which === 'p') printDepth = after;
        else if (which === 'b') blockDepth = after;
        else commentDepth = after;
        if (after !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!(printDepth || blockDepth || commentDepth) && quoteChar === null && !appended && token !== '') params.push(token);
    });
    if (lines.length > 1 && lineIdx !== lines.length - 1 && !continuation && params.length > 0) params[params.length - 1] += '\n';
  });
  if (printDepth || blockDepth || commentDepth || quoteChar !== null) {
    throw new ConfigError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`, pos);
  }
  return params;
}

export function joinArgs(parts: string[]): string {
  let out = '';
  for (const p of parts) out += out.length === 0 || out.endsWith('\n') ? p : ` ${p}`;
  return out;
}
