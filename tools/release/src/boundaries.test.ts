// The arrows of docs/architecture.md are one-way: lint fails when @effnet/scaling imports anything or a
// library imports an app. Checked with the workspace's real ESLint config on probe sources.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './workspace.js';

const eslint = new ESLint({ cwd: ROOT });

async function boundaryErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('module boundaries', () => {
  it('rejects any external import in @effnet/scaling', async () => {
    const errors = await boundaryErrors("import * as tf from '@tensorflow/tfjs-core';\nexport const x = tf;\n", 'packages/scaling/src/probe.ts');
    expect(errors).toEqual(['A project tagged with "scope:scaling" is not allowed to import "@tensorflow/tfjs-core"']);
  });

  it('rejects @effnet/scaling importing another effnet package', async () => {
    const errors = await boundaryErrors("import { efficientnet } from '@effnet/models';\nexport const x = efficientnet;\n", 'packages/scaling/src/probe.ts');
    // nx reports it as a cycle, since models depends on scaling.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/@effnet\/scaling -> @effnet\/models/);
  });

  it('rejects a library importing an app', async () => {
    const errors = await boundaryErrors("import { main } from '@effnet/cli';\nexport const x = main;\n", 'packages/models/src/probe.ts');
    // Reported as a type:lib violation, or as a cycle when the app already depends on that library.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/can only depend on libs tagged with "type:lib"|Circular dependency between "@effnet\/models" and "@effnet\/cli"/);
  });

  it('rejects models importing a backend', async () => {
    const errors = await boundaryErrors("import { listBackends } from '@effnet/backends';\nexport const x = listBackends;\n", 'packages/models/src/probe.ts');
    expect(errors).toEqual(['A project tagged with "scope:models" can only depend on libs tagged with "scope:scaling", "scope:blocks"']);
  });

  it('accepts blocks importing scaling', async () => {
    const errors = await boundaryErrors("import type { ModelSpec } from '@effnet/scaling';\nexport type X = ModelSpec;\n", 'packages/blocks/src/probe.ts');
    expect(errors).toEqual([]);
  });
});
