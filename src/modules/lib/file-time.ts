/**
 * file's modification_time/access_time read with their *_format as Python's time.strptime reads
 * them (the directives Ansible users write: %Y %y %m %d %H %M %S %j-free dates), turned into the
 * `[[CC]YY]MMDDhhmm.ss` stamp `touch -t` takes, which the target reads in its own local time, as
 * Ansible's time.mktime does.
 */

/** strptime directive → [regex, field]; numbers take one digit or two, as strptime allows. */
const DIRECTIVES: Record<string, [string, string]> = {
  Y: ['(\\d{4})', 'Y'],
  y: ['(\\d{2})', 'y'],
  m: ['(1[0-2]|0[1-9]|[1-9])', 'm'],
  d: ['(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])', 'd'],
  H: ['(2[0-3]|[0-1]\\d|\\d)', 'H'],
  M: ['([0-5]\\d|\\d)', 'M'],
  S: ['(6[0-1]|[0-5]\\d|\\d)', 'S'],
};

/** The touch -t stamp for `value` in `format`; undefined when strptime would fail on it. */
export function touchStamp(value: string, format: string): string | undefined {
  const fields: string[] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === '%') {
      const d = format[++i];
      if (d === '%') re += '%';
      else if (d !== undefined && DIRECTIVES[d]) {
        re += DIRECTIVES[d][0];
        fields.push(DIRECTIVES[d][1]);
      } else return undefined;
    } else if (/\s/.test(c)) re += '\\s+';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`).exec(value);
  if (!m) return undefined;
  // strptime's defaults: 1900-01-01 00:00:00.
  const f: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  fields.forEach((k, i) => {
    const n = Number(m[i + 1].trim());
    if (k === 'y') f.Y = n < 69 ? 2000 + n : 1900 + n;
    else f[k] = n;
  });
  const two = (n: number) => String(n).padStart(2, '0');
  // touch -t takes seconds 00..60; strptime's 61 (a historical leap second) has no stamp.
  if (f.S > 60) return undefined;
  return `${String(f.Y).padStart(4, '0')}${two(f.m)}${two(f.d)}${two(f.H)}${two(f.M)}.${two(f.S)}`;
}
