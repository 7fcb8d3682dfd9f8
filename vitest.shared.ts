// Shared vitest settings: every project resolves @effnet/* to its TypeScript sources (no build
// needed to test) and writes a JSON report that tools/scripts/test-all.mjs adds up for CI.
import { readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const ROOT = import.meta.dirname;

/** Setup file that fails a test whose tensor count changes; add it to `setupFiles`. */
export const TENSOR_LEAK_SETUP = join(ROOT, 'vitest.tensor-leaks.ts');

function sourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  const dir = join(ROOT, 'packages');
  for (const name of readdirSync(dir)) {
    // A `node` subpath export (src/node.ts) comes first: aliases match by prefix, in order.
    const nodeEntry = join(dir, name, 'src', 'node.ts');
    if (existsSync(nodeEntry)) aliases[`@effnet/${name}/node`] = nodeEntry;
    const entry = join(dir, name, 'src', 'index.ts');
    if (existsSync(entry)) aliases[`@effnet/${name}`] = entry;
  }
  return aliases;
}

/** The vitest config of one project; `overrides.test` is merged over the defaults. */
export function projectConfig(projectDir: string, overrides: ViteUserConfig = {}): ViteUserConfig {
  return defineConfig({
    ...overrides,
    resolve: { alias: sourceAliases(), ...overrides.resolve },
    test: {
      root: projectDir,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: resolve(projectDir, '.vitest/results.json') },
      passWithNoTests: true,
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides.test,
    },
  });
}
