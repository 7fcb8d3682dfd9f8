// Where tfjs-backend-wasm finds its .wasm binaries. Browsers bundle or serve them (the caller
// sets the paths, as tfjs's README says); in Node we point at the installed package's dist/.

/** Whether this code runs under Node.js. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node !== undefined;
}

/**
 * In Node, the folder holding tfjs-backend-wasm's .wasm files (`<package>/dist/`), or undefined
 * when the package is not installed; in browsers always undefined. Loads nothing.
 */
export async function nodeWasmDir(): Promise<string | undefined> {
  if (!isNode()) return undefined;
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  try {
    const manifest = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    return `${dirname(manifest)}/dist/`;
  } catch {
    return undefined;
  }
}
