#!/usr/bin/env node
import { main } from '../dist/cli/main.js';
main(process.argv).then((code) => {
  process.exitCode = code;
  // The run is over: a socket or child that failed to close must not keep tsrun hanging.
  setTimeout(() => process.exit(code), 3000).unref();
});
