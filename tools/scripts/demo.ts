// `npm run demo`: until the training demo exists, shows what effnet knows about every preset by
// running `effnet list` and then `effnet info <preset>` for each one.
import { presetNames } from '@effnet/scaling';
import { main } from '../../apps/cli/src/program.js';

const argv = (...args: string[]) => ['node', 'effnet', ...args];

let status = await main(argv('list'));
for (const name of presetNames()) {
  process.stdout.write(`\n$ effnet info ${name}\n`);
  status ||= await main(argv('info', name));
}
process.exitCode = status;
