/**
 * One parse cache for the whole test run (src/playbook/parse-cache.ts), in a temporary directory
 * removed at the end: the runs tests start keep their parses there, not in the user's ~/.cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-test-cache-'));
  process.env.TSRUN_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
