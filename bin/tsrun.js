#!/bin/sh
':' //; [ -n "${NODE_EXTRA_CA_CERTS+x}" ] && export TSRUN_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS" && unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"
// The line above is sh (run as a program, through npx or the link npm makes) and a no-op in
// JavaScript (run as `node bin/tsrun.js`). Node reads NODE_EXTRA_CA_CERTS at start-up, before
// any script runs, and parsing a system CA bundle cost 430 M instructions, 5 times a start of
// node itself (callgrind, Debian's 140-certificate bundle), though tsrun opens no TLS
// connection. So sh starts node without it, and it is put back here for the processes tsrun starts.
if (process.env.TSRUN_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.TSRUN_NODE_EXTRA_CA_CERTS;
  delete process.env.TSRUN_NODE_EXTRA_CA_CERTS;
}
// Ctrl-C or SIGTERM while tsrun is still starting (loading its code) or after the run has
// ended is an interrupted run like any other: exit 99, as ansible-playbook does. The handler
// is installed before anything is imported and stays for the whole process, so no moment
// falls back to the default action (130); while main() runs, main's own handler decides.
let phase = 'start-up';
const interrupted = () => {
  if (phase === 'running') return;
  if (phase === 'start-up') process.stderr.write('ERROR! User interrupted execution\n');
  process.exit(99);
};
process.on('SIGINT', interrupted);
process.on('SIGTERM', interrupted);
// `npm run build` also writes dist/cli/main.bundle.cjs (scripts/bundle.mjs): the same code in one
// file, which loads in about half the time, compiled with V8's code cache (dist/cli/code-cache.js).
// One older than main.js is left from an earlier build (tsc alone ran since) and is not used.
const { statSync } = await import('node:fs');
const { fileURLToPath } = await import('node:url');
const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = mtime('../dist/cli/main.bundle.cjs');
let codeCache;
let loaded;
if (bundled > 0 && bundled >= mtime('../dist/cli/main.js')) {
  codeCache = await import('../dist/cli/code-cache.js');
  loaded = codeCache.loadBundle(fileURLToPath(new URL('../dist/cli/main.bundle.cjs', import.meta.url)));
}
const { main } = loaded ? loaded.exports : await import('../dist/cli/main.js');
phase = 'running';
// The bundle's identity turns on the parse cache (src/playbook/parse-cache.ts): files unbundled
// have none, so development (tsx, tsc's output) never reads results of other code.
main(process.argv, { codeIdentity: loaded?.identity }).then((code) => {
  phase = 'ended';
  // A run leaves its cache for the next when it covers more than the one it found: the build's
  // covers loading the bundle only, a run's also the functions it called (ssh2's among them when
  // it ran plays). Best effort: a read-only installation keeps the build's.
  if (loaded) {
    const origin = loaded.exports.ranPlays() ? 'run' : 'partial';
    if (codeCache.coversMore(origin, loaded.cache)) loaded.saveCache(origin);
  }
  // Exit as soon as the output is out rather than when the event loop drains: a natural exit
  // first closes every handle, signal handlers included, and a Ctrl-C in what remains would end
  // tsrun with 130. A pipe whose reader is slow takes writes asynchronously (EAGAIN), so wait
  // until stdout and stderr have flushed what was written (an empty write's callback comes after).
  const flushed = (stream) => new Promise((done) => stream.write('', done));
  Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));
});
