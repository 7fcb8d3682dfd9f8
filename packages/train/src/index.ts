// @effnet/train: the public surface.
export { Trainer, stepSeed, clipByGlobalNorm, crossEntropyLoss } from './trainer.js';
export type { TrainStage, PreparedBatch, PrepareBatch, StepInfo, Evaluation, TrainerCallbacks, TrainerOptions, TrainLoss, LossContext } from './trainer.js';
export type { TrainableModel, ModelVariables, ForwardOptions } from './trainable-model.js';
export { standardPrepare, type StandardPrepareOptions } from './prepare.js';
export { createOptimizer, type OptimizerConfig, type TrainOptimizer } from './optimizers.js';
export { WeightAverage } from './weight-average.js';
export { saveCheckpoint, loadCheckpoint, listCheckpoints, latestCheckpoint } from './checkpoints.js';
export type { CheckpointContent, TensorData } from './checkpoints.js';
export { InMemoryDataset, batchOrder, type Batch, type BatchOptions, type BatchSource, type Dataset } from './datasets/dataset.js';
export { DetectionDataset, detectionFolder, type DetectionBatch, type DetectionBox, type DetectionDatasetOptions } from './datasets/detection.js';
export { fashionMnist, FASHION_MNIST_CLASSES, type FashionMnistOptions } from './datasets/fashion-mnist.js';
export { mnist, MNIST_CLASSES, type MnistOptions } from './datasets/mnist.js';
export { imageFolder, decodeImage, ImageFolderDataset, IMAGE_EXTENSIONS, type ImageFolderOptions } from './datasets/image-folder.js';
export { topK, topKHits, confusionMatrix } from './metrics.js';
export { MetricsLog, readMetrics, type MetricsRecord, type StageRecord, type StepRecord, type EvalRecord } from './metrics-log.js';
export { SeededRandom, shuffledIndices } from './random.js';
export { EffnetDataError, EffnetTrainError } from './errors.js';
