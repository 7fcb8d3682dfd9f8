// `effnet train --spec <file.json>`: a ModelSpec from a file (such as `effnet search`'s
// best.json), checked before any training: readable JSON, the shape of a resolved spec, blocks the
// cost model can walk, and the data set's classes and channels.
import { readFileSync } from 'node:fs';
import { cost, EffnetConfigError, EffnetError, type ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads and checks the spec in `path` for data with `numClasses` classes and `inChannels` channels
 * (each checked only when given).
 *
 * @throws EffnetDataError when the file cannot be read or is not JSON; EffnetConfigError when it
 *   is not a ModelSpec or does not fit the data.
 */
export function readSpecFile(path: string, numClasses?: number, inChannels?: number): ModelSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EffnetDataError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): pass a spec file such as runs/search/best.json`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch {
    throw new EffnetDataError(path, 'is not JSON: pass a ModelSpec file such as the best.json effnet search writes');
  }
  const fields = ['name', 'blocks', 'stem', 'head', 'resolution', 'batchNorm', 'padding', 'activation'];
  const missing = isObject(spec) ? fields.filter((f) => !(f in spec)) : fields;
  if (!isObject(spec) || missing.length > 0 || !Array.isArray(spec['blocks']) || spec['blocks'].length === 0) {
    throw new EffnetConfigError('--spec', `${path} is not a ModelSpec (missing ${missing.join(', ') || 'blocks'}): pass the best.json effnet search writes, or a spec from @effnet/scaling`);
  }
  const model = spec as unknown as ModelSpec;
  if (numClasses !== undefined && model.numClasses !== numClasses) throw new EffnetConfigError('--spec', `${path} has ${model.numClasses} classes but the data has ${numClasses}: use a spec made for this data`);
  if (inChannels !== undefined && model.inChannels !== inChannels) throw new EffnetConfigError('--spec', `${path} takes ${model.inChannels}-channel images but the data has ${inChannels}: use a spec made for this data`);
  try {
    cost(model, { resolution: model.resolution.train });
  } catch (error) {
    if (error instanceof EffnetError) throw error;
    throw new EffnetConfigError('--spec', `${path} is not a valid ModelSpec (${(error as Error).message})`);
  }
  return model;
}
