/**
 * The run report: one HTML file with its styles inline and no script, image or font to fetch,
 * so it opens the same on an air-gapped admin machine as anywhere. Pure: data in, text out.
 */
import type { HostStats } from './stats.js';
import { slowestTasks, type RunRecordData } from './run-record.js';
import { formatDuration } from './terminal.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (n: number): string => `${Math.max(0, n).toFixed(4)}%`;

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666}table{border-collapse:collapse}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eee}
th{font-weight:600;background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.gantt{display:grid;grid-template-columns:max-content 1fr;gap:4px 10px;align-items:center}
.host{font-family:monospace;white-space:nowrap}.track{position:relative;height:20px;background:#fff;border:1px solid #e3e3e3}
.bar{position:absolute;top:2px;bottom:2px;min-width:1px;box-sizing:border-box;border-right:1px solid #fff;overflow:hidden;white-space:nowrap;font-size:11px;line-height:16px;color:#fff;padding-left:3px}
.s-ok{background:#4caf50}.s-changed{background:#f0a500}.s-failed{background:#d32f2f}.s-unreachable{background:#7b1fa2}.s-skipped{background:#4fc3f7}.s-running{background:#9e9e9e}
.axis{position:relative;height:16px;color:#666;font-size:11px}.axis span{position:absolute;transform:translateX(-50%)}
.legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
pre{background:#fff;border:1px solid #e3e3e3;padding:8px;overflow:auto;margin:4px 0 14px}
.add{color:#1b7f2a}.del{color:#c62828}.hunk{color:#00838f}.failure,.change{margin-bottom:10px}.where{font-family:monospace;color:#555}
.bad{color:#c62828;font-weight:600}.chg{color:#b77900;font-weight:600}.good{color:#2e7d32;font-weight:600}
`;

function recap(stats: Record<string, HostStats>): string {
  const hosts = Object.keys(stats).sort();
  const rows = hosts.map((h) => {
    const s = stats[h];
    const cls = s.failures || s.unreachable ? 'bad' : s.changed ? 'chg' : 'good';
    const cells = [s.ok, s.changed, s.unreachable, s.failures, s.skipped, s.rescued, s.ignored].map((n) => `<td class="n">${n}</td>`).join('');
    return `<tr data-host="${esc(h)}"><td class="${cls}">${esc(h)}</td>${cells}</tr>`;
  });
  return `<table id="recap"><tr><th>host</th><th>ok</th><th>changed</th><th>unreachable</th><th>failed</th><th>skipped</th><th>rescued</th><th>ignored</th></tr>${rows.join('')}</table>`;
}

function hostsOf(data: RunRecordData): string[] {
  const seen = new Set<string>(Object.keys(data.stats));
  for (const t of data.tasks) for (const s of t.spans) seen.add(s.host);
  return [...seen].sort();
}

function axis(totalMs: number): string {
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) ticks.push(`<span style="left:${pct(i * 25)}">${formatDuration((totalMs * i) / 4)}</span>`);
  return `<div></div><div class="axis">${ticks.join('')}</div>`;
}

function gantt(data: RunRecordData): string {
  const total = Math.max(1, data.elapsedMs);
  const rows = hostsOf(data).map((host) => {
    const bars: string[] = [];
    for (const t of data.tasks) {
      for (const s of t.spans) {
        if (s.host !== host) continue;
        const end = s.end ?? data.elapsedMs;
        const ms = end - s.start;
        const status = s.status ?? 'running';
        const title = `${t.name} — ${formatDuration(ms)} — ${status} (${t.path})`;
        bars.push(
          `<div class="bar s-${status}" data-task="${t.seq}" data-ms="${ms}" data-start="${s.start}" style="left:${pct((s.start / total) * 100)};width:${pct((ms / total) * 100)}" title="${esc(title)}">${esc(t.name)}</div>`,
        );
      }
    }
    return `<div class="host">${esc(host)}</div><div class="track" data-host="${esc(host)}">${bars.join('')}</div>`;
  });
  const legend = ['ok', 'changed', 'failed', 'unreachable', 'skipped']
    .map((s) => `<span><i class="s-${s}"></i>${s}</span>`)
    .join('');
  return `<div class="legend">${legend}</div><div class="gantt" id="timeline" data-elapsed="${total}">${rows.join('')}${axis(total)}</div>`;
}

function tasksTable(data: RunRecordData): string {
  const rows = slowestTasks(data, data.tasks.length).map(
    (t, i) =>
      `<tr><td class="n">${i + 1}</td><td>${esc(t.name)}</td><td class="where">${esc(t.path)}</td><td class="n">${(t.ms / 1000).toFixed(2)}s</td><td class="n">${t.hosts}</td></tr>`,
  );
  return `<table id="slowest"><tr><th>#</th><th>task</th><th>file:line</th><th>time</th><th>hosts</th></tr>${rows.join('')}</table>`;
}

function diffHtml(diff: string): string {
  return diff
    .split('\n')
    .map((l) => {
      const cls = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@@') ? 'hunk' : '';
      return cls ? `<span class="${cls}">${esc(l)}</span>` : esc(l);
    })
    .join('\n');
}

function failures(data: RunRecordData): string {
  if (data.failures.length === 0) return '<p id="failures">No failures.</p>';
  const items = data.failures.map(
    (f) =>
      `<div class="failure" data-host="${esc(f.host)}"><b class="bad">${f.status === 'unreachable' ? 'UNREACHABLE' : 'FAILED'}${f.ignored ? ' (ignored)' : ''}</b> <b>${esc(f.host)}</b> — ${esc(f.task)}${f.item !== undefined ? ` (item=${esc(f.item)})` : ''} <span class="where">${esc(f.path)}</span><pre>${esc(f.message)}</pre></div>`,
  );
  return `<div id="failures">${items.join('')}</div>`;
}

function changes(data: RunRecordData): string {
  if (data.changes.length === 0) return '<p id="changes">Nothing changed.</p>';
  const items = data.changes.map(
    (c) =>
      `<div class="change" data-host="${esc(c.host)}"><b class="chg">changed</b> <b>${esc(c.host)}</b> — ${esc(c.task)}${c.item !== undefined ? ` (item=${esc(c.item)})` : ''} <span class="where">${esc(c.path)}</span>${c.diff ? `<pre>${diffHtml(c.diff)}</pre>` : ''}</div>`,
  );
  return `<div id="changes">${items.join('')}</div>`;
}

export function renderReport(data: RunRecordData, title = 'tsrun run report'): string {
  const when = new Date(data.startedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const status = data.interrupted ? ' — interrupted' : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body>
<h1>${esc(title)}</h1>
<div class="meta">Started ${esc(when)} · elapsed ${formatDuration(data.elapsedMs)} · ${data.tasks.length} tasks · plays: ${data.plays.map(esc).join(', ')}${status}</div>
<h2>Recap</h2>${recap(data.stats)}
<h2>Timeline</h2>${gantt(data)}
<h2>Failures</h2>${failures(data)}
<h2>Changes</h2>${changes(data)}
<h2>Slowest tasks</h2>${tasksTable(data)}
</body></html>
`;
}
