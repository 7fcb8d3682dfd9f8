// The playground's own error: bad input a person gave the page (a folder without a model, an image
// the browser cannot decode). Extends EffnetError so the page shows it as a one-line message.
import { EffnetError } from '@effnet/scaling';

/** Bad input given to the playground, naming the file or control at fault. */
export class PlaygroundError extends EffnetError {
  override name = 'PlaygroundError';
}
