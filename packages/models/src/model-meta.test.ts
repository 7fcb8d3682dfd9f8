// model-meta.json's one reader and writer: what is written reads back equal; a careless or hostile
// file (not JSON, another format or version, the wrong class count or channels, NaN, a zero std,
// a bad size) is refused with an EffnetModelError naming the file and what is wrong; a meta that
// could not be read back is not written.
import { describe, expect, it } from 'vitest';
import { EffnetModelError, MODEL_META_FILE, modelMetaJson, parseModelMeta, type ModelMeta } from './index.js';

const META: ModelMeta = { classNames: ['cat', 'dog', 'fox'], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], imageSize: 224, source: 'test' };
const SPEC = { numClasses: 3, inChannels: 3 };

function refusal(text: string, spec = SPEC): EffnetModelError {
  try {
    parseModelMeta(text, spec, 'run/model/model-meta.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EffnetModelError);
    expect((error as EffnetModelError).field).toBe('run/model/model-meta.json');
    return error as EffnetModelError;
  }
  throw new Error('parseModelMeta accepted the text');
}

const withField = (field: string, value: unknown) => JSON.stringify({ ...JSON.parse(modelMetaJson(META)), [field]: value });

describe('model-meta.json', () => {
  it('reads back what it writes, in the format the CLI has always written', () => {
    const text = modelMetaJson(META);
    expect(JSON.parse(text)).toEqual({ format: 'effnet-model-meta', version: 1, ...META });
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseModelMeta(text, SPEC)).toEqual(META);
    expect(MODEL_META_FILE).toBe('model-meta.json');
  });

  it('reads a file without a source as an empty source', () => {
    const { source: _source, ...rest } = JSON.parse(modelMetaJson(META)) as ModelMeta;
    expect(parseModelMeta(JSON.stringify(rest), SPEC).source).toBe('');
  });

  it('refuses bad files with the file, the fault and the fix in one message', () => {
    expect(refusal('{"format": ').message).toMatch(/^run\/model\/model-meta\.json: is not JSON \(.*\); write the folder with effnet train or effnet import$/);
    expect(refusal('null').message).toMatch(/is not an effnet-model-meta file \(its format field is undefined\)/);
    expect(refusal(withField('format', 'keras')).message).toMatch(/its format field is "keras"/);
    expect(refusal(withField('version', 2)).message).toMatch(/is version 2 of effnet-model-meta, this effnet reads version 1/);
    expect(refusal(modelMetaJson(META), { numClasses: 4, inChannels: 3 }).message).toBe('run/model/model-meta.json: is not an effnet-model-meta file for this 4-class model with 3 input channel(s): has 3 classNames, the model has 4 classes');
    expect(refusal(modelMetaJson(META), { numClasses: 3, inChannels: 1 }).message).toMatch(/mean must hold 1 finite number\(s\), one per input channel$/);
    expect(refusal(withField('classNames', ['a', 2, 'c'])).message).toMatch(/classNames must be a non-empty list of strings$/);
    expect(refusal(withField('mean', [0.5, 'x', 0.5])).message).toMatch(/mean must hold 3 finite/);
    expect(refusal(withField('std', [0.2, 0, 0.2])).message).toMatch(/std must hold 3 positive finite number\(s\)/);
    expect(refusal(withField('imageSize', 22.5)).message).toMatch(/imageSize must be a positive integer, not 22\.5$/);
    expect(refusal(withField('imageSize', -1)).message).toMatch(/imageSize must be a positive integer, not -1$/);
  });

  it('does not write a meta that could not be read back', () => {
    expect(() => modelMetaJson({ ...META, std: [Number.NaN, 0.2, 0.2] })).toThrow(EffnetModelError);
    expect(() => modelMetaJson({ ...META, std: [0.2, 0.2, 0.2], mean: [0.5, 0.5, Number.POSITIVE_INFINITY] })).toThrow(/^model-meta\.json: not written: mean must hold 3 finite/);
    expect(() => modelMetaJson({ ...META, classNames: [] })).toThrow(/not written: classNames must be a non-empty list of strings/);
    expect(() => modelMetaJson({ ...META, std: [0.2, 0.2] })).toThrow(/not written: std must hold 3 positive/);
  });
});
