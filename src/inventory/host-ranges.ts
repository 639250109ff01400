/**
 * Ansible's host range expansion: `web[01:10]`, `[a:f]`, `[1:9:2]`, several per name.
 * Errors are plain Errors; the parser adds file and line.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function hasRange(name: string): boolean {
  return name.includes('[');
}

export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  if (open < 0) return [name];
  const close = name.indexOf(']', open);
  if (close < 0) throw new Error(`unclosed host range in '${name}'`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error(`host range must be begin:end or begin:end:step in '${name}'`);
  const beg = bounds[0] || '0';
  const end = bounds[1];
  const stepText = bounds[2] ?? '1';
  if (!end) throw new Error(`host range must specify end value in '${name}'`);
  if (!/^-?\d+$/.test(stepText) || Number(stepText) <= 0) throw new Error(`host range step must be a positive integer in '${name}'`);
  const step = Number(stepText);

  let fill = (x: string | number): string => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) throw new Error(`host range must specify equal-length begin and end formats in '${name}'`);
    fill = (x) => String(x).padStart(beg.length, '0');
  }

  let seq: string[] = [];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new Error(`host range must have begin <= end in '${name}'`);
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) throw new Error(`invalid host range [${bounds.join(':')}] in '${name}'`);
    for (let i = Number(beg); i <= Number(end); i += step) seq.push(fill(i));
  }
  seq = seq.map((s) => head + s + tail);
  if (seq.length === 0) throw new Error(`host range [${bounds.join(':')}] in '${name}' yields no hosts`);
  return seq.flatMap((h) => (hasRange(h) ? expandHostRange(h) : [h]));
}
