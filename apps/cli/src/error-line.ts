// Every failure of the CLI as one line a user can act on: effnet errors as they are, Node's file
// system errors with the path and the fix, a backend out of memory with what to lower, and anything
// else as an internal error (EFFNET_DEBUG=1 prints its stack).
import { EffnetError } from '@effnet/scaling';

const FILE_SYSTEM_FIXES: Record<string, string> = {
  EACCES: 'permission denied: choose a folder you may write to, or fix its permissions',
  EPERM: 'operation not permitted: choose a folder you may write to, or fix its permissions',
  EROFS: 'the file system is read-only: choose a folder on a writable disk',
  ENOSPC: 'no space left on the device: free some space or choose another folder, then run again (with --resume for a training run)',
  EDQUOT: 'disk quota exceeded: free some space or choose another folder, then run again',
  ENOTDIR: 'a part of this path is a file, not a folder: choose another path',
  EISDIR: 'is a folder where a file was expected: pass a file',
  ENOENT: 'no such file or folder: check the path',
  EEXIST: 'already exists: remove it or choose another path',
  ENAMETOOLONG: 'the path is too long: choose a shorter one',
  ELOOP: 'too many symbolic links: the path loops; choose another path',
  EMFILE: 'too many open files: raise the limit (ulimit -n) and run again',
  EIO: 'input/output error on the disk: check the device and run again',
};

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ').trim();
}

function outOfMemory(message: string): boolean {
  return /out of memory|Cannot enlarge memory|Array buffer allocation failed|Invalid typed array length|Aborted\(\)|memory access out of bounds|table index is out of bounds|WebAssembly\.Memory/i.test(message);
}

/** The one line (without `error: ` and newline) that describes `error` to a user. */
export function errorLine(error: unknown): string {
  if (error instanceof EffnetError) return oneLine(error.message);
  const e = (error ?? {}) as Partial<NodeJS.ErrnoException> & { dest?: string };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.code === 'string' && FILE_SYSTEM_FIXES[e.code]) {
    const where = e.path ?? e.dest ?? '';
    return oneLine(`${where ? `${where}: ` : ''}${FILE_SYSTEM_FIXES[e.code]} (${e.code}${e.syscall ? ` in ${e.syscall}` : ''})`);
  }
  if (outOfMemory(message) || error instanceof RangeError || error instanceof WebAssembly.RuntimeError) {
    return oneLine(`the backend ran out of memory (${message.slice(0, 200)}): lower --batch or the image size (--to-size, --resolution), or use another backend`);
  }
  return oneLine(`internal error: ${message.slice(0, 300)} (run with EFFNET_DEBUG=1 for the stack, and please report it with the command)`);
}
