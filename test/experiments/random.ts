// Bound once: inside jest's vm sandbox every `Math.` lookup costs ~25× more, and the simulations draw millions of values.
const { imul, sqrt, log, cos, exp, PI } = Math;

/** Seeded generators for statistics tests (mulberry32 + Box–Muller), so every run draws the same data. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => sqrt(-2 * log(1 - uniform())) * cos(2 * PI * uniform());
  return { uniform, normal, lognormal: (mu: number, sigma: number) => exp(mu + sigma * normal()) };
}
