// One `effnet search` run: choose the backend, cut a proxy task from the training split of
// Fashion-MNIST or MNIST (train and validation images, disjoint; the test split is never seen),
// run @effnet/search's architecture search (or the compound-coefficient grid) with its results
// in <out>/results.jsonl, and write report.html, best.json (the spec `effnet train --spec`
// takes) and best.txt (its block strings). Ctrl-C stops after the candidate in training.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { useBackend } from '@effnet/backends';
import { preset, type ModelSpec } from '@effnet/scaling';
import {
  architectureSearch, compoundSearch, EffnetSearchError, PROXY_28_FRAME, PROXY_28_SPACE, stageSpace,
  type CompoundReport, type CompoundResult, type ProxyTask, type SearchReport, type SearchResult, type Strategy,
} from '@effnet/search';
import { fileSearchStore, SEARCH_FILES } from '@effnet/search/node';
import { shuffledIndices } from '@effnet/train';
import { renderSearchReport, type ReportCandidate } from '../report/search-report.js';
import { loadDataset } from './datasets.js';
import { silentProgress, type Progress } from './progress.js';
import { checkFolder } from './run-folder.js';
import { onFirstCtrlC } from './ctrl-c.js';
import { lockRunFolder } from './run-lock.js';

/** Everything `effnet search` can be told. */
export interface SearchRunOptions {
  /** Seconds of candidate training in all (resumed runs count what they had). */
  budgetSeconds: number;
  /** Most candidates in all (resumed runs count what they had); the search stops at whichever limit comes first. */
  maxCandidates?: number;
  /** Backend name or `auto`. */
  backend: string;
  /** The search folder. */
  out: string;
  /** `random` or `evolution`. */
  strategy: 'random' | 'evolution';
  /** Seed of the proposals (the weights and data order of every candidate use seed 0). */
  seed: number;
  /** The compound-coefficient grid instead of the architecture search. */
  compound: boolean;
  /** Base network of the compound search. */
  base: string;
  /** `fashion-mnist` or `mnist`. */
  data: string;
  /** Training steps per candidate. */
  steps: number;
  /** Images per step. */
  batchSize: number;
  /** Proxy training images per class. */
  trainPerClass: number;
  /** Validation images per class. */
  valPerClass: number;
  /** Evolution's population and tournament size. */
  population: number;
  /** See `population`. */
  sampleSize: number;
  /** Reward exponents of step time (w) and parameters (v). */
  w: number;
  /** See `w`. */
  v: number;
  /** Grid step of α, β, γ (compound). */
  gridStep: number;
  /** Continue the search in `out`. */
  resume: boolean;
  /** Ctrl-C stops after the current candidate (default true; tests turn it off). */
  handleSigint?: boolean;
}

/** What a search run reports. */
export interface SearchRunSummary {
  /** The search folder. */
  out: string;
  /** Backend used. */
  backend: string;
  /** Candidates evaluated (stored ones included). */
  candidates: number;
  /** Seconds of candidate training. */
  seconds: number;
  /** Whether Ctrl-C ended it. */
  stopped: boolean;
  /** The best candidate's block strings. */
  bestBlocks: string[];
  /** Its validation accuracy, step time, parameters and reward. */
  best: { accuracy: number; stepMs: number; params: number; flops: number; reward: number };
  /** Compound only: the best coefficients and the family's names, parameters and resolutions. */
  compound?: { alpha: number; beta: number; gamma: number; family: { name: string; params: number; flops: number; resolution: number }[] };
}

/** The proxy task: disjoint train and validation images from the training split. */
function proxyTask(options: SearchRunOptions): ProxyTask & { inChannels: number; name: string } {
  const { train, mean, std } = loadDataset(options.data, { limitPerClass: options.trainPerClass + options.valPerClass });
  const classes = train.classNames.length;
  const order = shuffledIndices(train.size, 20_201);
  const valCount = options.valPerClass * classes;
  return {
    name: train.name, numClasses: classes, inChannels: train.imageShape[2], mean, std,
    validation: train.subset(order.subarray(0, valCount), `${train.name} (validation)`),
    train: train.subset(order.subarray(valCount), `${train.name} (proxy)`),
  };
}

const toCandidate = (r: SearchResult): ReportCandidate => ({ label: `#${r.index} ${r.blocks.join(' ')}`, accuracy: r.accuracy, stepMs: r.stepMs, params: r.params, reward: r.reward });
const toCompoundCandidate = (r: CompoundResult): ReportCandidate => ({ label: `α=${r.alpha} β=${r.beta} γ=${r.gamma}`, accuracy: r.accuracy, stepMs: r.stepMs, params: r.params, reward: r.reward });

/** Runs (or resumes) a search; `log` receives the human-readable lines. The folder is locked for the run. */
export async function searchRun(options: SearchRunOptions, log: (line: string) => void, progress: Progress = silentProgress): Promise<SearchRunSummary> {
  checkFolder(options.out, '--out');
  const used = [SEARCH_FILES.settings, SEARCH_FILES.results].filter((name) => existsSync(join(options.out, name)));
  if (used.length > 0 && !options.resume) throw new EffnetSearchError(options.out, `already holds a search (${used.join(', ')}): add --resume to continue it, or choose another --out`);
  const unlock = lockRunFolder(options.out);
  let stopped = false;
  const stopListening = onFirstCtrlC(options.handleSigint ?? true, 'stopping after this candidate…', log, () => (stopped = true));
  try {
    const backend = (await useBackend(options.backend)).name;
    const task = proxyTask(options);
    const frame = { ...PROXY_28_FRAME, numClasses: task.numClasses, inChannels: task.inChannels };
    const training = { steps: options.steps, batchSize: options.batchSize, seed: 0 };
    const reward = { kind: 'v2' as const, w: options.w, v: options.v };
    const budget = { seconds: options.budgetSeconds, ...(options.maxCandidates ? { candidates: options.maxCandidates } : {}) };
    log(`proxy task: ${task.train.size} training and ${task.validation.size} validation images of ${task.name}; ${options.steps} steps of ${options.batchSize} per candidate on ${backend}`);
    const bar = progress.bar('search', Math.round(options.budgetSeconds), 's', 'candidates {n} | best acc {acc} | {ms} ms/step');
    const shouldStop = () => stopped;
    const tick = (n: number, seconds: number, best: { accuracy: number; stepMs: number }) =>
      bar.update(Math.min(Math.round(seconds), Math.round(options.budgetSeconds)), { n, acc: best.accuracy.toFixed(3), ms: best.stepMs.toFixed(0) });
    let summary: SearchRunSummary;
    let bestSpec: ModelSpec;
    let candidates: ReportCandidate[];
    let facts: string[];
    try {
      if (options.compound) {
        const base = preset(options.base, { numClasses: task.numClasses, inChannels: task.inChannels }) as ModelSpec;
        const report: CompoundReport = await compoundSearch({
          base, task, training, grid: { step: options.gridStep }, budget, store: fileSearchStore<CompoundResult>(options.out), shouldStop,
          onResult: (_result, all) => tick(all.length, all.reduce((s, x) => s + x.seconds, 0), all.reduce((b, x) => (x.reward > b.reward ? x : b))),
        });
        const { best } = report;
        bestSpec = report.family[0]!.spec;
        candidates = report.results.map(toCompoundCandidate);
        const family = report.family.map((m) => ({ name: m.spec.name, params: m.params, flops: m.flops, resolution: m.spec.resolution.train }));
        facts = [`compound grid of ${base.name}: ${report.results.length} of ${report.gridSize} points with α·β²·γ² ≈ 2 (step ${options.gridStep}) trained at φ = 1`, `best α = ${best.alpha}, β = ${best.beta}, γ = ${best.gamma}: validation accuracy ${(best.accuracy * 100).toFixed(1)} %`];
        writeFileAtomic.sync(join(options.out, 'family.json'), `${JSON.stringify(report.family.map((m) => m.spec), null, 2)}\n`);
        summary = {
          out: options.out, backend, candidates: report.results.length, seconds: report.results.reduce((s, r) => s + r.seconds, 0), stopped,
          bestBlocks: bestSpec.stages?.map((s) => s.blockString) ?? [], best: pick(best), compound: { alpha: best.alpha, beta: best.beta, gamma: best.gamma, family },
        };
      } else {
        const strategy: Strategy = options.strategy === 'random' ? { kind: 'random' } : { kind: 'evolution', population: options.population, sampleSize: options.sampleSize };
        const report: SearchReport = await architectureSearch({
          space: stageSpace(PROXY_28_SPACE, frame), task, training, budget, strategy, seed: options.seed, reward, store: fileSearchStore<SearchResult>(options.out), shouldStop,
          onResult: (_result, all) => tick(all.length, all.reduce((s, x) => s + x.seconds, 0), all.reduce((b, x) => (x.reward > b.reward ? x : b))),
        });
        bestSpec = report.bestSpec;
        candidates = report.results.map(toCandidate);
        facts = [`${options.strategy} search over ${PROXY_28_SPACE.stages.length} stages (op, layers, kernel, expansion), seed ${options.seed}: ${report.results.length} candidates in ${report.seconds.toFixed(0)} s`];
        summary = { out: options.out, backend, candidates: report.results.length, seconds: report.seconds, stopped, bestBlocks: report.best.blocks, best: pick(report.best) };
      }
    } finally {
      bar.stop();
    }
    facts.push(`proxy task: ${task.train.size} training, ${task.validation.size} validation images (${task.name}); ${options.steps} steps of ${options.batchSize}, AdamW; step time measured on ${backend}`);
    facts.push(`reward: accuracy · stepMs^${options.w} · params^${options.v}${options.compound ? ' (the compound grid ranks by accuracy, as the paper)' : ''}`);
    writeFileAtomic.sync(join(options.out, 'best.json'), `${JSON.stringify({ ...bestSpec, name: 'search-best' }, null, 2)}\n`);
    writeFileAtomic.sync(join(options.out, 'best.txt'), `${summary.bestBlocks.join('\n')}\n`);
    writeFileAtomic.sync(join(options.out, 'report.html'), renderSearchReport(candidates, { title: `effnet search: ${options.compound ? 'compound coefficients' : options.strategy} on ${options.data}`, facts, best: summary.bestBlocks }));
    return summary;
  } finally {
    stopListening();
    unlock();
  }
}

function pick(r: { accuracy: number; stepMs: number; params: number; flops: number; reward: number }) {
  return { accuracy: r.accuracy, stepMs: r.stepMs, params: r.params, flops: r.flops, reward: r.reward };
}
