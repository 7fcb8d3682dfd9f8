// The Classify screen: load a model (a picked folder, one saved in IndexedDB, or the one trained
// on the page), drop or pick images, and see the top-5 with class names and the timings.
import { classify } from './classify.js';
import { $, filesOf, guarded } from './dom.js';
import { loadFolder, loadFromIndexedDb, savedModels, type LoadedModel } from './model-io.js';

let current: LoadedModel | undefined;
let owned = false;

/** The model the Classify screen uses now. */
export function currentModel(): LoadedModel | undefined {
  return current;
}

/** Makes `loaded` the Classify screen's model; `own`: the screen disposes it when another replaces it. */
export function useModel(loaded: LoadedModel, from: string, own = true): void {
  if (current && owned && current.model !== loaded.model) current.model.dispose();
  current = loaded;
  owned = own;
  const { spec } = loaded.model;
  $('model-info').textContent = `${spec.name} from ${from}: ${loaded.meta.classNames.length} classes (${loaded.meta.classNames.slice(0, 10).join(', ')}${loaded.meta.classNames.length > 10 ? ', …' : ''}), ${loaded.meta.imageSize} px, ${spec.inChannels} channel(s)${loaded.meta.source ? `; ${loaded.meta.source}` : ''}`;
  $('model-info').dataset['loaded'] = spec.name;
}

/** Refills the list of models saved in this browser. */
export async function refreshSaved(): Promise<void> {
  const select = $<HTMLSelectElement>('saved-models');
  select.replaceChildren(...(await savedModels()).map((name) => new Option(name, name)));
}

async function run(files: File[], backend: string, threads: number | undefined): Promise<void> {
  if (!current) {
    $('error').textContent = 'load a model first (a folder, a saved model, or train one)';
    return;
  }
  if (files.length === 0) return;
  const out = await classify(current, files, backend, threads);
  const threadText = out.backend.threads === undefined ? '' : `, ${out.backend.threads} thread(s)`;
  $('timings').textContent = `${files.length} image(s) on ${out.backend.name}${threadText}: warm-up ${out.warmupMs.toFixed(1)} ms, first call ${out.firstCallMs.toFixed(1)} ms, steady ${out.steadyMedianMs.toFixed(1)} ms (median of 5)`;
  const rows = files.map((file, i) => {
    const row = document.createElement('tr');
    const image = document.createElement('img');
    image.className = 'thumb';
    image.src = URL.createObjectURL(file);
    const cells = [image, file.name, ...out.predictions[i]!.map((p) => `${p.name} ${(p.probability * 100).toFixed(1)} %`)];
    row.append(...cells.map((c) => Object.assign(document.createElement('td'), { textContent: typeof c === 'string' ? c : '' })));
    row.firstElementChild!.append(image);
    return row;
  });
  const head = document.createElement('tr');
  head.append(...['image', 'file', 'top-1', '2', '3', '4', '5'].map((h) => Object.assign(document.createElement('th'), { textContent: h })));
  const table = document.createElement('table');
  table.append(head, ...rows);
  $('predictions').replaceChildren(table);
  $('predictions').dataset['top1'] = out.predictions.map((p) => p[0]!.name).join('|');
}

/** Wires the Classify screen; `backend()` and `threads()` are the header's choices. */
export function setUpClassify(backend: () => string, threads: () => number | undefined): void {
  $<HTMLInputElement>('model-folder').addEventListener('change', () => void guarded(async () => useModel(await loadFolder(filesOf($<HTMLInputElement>('model-folder'))), 'a picked folder')));
  $('load-saved').addEventListener('click', () => void guarded(async () => {
    const name = $<HTMLSelectElement>('saved-models').value;
    useModel(await loadFromIndexedDb(name), `this browser's storage ('${name}')`);
  }));
  const images = $<HTMLInputElement>('images');
  images.addEventListener('change', () => void guarded(() => run(filesOf(images), backend(), threads())));
  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    void guarded(() => run([...(event.dataTransfer?.files ?? [])], backend(), threads()));
  });
}
