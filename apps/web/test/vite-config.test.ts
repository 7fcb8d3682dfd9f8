// The Vite config's helpers: each package's `sideEffects` (declared for dist/) applied to its
// sources, so that the production build keeps `import '@effnet/backend-*'`; fixture look-up.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effnetSourceSideEffects, fixturePath } from '../vite.config.js';

const PACKAGES = join(import.meta.dirname, '..', '..', '..', 'packages');

describe('vite config helpers', () => {
  it('marks exactly the declared register-all and index sources of the plugins as side effects', () => {
    expect(effnetSourceSideEffects(join(PACKAGES, 'backend-wasm', 'src', 'register-all.ts'))).toBe(true);
    expect(effnetSourceSideEffects(join(PACKAGES, 'backend-webgl', 'src', 'index.ts'))).toBe(true);
    expect(effnetSourceSideEffects(join(PACKAGES, 'backend-wasm', 'src', 'wasm-adapter.ts'))).toBe(false);
    expect(effnetSourceSideEffects(join(PACKAGES, 'backends', 'src', 'index.ts') + '?v=1')).toBe(false);
    expect(effnetSourceSideEffects('/somewhere/node_modules/@tensorflow/tfjs-core/dist/index.js')).toBeUndefined();
  });

  it('finds committed fixtures by file name and nothing else', () => {
    expect(fixturePath('/v2-tiny.safetensors?x=1')).toMatch(/packages\/models\/test\/fixtures\/v2-tiny\.safetensors$/);
    expect(fixturePath('/../../package.json')).toBeUndefined();
    expect(fixturePath('/missing.safetensors')).toBeUndefined();
  });
});
