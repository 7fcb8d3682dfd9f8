import { describe, expect, it } from 'vitest';
import { runCli } from '../test/cli-runner.js';

const run = runCli;

describe('effnet list', () => {
  it('lists every preset with exact parameter counts', async () => {
    const { code, out } = await run('list', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { name: string; params: number; resolution: { train: number; eval: number } }[];
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
    expect(byName['efficientnet-b0']!.params).toBe(5_288_548);
    expect(byName['efficientnetv2-s']!.params).toBe(21_458_488);
    expect(byName['efficientnetv2-s']!.resolution).toEqual({ train: 300, eval: 384 });
    expect(rows.map((row) => row.name)).toEqual(expect.arrayContaining(['efficientnet-l2', 'efficientnetv2-xl', 'efficientdet-d7']));
  });

  it('prints a table for people', async () => {
    const { code, out } = await run('list');
    expect(code).toBe(0);
    expect(out).toMatch(/^preset\s+family\s+train\s+eval\s+params\s+MACs/);
    expect(out).toMatch(/efficientnet-b0\s+efficientnet\s+224\s+224\s+5\.29M\s+385\.8\dM/);
  });
});

describe('effnet info', () => {
  it('gives per-stage figures that add up to the exact totals', async () => {
    const { code, out } = await run('info', 'efficientnet-b0', '--json');
    expect(code).toBe(0);
    const info = JSON.parse(out) as { total: { params: number; macs: number }; rows: { name: string; params: number; macs: number }[] };
    expect(info.total.params).toBe(5_288_548);
    expect(info.rows.reduce((sum, row) => sum + row.params, 0)).toBe(5_288_548);
    expect(info.rows.reduce((sum, row) => sum + row.macs, 0)).toBe(info.total.macs);
    expect(info.rows.map((row) => row.name)).toEqual(['stem', 'stage 0', 'stage 1', 'stage 2', 'stage 3', 'stage 4', 'stage 5', 'stage 6', 'head', 'classifier']);
  });

  it('scales multiply-adds with --resolution', async () => {
    const at224 = JSON.parse((await run('info', 'efficientnet-b0', '--json')).out) as { total: { macs: number; params: number } };
    const at448 = JSON.parse((await run('info', 'efficientnet-b0', '--resolution', '448', '--json')).out) as { total: { macs: number; params: number } };
    expect(at448.total.params).toBe(at224.total.params);
    expect(at448.total.macs / at224.total.macs).toBeGreaterThan(3.9);
    expect(at448.total.macs / at224.total.macs).toBeLessThan(4.01);
  });

  it('prints a table with a total row', async () => {
    const { code, out } = await run('info', 'efficientnetv2-s');
    expect(code).toBe(0);
    expect(out).toContain('efficientnetv2-s');
    expect(out).toMatch(/total\s+.*21\.46M/);
  });

  it('names the known presets when given an unknown one', async () => {
    const { code, err } = await run('info', 'efficientnet-b9');
    expect(code).toBe(2);
    expect(err).toMatch(/^error: .*efficientnet-b9.*efficientnet-b0/);
  });

  it('rejects a resolution that is not a positive integer', async () => {
    for (const bad of ['0', '-3', '22.5', 'big']) {
      const { code, err } = await run('info', 'efficientnet-b0', '--resolution', bad);
      expect(code).toBe(1);
      expect(err).toContain(`option '--resolution <pixels>' argument '${bad}' is invalid`);
    }
  });
});

describe('effnet backends', () => {
  it('reports cpu, wasm and onnx (inference only) available and the native and browser backends unavailable with the reason', async () => {
    const { code, out } = await run('backends', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as { name: string; available: boolean; reason?: string }[];
    expect(rows.map((r) => r.name)).toEqual(['node-gpu', 'node', 'webgpu', 'webgl', 'wasm', 'cpu', 'onnx']);
    expect(rows.filter((r) => r.available).map((r) => r.name)).toEqual(['wasm', 'cpu', 'onnx']);
    expect(rows.find((r) => r.name === 'node')!.reason).toContain('npm install @effnet/backend-node @tensorflow/tfjs-node');
  });
});

describe('effnet plan', () => {
  it('prints the paper plan of V2-S', async () => {
    const { code, out } = await run('plan', 'efficientnetv2-s');
    expect(code).toBe(0);
    expect(out).toContain('efficientnetv2-s: 4-stage plan over 350 epochs');
    expect(out).toContain('4      263-349   300      0.3        0.2           15      0       0');
  });

  it('derives a plan for other presets and honours --stages, --steps and sizes', async () => {
    const { code, out } = await run('plan', 'efficientnet-b0', '--stages', '3', '--steps', '900', '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { unit: string; stages: { start: number; length: number; imageSize: number; dropout: number }[] };
    expect(plan.unit).toBe('step');
    expect(plan.stages.map((s) => [s.start, s.length, s.imageSize])).toEqual([[0, 300, 112], [300, 300, 168], [600, 300, 224]]);
    expect(plan.stages.at(-1)!.dropout).toBe(0.2);
    const fixed = JSON.parse((await run('plan', 'efficientnet-b0', '--stages', '1', '--json')).out) as { stages: { imageSize: number }[] };
    expect(fixed.stages.map((s) => s.imageSize)).toEqual([224]);
  });

  it('rejects a shrinking plan with a one-line error', async () => {
    const { code, err } = await run('plan', 'efficientnet-b0', '--from-size', '300');
    expect(code).toBe(2);
    expect(err).toBe('error: from.imageSize: 300 is larger than to.imageSize 224: progressive learning grows the image size\n');
  });
});

describe('--help', () => {
  for (const command of [[], ['list'], ['info'], ['plan'], ['backends'], ['train'], ['eval'], ['predict'], ['import'], ['bench']]) {
    it(`effnet ${command.join(' ')} --help prints usage`, async () => {
      const { code, out } = await run(...command, '--help');
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: effnet/);
    });
  }
});
