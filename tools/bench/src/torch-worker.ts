// A PyTorch process (tools/bench/python/torch_bench.py --serve) that `npm run bench` asks for one
// timed inference call or training step at a time, so that PyTorch runs interleaved with the
// other runtimes under the same machine load. Each answer is the milliseconds Python measured.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
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
