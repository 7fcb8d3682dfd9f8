// @effnet/train's main entry bundles for the browser: esbuild (platform browser) bundles
// src/index.ts with the workspace's @effnet/* sources, and fails on any Node built-in, `sharp`
// or data package anywhere in the import graph. The `node` entry is the control: it must fail.
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const NODE_ONLY = new Set([...builtinModules, 'sharp', 'fashion-mnist', 'mnist', '@effnet/data']);

/** Bundles `entry`; returns the bare imports that reach outside the workspace and the build errors. */
async function bundle(entry: string): Promise<{ external: string[]; errors: string[] }> {
  const external = new Set<string>();
  const watch: Plugin = {
    name: 'record-imports',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        const bare = args.path.startsWith('node:') ? args.path : args.path.split('/').slice(0, args.path.startsWith('@') ? 2 : 1).join('/');
        if (bare.startsWith('@effnet/')) return undefined; // workspace sources, through tsconfig paths
        external.add(bare);
        if (bare.startsWith('node:') || NODE_ONLY.has(bare)) return { errors: [{ text: `Node-only import '${args.path}' from ${args.importer.slice(ROOT.length + 1)}` }] };
        return { path: args.path, external: true };
      });
    },
  };
  try {
    await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent', tsconfig: join(ROOT, 'tsconfig.base.json'), plugins: [watch] });
    return { external: [...external].sort(), errors: [] };
  } catch (error) {
    const errors = (error as { errors?: { text: string }[] }).errors ?? [{ text: String(error) }];
    return { external: [...external].sort(), errors: errors.map((e) => e.text) };
  }
}

describe('browser bundle', () => {
  it('bundles the main entry with tfjs-core as its only outside import', async () => {
    const result = await bundle(join(import.meta.dirname, 'index.ts'));
    expect(result.errors).toEqual([]);
    expect(result.external).toEqual(['@tensorflow/tfjs-core']);
  });

  it('refuses the node entry, naming the Node import (the check can fail)', async () => {
    const result = await bundle(join(import.meta.dirname, 'node.ts'));
    expect(result.errors.some((text) => /^Node-only import 'node:fs' from packages\/train\/src\/node\//.test(text))).toBe(true);
  });
});
