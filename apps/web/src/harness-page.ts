// The browser harness page (harness.html): pick a network (a ModelSpec from specs.ts) and a
// backend, load the torchvision-seeded weights, run it and show the top-5 predictions and the
// timings. It installs the test harness as `window.effnet`.
import { harness } from './harness.js';
import { NETWORKS } from './specs.js';

window.effnet = harness;

function element<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function top5(values: number[], classes: number): string {
  const rows: string[] = [];
  for (let b = 0; b * classes < values.length; b++) {
    const row = values.slice(b * classes, (b + 1) * classes).map((v, i) => [v, i] as const);
    row.sort((x, y) => y[0] - x[0]);
    rows.push(`image ${b}: ` + row.slice(0, 5).map(([v, i]) => `class ${i} (${v.toFixed(3)})`).join(', '));
  }
  return rows.join('\n');
}

async function fillBackends(): Promise<void> {
  const select = element<HTMLSelectElement>('backend');
  for (const row of await harness.listBackends()) {
    const option = document.createElement('option');
    option.value = row.name;
    option.textContent = row.available ? row.name : `${row.name} (unavailable: ${row.reason})`;
    option.disabled = !row.available;
    select.append(option);
  }
  select.value = [...select.options].find((o) => !o.disabled)?.value ?? '';
}

async function run(): Promise<void> {
  const out = element<HTMLPreElement>('output');
  const name = element<HTMLSelectElement>('network').value;
  const backend = element<HTMLSelectElement>('backend').value;
  out.textContent = `running ${name} on ${backend}…`;
  try {
    const start = performance.now();
    const result = await harness.logits(name, backend);
    const total = performance.now() - start;
    const timing = await harness.latency(name, backend, true, 5);
    out.textContent =
      `${name} on ${result.backend.name} (${JSON.stringify(result.backend.versions)}${result.backend.gpu ? `, ${result.backend.gpu}` : ''})\n` +
      `${top5(result.values, result.shape[1]!)}\n\n` +
      `load + first run: ${total.toFixed(1)} ms; warm-up ${timing.warmupMs?.toFixed(1)} ms, ` +
      `first call after it ${timing.firstCallMs.toFixed(1)} ms, median of ${timing.runs} ${timing.steadyMedianMs.toFixed(1)} ms`;
  } catch (error) {
    out.textContent = `failed: ${String(error)}`;
  }
}

const networks = element<HTMLSelectElement>('network');
for (const name of Object.keys(NETWORKS)) {
  const option = document.createElement('option');
  option.value = name;
  option.textContent = name;
  networks.append(option);
}
element<HTMLButtonElement>('run').addEventListener('click', () => void run());
await fillBackends();
document.body.dataset['ready'] = 'true';
