// The playground's data: the bundled Fashion-MNIST subset (static files written by
// scripts/fashion-subset.ts) or a person's own images, one folder per class, picked with a
// directory input and decoded by the browser. Both become @effnet/train InMemoryDatasets.
import { InMemoryDataset } from '@effnet/train';
import { PlaygroundError } from './errors.js';

/** Train and test sets with the normalisation the model is trained with. */
export interface PlaygroundData {
  train: InMemoryDataset;
  test: InMemoryDataset;
  mean: number[];
  std: number[];
}

interface SubsetInfo {
  imageShape: [number, number, number];
  classNames: string[];
  trainPerClass: number;
  testPerClass: number;
  mean: number[];
  std: number[];
}

function byClass(count: number, perClass: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => Math.floor(i / perClass));
}

/** The Fashion-MNIST subset served beside the page (`<base>fashion-mnist/subset.*`). */
export async function fashionSubset(base = import.meta.env.BASE_URL): Promise<PlaygroundData> {
  const [infoResponse, binResponse] = await Promise.all([fetch(`${base}fashion-mnist/subset.json`), fetch(`${base}fashion-mnist/subset.bin`)]);
  if (!infoResponse.ok || !binResponse.ok) throw new PlaygroundError('fashion-mnist', `the bundled subset is missing (HTTP ${infoResponse.status}/${binResponse.status}); build with npm run build -w @effnet/web`);
  const info = (await infoResponse.json()) as SubsetInfo;
  const bytes = new Uint8Array(await binResponse.arrayBuffer());
  const pixels = info.imageShape[0] * info.imageShape[1] * info.imageShape[2];
  const trainCount = info.classNames.length * info.trainPerClass;
  const testCount = info.classNames.length * info.testPerClass;
  if (bytes.length !== (trainCount + testCount) * pixels) throw new PlaygroundError('fashion-mnist', `subset.bin has ${bytes.length} bytes, expected ${(trainCount + testCount) * pixels}`);
  const common = { imageShape: info.imageShape, classNames: info.classNames };
  return {
    train: new InMemoryDataset({ ...common, name: 'fashion-mnist-subset/train', images: bytes.subarray(0, trainCount * pixels), labels: byClass(trainCount, info.trainPerClass) }),
    test: new InMemoryDataset({ ...common, name: 'fashion-mnist-subset/test', images: bytes.subarray(trainCount * pixels), labels: byClass(testCount, info.testPerClass) }),
    mean: info.mean,
    std: info.std,
  };
}

/** Decodes one image file to `size`×`size` bytes with `channels` channels (1: grey, 3: RGB), stretched to the square. */
export async function decodeImageFile(file: File, size: number, channels: 1 | 3): Promise<Uint8Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PlaygroundError(file.name, 'is not an image this browser can decode (use PNG, JPEG or WebP)');
  }
  const canvas = new OffscreenCanvas(size, size);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0, size, size);
  bitmap.close();
  const rgba = context.getImageData(0, 0, size, size).data;
  const out = new Uint8Array(size * size * channels);
  for (let p = 0; p < size * size; p++) {
    if (channels === 1) out[p] = Math.round(0.299 * rgba[4 * p]! + 0.587 * rgba[4 * p + 1]! + 0.114 * rgba[4 * p + 2]!);
    else for (let c = 0; c < 3; c++) out[3 * p + c] = rgba[4 * p + c]!;
  }
  return out;
}

const IMAGE = /\.(png|jpe?g|webp|gif|bmp)$/i;

/**
 * A data set from a picked folder: `<root>/<class>/<image>`; every fifth image of each class goes to
 * the test set. Images are decoded to `size` px with `channels` channels.
 */
export async function folderData(files: File[], size: number, channels: 1 | 3): Promise<PlaygroundData> {
  const groups = new Map<string, File[]>();
  for (const file of files) {
    const parts = (file.webkitRelativePath || file.name).split('/');
    if (parts.length < 3 || !IMAGE.test(file.name)) continue; // root/class/image only
    const name = parts[parts.length - 2]!;
    groups.set(name, [...(groups.get(name) ?? []), file]);
  }
  const classNames = [...groups.keys()].sort();
  if (classNames.length < 2) throw new PlaygroundError('folder', `found ${classNames.length} class folder(s) with images; pick a folder holding one sub-folder per class (at least two)`);
  const few = classNames.find((name) => groups.get(name)!.length < 2);
  if (few) throw new PlaygroundError(few, 'has fewer than 2 images; each class needs some for training and one for testing');
  const split = { train: [] as [Uint8Array, number][], test: [] as [Uint8Array, number][] };
  for (const [label, name] of classNames.entries()) {
    const group = groups.get(name)!.sort((a, b) => a.name.localeCompare(b.name));
    for (const [i, file] of group.entries()) (i % 5 === 4 ? split.test : split.train).push([await decodeImageFile(file, size, channels), label]);
  }
  const make = (part: 'train' | 'test') => new InMemoryDataset({
    name: `folder/${part}`, imageShape: [size, size, channels], classNames,
    images: concat(split[part].map(([image]) => image)), labels: Int32Array.from(split[part].map(([, label]) => label)),
  });
  return { train: make('train'), test: make('test'), mean: channels === 1 ? [0.5] : [0.485, 0.456, 0.406], std: channels === 1 ? [0.25] : [0.229, 0.224, 0.225] };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
