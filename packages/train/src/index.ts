// @effnet/train: the public surface. Runs anywhere tfjs runs (no Node built-in, no file access):
// Node file-system checkpoints and metrics logs are in `@effnet/train/node`.
export { Trainer } from './trainer.js';
export type {
  TrainStage, AppliedAugmentation, StageAugmentation, FineTuneOptions, FreezeMode, PreparedBatch, PrepareBatch, PrepareContext, StepInfo, TrainerCallbacks, TrainerOptions, TrainLoss, LossContext, CheckpointOptions, GradientReplicas,
} from './trainer-options.js';
export { FREEZE_MODES } from './trainer-options.js';
export { paramGroups, isClassifierName, isBatchNormName, type ParamGroups } from './param-groups.js';
export { crossEntropyLoss, withWeightDecay } from './cross-entropy-loss.js';
export { clipByGlobalNorm } from './clip-by-global-norm.js';
export { stepSeed } from './step-seed.js';
export { evaluateClassifier, classifierOutputs, type Evaluation, type EvaluateClassifierOptions, type ClassifierOutputs, type EvaluationReplicas } from './evaluate-classifier.js';
export type { TrainableModel, ModelVariables, ForwardOptions } from './trainable-model.js';
export { standardPrepare, type StandardPrepareOptions } from './prepare.js';
export { createOptimizer, type OptimizerConfig, type TrainOptimizer } from './optimizers.js';
export { memoryCheckpointStore, type CheckpointContent, type CheckpointStore, type TensorData } from './checkpoint-store.js';
export { InMemoryDataset, batchOrder, type Batch, type BatchOptions, type BatchSource, type Dataset } from './datasets/dataset.js';
export { topK, topKHits, confusionMatrix } from './metrics.js';
export type { MetricsRecord, StageRecord, StageEndRecord, StepRecord, EvalRecord } from './metrics-records.js';
export { shuffledIndices } from './shuffle.js';
export { EffnetDataError, EffnetTrainError } from './errors.js';
export { GradientPool, shardSizes } from './parallel/gradient-pool.js';
export { serveReplica, serveRequests } from './parallel/serve-replica.js';
export { ReplicaChannels } from './parallel/replica-channels.js';
export type { MessageTransport, ReplicaTransport, ReplicaPort, ToReplica, FromReplica } from './parallel/replica-protocol.js';
export { webWorkerTransport, workerScopeTransport, type WebWorkerLike, type WorkerScopeLike, type WorkerEventLike } from './parallel/web-worker-transport.js';
