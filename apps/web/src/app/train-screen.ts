// The Train screen: data (the bundled Fashion-MNIST subset or a picked folder of class folders),
// preset and plan, then train with live loss and accuracy plots, pause and resume, save the EMA
// model to IndexedDB or download it as a model folder (zip) that `effnet predict` reads.
import { $, filesOf, guarded } from './dom.js';
import { fashionSubset, folderData, type PlaygroundData } from './datasets.js';
import { currentModel, refreshSaved, useModel } from './classify-screen.js';
import { activateBackend } from './classify.js';
import { modelFolderZip, saveToIndexedDb, type LoadedModel } from './model-io.js';
import type { FreezeMode, StepInfo } from '@effnet/train';
import { PlaygroundError } from './errors.js';
import { drawPlot } from './plot.js';
import { TRAIN_PRESETS, TrainSession, tensorCount, type TrainSettings } from './train-session.js';

let session: TrainSession | undefined;
let trained: LoadedModel | undefined;
const loss: [number, number][] = [];
const accuracy: [number, number][] = [];
const speeds: number[] = [];

/** The EMA model of the last finished (or paused) run, if any. */
export function trainedModel(): LoadedModel | undefined {
  return trained;
}

/** What the status line says of where the run's model came from. */
const ORIGIN: Record<TrainSession['origin'], string> = { preset: '', continued: ' (the loaded model, going on)', 'new classifier': ' (the loaded model with a new classifier)' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function number(id: string): number {
  return Number($<HTMLInputElement>(id).value);
}

function settings(): TrainSettings {
  const init = $<HTMLInputElement>('init').checked ? currentModel() : undefined;
  if ($<HTMLInputElement>('init').checked && !init) throw new PlaygroundError('start from', 'no model is loaded on Classify: load one there first, or uncheck "start from the model loaded on Classify"');
  return {
    preset: $<HTMLSelectElement>('preset').value, steps: number('steps'), batchSize: number('batch'), stages: number('stages'),
    imageSize: number('size'), lr: number('lr'), emaDecay: number('ema'), seed: number('seed'), init,
    freeze: $<HTMLSelectElement>('freeze').value as FreezeMode,
  };
}

async function loadData(): Promise<PlaygroundData> {
  const choice = document.querySelector<HTMLInputElement>('input[name=data]:checked')!.value;
  if (choice === 'fashion') return fashionSubset();
  return folderData(filesOf($<HTMLInputElement>('data-folder')), number('size'), Number($<HTMLSelectElement>('channels').value) as 1 | 3);
}

function status(text: string, state: string): void {
  const box = $('train-status');
  box.textContent = text;
  box.dataset['state'] = state;
}

function redraw(total: number): void {
  drawPlot($<HTMLCanvasElement>('loss-plot'), 'training loss (per step)', [{ name: 'loss', color: '#c33', points: loss }], total);
  drawPlot($<HTMLCanvasElement>('accuracy-plot'), 'test top-1 (EMA, at each stage end)', [{ name: 'top-1', color: '#36c', points: accuracy }], total, 1);
}

function buttons(running: boolean): void {
  const paused = !running && session !== undefined && !session.finished;
  $<HTMLButtonElement>('start').disabled = running;
  $<HTMLButtonElement>('pause').disabled = !running;
  $<HTMLButtonElement>('resume').disabled = !paused;
  for (const id of ['save', 'download', 'use-trained']) $<HTMLButtonElement>(id).disabled = running || trained === undefined;
}

async function evaluateNow(step: number): Promise<void> {
  const evaluation = await session!.evaluate();
  accuracy.push([step, evaluation.top1]);
  $('train-status').dataset['accuracy'] = String(evaluation.top1);
}

async function runSession(): Promise<void> {
  const run = session!;
  buttons(true);
  const { replicas, reason } = run.replicaPlan;
  const on = `on ${replicas} replica${replicas > 1 ? 's (Web Workers)' : reason ? ` (${reason})` : ''}`;
  $('train-status').dataset['replicas'] = String(replicas);
  status(`training ${run.spec.name}${ORIGIN[run.origin]} ${on}…`, 'running');
  const started = performance.now();
  const { stopped } = await run.run().finally(() => buttons(false));
  if (!stopped && accuracy.at(-1)?.[0] !== run.step) await evaluateNow(run.step);
  if (trained && trained !== currentModel()) trained.model.dispose();
  trained = await run.averagedModel();
  redraw(run.trainer.totalSteps);
  buttons(false);
  const top1 = accuracy.at(-1)?.[1];
  const steady = median(speeds.slice(5)); // the first steps compile kernels and shaders
  $('train-status').dataset['imagesPerSecond'] = String(steady);
  $('train-status').dataset['origin'] = run.origin;
  status(`${stopped ? 'paused' : 'finished'}${ORIGIN[run.origin]} at step ${run.step} of ${run.trainer.totalSteps} (${((performance.now() - started) / 1000).toFixed(0)} s); test top-1 ${top1 === undefined ? '—' : `${(top1 * 100).toFixed(1)} %`} on ${run.data.test.size} images (EMA); ${steady.toFixed(0)} images/s (median step after the first 5) on ${run.backend} ${on}; ${tensorCount()} tensors held`, stopped ? 'paused' : 'finished');
}

async function start(backend: string, threads: number | undefined): Promise<void> {
  await activateBackend(backend, threads);
  const before = { text: $('train-status').textContent ?? '', state: $('train-status').dataset['state'] ?? '' };
  status('loading data…', 'loading');
  const stageEnds = new Set<number>();
  let next: TrainSession;
  try {
    next = new TrainSession(await loadData(), settings(), onStep);
  } catch (error) {
    status(before.text, before.state); // bad data or settings: the last run stays as it was
    throw error;
  }
  session?.dispose();
  session = next;
  loss.length = 0;
  accuracy.length = 0;
  speeds.length = 0;
  function onStep(info: StepInfo): Promise<void> | void {
    loss.push([info.step, info.loss]);
    speeds.push(info.imagesPerSecond);
    status(`step ${info.step}/${info.totalSteps}, stage ${info.stage + 1} at ${info.imageSize} px, loss ${info.loss.toFixed(3)}, ${info.imagesPerSecond.toFixed(0)} images/s`, 'running');
    $('train-status').dataset['step'] = String(info.step);
    $('train-status').dataset['loggedSteps'] = String(loss.length); // equals the step when a resume goes on where it stopped
    if (info.step % 10 === 0) redraw(info.totalSteps);
    if (stageEnds.has(info.step) && info.step < info.totalSteps) return evaluateNow(info.step);
  }
  for (const stage of session.plan) stageEnds.add(stage.startStep + stage.steps);
  await runSession();
}

/** Wires the Train screen; `backend()` and `threads()` are the header's choices. */
export function setUpTrain(backend: () => string, threads: () => number | undefined): void {
  $<HTMLSelectElement>('preset').replaceChildren(...TRAIN_PRESETS.map((name) => new Option(name, name)));
  $('start').addEventListener('click', () => void guarded(() => start(backend(), threads())));
  $('pause').addEventListener('click', () => void guarded(async () => session?.pause()));
  $('resume').addEventListener('click', () => void guarded(runSession));
  $('save').addEventListener('click', () => void guarded(async () => {
    const name = $<HTMLInputElement>('save-name').value.trim() || 'my-model';
    await saveToIndexedDb(name, trained!);
    await refreshSaved();
    status(`${$('train-status').textContent}; saved as '${name}' in this browser`, 'saved');
  }));
  $('download').addEventListener('click', () => void guarded(async () => {
    const name = $<HTMLInputElement>('save-name').value.trim() || 'model';
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([(await modelFolderZip(trained!, name)) as Uint8Array<ArrayBuffer>], { type: 'application/zip' })), download: `${name}.zip` });
    link.click();
  }));
  $('use-trained').addEventListener('click', () => trained && useModel(trained, 'training on this page', false));
  redraw(number('steps'));
}
