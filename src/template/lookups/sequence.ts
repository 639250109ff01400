/** Ansible's sequence lookup (`with_sequence`): `[start-]end[/stride][:format]` or `start= end=|count= stride= format=`. */
import { parseKeyValue } from '../../parsing/kv.js';
import { percentFormat } from '../operators.js';
import { str } from '../python.js';
import { LookupFailure, termList, type Lookup } from './types.js';

// start, end, stride: hex digits allowed so that a bad number is reported as unparsable, as Ansible does
const NUM = '(0?x?[0-9a-f]+)';
const SHORTCUT = new RegExp(`^(${NUM}-)?${NUM}(/${NUM})?(:(.+))?$`, 'is');

/** Python's int(text, 0): decimal without leading zeros, or 0x/0o/0b prefixed; undefined when it is not one. */
function pyInt0(text: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[1-9][0-9_]*|0[0_]*)\s*$/.exec(text);
  if (!m || /__|_$|[xob]_?$/i.test(m[2])) return undefined;
  const digits = m[2].replace(/_/g, '');
  const n = /^0[xob]/i.test(digits) ? Number(digits.toLowerCase()) : Number.parseInt(digits, 10);
  return m[1] === '-' ? -n : n;
}

function int(name: string, text: string): number {
  const n = pyInt0(text);
  if (n === undefined) throw new LookupFailure(`can't parse ${name}=${text} as integer`);
  return n;
}

interface Spec { start: number; end?: number; count?: number; stride: number; format: string }

function parseTerm(term: string): Spec {
  const spec: Spec = { start: 1, stride: 1, format: '%d' };
  const m = SHORTCUT.exec(term);
  if (m) {
    const [, , start, end, , stride, , format] = m;
    if (start !== undefined) spec.start = int('start', start);
    spec.end = int('end', end);
    if (stride !== undefined) spec.stride = int('stride', stride);
    if (format !== undefined) spec.format = format;
    return spec;
  }
  const { params, raw } = parseKeyValue(term);
  const args: Record<string, unknown> = raw ? { ...params, _raw_params: raw } : { ...params };
  for (const k of ['start', 'end', 'count', 'stride'] as const) {
    if (args[k] === undefined) continue;
    spec[k] = int(k, str(args[k]));
    delete args[k];
  }
  if (args.format !== undefined) spec.format = str(args.format);
  delete args.format;
  const extra = Object.keys(args);
  if (extra.length) throw new LookupFailure(`unrecognized arguments to with_sequence: [${extra.map((k) => `'${k}'`).join(', ')}]`);
  return spec;
}

function generate(spec: Spec): string[] {
  let { start, end, stride } = spec;
  if (spec.count === undefined && end === undefined) throw new LookupFailure('must specify count or end in with_sequence');
  if (spec.count !== undefined && end !== undefined) throw new LookupFailure("can't specify both count and end in with_sequence");
  if (spec.count !== undefined) {
    if (spec.count !== 0) end = start + spec.count * stride - 1;
    else [start, end, stride] = [0, 0, 0];
  }
  const last = end as number;
  if (stride > 0 && last < start) throw new LookupFailure('to count backwards make stride negative');
  if (stride < 0 && last > start) throw new LookupFailure("to count forward don't make stride negative");
  if ((spec.format.match(/%/g) ?? []).length !== 1) throw new LookupFailure(`bad formatting string: ${spec.format}`);
  const out: string[] = [];
  if (stride === 0) return out;
  for (let i = start; stride > 0 ? i <= last : i >= last; i += stride) {
    if (out.length > 1_000_000) throw new LookupFailure('with_sequence: more than a million items');
    try {
      out.push(percentFormat(spec.format, i));
    } catch {
      throw new LookupFailure(`problem formatting ${i} with '${spec.format}'`);
    }
  }
  return out;
}

export const sequence: Lookup = (terms) => termList(terms).flatMap((t) => generate(parseTerm(str(t))));
