// The import graph of the whole workspace: no cycle between any two source files (madge, type
// imports included), and no tool reaching into an app's sources by relative path.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';
import { ROOT } from './workspace.js';

const SOURCES = ['packages', 'apps', 'tools'].map((dir) => join(ROOT, dir));
const SKIP = [/node_modules/, /\/dist\//, /\.d\.ts$/, /\/\.vitest\//];

describe('import graph', () => {
  it('has no cycle anywhere, between files of one package or of several', async () => {
    const graph = await madge(SOURCES, { fileExtensions: ['ts', 'mts', 'mjs'], tsConfig: join(ROOT, 'tsconfig.base.json'), excludeRegExp: SKIP, baseDir: ROOT });
    expect(Object.keys(graph.obj()).length).toBeGreaterThan(250);
    expect(graph.circular()).toEqual([]);
  });

  it('has no file under tools/ importing an app by path', async () => {
    const graph = await madge(join(ROOT, 'tools'), { fileExtensions: ['ts', 'mts', 'mjs'], tsConfig: join(ROOT, 'tsconfig.base.json'), excludeRegExp: SKIP, baseDir: ROOT });
    // The graph holds what tools reach transitively too: only the tools' own imports count.
    const tools = Object.entries(graph.obj()).filter(([file]) => file.startsWith('tools/'));
    const intoApps = tools.flatMap(([file, imports]) =>
      imports.filter((target) => relative(ROOT, join(ROOT, target)).startsWith('apps/')).map((target) => `${file} -> ${target}`),
    );
    expect(intoApps).toEqual([]);
    // madge resolves what it can; a plain text check catches the rest.
    const texts = tools.map(([file]) => [file, readFileSync(join(ROOT, file), 'utf8')] as const);
    expect(texts.filter(([, text]) => /from '(\.\.\/)+apps\//.test(text)).map(([file]) => file)).toEqual([]);
  });
});
