import http from 'node:http';

export interface ConstantRateFigures {
  rate: number;
  sent: number;
  completed: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

export interface ConstantRateOptions {
  url: string;
  /** Requests per second, spread evenly (one every 1000/rate ms). */
  rate: number;
  durationSeconds: number;
  /** Kept-alive sockets the requests may use (a request waits for a free one only when all are busy). */
  connections: number;
  /** Headers of the i-th request. */
  headers?: (i: number) => http.OutgoingHttpHeaders;
}

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Open-loop load at a constant rate, as wrk2 does it: the i-th request is due at start + i/rate and is sent then,
 * whether or not earlier ones have been answered, and its latency is counted from when it was due (so a stalled
 * server shows up in the figures instead of silently slowing the sender: no coordinated omission).
 * autocannon's `overallRate` cannot do this: it splits the rate over the connections and each connection sends its
 * per-second quota back to back when its one-second timer fires, all timers started together — 500 requests/s
 * over 200 connections arrive as one burst of 500 at the top of every second; it also corrects for coordinated
 * omission with an expected interval of ceil(1/per-connection rate) = 1 ms, adding synthetic samples to every
 * response slower than 1 ms. Its p99 there is the time to drain a burst, not the latency at that rate.
 */
export async function constantRate(options: ConstantRateOptions): Promise<ConstantRateFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const total = Math.round(options.rate * options.durationSeconds);
  const latencies = new Float64Array(total);
  const intervalNs = 1e9 / options.rate;
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let non2xx = 0;
  const start = process.hrtime.bigint();
  const ms = (ns: bigint) => Number(ns) / 1e6;

  await new Promise<void>((resolve) => {
    const finishOne = () => {
      if (++completed === total) resolve();
    };
    const send = (i: number) => {
      const due = start + BigInt(Math.round(i * intervalNs));
      const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers: options.headers?.(i) }, (res) => {
        if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
        res.resume();
        res.on('end', () => {
          latencies[i] = ms(process.hrtime.bigint() - due);
          finishOne();
        });
      });
      req.on('error', () => {
        errors++;
        latencies[i] = ms(process.hrtime.bigint() - due);
        finishOne();
      });
      req.end();
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(Number(process.hrtime.bigint() - start) / intervalNs) + 1);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
  const elapsedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  const sorted = latencies.slice().sort();
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    rate: options.rate,
    sent,
    completed,
    requestsPerSecond: Math.round(completed / elapsedSeconds),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1]),
    errors,
    non2xx,
  };
}
