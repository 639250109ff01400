// Bundles DIST/cli/main.js (tsc's output; DIST is the argument, dist by default) and the
// dependencies it imports into one file, DIST/cli/main.bundle.js, which bin/tsrun.js loads when
// it is at least as new as main.js. Loading ~430 files of tsrun and ~200 of its dependencies one
// by one took about half of a one-task run's CPU (resolving, reading and linking each module);
// one file loads in about half the time. ssh2 is not in it: it is required at run time
// (ssh-client.ts) with its optional native parts. The playbook loader's worker (load-worker.js)
// stays a file of its own.
// First it writes DIST/playbook/schemas.compiled.js: the playbook keyword schemas compiled
// ahead of time (src/playbook/schema-precompile.ts), which spares every run their compilation.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? 'dist');
const { precompiledSource, PRECOMPILED_FILE } = await import(pathToFileURL(join(dist, 'playbook', 'schema-precompile.js')).href);
writeFileSync(join(dist, 'playbook', PRECOMPILED_FILE), precompiledSource());
await build({
  entryPoints: [join(dist, 'cli', 'main.js')],
  outfile: join(dist, 'cli', 'main.bundle.js'),
  // A dist/ outside this checkout (the offline tarball's) takes the dependencies from here.
  nodePaths: [resolve('node_modules')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // The CommonJS dependencies (yaml, ajv, ...) require Node's built-ins.
  banner: { js: "import { createRequire as __tsrunRequire } from 'node:module'; const require = __tsrunRequire(import.meta.url);" },
});
