// Comparing two partitions of the same items (found applications against the truth): the
// adjusted Rand index and the adjusted mutual information, both 1 for identical partitions and
// about 0 for chance agreement. AMI uses the arithmetic-mean normalization and the exact
// expected mutual information under the hypergeometric model (as scikit-learn does), so that
// the figures in docs/discovery.md mean what people expect.
//
// Written here rather than taken from a library: npm has no maintained implementation of AMI,
// and both are a page of arithmetic over a contingency table.

function contingency(a: readonly string[], b: readonly string[]) {
  if (a.length !== b.length) throw new Error('partitions of different lengths');
  const ai = new Map<string, number>();
  const bi = new Map<string, number>();
  for (const x of a) if (!ai.has(x)) ai.set(x, ai.size);
  for (const x of b) if (!bi.has(x)) bi.set(x, bi.size);
  const byCell = new Map<number, { i: number; j: number; n: number }>();
  const rows = new Array<number>(ai.size).fill(0);
  const cols = new Array<number>(bi.size).fill(0);
  for (let k = 0; k < a.length; k++) {
    const i = ai.get(a[k]!)!;
    const j = bi.get(b[k]!)!;
    const key = i * bi.size + j;
    const c = byCell.get(key);
    if (c) c.n++;
    else byCell.set(key, { i, j, n: 1 });
    rows[i]!++;
    cols[j]!++;
  }
  return { n: a.length, cells: [...byCell.values()], rows, cols };
}

const comb2 = (x: number) => (x * (x - 1)) / 2;

export function adjustedRandIndex(a: readonly string[], b: readonly string[]): number {
  const { n, cells, rows, cols } = contingency(a, b);
  if (n < 2) return 1;
  const index = cells.reduce((s, x) => s + comb2(x.n), 0);
  const sa = rows.reduce((s, x) => s + comb2(x), 0);
  const sb = cols.reduce((s, x) => s + comb2(x), 0);
  const expected = (sa * sb) / comb2(n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

function entropy(counts: readonly number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

export function mutualInfo(a: readonly string[], b: readonly string[]): number {
  const { n, cells, rows, cols } = contingency(a, b);
  let mi = 0;
  for (const c of cells) mi += (c.n / n) * Math.log((n * c.n) / (rows[c.i]! * cols[c.j]!));
  return mi;
}

/** Expected mutual information of two random partitions with these cluster sizes. */
function expectedMutualInfo(rows: readonly number[], cols: readonly number[], n: number): number {
  const lf = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lf[i] = lf[i - 1]! + Math.log(i);
  let emi = 0;
  for (const ai of rows) {
    for (const bj of cols) {
      const lo = Math.max(1, ai + bj - n);
      const hi = Math.min(ai, bj);
      for (let nij = lo; nij <= hi; nij++) {
        const term = (nij / n) * Math.log((n * nij) / (ai * bj));
        const logP = lf[ai]! + lf[bj]! + lf[n - ai]! + lf[n - bj]! - lf[n]! - lf[nij]! - lf[ai - nij]! - lf[bj - nij]! - lf[n - ai - bj + nij]!;
        emi += term * Math.exp(logP);
      }
    }
  }
  return emi;
}

export function adjustedMutualInfo(a: readonly string[], b: readonly string[]): number {
  const { n, rows, cols } = contingency(a, b);
  if (n === 0) return 1;
  // identical trivial partitions (one cluster each, or all singletons) agree perfectly
  if ((rows.length === 1 && cols.length === 1) || (rows.length === n && cols.length === n)) return 1;
  const mi = mutualInfo(a, b);
  const emi = expectedMutualInfo(rows, cols, n);
  const mean = (entropy(rows, n) + entropy(cols, n)) / 2;
  const denom = mean - emi;
  if (Math.abs(denom) < 1e-12) return 0;
  return (mi - emi) / denom;
}
