// @effnet/models bundles for browsers: esbuild (platform browser) bundles src/index.ts with the
// workspace sources; Node's modules stay behind the `file://` handler's dynamic imports, and the
// Node-only write-file-atomic is never pulled into the bundle (a literal `import('write-file-atomic')`
// fails this build: esbuild cannot resolve its `fs`).
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('browser bundle', () => {
  it('bundles the main entry with only tfjs and node: built-ins (loaded on use) left outside', async () => {
    const result = await build({
      entryPoints: [join(import.meta.dirname, 'index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true,
      logLevel: 'silent', tsconfig: join(ROOT, 'tsconfig.base.json'), external: ['node:*', '@tensorflow/*'],
    });
    // The only npm package in the bundle is h5wasm (the Keras reader, built for browsers too).
    const packages = Object.keys(result.metafile.inputs).flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? []);
    expect([...new Set(packages)]).toEqual(['h5wasm']);
    const outside = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect([...new Set(outside)].filter((path) => !path.startsWith('node:') && !path.startsWith('@tensorflow/'))).toEqual([]);
  });
});
