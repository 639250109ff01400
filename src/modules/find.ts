import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { request } from '../connection/shell-protocol.js';
import { say, sayStart } from '../connection/shell-text.js';
import { ArgError, guarded } from './lib/file-args.js';
import { bool, objectSchema, str } from './lib/file-schema.js';
import { joinShell, rawShell, sh, type ShellText } from '../connection/shell-text.js';
import { fnmatchToRegExp } from '../inventory/host-patterns.js';
import { pyRegex } from '../util/pyregex.js';

/** GNU find's -printf: lstat type, followed type, then the fields of Ansible's statinfo; the name last. */
const PRINTF = '%y|%Y|%m|%U|%G|%u|%g|%s|%i|%D|%n|%T@|%A@|%C@|%P\\n';

interface Entry {
  rel: string;
  type: string;
  followedDir: boolean;
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  mtime: number;
  atime: number;
  ctime: number;
}

function parseEntry(line: string): Entry | undefined {
  const f = line.split('|');
  if (f.length < 15) return undefined;
  const rel = f.slice(14).join('|');
  return {
    rel, type: f[0], followedDir: f[1] === 'd', mode: parseInt(f[2], 8), uid: Number(f[3]), gid: Number(f[4]), owner: f[5], group: f[6],
    size: Number(f[7]), inode: Number(f[8]), dev: Number(f[9]), nlink: Number(f[10]), mtime: Number(f[11]), atime: Number(f[12]), ctime: Number(f[13]),
  };
}

/** One round trip lists every path: `dir=` then its entries, or `skip=` with the reason. */
export function listScript(paths: string[], maxDepth: number | undefined, follow: boolean): ShellText {
  const depth = maxDepth === undefined ? [] : ['-maxdepth', String(maxDepth)];
  return joinShell([
    ...paths.map((p, i) =>
      joinShell([
        // find reads an argument starting with `-` as an expression (`-delete`): ./ keeps it a path.
        // Entries are printed relative to it (%P), so the prefix never shows in the result.
        sh`p=${p.startsWith('-') ? `./${p}` : p}`,
        // Each entry line becomes an `e<i>` record (the index is a number: nothing to quote inside the sed script).
        sh`if [ -d "$p" ]; then ${say('dir', i)}; find ${follow ? ['-L'] : []} "$p" -mindepth 1 ${depth} -printf ${PRINTF} 2>/dev/null | sed "s/^/$TSRUN_N e${rawShell(String(i))}=/"`,
        sh`else ${say('skip', i)}; fi`,
      ]),
    ),
    say('done', '1'),
  ]);
}

/** Python's os.walk order: a directory's files, then its subdirectories, then each subdirectory's walk. */
function walkOrder(entries: Entry[], recurse: boolean, follow: boolean): Entry[] {
  const children = new Map<string, Entry[]>();
  for (const e of entries) {
    const parent = e.rel.includes('/') ? e.rel.slice(0, e.rel.lastIndexOf('/')) : '';
    const list = children.get(parent) ?? [];
    list.push(e);
    children.set(parent, list);
  }
  const out: Entry[] = [];
  const walk = (dir: string) => {
    const list = children.get(dir) ?? [];
    const dirs = list.filter((e) => e.followedDir);
    out.push(...list.filter((e) => !e.followedDir), ...dirs);
    if (!recurse) return;
    for (const d of dirs) if (d.type === 'd' || follow) walk(d.rel);
  };
  walk('');
  return out;
}

function unitValue(text: string, re: RegExp, units: Record<string, number>, what: string): number {
  const m = re.exec(text.toLowerCase());
  if (!m) throw new ArgError(`failed to process ${what}`);
  return Number(m[1]) * (units[m[2] ?? ''] ?? 1);
}

function statinfo(path: string, e: Entry): Record<string, unknown> {
  const bit = (b: number) => (e.mode & b) !== 0;
  return {
    path, mode: (e.mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: e.type === 'd', ischr: e.type === 'c', isblk: e.type === 'b', isreg: e.type === 'f', isfifo: e.type === 'p', islnk: e.type === 'l', issock: e.type === 's',
    uid: e.uid, gid: e.gid, size: e.size, inode: e.inode, dev: e.dev, nlink: e.nlink, atime: e.atime, mtime: e.mtime, ctime: e.ctime,
    gr_name: e.group === String(e.gid) ? '' : e.group, pw_name: e.owner === String(e.uid) ? '' : e.owner,
    wusr: bit(0o200), rusr: bit(0o400), xusr: bit(0o100), wgrp: bit(0o20), rgrp: bit(0o40), xgrp: bit(0o10),
    woth: bit(0o2), roth: bit(0o4), xoth: bit(0o1), isuid: bit(0o4000), isgid: bit(0o2000),
  };
}

function joinPath(root: string, rel: string): string {
  // os.path.normpath(os.path.join(root, name))
  const parts: string[] = [];
  for (const p of `${root}/${rel}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(p);
  }
  return (root.startsWith('/') ? '/' : '') + parts.join('/');
}

async function run(ctx: ModuleContext<FindArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  // Ansible's list arguments: "a,b" arrives split by the argument pipeline; elements are trimmed as Ansible does.
  const trimmed = (l: string[] | undefined) => (l ?? []).map((s) => s.trim());
  const paths = trimmed(a.paths ?? a.path ?? a.name);
  if (paths.length === 0) throw new ArgError('missing required arguments: paths');
  const useRegex = a.use_regex ?? false;
  let patterns = trimmed(a.patterns ?? a.pattern);
  if (patterns.length === 0) patterns = [useRegex ? '.*' : '*'];
  const excludes = trimmed(a.excludes ?? a.exclude);
  const fileType = a.file_type ?? 'file';
  const recurse = a.recurse ?? false;
  const hidden = a.hidden ?? false;
  const follow = a.follow ?? false;
  const getChecksum = a.get_checksum ?? false;
  const readWhole = a.read_whole_file ?? false;
  const ageText = a.age;
  const sizeText = a.size;
  const age = ageText === undefined ? undefined : unitValue(ageText, /^(-?\d+)(s|m|h|d|w)?$/, { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }, 'age');
  const size = sizeText === undefined ? undefined : unitValue(sizeText, /^(-?\d+)(b|k|m|g|t)?$/, { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }, 'size');
  const depth = a.depth || undefined;
  const ageStamp = a.age_stamp ?? 'mtime';
  const contains = a.contains;

  const compile = (p: string) => (useRegex ? pyRegex(p) : fnmatchToRegExp(p));
  const pats = patterns.map(compile);
  const excl = excludes.map(compile);
  const test = (re: RegExp, name: string) => (useRegex ? new RegExp(`^(?:${re.source})`, re.flags).test(name) : re.test(name));
  const nameMatches = (name: string) => pats.some((p) => test(p, name)) && !excl.some((e) => test(e, name));
  const now = Date.now() / 1000;
  const ageOk = (e: Entry) => age === undefined || (age >= 0 ? now - e[ageStamp] >= Math.abs(age) : now - e[ageStamp] <= Math.abs(age));
  const sizeOk = (e: Entry) => size === undefined || (size >= 0 ? e.size >= Math.abs(size) : e.size <= Math.abs(size));

  // os.walk looks one level past `depth` before it prunes
  const maxDepth = !recurse ? 1 : depth !== undefined ? depth + 1 : undefined;
  const { res: r, reply: kv } = await request(ctx, listScript(paths, maxDepth, follow));
  if (!kv.has('done')) return { failed: true, changed: false, msg: `find failed (rc=${r.rc}): ${r.stderr.trim()}` };
  const skipped: Record<string, string> = {};
  const warnings: string[] = [];
  const candidates: { path: string; e: Entry; needsContent: boolean }[] = [];
  let examined = 0;
  paths.forEach((root, i) => {
    if (!kv.values('dir').includes(String(i))) {
      skipped[root] = `'${root}' is not a directory`;
      warnings.push(`Skipped '${root}' path due to this access issue: '${root}' is not a directory\n`);
      return;
    }
    const entries = walkOrder(kv.values(`e${i}`).map(parseEntry).filter((e): e is Entry => e !== undefined), recurse, follow);
    examined += entries.length;
    for (const e of entries) {
      const level = e.rel.split('/').length;
      if (depth !== undefined && level > depth) continue;
      const name = e.rel.slice(e.rel.lastIndexOf('/') + 1);
      if (name.startsWith('.') && !hidden) continue;
      if (!nameMatches(name) || !ageOk(e)) continue;
      const path = joinPath(root, e.rel);
      if (fileType === 'any') {
        if (e.type !== 'f' || sizeOk(e)) candidates.push({ path, e, needsContent: false });
      } else if (fileType === 'directory' && e.type === 'd') candidates.push({ path, e, needsContent: false });
      else if (fileType === 'link' && e.type === 'l') candidates.push({ path, e, needsContent: false });
      else if (fileType === 'file' && e.type === 'f' && sizeOk(e)) candidates.push({ path, e, needsContent: contains !== undefined });
    }
  });

  const extra = await fileExtras(ctx, candidates.filter((c) => c.needsContent || (getChecksum && c.e.type === 'f')).map((c) => c.path), contains !== undefined, getChecksum);
  const files: Record<string, unknown>[] = [];
  for (const c of candidates) {
    if (c.needsContent && !containsMatch(extra.content.get(c.path), contains as string, readWhole)) continue;
    const info = statinfo(c.path, c.e);
    if (getChecksum && c.e.type === 'f' && extra.checksum.has(c.path)) info.checksum = extra.checksum.get(c.path);
    files.push(info);
  }
  const res: ModuleResult = {
    changed: false, files, msg: warnings.length ? 'Not all paths examined, check warnings for details' : 'All paths examined', matched: files.length, examined, skipped_paths: skipped,
  };
  if (warnings.length) res.warnings = warnings;
  return res;
}

/** A second round trip, only when `contains` or `get_checksum` asks for file contents. */
async function fileExtras(ctx: ModuleContext, paths: string[], content: boolean, checksum: boolean) {
  const out = { content: new Map<string, string>(), checksum: new Map<string, string>() };
  if (paths.length === 0 || (!content && !checksum)) return out;
  const script = joinShell(
    paths.flatMap((p, i) => [
      sh`p=${p}`,
      content && sh`if [ -r "$p" ]; then ${sayStart(`c${i}`)}; base64 < "$p" | tr -d '\\n'; echo; fi`,
      checksum && sh`if [ -r "$p" ]; then ${say(`s${i}`, rawShell('"$(sha1sum < "$p" | cut -d\' \' -f1)"'))}; fi`,
    ]),
  );
  const kv = (await request(ctx, script)).reply;
  paths.forEach((p, i) => {
    const c = kv.b64(`c${i}`);
    if (c !== undefined) out.content.set(p, c);
    const s = kv.get(`s${i}`);
    if (s !== undefined) out.checksum.set(p, s);
  });
  return out;
}

/** Python's re.match per line (lines keep their newline), or re.search over the whole file. */
function containsMatch(text: string | undefined, pattern: string, whole: boolean): boolean {
  if (text === undefined) return false;
  const re = pyRegex(pattern);
  if (whole) return re.test(text);
  const anchored = new RegExp(`^(?:${re.source})`, re.flags.replace('m', ''));
  return (text.match(/[^\n]*\n|[^\n]+$/g) ?? []).some((line) => anchored.test(line));
}

const list = { type: 'array', items: str } as const;

const argsSchema = objectSchema(
  {
    paths: list, path: list, name: list, patterns: list, pattern: list, excludes: list, exclude: list, contains: str, read_whole_file: { ...bool, default: false },
    file_type: { type: 'string', enum: ['any', 'directory', 'file', 'link'], default: 'file' }, age: str,
    age_stamp: { type: 'string', enum: ['atime', 'ctime', 'mtime'], default: 'mtime' }, size: str, recurse: { ...bool, default: false }, hidden: { ...bool, default: false },
    follow: { ...bool, default: false }, get_checksum: { ...bool, default: false }, use_regex: { ...bool, default: false }, depth: { type: 'integer' },
  },
  { oneOf: [['paths', 'path', 'name']] },
);
type FindArgs = Infer<typeof argsSchema>;

const find = defineModule({
  name: 'find',
  aliases: ['ansible.builtin.find'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default find;
