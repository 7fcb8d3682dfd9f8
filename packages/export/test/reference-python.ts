// Test helper (not published): the Python interpreter with the reference packages the export
// checks need (onnx, onnxruntime, safetensors, timm, next to Debian's torch and torchvision):
// EFFNET_REFERENCE_PYTHON, else /usr/bin/python3. Checks that need a missing package are skipped
// with the reason printed, and fail instead under CI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The interpreter. */
export const REFERENCE_PYTHON = process.env['EFFNET_REFERENCE_PYTHON'] ?? '/usr/bin/python3';

/** The Python scripts of these tests. */
export const SCRIPTS = join(import.meta.dirname, 'python');

/** Whether the interpreter imports every module named; prints why not. */
export function pythonHas(modules: string[], purpose: string): boolean {
  const run = spawnSync(REFERENCE_PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 120_000 });
  if (run.status === 0) return true;
  const reason = `${purpose} skipped: ${REFERENCE_PYTHON} cannot import ${modules.join(', ')} (set EFFNET_REFERENCE_PYTHON to a venv that has them)`;
  if (process.env['CI']) throw new Error(reason);
  console.warn(reason);
  return false;
}
