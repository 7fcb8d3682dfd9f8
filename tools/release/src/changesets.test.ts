// Every changeset names only publishable workspace packages: changesets refuses a release plan in
// which one changeset mixes a private package (apps, tools) with public ones, and ignores unknown
// names, so both mistakes are caught here rather than at release time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicPackages, ROOT } from './workspace.js';

const DIR = join(ROOT, '.changeset');

/** The package names in a changeset's front matter (`"@effnet/x": minor` lines). */
function packagesNamed(text: string): string[] {
  const match = /^---\n([\s\S]*?)^---$/m.exec(text);
  if (!match) throw new Error('no front matter');
  return [...match[1]!.matchAll(/^["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm)].map((m) => m[1]!);
}

describe('changesets', () => {
  const publishable = new Set(publicPackages().map((pkg) => pkg.name));
  const files = readdirSync(DIR).filter((name) => name.endsWith('.md') && name !== 'README.md');

  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file} names only publishable packages`, () => {
      const named = packagesNamed(readFileSync(join(DIR, file), 'utf8'));
      expect(named.filter((name) => !publishable.has(name))).toEqual([]);
    });
  }

  it('reads the package lines of a front matter', () => {
    expect(packagesNamed('---\n"@effnet/train": minor\n\'@effnet/cli\': patch\n---\n\ntext: minor\n')).toEqual(['@effnet/train', '@effnet/cli']);
    expect(packagesNamed('---\n---\n\nno packages\n')).toEqual([]);
  });
});
