// toOnnx: an EfficientNet classifier or EfficientDet as an ONNX ModelProto (IR version 8, opset
// 13-17), encoded by protobufjs from the official onnx.proto. The input is `images` NHWC (as effnet
// takes them; a Transpose to NCHW follows) or NCHW, with a fixed or a free batch; the outputs are
// `logits` (classifiers) or `classLogits` and `boxDeltas` (detectors, the raw head outputs).
import { EfficientDet, EfficientNet, inferenceForm, type InferenceForm, type WeightQuantization } from '@effnet/models';
import { EffnetExportError } from '../errors.js';
import { checkQuantizeOption } from '../quantize-option.js';
import { OnnxGraphBuilder, translateForm, type SamePaddingStyle } from './onnx-graph.js';
import { IR_VERSION, onnx, type Onnx } from './onnx-proto.js';
import { weightEncoder } from './onnx-weights.js';

/** Options of {@link toOnnx}. */
export interface OnnxOptions {
  /** Input height (default: the spec's evaluation resolution). */
  height?: number;
  /** Input width (default: the height). */
  width?: number;
  /** A fixed batch size, or `'dynamic'` (default) for a free `batch` dimension. */
  batch?: number | 'dynamic';
  /** Operator set version, 13 to 17 (default 13). */
  opset?: number;
  /** Layout of the `images` input (default `nhwc`, as effnet's models take them). */
  inputLayout?: 'nhwc' | 'nchw';
  /** How 'same' padding is written: explicit asymmetric pads (default) or `auto_pad` SAME_UPPER. */
  samePadding?: SamePaddingStyle;
  /** Weight storage: float32 (default, `null`), float16, or uint8 per tensor or per channel. */
  quantize?: WeightQuantization | null;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function valueInfo(name: string, dims: (number | string)[]): Onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

function checkOptions(options: OnnxOptions): Required<Omit<OnnxOptions, 'height' | 'width'>> {
  const { batch = 'dynamic', opset = 13, inputLayout = 'nhwc', samePadding = 'explicit' } = options;
  if (batch !== 'dynamic' && !(Number.isSafeInteger(batch) && batch >= 1)) throw new EffnetExportError('batch', `must be a positive integer or 'dynamic', got ${String(batch)}`);
  if (!(Number.isSafeInteger(opset) && opset >= 13 && opset <= 17)) throw new EffnetExportError('opset', `must be an integer from 13 to 17 (the ops written keep their meaning there), got ${String(opset)}`);
  if (inputLayout !== 'nhwc' && inputLayout !== 'nchw') throw new EffnetExportError('inputLayout', `must be 'nhwc' or 'nchw', got ${String(inputLayout)}`);
  if (samePadding !== 'explicit' && samePadding !== 'auto-pad') throw new EffnetExportError('samePadding', `must be 'explicit' or 'auto-pad', got ${String(samePadding)}`);
  return { batch, opset, inputLayout, samePadding, quantize: checkQuantizeOption(options.quantize) };
}

/** The form of `model` at the asked size, with errors of the form turned into export errors. */
export function formOf(model: EfficientNet | EfficientDet, options: { height?: number; width?: number }): InferenceForm {
  if (!(model instanceof EfficientNet) && !(model instanceof EfficientDet)) {
    throw new EffnetExportError('model', `expected an EfficientNet classifier or an EfficientDet, got ${model === null ? 'null' : typeof model}`);
  }
  try {
    return inferenceForm(model, options);
  } catch (error) {
    throw new EffnetExportError('model', (error as Error).message);
  }
}

/**
 * The ONNX model of a classifier or detector, as `.onnx` file bytes.
 *
 * @param model - An EfficientNet classifier (not featuresOnly) or an EfficientDet.
 * @param options - Input size, batch, opset, input layout, 'same' padding style, weight quantisation.
 * @returns The serialised ModelProto.
 * @throws EffnetExportError for a model or option that cannot be exported.
 * @example
 * ```ts
 * const bytes = toOnnx(efficientnet('efficientnet-b0'), { height: 224 });
 * await writeFile('b0.onnx', bytes);
 * ```
 */
export function toOnnx(model: EfficientNet | EfficientDet, options: OnnxOptions = {}): Uint8Array {
  const settings = checkOptions(options);
  const form = formOf(model, options);
  const g = new OnnxGraphBuilder(weightEncoder(settings.quantize));
  const [h, w, c] = form.input.shape;
  const batch = settings.batch === 'dynamic' ? 'batch' : settings.batch;
  const nchw = settings.inputLayout === 'nhwc' ? g.node('Transpose', ['images'], [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 3, 1, 2] }]) : 'images';
  const names = translateForm(g, form, nchw, settings.samePadding);
  const outputs = form.outputs.map((name) => {
    const shape = form.nodes.find((n) => n.output === name)!.shape;
    if (names.get(name) !== name) throw new EffnetExportError('model', `output '${name}' was not written under its name (internal)`);
    return valueInfo(name, [batch, ...shape]);
  });
  const modelProto: Onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: settings.opset }],
    producerName: '@effnet/export',
    graph: {
      name: form.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('images', settings.inputLayout === 'nhwc' ? [batch, h, w, c] : [batch, c, h, w])],
      output: outputs,
    },
  };
  const error = onnx.ModelProto.verify(modelProto);
  if (error) throw new EffnetExportError('model', `the ONNX message does not fit onnx.proto: ${error}`);
  return onnx.ModelProto.encode(onnx.ModelProto.create(modelProto)).finish();
}
