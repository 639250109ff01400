import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inventoryCommand } from '../../src/cli/inventory.js';
import { writeTree } from './support.js';

const root = writeTree({
  'hosts.ini': [
    'top x=1',
    '[web]',
    "w2 d=\"{'k': [1, None]}\" s=\"it's\"",
    'w1',
    '[prod:children]',
    'web',
    '[prod:vars]',
    'p=yes',
    '[lonely]',
  ].join('\n'),
});
const inventory = [join(root, 'hosts.ini')];

describe('inventoryCommand', () => {
  it('--list prints sorted JSON with _meta, non-empty groups and all children', () => {
    const out = inventoryCommand({ inventory, list: true });
    expect(JSON.parse(out)).toEqual({
      _meta: { hostvars: { top: { x: 1 }, w2: { d: { k: [1, null] }, s: "it's", p: 'yes' }, w1: { p: 'yes' } } },
      all: { children: ['ungrouped', 'prod', 'lonely'] },
      ungrouped: { hosts: ['top'] },
      prod: { children: ['web'] },
      web: { hosts: ['w2', 'w1'] },
    });
    expect(out.split('\n').slice(0, 3)).toEqual(['{', '    "_meta": {', '        "hostvars": {']);
    expect(Object.keys(JSON.parse(out))).toEqual(['_meta', 'all', 'prod', 'ungrouped', 'web']);
  });

  it('--list --limit keeps only the limited hosts', () => {
    const out = JSON.parse(inventoryCommand({ inventory, list: true, limit: 'w1' }));
    expect(out._meta.hostvars).toEqual({ w1: { p: 'yes' } });
    expect(out.web).toEqual({ hosts: ['w1'] });
    expect(out.ungrouped).toBeUndefined();
  });

  it('--graph draws the tree, with Python-style values under --vars', () => {
    expect(inventoryCommand({ inventory, graph: true })).toBe(
      ['@all:', '  |--@ungrouped:', '  |  |--top', '  |--@prod:', '  |  |--@web:', '  |  |  |--w2', '  |  |  |--w1', '  |--@lonely:', ''].join('\n'),
    );
    const withVars = inventoryCommand({ inventory, graph: 'web', vars: true });
    expect(withVars.split('\n')).toEqual([
      '@web:',
      '  |--w2',
      "  |  |--{d = {'k': [1, None]}}",
      '  |  |--{p = yes}',
      "  |  |--{s = it's}",
      '  |--w1',
      '  |  |--{p = yes}',
      '',
    ]);
    expect(() => inventoryCommand({ inventory, graph: 'nope' })).toThrow(/valid group name/);
  });

  it('--host prints one host\'s vars', () => {
    expect(JSON.parse(inventoryCommand({ inventory, host: 'w1' }))).toEqual({ p: 'yes' });
    expect(parse(inventoryCommand({ inventory, host: 'top', yaml: true }))).toEqual({ x: 1 });
    expect(() => inventoryCommand({ inventory, host: 'ghost' })).toThrow(/ghost/);
  });

  it('--list --yaml nests groups with host vars written once', () => {
    expect(parse(inventoryCommand({ inventory, list: true, yaml: true }))).toEqual({
      all: {
        children: {
          ungrouped: { hosts: { top: { x: 1 } } },
          prod: { children: { web: { hosts: { w2: { d: { k: [1, null] }, s: "it's", p: 'yes' }, w1: { p: 'yes' } } } } },
          lonely: {},
        },
      },
    });
  });

  it('requires exactly one action', () => {
    expect(() => inventoryCommand({ inventory })).toThrow(/exactly one/);
    expect(() => inventoryCommand({ inventory, list: true, host: 'w1' })).toThrow(/exactly one/);
  });
});
