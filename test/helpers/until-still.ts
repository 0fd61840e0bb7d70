/** Resolves with `count()` once it has stayed the same across `turns` event-loop turns in a row; fails if it still moves after `limitMs`. */
export async function untilStill(count: () => number, turns = 200, limitMs = 10_000): Promise<number> {
  const deadline = Date.now() + limitMs;
  let last = count();
  let still = 0;
  while (still < turns) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = count();
    if (now === last) still++;
    else [last, still] = [now, 0];
    if (Date.now() > deadline) throw new Error(`still moving after ${limitMs} ms (at ${now})`);
  }
  return last;
}
