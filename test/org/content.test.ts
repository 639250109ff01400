import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildDemoBundle } from '../../bundle/build-demo.mjs';
import { hostFacts } from './sample-vars.js';
import { BUNDLE, REPO, scratch } from './support.js';
import { describeIf, itIf, programMissing } from '../support/needs.js';

const SERVICES = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute', 'orchestrator'];
const PLAYBOOKS = ['prepare', 'bootstrap', 'deploy', 'start', 'stop', 'cleanup', 'verify'];
const ansibleMissing = programMissing('ansible-playbook', 'ansible');

function yamlFile(rel: string): unknown {
  return parse(readFileSync(join(REPO, rel), 'utf8'));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

type PlayDoc = { name?: string; hosts?: string; serial?: number; tags?: string[]; vars?: Record<string, unknown>; roles?: { role: string; when?: string }[]; tasks?: { import_tasks?: string; when?: string }[]; import_playbook?: string };

describe('demo bundle', () => {
  it('is up to date with its source and the manifest checksums match the files', () => {
    const built = buildDemoBundle(BUNDLE);
    for (const [rel, text] of Object.entries(built)) expect(readFileSync(join(BUNDLE, rel), 'utf8'), `bundle/${rel} is stale: run node bundle/build-demo.mjs`).toBe(text);
    const manifest = parse(built['manifest.yml']) as { artifacts: { service: string; sha256: string; file: string; version: string; architecture: string }[] };
    expect(manifest.artifacts.map((a) => a.service)).toEqual(SERVICES);
    for (const a of manifest.artifacts) {
      expect(createHash('sha256').update(readFileSync(join(BUNDLE, a.file))).digest('hex')).toBe(a.sha256);
      expect(readFileSync(join(BUNDLE, a.file), 'utf8')).toContain('DEMO stand-in');
    }
  });
});

describe('roles and playbooks', () => {
  it('have a role per service with defaults, tasks, meta and EJS templates', () => {
    for (const svc of SERVICES) {
      for (const f of ['defaults/main.yml', 'tasks/main.yml', 'meta/main.yml', 'handlers/main.yml']) expect(existsSync(join(REPO, 'roles', svc, f)), `${svc}/${f}`).toBe(true);
      const templates = readdirSync(join(REPO, 'roles', svc, 'templates'));
      expect(templates.length, svc).toBeGreaterThan(0);
      expect(templates.every((t) => t.endsWith('.ejs')), svc).toBe(true);
    }
    for (const f of walk(join(REPO, 'roles')).filter((f) => f.endsWith('.yml'))) expect(() => parse(readFileSync(f, 'utf8')), f).not.toThrow();
  });

  it('hard-code no install paths or ports in role tasks and templates', () => {
    const files = walk(join(REPO, 'roles')).filter((f) => /\/(tasks|templates|handlers)\//.test(f));
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/\/opt\/|\/srv\/|\/var\/opt|\/etc\/systemd/);
      const numbers = [...text.matchAll(/(?<![\w.-])[1-9]\d{3,4}(?![\w.])/g)].map((m) => m[0]).filter((n) => n !== '65536' && n !== '1024');
      expect(numbers, f).toEqual([]);
    }
  });

  it('run services in order, each play tagged with its service and skipped when disabled', () => {
    const plays = (name: string) => (yamlFile(`playbooks/${name}.yml`) as PlayDoc[]).filter((p) => p.hosts && SERVICES.includes(p.hosts));
    // deploy: each service's play is followed by its rolling restart, one host at a time.
    const order = (name: string) => plays(name).filter((p) => name !== 'deploy' || p.roles);
    expect(plays('deploy').map((p) => [p.hosts, p.roles ? 'deploy' : `restart serial=${p.serial}`])).toEqual(SERVICES.flatMap((s) => [[s, 'deploy'], [s, 'restart serial=1']]));
    expect(order('start').map((p) => p.hosts)).toEqual(SERVICES);
    expect(order('stop').map((p) => p.hosts)).toEqual([...SERVICES].reverse());
    expect(order('cleanup').map((p) => p.hosts)).toEqual([...SERVICES].reverse());
    for (const name of ['deploy', 'start', 'stop', 'cleanup']) {
      for (const play of order(name)) {
        expect(play.tags, `${name}: ${play.name}`).toEqual([play.hosts]);
        expect(play.vars?.svc).toBe(play.hosts);
        if (name === 'deploy') expect(play.roles).toEqual([{ role: 'service', when: `metis_enabled.${play.hosts}` }, { role: play.hosts, when: `metis_enabled.${play.hosts}` }]);
        if (name === 'start' || name === 'stop') expect(play.tasks?.[0].when).toBe(`metis_enabled.${play.hosts}`);
      }
    }
  });

  itIf(ansibleMissing, 'pass ansible-playbook --syntax-check', () => {
    const home = scratch('metis-ansible-');
    const r = spawnSync('ansible-playbook', ['-i', join(REPO, 'inventory.ini'), '--syntax-check', ...PLAYBOOKS.map((p) => join(REPO, 'playbooks', `${p}.yml`))], {
      encoding: 'utf8',
      env: { ...process.env, HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_NOCOLOR: '1' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

/**
 * group_vars/all.yml derives every effective setting; ansible-core evaluates it here (debug of
 * the derived variables) for both shipped inventories, so the Jinja is checked by the reference
 * implementation and the test helpers' model of it (sample-vars.ts) is checked against it.
 */
describeIf(ansibleMissing, 'group_vars/all.yml under ansible-core', () => {
  const derived = ['metis_install_root', 'metis_host_root', 'metis_ports', 'metis_enabled_services', 'metis_host_services', 'metis_host_ports', 'metis_consul_urls', 'metis_consul_join', 'metis_become', 'metis_user', 'metis_service_mode', 'metis_bundle_dir', 'metis_checks', 'metis_advertise_address', 'metis_processes', 'metis_health_url', 'metis_artifact_command'];

  function evaluate(inventory: string, extra: string[] = []): Record<string, Record<string, unknown>> {
    const home = scratch('metis-ansible-');
    const pb = join(home, 'pb');
    mkdirSync(pb);
    // Next to the real playbooks so playbook_dir-relative defaults resolve the same way.
    const playbook = join(REPO, 'playbooks', `.derived-${process.pid}.yml`);
    writeFileSync(
      playbook,
      `- hosts: all\n  gather_facts: false\n  vars: { svc: data, ansible_user_id: tester, ansible_service_mgr: none }\n  tasks:\n    - debug: { msg: "{{ {${derived.map((d) => `'${d}': ${d}`).join(', ')}} }}" }\n`,
    );
    try {
      const r = spawnSync('ansible-playbook', ['-i', inventory, playbook, ...extra], {
        encoding: 'utf8',
        env: { ...process.env, HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1' },
      });
      expect(r.status, r.stderr + r.stdout.slice(0, 3000)).toBe(0);
      const out = JSON.parse(r.stdout) as { plays: { tasks: { hosts: Record<string, { msg: Record<string, unknown> }> }[] }[] };
      return Object.fromEntries(Object.entries(out.plays[0].tasks[0].hosts).map(([h, v]) => [h, v.msg]));
    } finally {
      spawnSync('rm', ['-f', playbook]);
    }
  }

  it('gives the default local inventory distinct ports and directories per alias, no sudo', () => {
    const v = evaluate(join(REPO, 'inventory.ini'));
    expect(v.data2).toMatchObject({
      metis_install_root: `${REPO}/.metis-local`,
      metis_host_root: `${REPO}/.metis-local/data2`,
      metis_host_services: ['data'],
      metis_become: false,
      metis_user: 'tester',
      metis_service_mode: 'process',
      metis_bundle_dir: `${REPO}/bundle`,
      metis_advertise_address: '127.0.0.1',
      metis_health_url: 'http://127.0.0.1:18643/health',
    });
    // ansible-core renders numbers nested in lists and dicts as strings; tsrun keeps them numbers.
    const nums = (x: unknown) => (x as unknown[]).map(Number);
    expect(nums(v.data2.metis_host_ports)).toEqual([18643, 18642]);
    expect(nums(v.data1.metis_host_ports)).toEqual([18641, 18640]);
    expect(v.consul2.metis_consul_urls).toEqual(['http://127.0.0.1:18500', 'http://127.0.0.1:18510', 'http://127.0.0.1:18520']);
    expect(v.consul2.metis_consul_join).toEqual(['127.0.0.1:18301', '127.0.0.1:18311', '127.0.0.1:18321']);
    expect((v.orchestrator1.metis_checks as Record<string, boolean>).nbd).toBe(false);
    expect((v.consul1.metis_checks as Record<string, boolean>).root_login).toBe(true);
    expect(v.admin1.metis_enabled_services).toEqual(SERVICES);
    expect(v.data1.metis_processes).toEqual([{ name: 'data', command: `/usr/bin/node ${REPO}/.metis-local/data1/data/bin/metis-data-1.0.0-demo.mjs --config ${REPO}/.metis-local/data1/data/conf/data.json`, marker: `${REPO}/.metis-local/data1/data/conf/data.json` }]);
    // Every port on the machine is distinct across aliases.
    const all = Object.entries(v).flatMap(([, x]) => nums(x.metis_host_ports));
    expect(new Set(all).size).toBe(all.length);
  });

  it('honours enable_deploy_* from -e, and matches the test model for the example inventory', () => {
    const v = evaluate(join(REPO, 'inventory.example.ini'), ['-e', 'enable_deploy_compute=False', '--limit', 'node-1,node-3']);
    expect(v['node-1'].metis_enabled_services).toEqual(SERVICES.filter((s) => s !== 'compute'));
    expect(v['node-1'].metis_host_services).toEqual(['data']);
    expect(v['node-3'].metis_host_services).toEqual([]);
    expect(v['node-1']).toMatchObject({ metis_become: true, metis_user: 'metis', metis_host_root: '/opt/metis' });
    const inv = spawnSync('ansible-inventory', ['-i', join(REPO, 'inventory.example.ini'), '--list'], { encoding: 'utf8', env: { ...process.env, HOME: scratch('metis-ansible-') } });
    const hostvars = (JSON.parse(inv.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> } })._meta.hostvars;
    const model = hostFacts('node-1', { groups: ['data', 'compute'], vars: hostvars['node-1'] }, {}, {});
    const numeric = (ports: unknown) => JSON.parse(JSON.stringify(ports), (_k, x) => (typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x));
    expect(model.metis_ports).toEqual(numeric(v['node-1'].metis_ports));
    expect(model.metis_host_root).toBe(v['node-1'].metis_host_root);
  });
});
