// The playground's replica count: one per logical core (at most 8) on wasm and cpu in a
// cross-origin isolated page, else one with the reason the page prints.
import { describe, expect, it } from 'vitest';
import { MAX_REPLICAS, replicaPlan } from '../src/app/replicas.js';

describe('replicaPlan', () => {
  it('runs one replica per core on wasm and cpu, at most MAX_REPLICAS', () => {
    expect(replicaPlan('wasm', 2, true)).toEqual({ replicas: 2 });
    expect(replicaPlan('cpu', 6, true)).toEqual({ replicas: 6 });
    expect(replicaPlan('wasm', 64, true)).toEqual({ replicas: MAX_REPLICAS });
  });

  it('falls back to one replica, saying why', () => {
    expect(replicaPlan('webgl', 8, true)).toEqual({ replicas: 1, reason: 'webgl runs one replica (data-parallel workers are for wasm and cpu)' });
    expect(replicaPlan('wasm', 1, true)).toEqual({ replicas: 1, reason: 'the browser reports 1 logical core(s)' });
    expect(replicaPlan('wasm', 4, false)).toEqual({ replicas: 1, reason: 'the page is not cross-origin isolated (no SharedArrayBuffer)' });
  });
});
