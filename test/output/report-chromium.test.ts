/**
 * The run report as a person opens it: headless Chromium (Debian's) renders the HTML file that
 * a real run wrote, takes a screenshot, and the test reads the rendered page: one timeline row
 * per host, bars whose on-screen widths follow the recorded durations, the recap, failures with
 * file:line and changes with their diffs. Every request the page makes is recorded: only the
 * file itself may load.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsrun } from '../support/runners.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function playbookDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-report-'));
  writeFileSync(
    join(dir, 'hosts.ini'),
    ['[web]', 'web1 ansible_connection=local', 'web2 ansible_connection=local', '[db]', 'db1 ansible_connection=local', '[gone]', 'dead ansible_host=127.0.0.1 ansible_port=1', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'pb.yml'),
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: quick',
      '      command: "true"',
      '    - name: db1 is slow',
      "      command: \"sleep {{ 2 if inventory_hostname == 'db1' else 0.5 }}\"",
      '    - name: write a file',
      `      copy: { content: "hello {{ inventory_hostname }}\\n", dest: "${dir}/out-{{ inventory_hostname }}.txt" }`,
      '    - name: fails on web2',
      '      command: sh -c "echo broken pipe >&2; exit 3"',
      "      when: inventory_hostname == 'web2'",
      '',
    ].join('\n'),
  );
  return dir;
}

interface Bar {
  host: string;
  task: number;
  ms: number;
  start: number;
  left: number;
  width: number;
  trackLeft: number;
  trackWidth: number;
}

describe.skipIf(!existsSync(CHROMIUM) && process.env.CI !== 'true')('HTML run report in headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  let stdout: string;
  const requests: string[] = [];

  beforeAll(async () => {
    dir = playbookDir();
    const r = await tsrun(['-i', 'hosts.ini', 'pb.yml', '--diff', '--report', 'run.html', '--profile-tasks'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(4); // a host unreachable
    stdout = r.stdout;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (req) => requests.push(req.url()));
    await page.goto(`file://${file}`);
    return page;
  }

  it('draws one timeline row per host, bars as wide as their durations', async () => {
    const page = await open(join(dir, 'run.html'));
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    const elapsed = Number(await page.$eval('#timeline', (el) => el.getAttribute('data-elapsed')));
    expect(elapsed).toBeGreaterThan(0);
    const bars: Bar[] = await page.$$eval('.track .bar', (els) =>
      els.map((el) => {
        const b = el.getBoundingClientRect();
        const t = el.parentElement!.getBoundingClientRect();
        const d = (el as HTMLElement).dataset;
        return { host: el.parentElement!.getAttribute('data-host')!, task: Number(d.task), ms: Number(d.ms), start: Number(d.start), left: b.left, width: b.width, trackLeft: t.left, trackWidth: t.width };
      }),
    );
    const rows = await page.$$eval('.track', (els) => els.map((e) => e.getAttribute('data-host')));
    expect(rows).toEqual(['db1', 'dead', 'web1', 'web2']);
    // Every task that ran on a host has its bar there: 4 on each reachable host (skipped ones too),
    // one (unreachable) for the host that could not be reached.
    for (const h of ['db1', 'web1', 'web2']) expect(bars.filter((b) => b.host === h).map((b) => b.task)).toEqual([0, 1, 2, 3]);
    expect(await page.$$eval('.track[data-host="dead"] .bar', (els) => els.map((e) => e.className))).toEqual(['bar s-unreachable']);
    // Position and width on screen follow start and duration, relative to the whole run.
    for (const b of bars) {
      expect(Math.abs((b.left - b.trackLeft) / b.trackWidth - b.start / elapsed)).toBeLessThan(0.005);
      if (b.width > 6) expect(Math.abs(b.width / b.trackWidth - b.ms / elapsed)).toBeLessThan(0.005);
    }
    // db1's slow task is the widest bar of its task, and the ratio on screen is the ratio of durations.
    const slow = bars.filter((b) => b.task === 1);
    const db1 = slow.find((b) => b.host === 'db1')!;
    const web1 = slow.find((b) => b.host === 'web1')!;
    expect(db1.width).toBe(Math.max(...slow.map((b) => b.width)));
    expect(db1.width / web1.width).toBeCloseTo(db1.ms / web1.ms, 1);
    await page.close();
  });

  it('shows the recap, failures with message and file:line, changes with diffs', async () => {
    const page = await open(join(dir, 'run.html'));
    const recap = await page.$$eval('#recap tr[data-host]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(recap).toContainEqual(['web2', '3', '3', '0', '1', '0', '0', '0']);
    expect(recap).toContainEqual(['dead', '0', '0', '1', '0', '0', '0', '0']);
    const failures = await page.$$eval('#failures .failure', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(failures.some((f) => f.includes('web2') && f.includes('fails on web2') && f.includes('pb.yml:10:7') && f.includes('broken pipe'))).toBe(true);
    expect(failures.some((f) => f.includes('UNREACHABLE') && f.includes('dead'))).toBe(true);
    const diffs = await page.$$eval('#changes .change', (els) => els.map((e) => (e as HTMLElement).innerText));
    expect(diffs.some((d) => d.includes('web1') && d.includes('write a file') && d.includes('+hello web1'))).toBe(true);
    const added = await page.$$eval('#changes .add', (els) => els.map((e) => getComputedStyle(e).color));
    expect(added.length).toBeGreaterThan(0);
    await page.close();
  });

  it('loads nothing but itself', () => {
    expect(requests.length).toBeGreaterThan(0);
    for (const url of requests) expect(url).toMatch(/^file:\/\/.*run\.html$/);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(html).not.toMatch(/\b(src|href)\s*=|url\(|@import|<script/i);
  });

  it('prints the slowest tasks at the end, as profile_tasks does', () => {
    const summary = stdout.slice(stdout.lastIndexOf('====='));
    const lines = summary.split('\n').filter((l) => / -+ \d+\.\d\ds$/.test(l));
    expect(lines[0]).toMatch(/^db1 is slow -+ \d+\.\d\ds$/);
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.length === 79)).toBe(true);
  });

  it('TSRUN_REPORT and callbacks_enabled=profile_tasks do the same from the environment', async () => {
    const r = await tsrun(['-i', 'hosts.ini', 'pb.yml', '-l', 'web1'], { cwd: dir, env: { TSRUN_REPORT: 'env.html', ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/db1 is slow -+ \d+\.\d\ds/);
    const page = await open(join(dir, 'env.html'));
    expect(await page.$$eval('.track', (els) => els.map((e) => e.getAttribute('data-host')))).toEqual(['web1']);
    await page.close();
  });
});
