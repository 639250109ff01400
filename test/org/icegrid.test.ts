/**
 * The ice_via configs the install renders, run by the real ZeroC programs: icegridregistry,
 * icegridnode and glacier2router from the bundle's own .deb files (unpacked with dpkg -x, not
 * installed), on loopback ports. The registry and Glacier2 greet with the Ice protocol ("IceP",
 * what start and verify check), the node registers with the registry, and an ssl Glacier2 speaks
 * TLS with the certificate deploy pushes. The .deb files come from the bundle builder's cache
 * (.ci/run and test/lab/org.test.ts build it from the mirror).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import ejs from 'ejs';
import { afterEach, describe, expect } from 'vitest';
import { LAB_BASE } from '../lab/lab.js';
import { itIf } from '../support/needs.js';
import { sampleVars, type SampleHost } from './sample-vars.js';
import { REPO, eventually, freePorts, scratch } from './support.js';

const CACHE = join(LAB_BASE, '.org-packages-v2', 'packages');
const PACKAGES = ['zeroc-icegrid', 'zeroc-glacier2', 'libzeroc-ice3.7', 'libzeroc-icestorm3.7', 'liblmdb0'];
const missing = existsSync(CACHE) ? undefined : `needs the bundle builder's package cache ${CACHE} (.ci/run builds it)`;

/** The ZeroC programs and their libraries, unpacked into a scratch directory. */
function unpack(): { bin: string; env: NodeJS.ProcessEnv } {
  const root = scratch('zeroc-');
  for (const p of PACKAGES) {
    const deb = readdirSync(CACHE).find((f) => f.startsWith(`${p}_`));
    expect(deb, p).toBeDefined();
    expect(spawnSync('dpkg', ['-x', join(CACHE, deb!), root]).status).toBe(0);
  }
  return { bin: join(root, 'usr/bin'), env: { ...process.env, LD_LIBRARY_PATH: join(root, 'usr/lib/x86_64-linux-gnu') } };
}

/** The first 4 bytes an Ice server sends on a new connection. */
function greeting(port: number): Promise<string> {
  return new Promise((ok) => {
    let got = Buffer.alloc(0);
    const sock = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
    const done = () => (sock.destroy(), ok(got.subarray(0, 4).toString('latin1')));
    sock.on('data', (b: Buffer) => ((got = Buffer.concat([got, b])), got.length >= 4 && done()));
    for (const ev of ['timeout', 'error', 'close']) sock.on(ev, done);
  });
}

describe('IceGrid and Glacier2 run the rendered ice_via configs', () => {
  const running: ChildProcess[] = [];
  afterEach(() => {
    for (const c of running.splice(0)) c.kill('SIGKILL');
  });

  const render = (file: string, vars: Record<string, unknown>) => ejs.render(readFileSync(join(REPO, 'roles/ice_via/templates', `${file}.ejs`), 'utf8'), vars);

  for (const protocol of ['tcp', 'ssl']) {
    itIf(missing, `registry, node and router come up and answer (${protocol})`, async () => {
      const { bin, env } = unpack();
      const [registry, internal, node, glacier2] = await freePorts(4);
      const root = scratch('icevia-');
      const hosts: Record<string, SampleHost> = {
        ice1: { groups: ['ice_via'], vars: { ansible_host: '127.0.0.1', bind_address: '127.0.0.1', install_root: root, ice_via_protocol: protocol,
          ice_via_registry_port: registry, ice_via_registry_internal_port: internal, ice_via_glacier2_port: glacier2 } },
      };
      const base = sampleVars(hosts, 'ice1', 'ice_via');
      const ports = { registry, registry_internal: internal, node, glacier2 };
      const vars: Record<string, unknown> = { ...base, metis_ports: { ...(base.metis_ports as object), ice_via: ports } };
      const svc = String(vars.metis_svc_root);
      for (const d of ['conf', 'log', 'data/registry', 'data/node', 'tls']) mkdirSync(join(svc, d), { recursive: true });
      if (protocol === 'ssl') {
        const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ice1', '-keyout', join(svc, 'tls/ice_via.key'), '-out', join(svc, 'tls/ice_via.crt')]);
        expect(cert.status).toBe(0);
      }
      const start = (program: string, conf: string): ChildProcess => {
        writeFileSync(join(svc, 'conf', conf), render(conf, vars));
        const child = spawn(join(bin, program), [`--Ice.Config=${join(svc, 'conf', conf)}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
        Object.assign(child, { output: () => out });
        running.push(child);
        return child;
      };
      const output = (c: ChildProcess) => (c as ChildProcess & { output: () => string }).output();
      const reg = start('icegridregistry', 'icegridregistry.conf');
      await eventually('the registry greets', async () => ((await greeting(registry)) === 'IceP' ? true : undefined));
      const nodeProc = start('icegridnode', 'icegridnode.conf');
      const router = start('glacier2router', 'glacier2router.conf');
      await eventually('the node registered', async () => (output(reg).includes("node `ice1' up") ? true : undefined));
      expect(await greeting(internal)).toBe('IceP');
      await eventually('the node greets', async () => ((await greeting(node)) === 'IceP' ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      expect(router.exitCode, output(router)).toBeNull();
      if (protocol === 'tcp') {
        await eventually('Glacier2 greets', async () => ((await greeting(glacier2)) === 'IceP' ? true : undefined));
      } else {
        const tls = await eventually('Glacier2 speaks TLS', async () => {
          const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${glacier2}`], { input: '', encoding: 'utf8', timeout: 5000 });
          return /subject=CN ?= ?ice1/.test(r.stdout) ? r.stdout : undefined;
        });
        expect(tls).toMatch(/Cipher is TLS/);
      }
      for (const c of [reg, nodeProc, router]) expect(c.exitCode, output(c)).toBeNull();
    }, 60_000);
  }
});
