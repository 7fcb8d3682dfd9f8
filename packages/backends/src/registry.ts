// The adapter registry: registerAdapter, listBackends and useBackend('auto' or a name), with the
// preference order of docs/architecture.md (node-gpu > node > webgpu > webgl > wasm > cpu by priority).
import { EffnetBackendError } from './errors.js';
import type { BackendAdapter } from './adapter.js';

interface Entry {
  readonly adapter: BackendAdapter;
  readonly source: string;
}

// Kept on globalThis so that two copies of this package share one registry (and duplicates are
// caught even then), as tfjs-core keeps its kernel registry.
const KEY = Symbol.for('@effnet/backends/registry');
const store = globalThis as unknown as Record<symbol, Map<string, Entry> | undefined>;
function entries(): Map<string, Entry> {
  return (store[KEY] ??= new Map<string, Entry>());
}

/** One row of {@link listBackends}. */
export interface BackendListing {
  /** Adapter name. */
  readonly name: string;
  /** Where it runs. */
  readonly platform: 'node' | 'browser';
  /** Its `useBackend('auto')` priority. */
  readonly priority: number;
  /** Whether it can run here. */
  readonly available: boolean;
  /** Why not, when unavailable. */
  readonly reason?: string;
}

/**
 * Registers `adapter` under its name. `source` names the registrant (a package name) for the
 * duplicate error. Registering a name twice throws `EffnetBackendError` naming both registrants.
 */
export function registerAdapter(adapter: BackendAdapter, source = 'an unnamed caller'): void {
  const existing = entries().get(adapter.name);
  if (existing !== undefined) {
    throw new EffnetBackendError(
      adapter.name,
      `an adapter with this name is already registered by ${existing.source}; ${source} tried to register another. ` +
        'Import each @effnet/backend-* package once (run `npm dedupe` if two copies are installed).',
    );
  }
  entries().set(adapter.name, { adapter, source });
}

/** Removes the adapter named `name` (for tests and hot reload); returns whether one was registered. */
export function unregisterAdapter(name: string): boolean {
  return entries().delete(name);
}

/** The registered adapter named `name`, or undefined. */
export function getAdapter(name: string): BackendAdapter | undefined {
  return entries().get(name)?.adapter;
}

/** Every registered adapter with its availability here, highest priority first. */
export async function listBackends(): Promise<BackendListing[]> {
  const adapters = [...entries().values()].map((e) => e.adapter).sort((a, b) => b.priority - a.priority);
  return Promise.all(
    adapters.map(async (adapter) => {
      const { available, reason } = await adapter.isAvailable();
      const row: BackendListing = { name: adapter.name, platform: adapter.platform, priority: adapter.priority, available };
      return reason === undefined ? row : { ...row, reason };
    }),
  );
}

// The registry knows only the adapters registered with it; a plugin names its own install line.
const PLUGIN_HINT =
  'adapters come from plugins, registered when imported: `npm install @effnet/backend-<runtime> @tensorflow/tfjs-backend-<runtime>` ' +
  'and `import \'@effnet/backend-<runtime>\'` (cpu, wasm, webgl, webgpu; node and node-gpu come from @effnet/backend-node with @tensorflow/tfjs-node or tfjs-node-gpu)';

function missingAdapter(name: string): EffnetBackendError {
  const registered = [...entries().keys()].sort();
  return new EffnetBackendError(name, `no adapter named '${name}' is registered (registered: ${registered.join(', ') || 'none'}); ${PLUGIN_HINT}`);
}

/**
 * Activates the named backend, or with `'auto'` the available one of highest priority
 * (node-gpu > node > webgpu > webgl > wasm > cpu), and returns its adapter.
 * Throws `EffnetBackendError` when the adapter is not registered (saying which package to
 * install), when it is unavailable here (with its reason), or when nothing is available.
 */
export async function useBackend(name: string): Promise<BackendAdapter> {
  if (name !== 'auto') {
    const adapter = getAdapter(name);
    if (adapter === undefined) throw missingAdapter(name);
    const { available, reason } = await adapter.isAvailable();
    if (!available) throw new EffnetBackendError(name, `not available here: ${reason ?? 'no reason given'}`);
    await adapter.activate();
    return adapter;
  }
  const rows = await listBackends();
  const pick = rows.find((row) => row.available);
  if (pick === undefined) {
    throw new EffnetBackendError(
      'auto',
      `no registered backend is available (${rows.map((r) => `${r.name}: ${r.reason}`).join('; ') || 'none registered'}); ` +
        `install one: ${PLUGIN_HINT}; for each registered one, its reason says how to fix it`,
    );
  }
  const adapter = getAdapter(pick.name)!;
  await adapter.activate();
  return adapter;
}
