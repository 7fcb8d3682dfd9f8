// Small DOM helpers of the playground: typed lookup, and running a handler with its error shown
// on the page (an EffnetError as its one-line message, anything else with its stack in the console).
import { EffnetError } from '@effnet/scaling';

/** The element with `id` (the page's markup guarantees it exists). */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** Runs `fn`, showing a failure in #error; clears the message first. */
export async function guarded(fn: () => Promise<void>): Promise<void> {
  const box = $('error');
  box.textContent = '';
  try {
    await fn();
  } catch (error) {
    box.textContent = error instanceof EffnetError ? `${error.field}: ${error.message}` : `unexpected error: ${String(error)}`;
    if (!(error instanceof EffnetError)) console.error(error);
  }
}

/** The files of a file input, as an array. */
export function filesOf(input: HTMLInputElement): File[] {
  return [...(input.files ?? [])];
}
