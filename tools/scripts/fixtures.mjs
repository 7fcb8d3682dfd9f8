#!/usr/bin/env node
// `npm run fixtures`: writes the full-size reference fixtures (too large to commit) into
// fixtures-full/ by running each generator that has a full mode: the torchvision ones with
// Debian's Python (/usr/bin/python3 has python3-torch, python3-torchvision and python3-pil), the
// timm and Keras ones in the venvs of tools/fixtures/reference-env.sh (.ci/run creates them first).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SYSTEM = '/usr/bin/python3';
const TIMM = '.venv-ref/timm/bin/python';
const KERAS = '.venv-ref/keras/bin/python';
const GENERATORS = [
  [SYSTEM, 'tools/fixtures/torchvision_reference.py', '--full', '--out', 'fixtures-full'],
  [TIMM, 'tools/fixtures/timm_shapes.py', '--out', 'fixtures-full/timm-shapes.json'],
  [TIMM, 'tools/fixtures/timm_reference.py', '--out', 'fixtures-full/timm'],
  [KERAS, 'tools/fixtures/keras_shapes.py', '--out', 'fixtures-full/keras-shapes.json'],
  [KERAS, 'tools/fixtures/keras_reference.py', '--out', 'fixtures-full/keras'],
];

let ran = 0;
for (const [python, script, ...args] of GENERATORS) {
  if (!existsSync(join(ROOT, script))) {
    console.log(`fixtures: ${script} does not exist yet; nothing to generate for it`);
    continue;
  }
  const interpreter = isAbsolute(python) ? python : join(ROOT, python);
  if (!existsSync(interpreter)) {
    console.error(`fixtures: ${python} is missing; run tools/fixtures/reference-env.sh first (it creates the timm and Keras venvs from the local wheel store)`);
    process.exit(1);
  }
  console.log(`fixtures: ${python} ${script} ${args.join(' ')}`);
  const env = { ...process.env, PYTHONUNBUFFERED: '1' };
  const result = spawnSync(interpreter, [script, ...args], { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`fixtures: ${script} failed with exit code ${result.status}`);
    process.exit(1);
  }
  ran += 1;
}
console.log(`fixtures: ${ran} generator(s) ran`);
