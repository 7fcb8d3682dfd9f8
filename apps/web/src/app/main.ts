// The playground page (index.html): two screens, Classify and Train, and the backend picker they
// share (webgpu, webgl, wasm, cpu through @effnet/backends' adapters). Sets `data-ready` on the
// body once the page can be used (the browser tests wait for it). `?backend=wasm&threads=2`
// preselects a backend and the number of wasm threads (which only counts before wasm starts).
import '@tensorflow/tfjs-core'; // first: its flags must be registered before the gradients are (the dev server keeps import order)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { listBackends } from '@effnet/backends';
import '@effnet/backend-cpu';
import { simdKernelsActive } from '@effnet/backend-wasm';
import '@effnet/backend-webgl';
import '@effnet/backend-webgpu';
import { refreshSaved, setUpClassify } from './classify-screen.js';
import { activateBackend } from './classify.js';
import { $, guarded } from './dom.js';
import { ensureIsolation } from './isolation.js';
import { setUpTrain } from './train-screen.js';

await ensureIsolation();

const backend = () => $<HTMLSelectElement>('backend').value;
/** The wasm threads asked for in the header; undefined (empty field): tfjs's own choice, half the logical cores. */
const threads = (): number | undefined => {
  const value = Math.round(Number($<HTMLInputElement>('threads').value));
  return value >= 1 ? value : undefined;
};

function show(screen: 'classify' | 'train'): void {
  for (const name of ['classify', 'train'] as const) {
    $(name).hidden = name !== screen;
    $(`tab-${name}`).setAttribute('aria-pressed', String(name === screen));
  }
}

const select = $<HTMLSelectElement>('backend');
for (const row of await listBackends()) {
  const option = new Option(row.available ? row.name : `${row.name} (unavailable: ${row.reason})`, row.name);
  option.disabled = !row.available;
  select.append(option);
}
const params = new URLSearchParams(location.search);
const preferred = params.get('backend');
if (params.get('threads')) $<HTMLInputElement>('threads').value = params.get('threads')!;
select.value = [...select.options].find((o) => !o.disabled && (preferred === null || o.value === preferred))?.value ?? '';
/** Activates the picked backend and says what it is (versions, wasm threads and SIMD). */
async function activate(): Promise<void> {
  const description = await activateBackend(backend(), threads());
  const extra = description.threads === undefined ? '' : `, ${description.threads} thread(s), SIMD ${description.simd ? 'on' : 'off'}`;
  $('backend-info').textContent = `${description.name}${description.gpu ? ` (${description.gpu})` : ''}${extra}`;
  $('backend-info').dataset['threads'] = String(description.threads ?? '');
  $('backend-info').dataset['simdKernels'] = String(simdKernelsActive()); // effnet's own wasm SIMD kernels
}
select.addEventListener('change', () => void guarded(activate));
$('isolation').textContent = globalThis.crossOriginIsolated ? 'cross-origin isolated (SharedArrayBuffer available)' : 'not cross-origin isolated: wasm runs one thread';
$('tab-classify').addEventListener('click', () => show('classify'));
$('tab-train').addEventListener('click', () => show('train'));
setUpClassify(backend, threads);
setUpTrain(backend, threads);
await guarded(activate);
await guarded(refreshSaved);
document.body.dataset['ready'] = 'true';
