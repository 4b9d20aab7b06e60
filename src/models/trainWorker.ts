import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { initBackend } from './backend';
import { buildModelData, type CourseInput } from './ModelData';
import { serializePredictor } from './serialize';
import { trainPredictor, type TrainPredictorOptions, type TrainReport } from './trainer';
import type { TableSpec } from '../features/featureTable';

/** What the training thread is given: labelled courses, the feature layout and the training options. */
export interface TrainJob {
  courses: CourseInput[];
  spec: TableSpec;
  options?: Omit<TrainPredictorOptions, 'onProgress'>;
}

/** What it sends back: the serialized model and the training report. */
export interface TrainResult {
  model: Buffer;
  report: TrainReport;
}

type Message = { type: 'progress'; message: string } | { type: 'done'; model: Uint8Array; report: TrainReport } | { type: 'error'; message: string };

/** The compiled worker script (tests run TypeScript sources, so fall back to the build output). */
function workerScript(): string {
  if (__filename.endsWith('.js')) return __filename;
  const built = path.join(__dirname, '..', '..', 'dist', 'src', 'models', 'trainWorker.js');
  if (!fs.existsSync(built)) throw new Error(`training worker not built: run npm run build (${built})`);
  return built;
}

/**
 * Trains a predictor on a worker thread so the calling process's event loop stays free
 * (a web process or a BullMQ worker handling other jobs). Resolves with the model buffer.
 */
export function trainInWorker(job: TrainJob, onProgress?: (message: string) => void): Promise<TrainResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript(), { workerData: job });
    let settled = false;
    worker.on('message', (message: Message) => {
      if (message.type === 'progress') onProgress?.(message.message);
      else {
        settled = true;
        if (message.type === 'done') resolve({ model: Buffer.from(message.model), report: message.report });
        else reject(new Error(message.message));
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code}`));
    });
  });
}

async function runInThread(job: TrainJob): Promise<void> {
  const port = parentPort!;
  try {
    await initBackend();
    const data = buildModelData(job.courses, job.spec);
    const { predictor, report } = await trainPredictor(data, job.spec, { ...job.options, onProgress: (message) => port.postMessage({ type: 'progress', message }) });
    const model = await serializePredictor(predictor);
    predictor.dispose();
    const bytes = new Uint8Array(model);
    port.postMessage({ type: 'done', model: bytes, report } satisfies Message, [bytes.buffer]);
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error).message } satisfies Message);
  }
}

if (!isMainThread && parentPort && (workerData as TrainJob | undefined)?.courses) void runInThread(workerData as TrainJob);
