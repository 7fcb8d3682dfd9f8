// A PyTorch process (tools/bench/python/torch_bench.py --serve) that `npm run bench` asks for one
// timed inference call or training step at a time, so that PyTorch runs interleaved with the
// other runtimes under the same machine load. Each answer is the milliseconds Python measured.
// Beside Debian's PyTorch 1.13, a current PyTorch 2.x runs from the venv .venv-ref/torch2 where
// tools/fixtures/reference-env.sh made one.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What the worker reports when it is ready. */
export interface TorchInfo {
  /** torch.__version__. */
  readonly torch: string;
  /** torch.get_num_threads(). */
  readonly threads: number;
  /** BLAS libraries mapped into the process. */
  readonly blas: string[];
  /** A 1024³ matmul's rate. */
  readonly matmulGflops: number;
  /** Max |PyTorch − fixture logits| for the fixture's input batch. */
  readonly fixtureMaxAbsDiff: number;
  /** How B0 was built: torchvision's `efficientnet_b0`, or the same network in torch.nn alone (`standalone`). */
  readonly builder: 'torchvision' | 'standalone';
  /** The BLAS torch was built with (`BLAS_INFO`; `mkl` for PyPI's wheels, linked in statically so not seen among the mapped libraries). */
  readonly buildBlas: string;
}

/** The running worker. */
export class TorchWorker {
  private readonly waiting: ((line: string) => void)[] = [];
  private readonly errors: string[] = [];

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    child.stderr.on('data', (chunk: Buffer) => this.errors.push(chunk.toString()));
    child.on('exit', (code) => {
      for (const resolve of this.waiting.splice(0)) resolve(JSON.stringify({ error: `PyTorch worker exited (${code}): ${this.errors.join('')}` }));
    });
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiting.push((line) => resolve(JSON.parse(line) as Record<string, unknown>)));
  }

  /** Starts `python script --serve args…` and waits for its ready line. */
  static async start(python: string, script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ worker: TorchWorker; info: TorchInfo }> {
    const worker = new TorchWorker(spawn(python, [script, '--serve', ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] }));
    const info = await worker.next();
    if ('error' in info) throw new Error(String(info['error']));
    return { worker, info: info as unknown as TorchInfo };
  }

  /** One timed `infer` or `train` call; resolves to PyTorch's milliseconds. */
  async call(command: 'infer' | 'train'): Promise<number> {
    const answer = this.next();
    this.child.stdin.write(`${command}\n`);
    const reply = await answer;
    if (typeof reply['ms'] !== 'number') throw new Error(String(reply['error'] ?? JSON.stringify(reply)));
    return reply['ms'];
  }

  /** Ends the worker. */
  close(): void {
    this.child.stdin.end();
  }
}

/** The PyTorch 2.x venv's interpreter, relative to the repository root. */
export const TORCH2_PYTHON = join('.venv-ref', 'torch2', 'bin', 'python');

/**
 * Starts the PyTorch 2.x worker from `root/.venv-ref/torch2`, building B0 with torch.nn alone
 * (the store's torchvision for torch 2.x is a CUDA build that cannot load there); resolves to the
 * reason it was skipped where that venv does not exist.
 */
export async function startTorch2(root: string, script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ worker: TorchWorker; info: TorchInfo } | { skipped: string }> {
  const python = join(root, TORCH2_PYTHON);
  if (!existsSync(python)) {
    return { skipped: `${TORCH2_PYTHON} does not exist; tools/fixtures/reference-env.sh makes it where the wheel store (/opt/wheels) holds torch 2.13.0+cpu` };
  }
  return TorchWorker.start(python, script, [...args, '--builder', 'standalone'], env, root);
}

/** A PyTorch row's name: version, BLAS in use and how B0 was built. */
export function torchRuntime(info: TorchInfo): string {
  const blas = info.blas.some((l) => l.includes('openblas')) ? 'OpenBLAS' : info.buildBlas === 'mkl' ? 'MKL (linked in)' : info.blas.length > 0 ? 'reference BLAS (slow: select OpenBLAS, see docs/benchmarks.md)' : `BLAS ${info.buildBlas}`;
  return `PyTorch ${info.torch} CPU, ${blas}${info.builder === 'standalone' ? ', B0 in torch.nn alone' : ''}`;
}
