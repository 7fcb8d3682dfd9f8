import { projectConfig, TENSOR_LEAK_SETUP } from '../../vitest.shared.js';

export default projectConfig(import.meta.dirname, { test: { setupFiles: [TENSOR_LEAK_SETUP] } });
