// report.html of `effnet search`: one self-contained page (vega bundles inlined, as the training
// report) with every candidate plotted as accuracy against training-step time and against
// parameters, the Pareto front of each drawn as a line, the best candidates as a table and the
// best architecture's block strings.
import { paretoFront } from '@effnet/search';
import { escapeHtml, vegaPage } from './report-page.js';

/** What the report plots of one candidate. */
export interface ReportCandidate {
  /** Label, e.g. `#3` or `α=1.2 β=1.1 γ=1.15`. */
  label: string;
  /** Validation accuracy in [0, 1]. */
  accuracy: number;
  /** Median training-step time, ms. */
  stepMs: number;
  /** Parameters. */
  params: number;
  /** Reward (the ranking score). */
  reward: number;
}

/** The Vega-Lite specs of the two Pareto plots (exported for tests). */
export function searchReportSpecs(candidates: readonly ReportCandidate[]): Record<string, object> {
  const plot = (cost: 'stepMs' | 'params', title: string, axis: string) => {
    const front = new Set(paretoFront(candidates, (c) => c[cost], (c) => c.accuracy));
    const points = candidates.map((c) => ({ ...c, front: front.has(c) ? 'Pareto front' : 'dominated' }));
    return {
      width: 'container', height: 300, title,
      layer: [
        { data: { values: [...front].map((c) => ({ x: c[cost], accuracy: c.accuracy })) }, mark: { type: 'line', interpolate: 'step-after', color: '#d62728' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'accuracy', type: 'quantitative' } } },
        {
          data: { values: points }, mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            x: { field: cost, type: 'quantitative', title: axis, scale: { zero: false } },
            y: { field: 'accuracy', type: 'quantitative', title: 'validation accuracy', scale: { zero: false } },
            color: { field: 'front', type: 'nominal', scale: { domain: ['Pareto front', 'dominated'], range: ['#d62728', '#4c78a8'] }, title: null },
            tooltip: [{ field: 'label' }, { field: 'accuracy', format: '.3f' }, { field: 'stepMs', format: '.1f' }, { field: 'params' }, { field: 'reward', format: '.4f' }],
          },
        },
      ],
    };
  };
  return {
    byStepTime: plot('stepMs', 'Accuracy against training-step time (Pareto front red)', 'training-step time, ms'),
    byParams: plot('params', 'Accuracy against parameters (Pareto front red)', 'parameters'),
  };
}

/** Renders the page: title, facts, both plots, the top candidates and the best architecture. */
export function renderSearchReport(candidates: readonly ReportCandidate[], options: { title: string; facts: string[]; best: string[] }): string {
  const specs = searchReportSpecs(candidates);
  const top = [...candidates].sort((a, b) => b.reward - a.reward).slice(0, 10);
  const rows = top.map((c) => `<tr><td>${escapeHtml(c.label)}</td><td>${(c.accuracy * 100).toFixed(1)} %</td><td>${c.stepMs.toFixed(1)}</td><td>${c.params.toLocaleString('en')}</td><td>${c.reward.toFixed(4)}</td></tr>`).join('\n');
  const body = `<div class="plots"><div id="byStepTime"></div><div id="byParams"></div></div>
<h2>Best architecture</h2>
<pre>${escapeHtml(options.best.join('\n'))}</pre>
<h2>Top candidates by reward</h2>
<table><tr><th>candidate</th><th>accuracy</th><th>step ms</th><th>params</th><th>reward</th></tr>
${rows}</table>`;
  const style = `table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; } td:first-child, th:first-child { text-align: left; }
pre { background: #f4f4f4; padding: 8px; }`;
  return vegaPage({ title: options.title, facts: options.facts, style, body, specs });
}
