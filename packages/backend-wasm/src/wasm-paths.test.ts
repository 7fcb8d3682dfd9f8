// Where the .wasm binaries come from: the installed package's dist/ in Node; in browsers the
// bundler-resolved URL of each file unless setWasmFiles named others.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserWasmFiles, isNode, nodeWasmDir, setWasmFiles } from './wasm-paths.js';

describe('wasm binary locations', () => {
  it('in Node: the dist/ folder of the installed tfjs-backend-wasm, holding all three binaries', async () => {
    expect(isNode()).toBe(true);
    const dir = await nodeWasmDir();
    expect(dir).toMatch(/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/$/);
    for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      expect(existsSync(`${dir}${file}`), file).toBe(true);
    }
  });

  it('for browsers: one URL per binary by default, written for the bundler to resolve; setWasmFiles overrides', () => {
    const files = browserWasmFiles() as Record<string, string>;
    expect(Object.keys(files).sort()).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    for (const [name, url] of Object.entries(files)) expect(url.endsWith(`/@tensorflow/tfjs-backend-wasm/dist/${name}`), url).toBe(true);
    setWasmFiles('/static/wasm/');
    expect(browserWasmFiles()).toBe('/static/wasm/');
    setWasmFiles({ 'tfjs-backend-wasm-simd.wasm': '/a.wasm' });
    expect(browserWasmFiles()).toEqual({ 'tfjs-backend-wasm-simd.wasm': '/a.wasm' });
  });
});
