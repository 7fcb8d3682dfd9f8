// The run folder knows its run: `run.json` records the settings a run was started with, so a new
// run refuses a used folder (unless told to overwrite it, which clears the run's files first) and
// `--resume` refuses settings that differ from the run's. Leftovers of a crash (temporary files of
// atomic writes, partial checkpoints) are removed when the next run starts.
import { accessSync, constants, existsSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { EffnetDataError, EffnetTrainError } from '@effnet/train';
import type { TrainRunOptions } from './train-run-options.js';

/** The file of a run folder that records the run's settings. */
export const RUN_FILE = 'run.json';
const RUN_FORMAT = 'effnet-run';

/** Everything a run writes into its folder (what `--overwrite` clears). */
export const RUN_ENTRIES = [RUN_FILE, 'model', 'checkpoints', 'metrics.jsonl', 'report.html', 'summary.json'] as const;

/** Settings that change what a run computes, with the flag that sets each. */
const SETTINGS: [keyof TrainRunOptions, string][] = [
  ['preset', '--preset'], ['spec', '--spec'], ['data', '--data'], ['seed', '--seed'], ['epochs', '--epochs'], ['batchSize', '--batch'], ['stages', '--stages'],
  ['fromSize', '--from-size'], ['toSize', '--to-size'], ['dropout', '--dropout'], ['optimizer', '--optimizer'], ['lr', '--lr'],
  ['warmupSteps', '--warmup'], ['weightDecay', '--weight-decay'], ['labelSmoothing', '--label-smoothing'], ['emaDecay', '--ema'],
  ['limitPerClass', '--limit-per-class'], ['dropPath', '--drop-path'], ['randAugment', '--randaugment'], ['randAugmentOps', '--randaugment-ops'],
  ['mixup', '--mixup'], ['cutmix', '--cutmix'], ['init', '--init'], ['numClasses', '--num-classes'], ['freeze', '--freeze'], ['headLr', '--head-lr'],
  ['classes', '--classes'],
];

function settingsOf(options: TrainRunOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = Object.fromEntries(SETTINGS.map(([key]) => [key, options[key] ?? null]));
  // A data folder is recorded by its real path, so `./data`, `data/` and `/abs/data` are one setting;
  // a named set (`fashion-mnist/train`) that is no folder here stays as typed.
  if (typeof options.data === 'string' && existsSync(options.data)) settings['data'] = realpathSync(options.data);
  return settings;
}

/**
 * Throws unless `path` is a folder, or can be made as one, that this process may write: checked
 * before any work, on the nearest folder that exists (Node's recursive mkdir reports a read-only
 * disk as a missing path).
 */
export function checkFolder(path: string, flag: string): void {
  if (path.trim() === '') throw new EffnetDataError(flag, 'is empty: pass a folder');
  if (existsSync(path) && !statSync(path).isDirectory()) throw new EffnetDataError(path, `is a file, not a folder: pass a folder for ${flag}`);
  let existing = resolve(path);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) throw new EffnetDataError(existing, `is a file, so ${path} cannot be a folder: choose another ${flag}`);
  accessSync(existing, constants.W_OK); // EROFS or EACCES with the path, told as one line by the CLI
}

/** The run entries present in `dir`. */
export function usedEntries(dir: string): string[] {
  return RUN_ENTRIES.filter((name) => existsSync(join(dir, name)));
}

/** Removes every run entry of `dir` (the folder and any other file in it stay). */
export function clearRun(dir: string): void {
  for (const name of RUN_ENTRIES) rmSync(join(dir, name), { recursive: true, force: true });
}

/** Removes temporary files of interrupted atomic writes in `dir` and `dir/model`. */
export function removeLeftovers(dir: string): void {
  const temp = /^(run\.json|summary\.json|report\.html|model\.json|weights\.bin|model-meta\.json)\.\d+$/;
  for (const folder of [dir, join(dir, 'model')]) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder)) if (temp.test(name)) rmSync(join(folder, name), { force: true });
  }
}

function describe(value: unknown): string {
  return value === null ? 'unset' : Array.isArray(value) ? value.join(':') : String(value);
}

/**
 * Makes `options.out` ready for the run: a fresh run needs an unused folder (or `overwrite`, which
 * clears the old run); a resumed run must keep the settings in run.json. Writes run.json.
 *
 * @throws EffnetDataError for a used folder; EffnetTrainError naming each changed setting.
 */
export function prepareRunFolder(options: TrainRunOptions & { overwrite?: boolean }): void {
  const dir = options.out;
  if (options.resume && options.overwrite) throw new EffnetTrainError('--overwrite', 'cannot be combined with --resume: choose one');
  removeLeftovers(dir);
  const settings = settingsOf(options);
  const runFile = join(dir, RUN_FILE);
  if (!options.resume) {
    const used = usedEntries(dir);
    if (used.length > 0 && !options.overwrite) {
      throw new EffnetDataError(dir, `already holds a run (${used.join(', ')}): add --resume to continue it, --overwrite to replace it, or choose another --out`);
    }
    clearRun(dir);
  } else if (existsSync(runFile)) {
    let saved: { format?: unknown; settings?: Record<string, unknown> };
    try {
      saved = JSON.parse(readFileSync(runFile, 'utf8'));
    } catch (error) {
      throw new EffnetDataError(runFile, `cannot be read (${(error as Error).message}): the run's settings are lost; start afresh with --overwrite`);
    }
    if (saved.format !== RUN_FORMAT || typeof saved.settings !== 'object' || saved.settings === null) {
      throw new EffnetDataError(runFile, `is not an ${RUN_FORMAT} file: start afresh with --overwrite`);
    }
    // A setting the run did not record (added to effnet after it started) is not compared.
    const changed = SETTINGS.filter(([key]) => saved.settings![key] !== undefined && JSON.stringify(saved.settings![key]) !== JSON.stringify(settings[key]));
    if (changed.length > 0) {
      const list = changed.map(([key, flag]) => `${flag} was ${describe(saved.settings![key] ?? null)}, now ${describe(settings[key])}`).join('; ');
      throw new EffnetTrainError('resume', `${list}: resume with the run's settings, or start a new run with --overwrite or another --out`);
    }
    return;
  }
  writeFileAtomic.sync(runFile, `${JSON.stringify({ format: RUN_FORMAT, version: 1, settings }, null, 2)}\n`);
}
