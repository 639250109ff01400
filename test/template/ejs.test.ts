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
      /^\/t\/z\.ejs:2: Cannot read properties of undefined \(reading 'ansible_host'\)$/,
    );
    expect(() => renderEjs('<% if ( { %>', '/t/s.ejs', env)).toThrow(TemplateError);
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
