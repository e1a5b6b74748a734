/**
 * The closest spelling among known names, for "did you mean …?" hints. Optimal string alignment
 * distance (Levenshtein plus adjacent transpositions) so `--epcohs` and `trian` count as one slip.
 */

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
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
 * The known name nearest to `typed`, or undefined when none is close enough to be a slip (at
 * most one edit per three characters, at least one): a far-fetched guess misleads more than none.
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  const bare = (s: string): string => s.replace(/^-+/, '').toLowerCase();
  const limit = Math.max(1, Math.floor(bare(typed).length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const name of known) {
    const dd = distance(bare(typed), bare(name));
    if (dd < bestD) [best, bestD] = [name, dd];
  }
  return bestD <= limit ? best : undefined;
}
