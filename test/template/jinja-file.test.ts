import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTemplateFile } from '../../src/template/index.js';
import { plainVars } from '../../src/vars/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tsrun-jinja-file-'));
mkdirSync(join(dir, 'templates'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, 'templates', name);
  writeFileSync(path, text);
  return path;
}

const env = { vars: plainVars({ items: [1, 2], name: 'x' }), searchPath: [dir] };
const render = (name: string, text: string, vars?: Record<string, unknown>) => renderTemplateFile(file(name, text), env, { vars });

describe('Jinja template files', () => {
  it('renders .j2 (and any non-.ejs name) as Jinja, .ejs as EJS', async () => {
    expect(await render('a.j2', '{% for i in items %}{{ i }}{% endfor %}\n')).toBe('12\n');
    expect(await render('a.conf', '{{ name }}')).toBe('x');
    expect(await render('a.ejs', '<%= name %>')).toBe('x');
  });

  it('names the file and line of a syntax or runtime error', async () => {
    await expect(render('bad.j2', 'ok\n{% if %}\n')).rejects.toThrow(/bad\.j2:2: syntax error/);
    await expect(render('undef.j2', 'a\nb\n{{ nope }}\n')).rejects.toThrow(/undef\.j2:3: 'nope' is undefined/);
    await expect(render('tag.j2', '{% frobnicate %}')).rejects.toThrow(/tag\.j2:1: Encountered unknown tag 'frobnicate'/);
    await expect(render('unclosed.j2', '{% for i in items %}')).rejects.toThrow(/unclosed\.j2.*expected one of 'else', 'endfor'/);
  });

  it('names the included template when the error is inside it', async () => {
    file('inner.j2', 'line1\n{{ missing_var }}\n');
    await expect(render('outer.j2', '{% include "inner.j2" %}')).rejects.toThrow(/inner\.j2:2: 'missing_var' is undefined/);
    await expect(render('noinc.j2', '{% include "absent.j2" %}')).rejects.toThrow(/TemplateNotFound: absent\.j2/);
    await expect(render('dots.j2', '{% include "../templates/inner.j2" %}')).rejects.toThrow(/TemplateNotFound/);
  });

  it('checks macro arguments like Jinja', async () => {
    await expect(render('m1.j2', '{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}')).rejects.toThrow(/macro 'm' takes not more than 1 argument/);
    await expect(render('m2.j2', '{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=1) }}')).rejects.toThrow(/takes no keyword argument 'b'/);
    expect(await render('m3.j2', '{% macro m(a, b=a ~ "!") %}{{ b }}{% endmacro %}{{ m("hi") }}')).toBe('hi!');
  });

  it('keeps header variables over task variables and rejects bad #jinja2: overrides', async () => {
    expect(await render('h.j2', '{{ name }}', { name: 'header' })).toBe('header');
    await expect(render('o.j2', '#jinja2: trim_blocks False\nx')).rejects.toThrow(/o\.j2:1: failed to parse jinja2 override/);
    await expect(render('o2.j2', '#jinja2: autoescape: True\nx')).rejects.toThrow(/unsupported jinja2 override/);
  });
});
