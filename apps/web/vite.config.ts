// Vite config of the effnet playground: @effnet/* resolve to their TypeScript sources (no build
// needed), the tfjs backends are pre-bundled once, files of the repository may be served (the
// wasm binaries of tfjs-backend-wasm live in the root node_modules), and `/fixtures/<file>`
// serves the torchvision weight fixtures (committed small ones, and fixtures-full/).
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..');

/** Folders `/fixtures/<file>` is looked up in, in order. */
export const FIXTURE_DIRS = [join(ROOT, 'packages', 'models', 'test', 'fixtures'), join(ROOT, 'fixtures-full')];

/** The fixture file for a `/fixtures/<file>` request, or undefined. */
export function fixturePath(url: string): string | undefined {
  const name = basename(decodeURIComponent(url.split('?')[0]!));
  if (!name.endsWith('.safetensors')) return undefined;
  return FIXTURE_DIRS.map((dir) => join(dir, name)).find((path) => existsSync(path) && statSync(path).isFile());
}

function fixtures(): Plugin {
  return {
    name: 'effnet-fixtures',
    configureServer(server) {
      server.middlewares.use('/fixtures', (req, res, next) => {
        const path = fixturePath(req.url ?? '');
        if (path === undefined) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(path).size));
        createReadStream(path).pipe(res);
      });
    },
  };
}

/** `@effnet/<name>` → packages/<name>/src/index.ts for every package. */
export function effnetSourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const entry = join(ROOT, 'packages', name, 'src', 'index.ts');
    if (existsSync(entry)) aliases[`@effnet/${name}`] = entry;
  }
  return aliases;
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [fixtures()],
  resolve: { alias: effnetSourceAliases() },
  server: { fs: { allow: [ROOT] } },
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
    ],
  },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  logLevel: 'warn',
});
