#!/usr/bin/env node
// The bundle builder for Debian packages. Run it on a Debian machine of the targets' release whose
// apt reaches a mirror; it downloads the named packages with every dependency (Depends and
// Pre-Depends, first alternative, first provider of a virtual package) into BUNDLE/packages/ and
// writes BUNDLE/packages.yml: one entry per .deb, dependencies before what needs them (the order
// deploy installs them in), each with its sha256. prepare verifies the files offline; deploy
// installs, with the apt module's deb:, the ones a host lacks.
//
//   node scripts/build-packages.mjs BUNDLE_DIR SERVICE=PACKAGE[,PACKAGE...] ...
//   e.g. node scripts/build-packages.mjs /srv/metis-bundle admin=nginx
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function usage(msg) {
  process.stderr.write(`${msg}\nusage: node scripts/build-packages.mjs BUNDLE_DIR SERVICE=PACKAGE[,PACKAGE...] ...\n`);
  process.exit(2);
}

const [bundle, ...specs] = process.argv.slice(2);
if (!bundle || specs.length === 0) usage('missing arguments');
const SERVICES = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute', 'orchestrator'];
const wanted = specs.map((s) => {
  const m = /^([a-z_]+)=([a-z0-9][a-z0-9+.-]*(?:,[a-z0-9][a-z0-9+.-]*)*)$/.exec(s);
  if (!m || !SERVICES.includes(m[1])) usage(`bad argument ${JSON.stringify(s)}: SERVICE=PACKAGE with SERVICE one of ${SERVICES.join(', ')}`);
  return { service: m[1], packages: m[2].split(',') };
});

const apt = (args) => execFileSync('apt-cache', args, { encoding: 'utf8' });

/**
 * Direct dependencies of several packages at once (one apt-cache run per level of the walk):
 * the first alternative of each group; a virtual package resolved to its first provider.
 */
function depsOf(pkgs) {
  const out = apt(['depends', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...pkgs]).split('\n');
  const deps = new Map();
  let current;
  let skipNext = false;
  for (let i = 0; i < out.length; i++) {
    if (/^\S/.test(out[i])) {
      current = out[i].trim().replace(/:any$/, '');
      deps.set(current, []);
      skipNext = false;
      continue;
    }
    const m = /^ {2}(\|?)(?:Pre)?Depends: (.+)$/.exec(out[i]);
    if (!m || !current) continue;
    const alternative = m[1] === '|';
    if (skipNext) {
      skipNext = alternative;
      continue;
    }
    skipNext = alternative; // the rest of an "a | b | c" group is not needed
    let name = m[2].trim().replace(/:any$/, '');
    if (name.startsWith('<')) {
      const provider = /^ {4}(\S+)$/.exec(out[i + 1] ?? '');
      if (!provider) continue; // nothing provides it: optional in practice
      name = provider[1].replace(/:any$/, '');
    }
    deps.get(current).push(name);
  }
  return deps;
}

// The dependency graph, level by level; then dependencies first (post-order), each package once.
const graph = new Map();
let frontier = [...new Set(wanted.flatMap((w) => w.packages))];
while (frontier.length > 0) {
  const found = depsOf(frontier);
  for (const p of frontier) graph.set(p, found.get(p) ?? []);
  frontier = [...new Set([...found.values()].flat())].filter((p) => !graph.has(p));
}
const order = [];
const seen = new Set();
const services = new Map();
function visit(pkg, service) {
  if (seen.has(`${service} ${pkg}`)) return; // also ends dependency cycles
  seen.add(`${service} ${pkg}`);
  if (!services.has(pkg)) services.set(pkg, new Set());
  services.get(pkg).add(service);
  for (const d of graph.get(pkg) ?? []) visit(d, service);
  if (!order.includes(pkg)) order.push(pkg);
}
for (const w of wanted) for (const p of w.packages) visit(p, w.service);

const dir = join(bundle, 'packages');
mkdirSync(dir, { recursive: true });
execFileSync('apt-get', ['download', '-qq', ...order], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
const files = readdirSync(dir).filter((f) => f.endsWith('.deb'));

const field = (file, name) => execFileSync('dpkg-deb', ['-f', join(dir, file), name], { encoding: 'utf8' }).trim();
const entries = order.map((pkg) => {
  const file = files.find((f) => f.startsWith(`${pkg}_`) && field(f, 'Package') === pkg);
  if (!file) throw new Error(`apt-get download gave no .deb for ${pkg}`);
  const sha256 = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
  return { name: pkg, version: field(file, 'Version'), architecture: field(file, 'Architecture'), sha256, file: `packages/${file}`, services: [...services.get(pkg)] };
});

const yaml = [
  '# Debian packages for the bundle, written by scripts/build-packages.mjs; dependencies come first',
  '# (deploy installs them in this order, only those a host lacks). Do not edit: rebuild.',
  `requested: ${JSON.stringify(Object.fromEntries(wanted.map((w) => [w.service, w.packages])))}`,
  'packages:',
  ...entries.flatMap((e) => [
    `  - name: ${e.name}`,
    `    version: ${JSON.stringify(e.version)}`,
    `    architecture: ${e.architecture}`,
    `    sha256: ${e.sha256}`,
    `    file: ${e.file}`,
    `    services: ${JSON.stringify(e.services)}`,
  ]),
  '',
].join('\n');
writeFileSync(join(bundle, 'packages.yml'), yaml);
process.stdout.write(`${entries.length} packages in ${join(bundle, 'packages.yml')}\n`);
