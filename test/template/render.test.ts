import { describe, expect, it } from 'vitest';
import {
  OMIT_TOKEN,
  TemplateError,
  UndefinedVariableError,
  evaluate,
  evaluateCondition,
  isTemplated,
  renderJinja,
  renderString,
  renderValue,
  type TemplateEnv,
} from '../../src/template/index.js';
import { plainVars, type VarSource } from '../../src/vars/types.js';

const env = (vars: Record<string, unknown> = {}, extra: Partial<TemplateEnv> = {}): TemplateEnv => ({
  vars: plainVars({ n: 5, f: 2.5, l: [1, 2], d: { a: 1, items: 'key' }, z: null, t: true, s: 'Hello', omit: OMIT_TOKEN, ...vars }),
  ...extra,
});

describe('isTemplated', () => {
  it('detects {{, {% and {#', () => {
    expect(isTemplated('a {{ b }}')).toBe(true);
    expect(isTemplated('{% if x %}{% endif %}')).toBe(true);
    expect(isTemplated('{# c #}')).toBe(true);
    expect(isTemplated('plain { text }')).toBe(false);
  });
});

describe('renderString: types of whole-expression results (jinja2_native off)', () => {
  it('returns bool/number/None variables untouched for "{{ name }}"', () => {
    expect(renderString('{{ n }}', env())).toBe(5);
    expect(renderString('{{ t }}', env())).toBe(true);
    expect(renderString('{{ z }}', env())).toBeNull();
  });
  it('turns other results to text, converting back only [..], {..}, True/False', () => {
    expect(renderString('{{ 5 }}', env())).toBe('5');
    expect(renderString('{{ n + 1 }}', env())).toBe('6');
    expect(renderString('{{ l }}', env())).toEqual([1, 2]);
    expect(renderString("{{ '[1, 2]' }}", env())).toEqual([1, 2]);
    expect(renderString("{{ 'True' }}", env())).toBe(true);
    expect(renderString('{{ n > 1 }}', env())).toBe(true);
    expect(renderString('{{ (1, 2) }}', env())).toBe('(1, 2)');
    expect(renderString(' {{ l }}', env())).toBe(' [1, 2]');
    expect(renderString('{{ none }}', env())).toBe('');
  });
  it('prints values like Python inside larger strings', () => {
    expect(renderString('{{ 10 / 2 }} {{ l }} {{ d }} {{ z }} {{ t }} {{ [none, "it\'s", 1.0] }}', env())).toBe(
      "5.0 [1, 2] {'a': 1, 'items': 'key'}  True [None, \"it's\", 1.0]",
    );
  });
  it('never renders the result of an expression again', () => {
    expect(renderString("{{ '{{ n }}' }}", env())).toBe('{{ n }}');
    expect(renderString('{{ tpl }}', env({ tpl: '{{ n }}' }))).toBe('{{ n }}');
  });
});

describe('expressions', () => {
  it('does Python arithmetic', () => {
    expect(evaluate('7 / 2', env())).toBe(3.5);
    expect(evaluate('7 // 2', env())).toBe(3);
    expect(evaluate('-7 // 2', env())).toBe(-4);
    expect(evaluate('-7 % 3', env())).toBe(2);
    expect(evaluate("'ab' * 2", env())).toBe('abab');
    expect(evaluate('l + [3]', env())).toEqual([1, 2, 3]);
    expect(evaluate("'a' ~ 1 ~ none", env())).toBe('a1None');
    expect(() => evaluate("'a' + 1", env())).toThrow(/can only concatenate str/);
    expect(() => evaluate('1 / 0', env())).toThrow(/division by zero/);
  });
  it('resolves attributes and items with Jinja fallbacks', () => {
    expect(evaluate('d.a', env())).toBe(1);
    expect(evaluate("d['a']", env())).toBe(1);
    expect(evaluate("d['items']", env())).toBe('key');
    expect(evaluate('d.items() | list', env())).toEqual([['a', 1], ['items', 'key']]);
    expect(evaluate('l.1', env())).toBe(2);
    expect(evaluate('l[-1]', env())).toBe(2);
    expect(evaluate('s[1:3]', env())).toBe('el');
  });
  it('calls string, list and dict methods', () => {
    expect(evaluate("'a,b,c'.split(',', 1)", env())).toEqual(['a', 'b,c']);
    expect(evaluate("'{}:{:>3}'.format('x', 7)", env())).toBe('x:  7');
    expect(evaluate("'%s=%03d' % ('k', 7)", env())).toBe('k=007');
    expect(evaluate("d.get('nope', 'dflt')", env())).toBe('dflt');
    expect(evaluate("s.startswith(('x', 'He'))", env())).toBe(true);
  });
  it('handles conditional expressions, with and without else', () => {
    expect(evaluate("'y' if t else 'n'", env())).toBe('y');
    expect(renderString("a{{ 'y' if false }}b", env())).toBe('ab');
  });
  it('supports lookups and range', () => {
    process.env.TSRUN_TEMPLATE_UNIT = 'v1';
    expect(evaluate("lookup('env', 'TSRUN_TEMPLATE_UNIT')", env())).toBe('v1');
    expect(evaluate("query('items', [1, [2]])", env())).toEqual([1, [2]]);
    expect(evaluate("lookup('items', [1, 2])", env())).toEqual([1, 2]);
    expect(evaluate("lookup('env', 'TSRUN_TEMPLATE_UNIT', 'HOME_NOPE_X', wantlist=True)", env())).toEqual(['v1', '']);
    expect(evaluate('range(2, 8, 3) | list', env())).toEqual([2, 5]);
  });
});

describe('undefined values', () => {
  it('throws UndefinedVariableError naming the variable and the expression', () => {
    try {
      renderString('x {{ foo }}', env({}, { context: "task 'T' (main.yml:3)" }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UndefinedVariableError);
      expect((err as UndefinedVariableError).variable).toBe('foo');
      expect((err as Error).message).toBe(`'foo' is undefined in "x {{ foo }}", task 'T' (main.yml:3)`);
    }
  });
  it('names missing attributes like Jinja', () => {
    expect(() => evaluate('d.nope', env())).toThrow(/'dict object' has no attribute 'nope'/);
    expect(() => evaluate('d.nope.deeper', env())).toThrow(/'dict object' has no attribute 'nope'/);
    expect(() => evaluate('foo + 1', env())).toThrow(UndefinedVariableError);
    expect(() => renderString('{% for x in foo %}{% endfor %}', env())).toThrow(UndefinedVariableError);
  });
  it('lets default, defined tests and mandatory see undefined values', () => {
    expect(evaluate("foo | default('x')", env())).toBe('x');
    expect(evaluate("d.nope | d('x')", env())).toBe('x');
    expect(evaluate("'' | default('x', true)", env())).toBe('x');
    expect(evaluate('foo is defined', env())).toBe(false);
    expect(evaluate('foo is undefined', env())).toBe(true);
    expect(evaluate("foo | default(omit)", env())).toBe(OMIT_TOKEN);
    expect(() => evaluate('foo | mandatory', env())).toThrow(/Mandatory variable 'foo' not defined/);
    expect(() => evaluate("foo | mandatory('need foo')", env())).toThrow(/need foo/);
  });
  it('propagates TemplateErrors thrown by lazy variable sources once', () => {
    const lazy: VarSource = {
      lookup: (name) => {
        if (name === 'bad') throw new TemplateError('inner problem');
        return undefined;
      },
      has: (name) => name === 'bad',
      names: () => ['bad'],
    };
    expect(() => renderString('{{ bad }}', { vars: lazy })).toThrow(/inner problem/);
  });
});

describe('statements in strings', () => {
  it('renders if/elif/else, for with loop vars and else, and set', () => {
    expect(renderString('{% if n > 9 %}a{% elif n > 3 %}b{% else %}c{% endif %}', env())).toBe('b');
    expect(renderString('{% for x in l %}{{ loop.index }}/{{ loop.length }}={{ x }}{% if not loop.last %},{% endif %}{% endfor %}', env())).toBe('1/2=1,2/2=2');
    expect(renderString('{% for x in [] %}{% else %}none{% endfor %}', env())).toBe('none');
    expect(renderString('{% set y = n * 2 %}{{ y }}', env())).toBe('10');
    expect(renderString('{% for x in l %}{% set y = x %}{% endfor %}{{ y | default("scoped") }}', env())).toBe('scoped');
    expect(renderString('{% for k, v in d.items() if v == 1 %}{{ k }}{% endfor %}', env())).toBe('a');
  });
});

describe('renderValue', () => {
  it('renders deeply, keys included, leaving non-strings alone', () => {
    expect(renderValue({ '{{ s }}': ['{{ n }}', 3, { k: '{{ l }}' }], b: false }, env())).toEqual({ Hello: [5, 3, { k: [1, 2] }], b: false });
  });
});

describe('evaluateCondition', () => {
  it('passes booleans through and evaluates bare expressions', () => {
    expect(evaluateCondition(true, env())).toBe(true);
    expect(evaluateCondition(false, env())).toBe(false);
    expect(evaluateCondition('n > 3 and t', env())).toBe(true);
    expect(evaluateCondition('{{ n > 30 }}', env())).toBe(false);
    expect(evaluateCondition('l', env())).toBe(true);
    expect(evaluateCondition('z', env())).toBe(false);
    expect(evaluateCondition('False', env())).toBe(false);
    expect(evaluateCondition(['t', 'n == 5'], env())).toBe(true);
  });
  it('templates first, then evaluates a resulting string as an expression, like Ansible', () => {
    expect(evaluateCondition('fs', env({ fs: 'False' }))).toBe(true);
    expect(evaluateCondition('{{ fs }}', env({ fs: 'False' }))).toBe(false);
    expect(() => evaluateCondition('{{ ys }}', env({ ys: 'yes' }))).toThrow(/'yes' is undefined/);
  });
  it('fails on undefined variables, naming the condition', () => {
    expect(() => evaluateCondition('nope', env())).toThrow(/The conditional check 'nope' failed: 'nope' is undefined/);
    expect(evaluateCondition('nope is defined and nope', env())).toBe(false);
  });
});

describe('trailing newlines', () => {
  it('keeps the input trailing newlines like Ansible does', () => {
    const e = { vars: plainVars({ t: true, x: 'v\n' }) };
    expect(renderString('{% if t %}yes{% endif %}\n', e)).toBe('yes\n');
    expect(renderString('{{ x }}\n', e)).toBe('v\n');
    expect(renderString('a{{ x }}\n\n', e)).toBe('av\n\n');
  });
});

describe('lazy mappings (VarSource values such as hostvars)', () => {
  it('are read like dicts without resolving every entry', () => {
    const resolved: string[] = [];
    const host = (name: string): VarSource => ({
      lookup: (k) => {
        resolved.push(`${name}.${k}`);
        return k === 'ansible_host' ? `10.0.0.${name.slice(1)}` : undefined;
      },
      has: (k) => k === 'ansible_host',
      names: () => ['ansible_host'],
    });
    const hostvars: VarSource = { lookup: (k) => (k === 'h1' || k === 'h2' ? host(k) : undefined), has: (k) => k === 'h1' || k === 'h2', names: () => ['h1', 'h2'] };
    const e = { vars: plainVars({ hostvars, groups: { all: ['h1', 'h2'] } }) };
    expect(renderString("{{ hostvars['h1'].ansible_host }}", e)).toBe('10.0.0.1');
    expect(resolved).toEqual(['h1.ansible_host']);
    expect(renderString("{{ groups.all | map('extract', hostvars, 'ansible_host') | list }}", e)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(renderString("{{ 'h2' in hostvars }}|{{ hostvars | length }}|{{ hostvars.h3 is defined }}", e)).toBe('True|2|False');
    expect(renderString('{{ hostvars.h1 }}', e)).toEqual({ ansible_host: '10.0.0.1' });
  });

  it('gives undefined (not an error) for attributes of undefined values, like AnsibleUndefined', () => {
    const e = { vars: plainVars({ d: {} }) };
    expect(evaluate('d.a.b is defined', e)).toBe(false);
    expect(evaluate('nope.x.y | default(3)', e)).toBe(3);
    expect(() => evaluate('d.a.b', e)).toThrow(/'dict object' has no attribute 'a'/);
  });
});

describe('raw blocks', () => {
  it('leave their content unrendered', () => {
    expect(renderString('a{% raw %}{{ x }}{% endraw %}b', { vars: plainVars({}) })).toBe('a{{ x }}b');
  });
});

describe('namespace', () => {
  it('lets loops set values seen after the loop', () => {
    const e = { vars: plainVars({ l: [1, 5, 3] }) };
    expect(renderString('{% set ns = namespace(found=false) %}{% for x in l %}{% if x > 4 %}{% set ns.found = x %}{% endif %}{% endfor %}{{ ns.found }}', e)).toBe('5');
  });
});

describe('renderJinja (.j2 files)', () => {
  it('always returns text and processes backslash escapes like Jinja', () => {
    const e = { vars: plainVars({ l: [1, 2] }) };
    expect(renderJinja('{{ l }}', e)).toBe('[1, 2]');
    expect(renderJinja("{{ 'a\\tb' }}\n", e)).toBe('a\tb\n');
    expect(() => renderJinja('{{ nope }}', e, 'templates/x.j2')).toThrow(/'nope' is undefined in "templates\/x.j2"/);
  });
});
