import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Which TensorFlow.js backend is active. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Force a backend instead of the best available (default: tfjs-node, then WASM, then cpu). */
  prefer?: BackendName;
  /** WASM worker threads (default 1: the threaded build measured slower on 2 cores, see docs/models.md). */
  wasmThreads?: number;
}

let ready: Promise<BackendName> | undefined;

/**
 * Loads the fastest TensorFlow.js backend available once per process: `@tensorflow/tfjs-node` when
 * it is installed (native TensorFlow), else the WASM backend with SIMD, else the pure-JS cpu backend.
 */
export function initBackend(options: BackendOptions = {}): Promise<BackendName> {
  ready ??= selectBackend(options);
  return ready;
}

async function selectBackend(options: BackendOptions): Promise<BackendName> {
  const order: BackendName[] = options.prefer ? [options.prefer] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'tensorflow' && !tryRequire('@tensorflow/tfjs-node')) continue;
    if (name === 'wasm' && !(await registerWasm(options.wasmThreads ?? 1))) continue;
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // fall through to the next backend
    }
  }
  await tf.setBackend('cpu');
  return 'cpu';
}

async function registerWasm(threads: number): Promise<boolean> {
  const wasm = tryRequire('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm') | undefined;
  if (!wasm) return false;
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(dist.endsWith(path.sep) ? dist : dist + path.sep);
  wasm.setThreadsCount(threads);
  return true;
}

function tryRequire(name: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name);
  } catch {
    return undefined;
  }
}

export { tf };
