/**
 * Ansible's human_to_bytes (module_utils/common/text/formatters.py): '10M' -> 10485760, used by
 * the `human_to_bytes` filter and by argument specs' `bytes` / `bits` types.
 */
/** Ansible's SIZE_RANGES, largest first (human_readable walks them in this order). */
export const SIZE_RANGES: Record<string, number> = { Y: 2 ** 80, Z: 2 ** 70, E: 2 ** 60, P: 2 ** 50, T: 2 ** 40, G: 2 ** 30, M: 2 ** 20, K: 2 ** 10, B: 1 };

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const fl = Math.floor(x);
  const diff = x - fl;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(x);
  return fl % 2 === 0 ? fl : fl + 1;
}

/** The byte (or bit) count `text` stands for, or undefined where Ansible raises ValueError. */
export function humanToBytes(text: string, defaultUnit?: string, isbits = false): number | undefined {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  if (!m || m[1] === '' || m[1] === '.') return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? defaultUnit;
  if (unit === undefined) return roundHalfEven(n);
  const limit = SIZE_RANGES[unit[0].toUpperCase()];
  if (limit === undefined) return undefined;
  const [cls, clsName] = isbits ? ['b', 'bit'] : ['B', 'byte'];
  if (unit.length > 1 && !unit.toLowerCase().includes(clsName) && unit[1] !== cls) return undefined;
  return roundHalfEven(n * limit);
}
