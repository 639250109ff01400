// Bundles DIST/cli/main.js (tsc's output; DIST is the argument, dist by default) and the
// dependencies it imports into one CommonJS file, DIST/cli/main.bundle.cjs, which bin/tsrun.js
// loads when it is at least as new as main.js. Loading ~430 files of tsrun and ~200 of its
// dependencies one by one took about half of a one-task run's CPU (resolving, reading and
// linking each module); one file loads in about half the time. CommonJS, because only a script
// can be compiled with V8's code cache on Node 20 (src/cli/code-cache.ts): this writes the
// first cache, DIST/cli/main.bundle.cjs.v8cache, from loading the bundle once. ssh2 is in the
// bundle but evaluated only when a first SSH connection opens (ssh-client.ts imports it then);
// its optional native parts (.node files) stay outside, required from node_modules at run time.
// The playbook loader's worker (load-worker.js) stays a file of its own.
// First it writes DIST/playbook/schemas.compiled.cjs: the playbook keyword schemas compiled
// ahead of time (src/playbook/schema-precompile.ts), which spares every run their compilation.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? 'dist');
const { precompiledSource, PRECOMPILED_FILE } = await import(pathToFileURL(join(dist, 'playbook', 'schema-precompile.js')).href);
writeFileSync(join(dist, 'playbook', PRECOMPILED_FILE), precompiledSource());

/**
 * A native addon (`require('./build/Release/x.node')` in ssh2 and cpu-features, built at install
 * time if at all) is required at run time by its path inside its package, which Node finds in
 * the node_modules above the bundle; missing, it throws as it did unbundled, and ssh2 then uses
 * its JavaScript crypto.
 */
const nativeAddons = {
  name: 'native-addons',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => {
      const abs = resolve(args.resolveDir, args.path);
      const i = abs.lastIndexOf(`${sep}node_modules${sep}`);
      if (i < 0) return { errors: [{ text: `native addon outside node_modules: ${abs}` }] };
      return { path: relative(abs.slice(0, i + 14), abs).split(sep).join('/'), external: true };
    });
  },
};

/**
 * ssh2's index loads its HTTP(S) agents (and with them Node's http, https and tls, ~20 modules)
 * and its SSH server, which tsrun never uses, while a run's first connection waits for ssh2 to
 * load. In the bundle they become getters, loaded if ever read. If an ssh2 release changes
 * those lines, its index is bundled as it is (only this saving is lost).
 */
const lazySsh2Index = {
  name: 'lazy-ssh2-index',
  setup(b) {
    b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/]index\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const agents = "const {\n  SSHTTPAgent: HTTPAgent,\n  SSHTTPSAgent: HTTPSAgent,\n} = require('./http-agents.js');\n";
      const uses = ['  HTTPAgent,\n  HTTPSAgent,\n', "  Server: require('./server.js'),\n"];
      if (!text.includes(agents) || !uses.every((u) => text.includes(u))) return undefined;
      const lazy = text
        .replace(agents, '')
        .replace(uses[0], "  get HTTPAgent() { return require('./http-agents.js').SSHTTPAgent; },\n  get HTTPSAgent() { return require('./http-agents.js').SSHTTPSAgent; },\n")
        .replace(uses[1], "  get Server() { return require('./server.js'); },\n");
      return { contents: lazy, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * ssh2 fills each packet's padding (4-19 bytes) with its own randomFillSync call into OpenSSL,
 * about 2 µs alone and 20-35 µs a task inside a run (profile, 1000 `command: true` tasks); in the
 * bundle the padding comes from a pool that randomFillSync refills 4 KiB at a time: the same
 * generator, each byte used once. If an ssh2 release changes those calls, crypto.js is bundled
 * as it is (test/cli/bundle.test.ts notices).
 */
const PADDING_CALL = 'randomFillSync(packet, 5 + payloadLen, padLen);';
const pooledSsh2Padding = {
  name: 'pooled-ssh2-padding',
  setup(b) {
    b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/]protocol[\\/]crypto\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(PADDING_CALL) || text.includes('tsrunFillPadding')) return undefined;
      const pooled = `${text.split(PADDING_CALL).join('tsrunFillPadding(packet, 5 + payloadLen, padLen);')}
const TSRUN_PADDING_POOL = Buffer.allocUnsafe(4096);
let tsrunPaddingUsed = TSRUN_PADDING_POOL.length;
function tsrunFillPadding(buf, offset, size) {
  if (tsrunPaddingUsed + size > TSRUN_PADDING_POOL.length) {
    randomFillSync(TSRUN_PADDING_POOL);
    tsrunPaddingUsed = 0;
  }
  TSRUN_PADDING_POOL.copy(buf, offset, tsrunPaddingUsed, tsrunPaddingUsed + size);
  tsrunPaddingUsed += size;
}
`;
      return { contents: pooled, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const bundle = join(dist, 'cli', 'main.bundle.cjs');
await build({
  entryPoints: [join(dist, 'cli', 'main.js')],
  outfile: bundle,
  // A dist/ outside this checkout (the offline tarball's) takes the dependencies from here.
  nodePaths: [resolve('node_modules')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  plugins: [nativeAddons, lazySsh2Index, pooledSsh2Padding],
  // tsrun's modules find files beside them (the loader's worker, the precompiled schemas) from
  // import.meta.url: in the bundle that is the bundle's own URL, as it was in an ES module bundle.
  define: { 'import.meta.url': '__tsrunBundleUrl' },
  banner: { js: "const __tsrunBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The ES module bundle of earlier builds is not used any more.
rmSync(join(dist, 'cli', 'main.bundle.js'), { force: true });
const { loadBundle } = await import(pathToFileURL(join(dist, 'cli', 'code-cache.js')).href);
const loaded = loadBundle(bundle);
if (!loaded.saveCache('build')) throw new Error(`cannot write the code cache beside ${bundle}`);
