/**
 * The README shows what the progress line and the run report look like (issue 14): the images it
 * links are in the repository, are real PNG screenshots, and docs/img/README.md says how each
 * was made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/runners.js';

const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const images = [...readme.matchAll(/!\[([^\]]+)\]\((docs\/img\/[\w.-]+\.png)\)/g)].map((m) => ({ alt: m[1], path: m[2] }));

describe('README screenshots', () => {
  it.each([
    ['progress line', /progress line/],
    ['run report', /run report/],
  ])('shows the %s', (_what, alt) => {
    const img = images.find((i) => alt.test(i.alt));
    expect(img, `README has no image whose alt text matches ${alt}`).toBeDefined();
    const png = readFileSync(join(REPO, img!.path));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: a screenshot, not an icon.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(600);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(150);
    expect(readFileSync(join(REPO, 'docs/img/README.md'), 'utf8')).toContain(`\`${img!.path.split('/').pop()}\``);
  });
});
