import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { writeTree } from './support.js';
import { controllerPython } from '../../src/util/controller-python.js';

describe('hostVarLayers', () => {
  it('merges inventory group vars all < parent < child, siblings alphabetically', () => {
    const root = writeTree({
      'hosts.ini': [
        '[zeta]', 'h1', '[alpha]', 'h1', '[parent:children]', 'zeta',
        '[all:vars]', 'v=all', 'a=1',
        '[parent:vars]', 'v=parent', 'p=1',
        '[alpha:vars]', 'v=alpha',
        '[zeta:vars]', 'v=zeta',
      ].join('\n'),
    });
    const inv = loadInventory([join(root, 'hosts.ini')]);
    // depth: alpha 1, parent 1, zeta 2 -> alpha < parent < zeta
    expect(inv.hostVarLayers('h1').inventoryGroupVars).toEqual({ v: 'zeta', a: 1, p: 1 });
  });

  it('lets ansible_group_priority reorder groups of equal depth, and hides it from hosts', () => {
    const root = writeTree({
      'hosts.ini': ['[a]', 'h1', '[b]', 'h1', '[a:vars]', 'v=a', 'ansible_group_priority=9', '[b:vars]', 'v=b'].join('\n'),
    });
    const inv = loadInventory([join(root, 'hosts.ini')]);
    expect(inv.hostVarLayers('h1').inventoryGroupVars).toEqual({ v: 'a' });
    expect(inv.groups.get('a')!.vars).toEqual({ v: 'a', ansible_group_priority: 9 });
  });

  it('keeps each layer separate and puts the playbook directory after the inventory directory', () => {
    const root = writeTree({
      'inv/hosts.ini': '[web]\nw1 hv=line\n[web:vars]\ngv=ini\n',
      'inv/group_vars/all.yml': 'all_src: inv\nboth_all: inv\n',
      'inv/group_vars/web.yml': 'web_src: inv\nboth_web: inv\n',
      'inv/host_vars/w1.yml': 'host_src: inv\nboth_host: inv\n',
      'play/group_vars/all.yml': 'both_all: play\n',
      'play/group_vars/web/main.yml': 'both_web: play\n',
      'play/host_vars/w1': 'both_host: play\n',
    });
    const inv = loadInventory([join(root, 'inv/hosts.ini')]);
    expect(inv.hostVarLayers('w1', join(root, 'play'))).toEqual({
      inventoryGroupVars: { gv: 'ini' },
      groupVarsAll: { all_src: 'inv', both_all: 'play' },
      groupVarsGroups: { web_src: 'inv', both_web: 'play' },
      inventoryHostVars: { hv: 'line' },
      hostVarsFiles: { host_src: 'inv', both_host: 'play' },
    });
    expect(inv.hostVarLayers('w1').groupVarsAll).toEqual({ all_src: 'inv', both_all: 'inv' });
  });

  it('reads group_vars for every inventory source, in source order', () => {
    const root = writeTree({
      'a/hosts.ini': '[g]\nh1\n',
      'a/group_vars/g.yml': 'x: a\nw: a\n',
      'b/hosts.yml': 'g:\n  hosts:\n    h2:\n',
      'b/group_vars/g.yml': 'x: b\n',
    });
    const inv = loadInventory([join(root, 'a/hosts.ini'), join(root, 'b/hosts.yml')]);
    expect(inv.hostNames).toEqual(['h1', 'h2']);
    expect(inv.hostVarLayers('h1').groupVarsGroups).toEqual({ x: 'b', w: 'a' });
    expect(inv.sources('h2')).toEqual({ inventoryFile: join(root, 'b/hosts.yml'), inventoryDir: join(root, 'b') });
  });

  it('rejects vars files that are not mappings, naming the file', () => {
    const root = writeTree({ 'hosts.ini': '[g]\nh1\n', 'group_vars/g.yml': '- a\n- b\n' });
    const inv = loadInventory([join(root, 'hosts.ini')]);
    expect(() => inv.hostVarLayers('h1')).toThrow(`${join(root, 'group_vars/g.yml')}: a vars file must contain a mapping`);
  });

  it('gives the implicit localhost the all-group vars, a local connection and the controller\'s Python', () => {
    const root = writeTree({ 'hosts.ini': '[all:vars]\nx=1\n[g]\nh1\n' });
    const inv = loadInventory([join(root, 'hosts.ini')]);
    const layers = inv.hostVarLayers('localhost');
    expect(layers.inventoryGroupVars).toEqual({ x: 1 });
    const python = controllerPython();
    expect(layers.inventoryHostVars).toEqual({ ansible_connection: 'local', ...(python ? { ansible_python_interpreter: python } : {}) });
    expect(() => inv.hostVarLayers('nothere')).toThrow(/not in the inventory/);
  });
});

describe('groups, group_names and the groups variable', () => {
  const root = writeTree({
    'hosts.ini': ['loose', '[web]', 'w1', 'w2', '[db]', 'd1', '[prod:children]', 'web', 'db', '[empty]'].join('\n'),
  });
  const inv = loadInventory([join(root, 'hosts.ini')]);

  it('lists hosts in order of first appearance and all groups including implicit ones', () => {
    expect(inv.hostNames).toEqual(['loose', 'w1', 'w2', 'd1']);
    expect([...inv.groups.keys()]).toEqual(['all', 'ungrouped', 'web', 'db', 'prod', 'empty']);
    expect(inv.groups.get('all')!.children).toEqual(['ungrouped', 'prod', 'empty']);
    expect(inv.groups.get('prod')).toEqual({ name: 'prod', hosts: [], children: ['web', 'db'], vars: {} });
  });

  it('computes group_names like Ansible (sorted, ancestors included, ungrouped kept)', () => {
    expect(inv.groupNames('w1')).toEqual(['prod', 'web']);
    expect(inv.groupNames('loose')).toEqual(['ungrouped']);
  });

  it('computes the groups variable with descendants\' hosts', () => {
    expect(inv.groupsVar()).toEqual({
      all: ['loose', 'w1', 'w2', 'd1'],
      ungrouped: ['loose'],
      web: ['w1', 'w2'],
      db: ['d1'],
      prod: ['w1', 'w2', 'd1'],
      empty: [],
    });
  });
});

describe('sources', () => {
  it('names the file a host came from, also inside a directory source', () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'inventory', '34-dir-source', 'inv');
    const inv = loadInventory([dir]);
    expect(inv.sources('m1')).toEqual({ inventoryFile: join(dir, 'sub', '04-more.yaml'), inventoryDir: join(dir, 'sub') });
    expect(inv.sources('d1')).toEqual({ inventoryFile: join(dir, '02-db'), inventoryDir: dir });
    // group_vars/host_vars come from the directory given as the source.
    expect(inv.hostVarLayers('w1').groupVarsGroups).toEqual({ from_dir_group_vars: true });
    expect(inv.hostVarLayers('d1').hostVarsFiles).toEqual({ d1_file: 1 });
  });
});
