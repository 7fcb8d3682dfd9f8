import { projectConfig, TENSOR_LEAK_SETUP } from '../../vitest.shared.js';

// The Chromium tests start a Vite server and a browser: one file at a time, generous timeouts.
export default projectConfig(import.meta.dirname, {
  test: { setupFiles: [TENSOR_LEAK_SETUP], fileParallelism: false, testTimeout: 300_000, hookTimeout: 300_000 },
});
