// report.html of `effnet detect train|eval`: one self-contained page (no scripts) with the twelve
// COCO numbers, AP per category, the precision-recall curves at IoU 0.5 and 0.75 as inline SVG, the
// training loss when there is one, and held-out images with ground truth (white) and detections
// (class colours) drawn in.
import { precisionRecallCurve, type CocoEvaluation } from '@effnet/models';
import { escapeHtml } from './report-page.js';

/** An image shown in the report. */
export interface DetectionReportImage {
  /** PNG bytes with the boxes drawn. */
  png: Uint8Array;
  /** Caption, e.g. the file name and the number of boxes. */
  caption: string;
}

/** What the report shows. */
export interface DetectionReportOptions {
  /** Page title. */
  title: string;
  /** Lines of run facts under the title. */
  facts: string[];
  /** The evaluation. */
  evaluation: CocoEvaluation;
  /** Category names by id. */
  categoryNames: ReadonlyMap<number, string>;
  /** Training loss per step (empty for `detect eval`). */
  losses: readonly { step: number; loss: number }[];
  /** Images with boxes drawn. */
  images: DetectionReportImage[];
}

const fmt = (v: number): string => (v < 0 ? 'n/a' : v.toFixed(3));

/** A line plot as SVG: each series a polyline over [x0, x1] × [y0, y1]. */
export function lineChart(series: { label: string; colour: string; points: readonly [number, number][] }[], axes: { x: string; y: string; xRange: [number, number]; yRange: [number, number] }): string {
  const [w, h, left, bottom] = [420, 280, 48, 36];
  const [x0, x1] = axes.xRange;
  const [y0, y1] = axes.yRange;
  const px = (x: number): number => left + ((x - x0) / (x1 - x0 || 1)) * (w - left - 10);
  const py = (y: number): number => h - bottom - ((y - y0) / (y1 - y0 || 1)) * (h - bottom - 10);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks
    .map((t) => {
      const x = x0 + t * (x1 - x0);
      const y = y0 + t * (y1 - y0);
      return `<line x1="${px(x)}" y1="${py(y0)}" x2="${px(x)}" y2="${py(y1)}" stroke="#eee"/><text x="${px(x)}" y="${h - bottom + 14}" font-size="10" text-anchor="middle">${+x.toPrecision(3)}</text>` +
        `<line x1="${px(x0)}" y1="${py(y)}" x2="${px(x1)}" y2="${py(y)}" stroke="#eee"/><text x="${left - 4}" y="${py(y) + 3}" font-size="10" text-anchor="end">${+y.toPrecision(3)}</text>`;
    })
    .join('');
  const lines = series
    .map((s, i) => `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/><text x="${w - 14}" y="${16 + 14 * i}" font-size="11" text-anchor="end" fill="${s.colour}">${escapeHtml(s.label)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img">${grid}${lines}` +
    `<text x="${(left + w) / 2}" y="${h - 4}" font-size="11" text-anchor="middle">${escapeHtml(axes.x)}</text>` +
    `<text x="12" y="${h / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${h / 2})">${escapeHtml(axes.y)}</text></svg>`;
}

/** The page. */
export function renderDetectionReport(options: DetectionReportOptions): string {
  const { evaluation, categoryNames } = options;
  const s = evaluation.summary;
  const rows: [string, number][] = [
    ['AP @[.50:.95] all, 100 dets', s.ap], ['AP @.50', s.ap50], ['AP @.75', s.ap75], ['AP small', s.apSmall], ['AP medium', s.apMedium], ['AP large', s.apLarge],
    ['AR 1 det', s.ar1], ['AR 10 dets', s.ar10], ['AR 100 dets', s.ar100], ['AR small', s.arSmall], ['AR medium', s.arMedium], ['AR large', s.arLarge],
  ];
  const apTable = `<table><tr><th>metric</th><th>value</th></tr>${rows.map(([name, v]) => `<tr><td>${name}</td><td>${fmt(v)}</td></tr>`).join('')}</table>`;
  const perCategory = `<table><tr><th>category</th><th>id</th><th>AP</th></tr>${[...evaluation.apPerCategory]
    .map(([id, ap]) => `<tr><td>${escapeHtml(categoryNames.get(id) ?? String(id))}</td><td>${id}</td><td>${fmt(ap)}</td></tr>`)
    .join('')}</table>`;
  const curves = [0.5, 0.75]
    .map((t, i) => ({ t, colour: ['#d62728', '#1f77b4'][i]!, curve: precisionRecallCurve(evaluation, t) }))
    .filter(({ curve }) => curve.recall.length > 0);
  const prChart = curves.length
    ? lineChart(curves.map(({ t, colour, curve }) => ({ label: `IoU ${t}`, colour, points: curve.recall.map((r, k) => [r, curve.precision[k]!] as [number, number]) })), { x: 'recall', y: 'precision (mean over categories)', xRange: [0, 1], yRange: [0, 1] })
    : '<p>no category has ground truth: no curve</p>';
  const losses = options.losses;
  const lossChart = losses.length > 1
    ? `<h2>Training loss</h2>${lineChart([{ label: 'loss', colour: '#2ca02c', points: losses.map((l) => [l.step, l.loss] as [number, number]) }], { x: 'step', y: 'loss', xRange: [losses[0]!.step, losses.at(-1)!.step], yRange: [0, Math.max(...losses.map((l) => l.loss))] })}`
    : '';
  const images = options.images
    .map((img) => `<figure><img src="data:image/png;base64,${Buffer.from(img.png).toString('base64')}" alt="${escapeHtml(img.caption)}"><figcaption>${escapeHtml(img.caption)}</figcaption></figure>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:0.5em 2em 1em 0;display:inline-table;vertical-align:top}td,th{border:1px solid #ccc;padding:0.2em 0.6em;text-align:left}figure{display:inline-block;margin:0.4em;text-align:center;font-size:0.8em}figure img{image-rendering:pixelated;width:192px}</style>
</head><body>
<h1>${escapeHtml(options.title)}</h1>
<ul>${options.facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>
<h2>COCO metrics</h2>
<p>Computed as pycocotools' COCOeval (bbox) does; n/a where the set has no ground truth of that size.</p>
${apTable}${perCategory}
<h2>Precision-recall</h2>
${prChart}
${lossChart}
<h2>Detections</h2>
<p>Ground truth in white, detections (score ≥ 0.3) in class colours.</p>
${images}
</body></html>
`;
}
