// Every publishable package passes publint (strict) on its packed shape, declares no stray
// dependencies, and @effnet/scaling has no runtime dependencies at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { publicPackages } from './workspace.js';

describe('package shape', () => {
  for (const pkg of publicPackages()) {
    it(`${pkg.name} passes publint`, async () => {
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
      const { messages } = await publint({ pkgDir: pkg.dir, strict: true, level: 'suggestion' });
      expect(messages.map((message) => formatMessage(message, manifest))).toEqual([]);
    });
  }

  it('@effnet/scaling has no dependencies of any kind', () => {
    const scaling = publicPackages().find((pkg) => pkg.name === '@effnet/scaling')!;
    const manifest = JSON.parse(readFileSync(join(scaling.dir, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
  });
});
