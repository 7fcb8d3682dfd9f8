// Test helper: reads a network's torchvision fixture from the repository in Node (the committed
// small ones, or fixtures-full/ written by `npm run fixtures`), and says why one is missing.
import { readFileSync } from 'node:fs';
import { fixturePath } from '../vite.config.js';
import { NETWORKS } from '../src/specs.js';

/** The fixture bytes of network `name`, or undefined when its file is missing. */
export function fixtureBytes(name: string): Uint8Array | undefined {
  const path = fixturePath(NETWORKS[name]!.fixture);
  return path === undefined ? undefined : new Uint8Array(readFileSync(path));
}

/** Whether the full-size fixtures exist; prints how to make them when they do not. */
export function fullFixturesPresent(): boolean {
  const present = fixturePath(NETWORKS['efficientnet-b0']!.fixture) !== undefined;
  if (!present) console.warn('B0 224 cases skipped: fixtures-full/efficientnet_b0.safetensors is missing; run `npm run fixtures` to write it');
  return present;
}
