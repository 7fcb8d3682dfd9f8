// Every error class a package exports extends EffnetError, the one base the CLI maps to exit 2.
import * as backends from '@effnet/backends';
import * as blocks from '@effnet/blocks';
import * as models from '@effnet/models';
import * as scaling from '@effnet/scaling';
import * as schedules from '@effnet/schedules';
import * as train from '@effnet/train';
import { describe, expect, it } from 'vitest';

const PACKAGES = { backends, blocks, models, scaling, schedules, train };

describe('the error base', () => {
  it('is the base of every exported error class, and each names what it is about in `field`', () => {
    const found: string[] = [];
    for (const [pkg, exports] of Object.entries(PACKAGES)) {
      for (const [name, value] of Object.entries(exports)) {
        if (!name.endsWith('Error') || typeof value !== 'function') continue;
        found.push(`${pkg}.${name}`);
        expect(value.prototype instanceof scaling.EffnetError || value === scaling.EffnetError, `${pkg}.${name}`).toBe(true);
      }
    }
    expect(found.length).toBeGreaterThanOrEqual(9);
    const error = new models.EffnetWeightsError('b0.safetensors', 'tensor stem.conv.kernel is missing');
    expect([error.field, error.source, error.name]).toEqual(['b0.safetensors', 'b0.safetensors', 'EffnetWeightsError']);
    expect(error.message).toBe('b0.safetensors: tensor stem.conv.kernel is missing');
  });
});
