import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError, UndefinedVariableError, renderEjs, renderEjsFile, type TemplateEnv } from '../../src/template/index.js';
import type { VarSource } from '../../src/vars/types.js';

function lazyVars(values: Record<string, unknown>, seen: string[]): VarSource {
  return {
    lookup: (n) => {
      seen.push(n);
      return values[n];
    },
    has: (n) => n in values,
    names: () => Object.keys(values),
  };
}

const values = {
  inventory_hostname: 'web1',
  groups: { consul: ['c1', 'c2'] },
  hostvars: { c1: { ansible_host: '10.0.0.1' }, c2: { ansible_host: '10.0.0.2' } },
  upper: 'shadowing variable',
};

describe('EJS templates', () => {
  it('resolves variables lazily as top-level locals and exposes filters', () => {
    const seen: string[] = [];
    const env: TemplateEnv = { vars: lazyVars(values, seen) };
    const out = renderEjs(
      '<%= inventory_hostname %>\n<% for (const h of groups.consul) { -%>\n<%= h %>=<%= hostvars[h].ansible_host %> <%= lower("X") %> <%= filters.upper(h) %>\n<% } -%>\n<%= upper %>',
      '/t/x.ejs',
      env,
    );
    expect(out).toBe('web1\nc1=10.0.0.1 x C1\nc2=10.0.0.2 x C2\nshadowing variable');
    expect(seen).not.toContain('nope');
    expect(new Set(seen)).toEqual(new Set(['inventory_hostname', 'groups', 'hostvars', 'upper']));
  });

  it('names the file and line of an undefined variable', () => {
    const env: TemplateEnv = { vars: lazyVars(values, []), context: "task 'cfg'" };
    try {
      renderEjs('a\nb\n<%= nope %>', '/t/y.ejs', env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UndefinedVariableError);
      expect((err as Error).message).toBe("/t/y.ejs:3: 'nope' is undefined, task 'cfg'");
    }
  });

  it('turns exceptions into a short TemplateError', () => {
    const env: TemplateEnv = { vars: lazyVars(values, []) };
    expect(() => renderEjs('x\n<%= hostvars.zz.ansible_host %>', '/t/z.ejs', env)).toThrow(
      /^\/t\/z\.ejs:2: cannot read 'ansible_host' of undefined: a value used on this line is undefined\n {4}<%= hostvars\.zz\.ansible_host %>$/,
    );
    expect(() => renderEjs('x\n<%= none.y %>', '/t/n.ejs', { vars: lazyVars({ none: null }, []) })).toThrow(
      /^\/t\/n\.ejs:2: cannot read 'y' of null: a value used on this line is null\n/,
    );
    expect(() => renderEjs('<% if ( { %>', '/t/s.ejs', env)).toThrow(TemplateError);
  });

  // Syntax errors name the template line and say what is wrong in words, never EJS's generated
  // code ("Unexpected token 'catch'", "while compiling ejs").
  it.each([
    ['a\n<% if (true) { %>\nb\n', 2, "the '{' opened here is never closed (missing '<% } %>')"],
    ['a\nb\n<% } %>\n', 3, "this '}' closes nothing (one '<% } %>' too many?)"],
    ['a\n<% for (const x of [1]) { %>\n<%= x %>\n<% } %>\n<%= f( %>\n', 5, 'the JavaScript in this tag is not valid: missing ) after argument list'],
  ])('syntax error %#: file:line and a sentence', (text, line, sentence) => {
    const env: TemplateEnv = { vars: lazyVars(values, []) };
    let message = '';
    try {
      renderEjs(text, '/t/bad.ejs', env);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')[0]).toBe(`/t/bad.ejs:${line}: EJS syntax error: ${sentence}`);
    expect(message).not.toMatch(/catch|compiling|__append/);
  });

  // Config templates are not HTML: `<%=` writes text as it is; escape_html() escapes on request.
  it('<%= writes raw text; escape_html escapes where asked', () => {
    const env: TemplateEnv = { vars: lazyVars({ s: "it's <b>&\"q\"", k: { a: "o'k" } }, []) };
    expect(renderEjs('<%= s %>|<%- s %>|<%= to_json(k) %>', '/t/raw.ejs', env)).toBe('it\'s <b>&"q"|it\'s <b>&"q"|{"a": "o\'k"}');
    expect(renderEjs('<%= escape_html(s) %>', '/t/html.ejs', env)).toBe('it&#39;s &lt;b&gt;&amp;&#34;q&#34;');
    expect(renderEjs('[<%= undefined %><%= null %>]', '/t/nil.ejs', env)).toBe('[]');
  });

  it('includes other templates relative to the file, with extra locals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-ejs-'));
    writeFileSync(join(dir, 'main.ejs'), "<%- include('parts/item', { label: 'L' }) %>|<%= inventory_hostname %>");
    const parts = join(dir, 'parts');
    (await import('node:fs')).mkdirSync(parts);
    writeFileSync(join(parts, 'item.ejs'), '<%= label %>:<%= inventory_hostname %>');
    const out = await renderEjsFile(join(dir, 'main.ejs'), { vars: lazyVars(values, []) });
    expect(out).toBe('L:web1|web1');
    await expect(renderEjsFile(join(dir, 'missing.ejs'), { vars: lazyVars(values, []) })).rejects.toThrow(/cannot read template/);
  });
});
