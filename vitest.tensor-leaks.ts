// Shared test setup for every package that touches tensors: a test fails when it leaves
// tf.memory().numTensors different from what it found.
// Use it with projectConfig(dir, { test: { setupFiles: [TENSOR_LEAK_SETUP] } }).
import * as tf from '@tensorflow/tfjs-core';
// A backend must exist for tf.memory(); tests that want another one set it themselves.
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeEach, expect } from 'vitest';

let before = 0;

beforeEach(() => {
  before = tf.memory().numTensors;
});

afterEach((context) => {
  if (context.task.result?.state === 'fail') return;
  const after = tf.memory().numTensors;
  expect(after - before, `tensors leaked by '${context.task.name}'`).toBe(0);
});
