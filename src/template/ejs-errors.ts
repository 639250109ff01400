/**
 * Operator-facing EJS errors: the template's file:line and a plain sentence, never the text of
 * the JavaScript EJS generates (its `try { } catch`, `__append`, ...). Pure.
 */
import ejs from 'ejs';
import { Script } from 'node:vm';

interface Located {
  line: number;
  message: string;
}

/** The JavaScript inside `<% %>` tags, with the template line each piece starts on. */
function scriptlets(text: string): Array<{ code: string; line: number }> {
  const out: Array<{ code: string; line: number }> = [];
  const re = /<%(?!%)([_=#-]?)([\s\S]*?)[-_]?%>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] === '#') continue;
    out.push({ code: m[2], line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** A `{` never closed or a `}` closing nothing, by line; strings and comments are skipped. */
function braceProblem(text: string): Located | undefined {
  const open: number[] = [];
  for (const { code, line: start } of scriptlets(text)) {
    let line = start;
    for (let i = 0; i < code.length; i++) {
      const c = code[i];
      if (c === '\n') line++;
      else if (c === '"' || c === "'" || c === '`') {
        for (i++; i < code.length && code[i] !== c; i++) {
          if (code[i] === '\\') i++;
          else if (code[i] === '\n') line++;
        }
      } else if (c === '/' && code[i + 1] === '/') {
        while (i < code.length && code[i] !== '\n') i++;
        i--;
      } else if (c === '{') open.push(line);
      else if (c === '}') {
        if (open.length === 0) return { line, message: "this '}' closes nothing (one '<% } %>' too many?)" };
        open.pop();
      }
    }
  }
  if (open.length) return { line: open[open.length - 1], message: "the '{' opened here is never closed (missing '<% } %>')" };
  return undefined;
}

/** Where EJS's generated code fails to parse, mapped back through its `__line = N` markers. */
function generatedProblem(text: string, file: string): Located | undefined {
  const t = new ejs.Template(text, { filename: file, compileDebug: true, _with: true, localsName: 'locals' } as never) as unknown as { generateSource(): void; source: string };
  t.generateSource();
  try {
    new Script(`(function () {\n${t.source}\n})`, { filename: 'ejs-generated' });
    return undefined;
  } catch (err) {
    const at = /ejs-generated:(\d+)/.exec(String((err as Error).stack));
    const genLine = at ? Number(at[1]) - 1 : 0;
    let line = 1;
    for (const l of t.source.split('\n').slice(0, genLine)) {
      const m = /__line = (\d+)/.exec(l);
      if (m) line = Number(m[1]);
    }
    return { line, message: `the JavaScript in this tag is not valid: ${(err as Error).message}` };
  }
}

/** Why `text` does not compile as EJS, at which template line. */
export function locateSyntaxError(text: string, file: string, compileMessage: string): Located {
  return braceProblem(text) ?? generatedProblem(text, file) ?? { line: 1, message: compileMessage.replace(/ in \S+ while compiling ejs.*$/s, '') };
}

/** A runtime error thrown by template code, as a sentence about the template. */
export function plainRuntimeMessage(message: string): string {
  const read = /^Cannot read properties of (null|undefined) \(reading '(.*)'\)$/.exec(message);
  if (read) return `cannot read '${read[2]}' of ${read[1]}: a value used on this line is ${read[1]}`;
  const set = /^Cannot set properties of (null|undefined) \(setting '(.*)'\)$/.exec(message);
  if (set) return `cannot set '${set[2]}' on ${set[1]}: a value used on this line is ${set[1]}`;
  const notFn = /^(.+) is not a function$/.exec(message);
  if (notFn) return `'${notFn[1]}' is not a function`;
  return message;
}

/** The template's line `line`, for showing under the message. */
export function sourceLine(text: string, line: number): string {
  return text.split('\n')[line - 1]?.trimEnd() ?? '';
}
