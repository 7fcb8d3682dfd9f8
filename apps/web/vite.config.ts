// Vite config of the effnet playground: @effnet/* resolve to their TypeScript sources (no build
// needed), the tfjs backends are pre-bundled once, files of the repository may be served (the
// wasm binaries of tfjs-backend-wasm live in the root node_modules), and `/fixtures/<file>`
// serves the torchvision weight fixtures (committed small ones, and fixtures-full/). Because the
// sources stand in for dist/, each package's `sideEffects` list is applied to its sources too:
// otherwise the production build drops `import '@effnet/backend-wasm'` (it registers the adapter).
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
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

/**
 * Whether `id` is a source file of an effnet package that declares it a side effect: its
 * package.json `sideEffects` lists `./dist/<file>.js` for `src/<file>.ts`. Undefined when `id`
 * is no effnet source (the bundler's own rules apply).
 */
export function effnetSourceSideEffects(id: string): boolean | undefined {
  const path = relative(join(ROOT, 'packages'), id.split('?')[0]!).split(sep);
  if (path.length < 3 || path[0] === '..' || path[1] !== 'src') return undefined;
  const manifest = join(ROOT, 'packages', path[0]!, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const declared = (JSON.parse(readFileSync(manifest, 'utf8')) as { sideEffects?: boolean | string[] }).sideEffects;
  if (!Array.isArray(declared)) return declared;
  const asDist = `./dist/${path.slice(2).join('/').replace(/\.ts$/, '.js')}`;
  return declared.includes(asDist);
}

function sourceSideEffects(): Plugin {
  return {
    name: 'effnet-source-side-effects',
    transform(code, id) {
      const sideEffects = effnetSourceSideEffects(id);
      return sideEffects === undefined ? null : { code, map: null, moduleSideEffects: sideEffects };
    },
  };
}

function fixtures(): Plugin {
  const serve = (server: { middlewares: { use: (path: string, fn: (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => void) => void } }) => {
    server.middlewares.use('/fixtures', (req, res, next) => {
      const path = fixturePath(req.url ?? '');
      if (path === undefined) return next();
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', String(statSync(path).size));
      createReadStream(path).pipe(res);
    });
  };
  // The dev server and `vite preview` (the production build) both serve the fixtures.
  return { name: 'effnet-fixtures', configureServer: serve, configurePreviewServer: serve };
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

/**
 * Minification that keeps tfjs-backend-wasm's threads working: names mangled and whitespace
 * removed, but no compression. Its threaded build starts each worker from the source text of a
 * function (Function.prototype.toString); that function reads `_scriptDir`, declared outside it,
 * behind a `typeof` guard. Compression drops the guard (the name is declared, so the check looks
 * useless) and every worker then fails with 'e is not defined'. Costs 6 % over full minification
 * (1.48 MB of JavaScript against 1.40 MB, 368 kB gzipped against 360 kB; unminified 3.89 MB).
 */
export const THREAD_SAFE_MINIFY = { compress: false, mangle: true, codegen: { removeWhitespace: true } } as const;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [fixtures(), sourceSideEffects()],
  resolve: { alias: effnetSourceAliases() },
  server: { fs: { allow: [ROOT] } },
  optimizeDeps: {
    // onnxruntime-web finds its .wasm files next to its own module: pre-bundling would move it away
    // from them (the Chromium test of @effnet/backend-onnx imports it through the dev server).
    exclude: ['onnxruntime-web'],
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-converter',
      // @effnet/export's ONNX schema: found late otherwise (the Chromium test of @effnet/backend-onnx).
      'onnx-proto',
    ],
  },
  // The data-parallel replicas' Web Workers import the same sources as the page (module workers,
  // so that they may share chunks), with the same side effects kept and the same minification.
  worker: { format: 'es', plugins: () => [sourceSideEffects()], rollupOptions: { output: { minify: THREAD_SAFE_MINIFY } } },
  build: {
    target: 'es2022', outDir: 'dist', emptyOutDir: true,
    rollupOptions: { input: { playground: join(import.meta.dirname, 'index.html'), harness: join(import.meta.dirname, 'harness.html') }, output: { minify: THREAD_SAFE_MINIFY } },
  },
  logLevel: 'warn',
});
