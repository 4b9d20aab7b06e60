/**
 * Iterates `source` while fetching ahead: up to `limit` items are pulled into a buffer while the consumer
 * works on earlier ones. A MongoDB cursor only asks for its next batch once the current one is used up, so
 * a consumer that spends CPU on every document (features, predictions) leaves the database idle meanwhile;
 * with a read-ahead of a batch or two, the database decodes the next batch while this process computes.
 * Errors of the source are rethrown to the consumer in order; stopping early returns the source.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const buffer: T[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  let wakePump: (() => void) | undefined;
  const pump = (async () => {
    try {
      while (!stopped) {
        if (buffer.length >= limit) {
          await new Promise<void>((resolve) => (wakePump = resolve));
          continue;
        }
        const next = await iterator.next();
        if (next.done) break;
        buffer.push(next.value);
        wakeConsumer?.();
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wakeConsumer?.();
    }
  })();
  try {
    for (;;) {
      if (buffer.length) {
        const item = buffer.shift() as T;
        wakePump?.();
        wakePump = undefined;
        yield item;
        continue;
      }
      if (failure) throw failure.error;
      if (finished) return;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
      wakeConsumer = undefined;
    }
  } finally {
    stopped = true;
    wakePump?.();
    await pump;
    if (!failure) await iterator.return?.();
  }
}
