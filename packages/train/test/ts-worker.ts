// Starts a worker thread on a TypeScript file: the worker registers tsx's loader in itself first
// (loader flags given to a Worker do not apply to it on Node 20).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A Worker running `file` (a .ts path) through tsx. */
export function tsWorker(file: string): Worker {
  const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = pathToFileURL(file).href;
  return new Worker(`import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}
