// report.html of a training run: one self-contained page that opens offline. Plots are Vega-Lite
// specs drawn by the vega, vega-lite and vega-embed bundles inlined into the page: loss and
// accuracy over steps with the stage boundaries, image size and each regulariser over steps, the
// confusion matrix, and a grid of test images with their predictions.
import type { EvalRecord, MetricsRecord, StageRecord, StepRecord } from '@effnet/train';
import { escapeHtml, vegaPage } from './report-page.js';

/** A test image shown in the report with its prediction. */
export interface ReportSample {
  /** PNG bytes of the image. */
  png: Uint8Array;
  /** True class name. */
  truth: string;
  /** Predicted class name. */
  predicted: string;
  /** Probability of the predicted class. */
  confidence: number;
}

/** What the report shows besides the metrics. */
export interface ReportOptions {
  /** Page title, e.g. the preset and data set. */
  title: string;
  /** Class names, indexed by label. */
  classNames: readonly string[];
  /** Test images with predictions. */
  samples: ReportSample[];
  /** Lines of run facts shown under the title (backend, time, accuracy…). */
  facts: string[];
}

/** Keeps at most `max` step records, evenly spaced, so long runs stay light. */
function thin(steps: StepRecord[], max: number): StepRecord[] {
  if (steps.length <= max) return steps;
  const every = steps.length / max;
  return Array.from({ length: max }, (_, i) => steps[Math.floor(i * every)]!).concat(steps.at(-1)!);
}

/** The Vega-Lite specs of the report, as plain JSON (exported for tests). */
export function reportSpecs(records: MetricsRecord[], classNames: readonly string[]): Record<string, object> {
  const steps = thin(records.filter((r): r is StepRecord => r.type === 'step'), 2000);
  const stages = records.filter((r): r is StageRecord => r.type === 'stage');
  const evals = records.filter((r): r is EvalRecord => r.type === 'eval');
  const boundaries = { data: { values: stages.map((s) => ({ step: s.startStep, label: `stage ${s.index + 1}: ${s.imageSize}px` })) } };
  const rule = { ...boundaries, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { x: { field: 'step', type: 'quantitative' } } };
  const ruleLabel = { ...boundaries, mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'top', color: '#555', y: 0 }, encoding: { x: { field: 'step', type: 'quantitative' }, text: { field: 'label' } } };
  const lastStep = steps.at(-1)?.step ?? 0;
  const schedule = stages.flatMap((s) => {
    const end = s.startStep + s.steps;
    return (['imageSize', 'dropout', 'dropPath', 'randAugmentMagnitude', 'mixupAlpha'] as const).flatMap((key) => [
      { step: s.startStep, value: s[key], setting: key },
      { step: Math.min(end, Math.max(lastStep, s.startStep)), value: s[key], setting: key },
    ]);
  });
  const confusion = evals.at(-1)?.confusion ?? [];
  return {
    loss: {
      width: 'container', height: 260, title: 'Training loss (stage boundaries dashed)',
      layer: [
        { data: { values: steps }, mark: { type: 'line', color: '#4c78a8' }, encoding: { x: { field: 'step', type: 'quantitative', title: 'step' }, y: { field: 'loss', type: 'quantitative', title: 'cross-entropy' } } },
        rule, ruleLabel,
      ],
    },
    accuracy: {
      width: 'container', height: 260, title: 'Held-out accuracy',
      layer: [
        {
          data: { values: evals.flatMap((e) => [{ step: e.step, metric: 'top-1', value: e.top1 }, { step: e.step, metric: 'top-5', value: e.top5 }]) },
          mark: { type: 'line', point: true },
          encoding: { x: { field: 'step', type: 'quantitative', scale: { domain: [0, Math.max(lastStep, 1)] } }, y: { field: 'value', type: 'quantitative', title: 'accuracy', scale: { zero: false } }, color: { field: 'metric', type: 'nominal' } },
        },
        rule,
      ],
    },
    schedule: {
      data: { values: schedule }, title: 'Image size and regularisation per stage',
      facet: { row: { field: 'setting', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } } },
      spec: { width: 380, height: 55, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } } } },
      resolve: { scale: { y: 'independent' } },
    },
    confusion: {
      title: 'Confusion matrix (final evaluation)',
      data: { values: confusion.flatMap((row, t) => row.map((count, p) => ({ truth: classNames[t] ?? String(t), predicted: classNames[p] ?? String(p), count }))) },
      width: 420, height: 420,
      encoding: { x: { field: 'predicted', type: 'nominal', sort: classNames }, y: { field: 'truth', type: 'nominal', sort: classNames } },
      layer: [
        { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' } } } },
        { mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'count' }, color: { condition: { test: `datum.count > ${Math.max(1, ...confusion.flat()) / 2}`, value: 'white' }, value: 'black' } } },
      ],
    },
  };
}

/** Renders the whole report page. */
export function renderReport(records: MetricsRecord[], options: ReportOptions): string {
  const specs = reportSpecs(records, options.classNames);
  const samples = options.samples
    .map((s) => {
      const ok = s.truth === s.predicted;
      const src = `data:image/png;base64,${Buffer.from(s.png).toString('base64')}`;
      return `<figure class="${ok ? 'ok' : 'bad'}"><img src="${src}" alt="${escapeHtml(s.truth)}"><figcaption>${escapeHtml(s.predicted)} ${(s.confidence * 100).toFixed(0)}%<br><small>true: ${escapeHtml(s.truth)}</small></figcaption></figure>`;
    })
    .join('\n');
  const style = `.samples { display: flex; flex-wrap: wrap; gap: 8px; }
figure { margin: 0; width: 96px; text-align: center; font-size: 12px; border: 2px solid; border-radius: 4px; padding: 4px; }
figure.ok { border-color: #2ca02c; } figure.bad { border-color: #d62728; }
figure img { width: 84px; height: 84px; image-rendering: pixelated; }`;
  const body = `<div class="plots"><div id="loss"></div><div id="accuracy"></div></div>
<div class="plots"><div id="schedule"></div><div id="confusion"></div></div>
<h2>Test images and predictions</h2>
<div class="samples">${samples}</div>`;
  return vegaPage({ title: options.title, facts: options.facts, style, body, specs });
}
