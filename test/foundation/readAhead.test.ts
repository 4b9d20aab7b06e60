import { readAhead } from '../../src/storage/readAhead';

/** A source that records how far it has been pulled and whether it was closed. */
function source(count: number, failAt?: number) {
  const state = { pulled: 0, closed: false };
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < count; i++) {
        await new Promise((r) => setTimeout(r, 1));
        if (i === failAt) throw new Error(`source failed at ${i}`);
        state.pulled = i + 1;
        yield i;
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, items: items() };
}

describe('readAhead', () => {
  it('yields every item of the source in order', async () => {
    const { items } = source(50);
    const seen: number[] = [];
    for await (const x of readAhead(items, 4)) seen.push(x);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('pulls ahead while the consumer is busy, but never more than the limit', async () => {
    const { state, items } = source(100);
    const iterator = readAhead(items, 5);
    expect((await iterator.next()).value).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(state.pulled).toBe(6);
    await iterator.return(undefined);
    expect(state.closed).toBe(true);
  });

  it('rethrows a source error after the items before it', async () => {
    const { items } = source(10, 3);
    const seen: number[] = [];
    await expect((async () => {
      for await (const x of readAhead(items, 8)) seen.push(x);
    })()).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    const { state, items } = source(100);
    for await (const x of readAhead(items, 3)) if (x === 2) break;
    expect(state.closed).toBe(true);
  });
});
