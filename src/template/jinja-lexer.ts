import { TemplateError } from './errors.js';
import { lex, type Token } from './lexer.js';

/** The delimiters Jinja lets the template module change (block_start_string, ...). */
export interface Delimiters {
  blockStart: string;
  blockEnd: string;
  varStart: string;
  varEnd: string;
  commentStart: string;
  commentEnd: string;
}

export const DEFAULT_DELIMITERS: Delimiters = { blockStart: '{%', blockEnd: '%}', varStart: '{{', varEnd: '}}', commentStart: '{#', commentEnd: '#}' };

export interface LexOptions {
  /** Ansible turns trim_blocks on: the first newline after a block or comment tag is removed. */
  trimBlocks?: boolean;
  /** Strip spaces/tabs from the start of a line up to a block or comment tag. */
  lstripBlocks?: boolean;
  delimiters?: Delimiters;
  /**
   * Ansible doubles backslashes in string literals inside {{ }} of strings that come from YAML
   * (not .j2 files) before Jinja unescapes them, so there they stay literal.
   */
  rawStrings?: boolean;
  /** Newlines in the template's text become this (the template module's newline_sequence). */
  newlineSequence?: string;
}

export type Segment =
  | { kind: 'data'; text: string }
  | { kind: 'expr'; tokens: Token[]; source: string; line: number }
  | { kind: 'stmt'; tokens: Token[]; source: string; line: number };

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Jinja's keep_trailing_newline=False and newline normalisation, done before lexing. */
export function normaliseSource(text: string): string {
  return text.replace(/\r\n|\r/g, '\n').replace(/\n$/, '');
}

/**
 * Splits a template into text, {{ }} and {% %} parts and drops {# #} comments, with Jinja's
 * whitespace rules: "-" strips all whitespace on its side, "+" keeps it, trim_blocks eats one
 * "\n" after a block/comment end, lstrip_blocks removes the indentation before a block/comment
 * start on a line of its own. {% raw %} content is text.
 */
export function lexTemplate(source: string, opts: LexOptions = {}): Segment[] {
  const d = opts.delimiters ?? DEFAULT_DELIMITERS;
  const trimBlocks = opts.trimBlocks ?? true;
  const text = normaliseSource(source);
  const segments: Segment[] = [];
  const starts = [d.blockStart, d.varStart, d.commentStart].sort((a, b) => b.length - a.length);
  const startRe = new RegExp(starts.map(escapeRe).join('|'), 'g');
  const rawBeginRe = new RegExp(`${escapeRe(d.blockStart)}([-+]?)\\s*raw\\s*(?:-${escapeRe(d.blockEnd)}\\s*|${escapeRe(d.blockEnd)})`, 'y');
  const rawEndRe = new RegExp(`${escapeRe(d.blockStart)}([-+]?)\\s*endraw\\s*(?:\\+${escapeRe(d.blockEnd)}|-${escapeRe(d.blockEnd)}\\s*|${escapeRe(d.blockEnd)}${trimBlocks ? '\\n?' : ''})`, 'g');
  let pos = 0;
  let lineStarting = true;
  let lineIdx = 0;
  let lineNo = 1;
  /** Line of index i; i only grows, so counting continues from the last call. */
  const lineAt = (i: number) => {
    for (; lineIdx < i; lineIdx++) if (text[lineIdx] === '\n') lineNo++;
    return lineNo;
  };
  const nl = opts.newlineSequence ?? '\n';
  const pushText = (data: string) => {
    if (data) segments.push({ kind: 'data', text: nl === '\n' ? data : data.replace(/\n/g, nl) });
  };

  /** The text before a tag, with "-" / lstrip_blocks applied. */
  const pushData = (data: string, sign: string, lstripApplies: boolean) => {
    if (sign === '-') data = data.replace(/\s+$/, '');
    else if (sign !== '+' && opts.lstripBlocks && lstripApplies) {
      const lineStart = data.lastIndexOf('\n') + 1;
      if ((lineStart > 0 || lineStarting) && /^\s+$/.test(data.slice(lineStart))) data = data.slice(0, lineStart);
    }
    pushText(data);
  };
  /** After an end tag: "-" eats all whitespace, "+" nothing, otherwise trim_blocks one "\n". */
  const skipAfter = (at: number, sign: string, trims: boolean): number => {
    if (sign === '-') return at + /^\s*/.exec(text.slice(at))![0].length;
    if (sign !== '+' && trims && trimBlocks && text[at] === '\n') return at + 1;
    return at;
  };

  while (pos < text.length) {
    startRe.lastIndex = pos;
    const m = startRe.exec(text);
    if (!m) {
      pushText(text.slice(pos));
      break;
    }
    const at = m.index;
    const tag = m[0];
    const sign = text[at + tag.length] === '-' || text[at + tag.length] === '+' ? text[at + tag.length] : '';
    const before = text.slice(pos, at);
    if (tag === d.commentStart) {
      const close = text.indexOf(d.commentEnd, at + tag.length);
      if (close < 0) throw locate(new TemplateError('Missing end of comment tag'), lineAt(at));
      pushData(before, sign, true);
      const endSign = text[close - 1] === '-' || text[close - 1] === '+' ? text[close - 1] : '';
      pos = skipAfter(close + d.commentEnd.length, endSign, true);
      lineStarting = text[pos - 1] === '\n';
      continue;
    }
    if (tag === d.blockStart) {
      rawBeginRe.lastIndex = at;
      const raw = rawBeginRe.exec(text);
      if (raw) {
        pushData(before, raw[1], true);
        lineStarting = raw[0].endsWith('\n');
        rawEndRe.lastIndex = at + raw[0].length;
        const end = rawEndRe.exec(text);
        if (!end) throw locate(new TemplateError('Missing end of raw directive'), lineAt(at));
        pushData(text.slice(at + raw[0].length, end.index), end[1], true);
        pos = end.index + end[0].length;
        lineStarting = end[0].endsWith('\n');
        continue;
      }
    }
    pushData(before, sign, tag !== d.varStart);
    const isBlock = tag === d.blockStart;
    const endMarker = isBlock ? d.blockEnd : d.varEnd;
    let lexed: ReturnType<typeof lex>;
    try {
      lexed = lex(text, at + tag.length + sign.length, endMarker, Boolean(opts.rawStrings) && !isBlock, isBlock);
    } catch (err) {
      throw err instanceof TemplateError ? locate(err, lineAt(at)) : err;
    }
    const endSign = text[lexed.stop] === '-' || text[lexed.stop] === '+' ? text[lexed.stop] : '';
    const closeAt = lexed.stop + endSign.length + endMarker.length;
    segments.push({ kind: isBlock ? 'stmt' : 'expr', tokens: lexed.tokens, source: text.slice(at, closeAt), line: lineAt(at) });
    pos = skipAfter(closeAt, endSign, isBlock);
    lineStarting = text[pos - 1] === '\n';
  }
  return segments;
}

/** Records the template line an error belongs to (renderJinja prints file:line). */
export function locate<E extends Error>(err: E, line: number): E {
  const e = err as E & { templateLine?: number };
  e.templateLine ??= line;
  return err;
}
