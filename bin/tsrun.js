#!/usr/bin/env node
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
const { main } = await import('../dist/cli/main.js');
phase = 'running';
main(process.argv).then((code) => {
  phase = 'ended';
  // Exit as soon as the output is out rather than when the event loop drains: a natural exit
  // first closes every handle, signal handlers included, and a Ctrl-C in what remains would end
  // tsrun with 130. A pipe whose reader is slow takes writes asynchronously (EAGAIN), so wait
  // until stdout and stderr have flushed what was written (an empty write's callback comes after).
  const flushed = (stream) => new Promise((done) => stream.write('', done));
  Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => process.exit(code));
});
