import { describe, expect, it } from 'vitest';
import { renderValue } from '../../src/template/index.js';
import { unsafeText } from '../../src/yaml/yaml.js';
import { Scope } from '../../src/vars/scope.js';
import { trackUnsafe } from '../../src/vars/unsafe.js';

/** Which renders read an unsafe value (Ansible's AnsibleContext.unsafe); the oracle is test/fixtures/parity/targets-unsafe-loops.yml. */
describe('trackUnsafe', () => {
  const scope = new Scope([
    { name: 'vars', templated: true, values: { plain: 'p', marked: unsafeText('{{ x }}'), looked: "{{ lookup('env', 'HOME') }}", num: 3 } },
    { name: 'registered', templated: false, values: { out: { stdout: 'o', rc: 0 }, counts: { a: 1 } } },
    { name: 'magic', templated: false, safe: true, values: { inventory_hostname: 'h' } },
    { name: 'set_fact', templated: false, renderedNames: new Set(['again']), values: { again: 'a', kept: 'k' } },
  ]);
  const unsafeAfter = (template: string) => {
    const t = trackUnsafe(scope);
    renderValue(template, { vars: t });
    return t.touched();
  };

  it.each([
    ['{{ plain }} {{ num }}', false],
    ['{{ marked }}', true],
    ['{{ looked }}', true],
    ['{{ out.rc }}', true],
    ['{{ counts }}', false],
    ['{{ inventory_hostname }}', false],
    ['{{ again }}', false],
    ['{{ kept }}', true],
    ['{{ missing | default(1) }}', false],
  ])('%s: unsafe %s', (template, expected) => {
    expect(unsafeAfter(template)).toBe(expected);
  });

  it('renders a set_fact name marked to be rendered again, and leaves the others', () => {
    const s = new Scope([
      { name: 'vars', templated: true, values: { ver: '2' } },
      { name: 'set_fact', templated: false, renderedNames: new Set(['safe']), values: { safe: 'v{{ ver }}', raw: 'v{{ ver }}' } },
    ]);
    expect([s.lookup('safe'), s.lookup('raw')]).toEqual(['v2', 'v{{ ver }}']);
  });
});
