// An effnet model compiled for onnxruntime: exported once by @effnet/export's toOnnx (batch
// free, NHWC input as effnet's models take it), then run through an InferenceSession. It takes
// and gives tfjs tensors, so code written for `model.predict` moves over by adding an `await`.
import * as tf from '@tensorflow/tfjs-core';
import type { InferenceSession } from 'onnxruntime-common';
import { EffnetBackendError } from '@effnet/backends';
import { toOnnx, type OnnxOptions } from '@effnet/export';
import type { EfficientDet, EfficientNet } from '@effnet/models';
import { loadRuntime, type OnnxRuntime } from './onnx-runtime.js';

/** Options of {@link OnnxModel.create}. */
export interface OnnxModelOptions extends Pick<OnnxOptions, 'height' | 'width' | 'quantize'> {
  /** onnxruntime execution providers (default: the runtime's own, `cpu` in Node, `wasm` in browsers). */
  executionProviders?: InferenceSession.SessionOptions['executionProviders'];
  /** Threads of one inference (default: onnxruntime's choice). */
  threads?: number;
}

/** A classifier or detector running in onnxruntime. */
export class OnnxModel {
  private constructor(
    private readonly runtime: OnnxRuntime,
    private readonly session: InferenceSession,
    /** The input shape without the batch: [height, width, channels]. */
    readonly inputShape: [number, number, number],
    /** Output names: `logits`, or `classLogits` and `boxDeltas`. */
    readonly outputNames: readonly string[],
  ) {}

  /**
   * Exports `model` to ONNX and opens an onnxruntime session on it.
   *
   * @param model - An EfficientNet classifier or an EfficientDet (its weights are copied: later changes are not seen).
   * @param options - Input size, weight quantisation, execution providers, threads.
   * @throws EffnetExportError for a model that cannot be exported; EffnetBackendError when onnxruntime is missing or refuses the model.
   */
  static async create(model: EfficientNet | EfficientDet, options: OnnxModelOptions = {}): Promise<OnnxModel> {
    const runtime = await loadRuntime();
    const bytes = toOnnx(model, { height: options.height, width: options.width, quantize: options.quantize });
    const height = options.height ?? ('eval' in Object(model.spec.resolution) ? (model.spec.resolution as { eval: number }).eval : (model.spec.resolution as number));
    const width = options.width ?? height;
    const channels = 'backbone' in model.spec ? model.spec.backbone.inChannels : model.spec.inChannels;
    let session: InferenceSession;
    try {
      session = await runtime.InferenceSession.create(bytes, {
        executionProviders: options.executionProviders,
        ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
        graphOptimizationLevel: 'all',
      });
    } catch (error) {
      throw new EffnetBackendError('onnx', `${runtime.name} refused the exported model: ${(error as Error).message}`);
    }
    return new OnnxModel(runtime, session, [height, width, channels], [...session.outputNames]);
  }

  /** Runs the session on NHWC images; one tfjs tensor per output, in `outputNames` order. */
  async run(images: tf.Tensor4D): Promise<tf.Tensor[]> {
    if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.shape.slice(1).join(',') !== this.inputShape.join(',')) {
      const shape = images instanceof tf.Tensor ? `[${images.shape.join(', ')}]` : String(images);
      throw new EffnetBackendError('onnx', `expected NHWC images [batch, ${this.inputShape.join(', ')}] (the size it was created for), got ${shape}; create the OnnxModel at this size`);
    }
    const data = images.dtype === 'float32' ? ((await images.data()) as Float32Array) : Float32Array.from(await images.data());
    const out = await this.session.run({ images: new this.runtime.Tensor('float32', data, images.shape) });
    return this.outputNames.map((name) => tf.tensor(out[name]!.data as Float32Array, out[name]!.dims as number[], 'float32'));
  }

  /** Evaluation-mode logits `[batch, classes]` of a classifier. */
  async predict(images: tf.Tensor4D): Promise<tf.Tensor2D> {
    if (this.outputNames[0] !== 'logits') throw new EffnetBackendError('onnx', `this model is a detector (outputs ${this.outputNames.join(', ')}); call forward()`);
    return (await this.run(images))[0] as tf.Tensor2D;
  }

  /** Raw outputs of a detector: `classLogits` `[batch, anchors, classes]`, `boxDeltas` `[batch, anchors, 4]`. */
  async forward(images: tf.Tensor4D): Promise<{ classLogits: tf.Tensor3D; boxDeltas: tf.Tensor3D }> {
    if (this.outputNames[0] !== 'classLogits') throw new EffnetBackendError('onnx', 'this model is a classifier; call predict()');
    const [classLogits, boxDeltas] = (await this.run(images)) as [tf.Tensor3D, tf.Tensor3D];
    return { classLogits, boxDeltas };
  }

  /** Frees the session. */
  async dispose(): Promise<void> {
    await this.session.release();
  }
}
