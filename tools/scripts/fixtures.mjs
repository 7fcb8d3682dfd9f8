#!/usr/bin/env node
// `npm run fixtures`: writes the full-size reference fixtures (too large to commit) into
// fixtures-full/ by running each generator that has a full mode, with Debian's Python
// (/usr/bin/python3 has python3-torch, python3-torchvision and python3-pil).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const GENERATORS = [['tools/fixtures/torchvision_reference.py', '--full', '--out', 'fixtures-full']];

let ran = 0;
for (const [script, ...args] of GENERATORS) {
  if (!existsSync(join(ROOT, script))) {
    console.log(`fixtures: ${script} does not exist yet; nothing to generate for it`);
    continue;
  }
  console.log(`fixtures: /usr/bin/python3 ${script} ${args.join(' ')}`);
  const result = spawnSync('/usr/bin/python3', [script, ...args], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  if (result.status !== 0) {
    console.error(`fixtures: ${script} failed with exit code ${result.status}`);
    process.exit(1);
  }
  ran += 1;
}
console.log(`fixtures: ${ran} generator(s) ran`);
