export { networkFacts, parseFibTrie } from '../../../src/modules/lib/facts-net.js';

/** A trimmed /proc/net/fib_trie with one LAN address and loopback. */
export const procHexNote = [
  'Main:',
  '  +-- 0.0.0.0/0 3 0 5',
  '     |-- 192.168.2.10',
  '        /32 host LOCAL',
  '     |-- 192.168.2.255',
  '        /32 link BROADCAST',
  '     |-- 127.0.0.1',
  '        /32 host LOCAL',
  'Local:',
  '     |-- 192.168.2.10',
  '        /32 host LOCAL',
].join('\n');
