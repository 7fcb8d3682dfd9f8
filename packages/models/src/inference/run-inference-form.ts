// Runs an inference form in tfjs, node by node, with the kernels efficientnet.ts uses (conv2d,
// depthwiseConv2d with explicit pads, maxPool, resizeNearestNeighbor): the reference that every
// exported file is compared with, and a check that folding lost nothing.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetModelError } from '../errors.js';
import type { FormNode, InferenceForm } from './inference-form.js';

type Pads = [[number, number], [number, number], [number, number], [number, number]];

function nhwcPads(pads: [number, number, number, number]): Pads {
  return [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]];
}

function applyNode(node: FormNode, values: Map<string, tf.Tensor>, constant: (name: string) => tf.Tensor): tf.Tensor {
  const x = values.get(node.inputs[0]!)!;
  switch (node.op) {
    case 'conv': {
      const w = constant(node.kernel) as tf.Tensor4D;
      const pad = node.padding === 'same' ? 'same' : nhwcPads(node.pads);
      const y = node.depthwise ? tf.depthwiseConv2d(x as tf.Tensor4D, w, node.stride, pad) : tf.conv2d(x as tf.Tensor4D, w, node.stride, pad);
      return node.bias ? tf.add(y, constant(node.bias)) : y;
    }
    case 'activation':
      switch (node.fn) {
        case 'sigmoid': return tf.sigmoid(x);
        case 'silu': return tf.mul(x, tf.sigmoid(x));
        case 'relu': return tf.relu(x);
        case 'relu6': return tf.relu6(x);
        case 'gelu': return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
      }
      break;
    case 'add': return tf.add(x, values.get(node.inputs[1]!)!);
    case 'mul': return tf.mul(x, values.get(node.inputs[1]!)!);
    case 'scale': return tf.mul(x, constant(node.factor));
    case 'normalize': return tf.div(tf.sub(x, constant(node.mean)), constant(node.std));
    case 'global-mean': return tf.mean(x, [1, 2], node.keepDims);
    case 'linear': return tf.add(tf.matMul(x as tf.Tensor2D, constant(node.kernel) as tf.Tensor2D), constant(node.bias));
    case 'max-pool': return tf.maxPool(x as tf.Tensor4D, node.size, node.stride, node.padding === 'same' ? 'same' : node.pads[0]);
    case 'resize-nearest': return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [node.shape[0]!, node.shape[1]!]);
    case 'anchor-rows': return tf.reshape(x, [x.shape[0], ...node.shape]);
    case 'concat': return tf.concat(node.inputs.map((name) => values.get(name)!), 1);
  }
  throw new EffnetModelError('inference form', `unknown op '${(node as { op: string }).op}'`);
}

/**
 * Runs `form` on NHWC `images` of its input size.
 *
 * @param form - A form from inferenceForm().
 * @param images - [batch, height, width, channels] as the form's input says.
 * @returns The outputs in the form's order; the caller disposes them.
 * @throws EffnetModelError for images of another size.
 */
export function runInferenceForm(form: InferenceForm, images: tf.Tensor4D): tf.Tensor[] {
  if (images.rank !== 4 || images.shape.slice(1).join(',') !== form.input.shape.join(',')) {
    throw new EffnetModelError('images', `the form of '${form.name}' takes [batch, ${form.input.shape.join(', ')}], got [${images.shape.join(', ')}]; build the form at this size`);
  }
  return tf.tidy(() => {
    const cache = new Map<string, tf.Tensor>();
    const constant = (name: string) => {
      let t = cache.get(name);
      if (!t) {
        const c = form.constants.get(name)!;
        cache.set(name, (t = tf.tensor(c.values, c.shape, 'float32')));
      }
      return t;
    };
    const values = new Map<string, tf.Tensor>([[form.input.name, images]]);
    for (const node of form.nodes) values.set(node.output, applyNode(node, values, constant));
    return form.outputs.map((name) => values.get(name)!);
  });
}
