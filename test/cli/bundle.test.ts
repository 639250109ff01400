/**
 * scripts/bundle.mjs rewrites two parts of ssh2 as it bundles them, each only if ssh2's text is
 * what the rewrite expects (otherwise the file is bundled unchanged and the saving silently
 * lost). This notices an ssh2 update that defeats either rewrite. `npm test` builds first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/runners.js';

const BUNDLE = join(REPO, 'dist', 'cli', 'main.bundle.cjs');

describe('the bundle built from this checkout', () => {
  const text = existsSync(BUNDLE) ? readFileSync(BUNDLE, 'utf8') : '';

  it('exists (npm run build writes it)', () => {
    expect(text, `${BUNDLE} is missing: run npm run build`).not.toBe('');
  });

  it('loads ssh2\'s HTTP agents and server only when read', () => {
    // esbuild turns each require into a call of the bundled module's initialiser
    expect(text).toMatch(/get HTTPAgent\(\) \{\s*return require_http_agents\(\)\.SSHTTPAgent;/);
    expect(text).toMatch(/get Server\(\) \{\s*return require_server\(\);/);
  });

  it('fills every ssh2 packet\'s padding from the pool, with no direct randomFillSync call left for it', () => {
    expect(text).toContain('function tsrunFillPadding(buf, offset, size)');
    expect(text).not.toContain('randomFillSync(packet, 5 + payloadLen, padLen)');
    expect(text.split('tsrunFillPadding(packet, 5 + payloadLen, padLen)').length - 1).toBeGreaterThanOrEqual(5);
  });
});
