import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TsrunError } from '../util/errors.js';
import { parseAddress } from './address.js';
import { IMPLICIT_LOCALHOST } from './implicit-localhost.js';

/** What pattern matching needs to know about an inventory, in insertion order. */
export interface PatternTarget {
  hostNames(): string[];
  groupNames(): string[];
  groupHosts(group: string): string[];
}


/**
 * Ansible's split_host_pattern: commas always separate; otherwise a lone address such as
 * `host:22` or an IPv6 address stays whole; otherwise `:` separates (outside `[...]`).
 */
export function splitHostPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((p) => splitHostPattern(p));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p);
}

/** Regular patterns first, then `&` intersections, then `!` exclusions; `all` if none regular. */
export function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => p[0] !== '!' && p[0] !== '&');
  const inter = patterns.filter((p) => p[0] === '&');
  const excl = patterns.filter((p) => p[0] === '!');
  return [...(regular.length ? regular : ['all']), ...inter, ...excl];
}

/** Python's fnmatch.translate, anchored at both ends, case-sensitive. */
export function fnmatchToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) out += '\\[';
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
        i = j;
        if (body[0] === '!') body = '^' + body.slice(1);
        else if (body[0] === '^') body = '\\' + body;
        out += `[${body}]`;
      }
    } else out += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}

const SUBSCRIPT_RE = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

function splitSubscript(pattern: string): { expr: string; subscript?: [number, number | undefined] } {
  if (pattern[0] === '~') return { expr: pattern };
  const m = SUBSCRIPT_RE.exec(pattern);
  if (!m) return { expr: pattern };
  if (m[2] !== undefined) return { expr: m[1], subscript: [Number(m[2]), undefined] };
  return { expr: m[1], subscript: [Number(m[3]), m[5] ? Number(m[5]) : -1] };
}

function applySubscript(hosts: string[], pattern: string, sub?: [number, number | undefined]): string[] {
  if (!sub) return hosts;
  const [start, end] = sub;
  if (end) {
    const last = end === -1 ? hosts.length - 1 : end;
    return hosts.slice(start < 0 ? Math.max(hosts.length + start, 0) : start, last + 1);
  }
  const idx = start < 0 ? hosts.length + start : start;
  if (idx < 0 || idx >= hosts.length) throw new TsrunError(`no hosts matched the subscripted pattern '${pattern}'`);
  return [hosts[idx]];
}

/** A Python `re.match` pattern: anchored at the start; leading inline flags such as `(?i)` become JS flags. */
function pythonRegExp(source: string): RegExp {
  const m = /^\(\?([aiLmsux]+)\)/.exec(source);
  const flags = m ? [...new Set(m[1].split('').filter((f) => 'ims'.includes(f)))].join('') : '';
  return new RegExp(`^(?:${m ? source.slice(m[0].length) : source})`, flags);
}

function matchList(items: string[], pattern: string): string[] {
  let re: RegExp;
  try {
    // Python's re.match anchors at the start only.
    re = pattern[0] === '~' ? pythonRegExp(pattern.slice(1)) : fnmatchToRegExp(pattern);
  } catch {
    throw new TsrunError(`invalid host list pattern: ${pattern}`);
  }
  return items.filter((i) => re.test(i));
}

function enumerateMatches(target: PatternTarget, pattern: string): string[] {
  const results: string[] = [];
  const groups = matchList(target.groupNames(), pattern);
  for (const g of groups) results.push(...target.groupHosts(g));
  if (groups.length === 0 || pattern[0] === '~' || /[.?*[]/.test(pattern)) {
    results.push(...matchList(target.hostNames(), pattern));
  }
  if (results.length === 0 && IMPLICIT_LOCALHOST.includes(pattern)) results.push(pattern);
  return results;
}

function matchOnePattern(target: PatternTarget, pattern: string): string[] {
  const bare = pattern[0] === '&' || pattern[0] === '!' ? pattern.slice(1) : pattern;
  const { expr, subscript } = splitSubscript(bare);
  return applySubscript(enumerateMatches(target, expr), bare, subscript);
}

/** Expands `@file` limit entries (one pattern per line) relative to cwd. */
function expandLimitFiles(patterns: string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (p[0] !== '@') {
      out.push(p);
      continue;
    }
    const file = resolve(cwd, p.slice(1));
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw new TsrunError(`unable to find limit file ${file}`);
    }
    if (!isFile) throw new TsrunError(`limit starting with "@" must be a file, not a directory: ${file}`);
    out.push(...readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l));
  }
  return out;
}

/**
 * Ansible's host selection: hosts in the order patterns produce them (inventory order within a
 * group), de-duplicated. Unknown names simply match nothing.
 */
export function selectHosts(target: PatternTarget, pattern: string | string[], cwd = process.cwd()): string[] {
  const patterns = orderPatterns(expandLimitFiles(splitHostPattern(pattern), cwd));
  const knownHosts = new Set(target.hostNames());
  let hosts: string[] = [];
  for (const p of patterns) {
    if (knownHosts.has(p)) {
      if (!hosts.includes(p)) hosts.push(p);
      continue;
    }
    const that = matchOnePattern(target, p);
    if (p[0] === '!') {
      const drop = new Set(that);
      hosts = hosts.filter((h) => !drop.has(h));
    } else if (p[0] === '&') {
      const keep = new Set(that);
      hosts = hosts.filter((h) => keep.has(h));
    } else {
      const have = new Set(hosts);
      for (const h of that) {
        if (!have.has(h)) {
          have.add(h);
          hosts.push(h);
        }
      }
    }
  }
  return hosts;
}
