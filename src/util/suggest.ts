/** Edit distance (insert, delete, substitute, swap of neighbours), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The one known name close enough to be an obvious typo of `name`, or undefined. Close means
 * at most a third of the name's letters differ (at least 1, at most 3); a tie gives no hint.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const k of new Set(known)) {
    const dist = editDistance(lower, k.toLowerCase());
    if (dist < bestD) {
      best = k;
      bestD = dist;
      tie = false;
    } else if (dist === bestD && k !== best) tie = true;
  }
  return best !== undefined && bestD > 0 && bestD <= limit && !tie ? best : undefined;
}

/** ` (did you mean `x`?)`, or nothing. */
export function didYouMean(name: string, known: Iterable<string>): string {
  const hit = closestName(name, known);
  return hit ? ` (did you mean \`${hit}\`?)` : '';
}
