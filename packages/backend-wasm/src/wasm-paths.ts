// Where tfjs-backend-wasm finds its .wasm binaries, with no set-up by the user. In Node: the
// installed package's dist/ folder. In bundled browser builds: URLs written as
// `new URL('<package>/dist/<file>.wasm', import.meta.url)`, the asset pattern that Vite, webpack 5,
// Rollup and Parcel resolve and emit at build time. A page that hosts the files itself calls
// `setWasmFiles` before `useBackend('wasm')`.

/** The three binaries of tfjs-backend-wasm 4.x, by the file name the backend asks for. */
export type WasmFileName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

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

let userFiles: string | Partial<Record<WasmFileName, string>> | undefined;

/**
 * Overrides where the browser loads the .wasm files from: a folder URL ending in `/` or one URL
 * per file. Call before `useBackend('wasm')`; bundled builds need not call it.
 */
export function setWasmFiles(prefixOrFiles: string | Partial<Record<WasmFileName, string>>): void {
  userFiles = prefixOrFiles;
}

/**
 * The URLs of the .wasm files in a browser: those given to {@link setWasmFiles}, else the ones
 * the bundler emitted for the `new URL(..., import.meta.url)` patterns below. (Each literal must
 * stay a literal, or bundlers cannot see it.)
 */
export function browserWasmFiles(): string | Partial<Record<WasmFileName, string>> {
  if (userFiles !== undefined) return userFiles;
  return {
    'tfjs-backend-wasm.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}
