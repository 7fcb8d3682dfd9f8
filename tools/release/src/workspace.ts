// Facts about the workspace that release checks need: where it is and which packages publish.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A publishable package: its name and folder. */
export interface PublicPackage {
  /** npm name, e.g. `@effnet/scaling`. */
  name: string;
  /** Absolute folder. */
  dir: string;
}

/** Every package under packages/ that is not private. */
export function publicPackages(): PublicPackage[] {
  const dir = join(ROOT, 'packages');
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((folder) => existsSync(join(folder, 'package.json')))
    .map((folder) => ({ folder, manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ folder, manifest }) => ({ name: manifest.name as string, dir: folder }));
}
