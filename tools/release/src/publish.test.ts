// Publishing rehearsal: the built packages are packed and published to a real local registry,
// then a user's empty project installs ONLY @effnet/scaling from it and uses it from an ESM script
// and from TypeScript. The nx target builds every library first (dependsOn ^build).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import { publicPackages, ROOT } from './workspace.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let registry: LocalRegistry;
let work: string;

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--userconfig', registry.npmrc, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_registry: registry.url },
  });
}

beforeAll(async () => {
  registry = await startLocalRegistry();
  work = mkdtempSync(join(tmpdir(), 'effnet-publish-'));
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('publishing to a local verdaccio registry', () => {
  it('publishes every public package from its packed tarball', () => {
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const published: string[] = [];
    for (const pkg of publicPackages()) {
      const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tarballs], pkg.dir)) as {
        filename: string;
        files: { path: string }[];
      }[];
      const files = packed[0]!.files.map((file) => file.path);
      expect(files, `${pkg.name} ships its built entry`).toContain('dist/index.js');
      expect(files.some((file) => file.startsWith('src/')), `${pkg.name} ships no sources`).toBe(false);
      npm(['publish', join(tarballs, packed[0]!.filename)], work);
      published.push(pkg.name);
    }
    const view = JSON.parse(npm(['view', '@effnet/scaling', '--json'], work)) as { name: string; dependencies?: object };
    expect(view.name).toBe('@effnet/scaling');
    expect(view.dependencies ?? {}).toEqual({});
    expect(published).toContain('@effnet/scaling');
  }, 300_000);

  it('installs only @effnet/scaling in an empty project and runs it from ESM and TypeScript', () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }));
    npm(['install', '@effnet/scaling'], app);
    expect(readdirSync(join(app, 'node_modules'))).toEqual(['.package-lock.json', '@effnet']);
    expect(readdirSync(join(app, 'node_modules', '@effnet'))).toEqual(['scaling']);

    writeFileSync(
      join(app, 'main.mjs'),
      [
        "import { preset, cost, roundFilters } from '@effnet/scaling';",
        "const spec = preset('efficientnet-b0');",
        'console.log(JSON.stringify({ params: cost(spec).params, blocks: spec.blocks.length, round: roundFilters(32, 1.1) }));',
      ].join('\n'),
    );
    const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' }));
    expect(out).toEqual({ params: 5_288_548, blocks: 16, round: 32 });

    const tsOptions = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    writeFileSync(
      join(app, 'good.ts'),
      [
        "import { preset, cost, type ModelSpec } from '@effnet/scaling';",
        "const spec: ModelSpec = preset('efficientnet-b0') as ModelSpec;",
        'const params: number = cost(spec).params;',
        'export { params };',
      ].join('\n'),
    );
    const good = spawnSync(process.execPath, [TSC, ...tsOptions, 'good.ts'], { cwd: app, encoding: 'utf8' });
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);

    // The types are real, not `any`: a wrong use must fail to compile.
    writeFileSync(
      join(app, 'bad.ts'),
      ["import { cost, preset } from '@effnet/scaling';", "export const wrong: string = cost(preset('efficientnet-b0')).params;"].join('\n'),
    );
    const bad = spawnSync(process.execPath, [TSC, ...tsOptions, 'bad.ts'], { cwd: app, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain("Type 'number' is not assignable to type 'string'");
  }, 300_000);
});
