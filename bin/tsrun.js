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
  // Exit now rather than when the event loop drains: a natural exit first closes every handle,
  // signal handlers included, and a Ctrl-C in what remains would end tsrun with 130. Output is
  // already written (stdout/stderr are synchronous on Linux) and connections were closed; the
  // next turn lets their last packets go.
  setImmediate(() => process.exit(code));
});
