// run.json records a data folder by its real path: a resume that names the same folder another way
// (trailing slash, `..`, a symlink) is the same run; another folder is a changed setting.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EffnetTrainError } from '@effnet/train';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareRunFolder } from './run-folder.js';
import { TRAIN_DEFAULTS, type TrainRunOptions } from './train-run-options.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'effnet-run-paths-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'other'));
  mkdirSync(join(dir, 'run'));
  symlinkSync(join(dir, 'data'), join(dir, 'link'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (data: string, resume = false): TrainRunOptions => ({ ...TRAIN_DEFAULTS, preset: 'efficientnetv2-28-lite', out: join(dir, 'run'), data, resume });

describe('prepareRunFolder with a data folder', () => {
  it('accepts the same folder however it is written, and names another folder as a change', () => {
    prepareRunFolder(options(join(dir, 'data')));
    for (const same of [`${join(dir, 'data')}/`, join(dir, 'other', '..', 'data'), join(dir, 'link')]) {
      expect(() => prepareRunFolder(options(same, true))).not.toThrow();
    }
    expect(() => prepareRunFolder(options(join(dir, 'other'), true))).toThrow(EffnetTrainError);
    expect(() => prepareRunFolder(options(join(dir, 'other'), true))).toThrow(/--data was .*\/data, now .*\/other/);
  });
});
