// Runs a Trainer's fit() that is expected to fail and returns what it threw, closing the replica
// pool either way (so a failed test leaves no worker running).
import type { Trainer } from '../src/trainer.js';

/** What `trainer.fit()` threw (undefined if it did not), after `replicas.close()`. */
export async function fitFailure(trainer: Trainer, replicas: { close(): Promise<void> }): Promise<unknown> {
  try {
    await trainer.fit();
    return undefined;
  } catch (caught) {
    return caught;
  } finally {
    await replicas.close();
  }
}
