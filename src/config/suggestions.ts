/**
 * Edit distance with adjacent transpositions (optimal string alignment): "fiel_mappings" is 1 from
 * "field_mappings", or any number over `limit` once no alignment can stay within it. Three rows rather
 * than a matrix, and an early stop: a file may ask this for thousands of names.
 */
function editDistance(a: string, b: string, limit: number): number {
  let before = new Int32Array(b.length + 1);
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  let previousLeast = 0;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let least = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current[j] = best;
      least = Math.min(least, best);
    }
    // A cell is built from the two rows above it, so once two rows are over the limit every later one is.
    if (least > limit && previousLeast > limit) return least;
    previousLeast = least;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate a mistyped name most likely meant, for "did you mean" hints; undefined when none is
 * close (at most a third of the name's letters wrong, and never more than three).
 */
export function closestName(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = input.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const name = candidate.toLowerCase();
    // The distance is at least the difference in length: a long hostile name costs nothing to refuse.
    if (Math.abs(name.length - wanted.length) > limit) continue;
    const distance = editDistance(wanted, name, limit);
    if (distance <= limit && (best === undefined || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best?.name;
}

/** ` (did you mean "x"?)` or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const near = closestName(input, candidates);
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
}
