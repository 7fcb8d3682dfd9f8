// @effnet/train/node: what a training run needs of Node's file system — crash-safe checkpoint
// folders (the Trainer's CheckpointStore over a directory) and the metrics.jsonl log. Kept out of
// the main entry so that `@effnet/train` bundles for the browser.
export { fileCheckpointStore, saveCheckpoint, loadCheckpoint, listCheckpoints, latestCheckpoint } from './node/file-checkpoint-store.js';
export { MetricsLog, readMetrics } from './node/metrics-log.js';
export { workerTransport, parentPortTransport } from './node/worker-transport.js';
