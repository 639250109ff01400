#!/usr/bin/env node
// The bundle builder for Debian packages. Run it on a Debian machine of the targets' release whose
// apt reaches a mirror; it downloads the named packages with every dependency (Depends and
// Pre-Depends, first alternative, first provider of a virtual package) into BUNDLE/packages/ and
// writes BUNDLE/packages.yml: one entry per .deb, dependencies before what needs them (the order
// deploy installs them in), each with its sha256, the services that need it and the requested packages it is there for. prepare verifies the files offline; deploy
// installs, with the apt module's deb:, the ones a host lacks.
//
//   node scripts/build-packages.mjs BUNDLE_DIR SERVICE=PACKAGE[,PACKAGE...] ...
//   e.g. node scripts/build-packages.mjs /srv/metis-bundle admin=nginx,mariadb-server ice_via=zeroc-icegrid,zeroc-glacier2
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
 * Packages installed on this machine. The builder runs on a machine of the targets' release, and
 * apt on a target keeps an alternative that is already installed: of "usrmerge | usr-is-merged"
 * the installed usr-is-merged is taken, never the first alternative that would convert the system.
 */
const installed = new Set(
  execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Status}\n'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.endsWith(' installed'))
    .map((l) => l.split(' ')[0]),
);

/**
 * Direct dependencies of several packages at once (one apt-cache run per level of the walk): of
 * each "a | b | c" group the first alternative installed here, else the first; a virtual package
 * resolved to its first provider (an installed one if there is).
 */
function depsOf(pkgs) {
  const out = apt(['depends', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...pkgs]).split('\n');
  const deps = new Map();
  let current;
  let group = [];
  const choose = () => {
    if (group.length) deps.get(current).push(group.find((n) => installed.has(n)) ?? group[0]);
    group = [];
  };
  for (let i = 0; i < out.length; i++) {
    if (/^\S/.test(out[i])) {
      if (current) choose();
      current = out[i].trim().replace(/:any$/, '');
      deps.set(current, []);
      continue;
    }
    // apt-cache marks "more alternatives follow" with a pipe in place of the second leading space: " |Depends: a".
    const m = /^ ( |\|)(?:Pre)?Depends: (.+)$/.exec(out[i]);
    if (!m || !current) continue;
    let name = m[2].trim().replace(/:any$/, '');
    if (name.startsWith('<')) {
      const providers = [];
      for (let j = i + 1; j < out.length && /^ {4}\S+$/.test(out[j]); j++) providers.push(out[j].trim().replace(/:any$/, ''));
      name = providers.find((n) => installed.has(n)) ?? providers[0];
    }
    if (name) group.push(name); // a virtual package nothing provides is optional in practice
    if (m[1] !== '|') choose();
  }
  if (current) choose();
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
// The requested packages each one is there for: cleanup keeps what a kept package (the admin
// database server, without the second confirmation) still needs.
const requiredBy = new Map();
function visit(pkg, service, root) {
  if (seen.has(`${service} ${root} ${pkg}`)) return; // also ends dependency cycles
  seen.add(`${service} ${root} ${pkg}`);
  if (!services.has(pkg)) services.set(pkg, new Set());
  services.get(pkg).add(service);
  if (!requiredBy.has(pkg)) requiredBy.set(pkg, new Set());
  requiredBy.get(pkg).add(root);
  for (const d of graph.get(pkg) ?? []) visit(d, service, root);
  if (!order.includes(pkg)) order.push(pkg);
}
for (const w of wanted) for (const p of w.packages) visit(p, w.service, p);

const dir = join(bundle, 'packages');
mkdirSync(dir, { recursive: true });
execFileSync('apt-get', ['download', '-qq', ...order], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
const files = readdirSync(dir).filter((f) => f.endsWith('.deb'));

const field = (file, name) => execFileSync('dpkg-deb', ['-f', join(dir, file), name], { encoding: 'utf8' }).trim();
const entries = order.map((pkg) => {
  const file = files.find((f) => f.startsWith(`${pkg}_`) && field(f, 'Package') === pkg);
  if (!file) throw new Error(`apt-get download gave no .deb for ${pkg}`);
  const sha256 = createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');
  return { name: pkg, version: field(file, 'Version'), architecture: field(file, 'Architecture'), sha256, file: `packages/${file}`, services: [...services.get(pkg)], for: [...requiredBy.get(pkg)] };
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
    `    for: ${JSON.stringify(e.for)}`,
  ]),
  '',
].join('\n');
writeFileSync(join(bundle, 'packages.yml'), yaml);
process.stdout.write(`${entries.length} packages in ${join(bundle, 'packages.yml')}\n`);
