// Package shape of the backend layer: @effnet/backends has no side effects;
// each plugin declares exactly its register-all module (and the index that imports it, so that
// bundlers keep `import '@effnet/backend-x'`) and its index really imports register-all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PACKAGES = join(import.meta.dirname, '..', '..', '..', 'packages');
const PLUGINS = ['backend-cpu', 'backend-wasm', 'backend-webgl', 'backend-webgpu', 'backend-node'];

function manifest(name: string): { sideEffects: unknown } {
  return JSON.parse(readFileSync(join(PACKAGES, name, 'package.json'), 'utf8')) as { sideEffects: unknown };
}

describe('backend package side effects', () => {
  it('@effnet/backends declares none', () => {
    expect(manifest('backends').sideEffects).toBe(false);
  });

  for (const plugin of PLUGINS) {
    it(`@effnet/${plugin} declares register-all and its index, which imports register-all first`, () => {
      expect(manifest(plugin).sideEffects).toEqual(['./dist/register-all.js', './dist/index.js']);
      const index = readFileSync(join(PACKAGES, plugin, 'src', 'index.ts'), 'utf8');
      expect(index.split('\n').find((line) => line.startsWith('import'))).toBe("import './register-all.js';");
    });
  }
});
