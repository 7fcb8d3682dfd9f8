// Cross-origin isolation on any static file server: when the server sends no COOP/COEP headers,
// public/coi-sw.js (a service worker) adds them, after one reload. `?isolate=0` opts out, so that
// the single-thread case can be measured on the same server.
const RELOADED = 'effnet-coi-reloaded';

/** Resolves when the page is isolated, or isolation is impossible or declined; otherwise reloads (and never resolves). */
export async function ensureIsolation(): Promise<void> {
  if (globalThis.crossOriginIsolated || !('serviceWorker' in navigator) || !isSecureContext) return;
  if (new URLSearchParams(location.search).get('isolate') === '0') {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    return;
  }
  await navigator.serviceWorker.register(new URL('coi-sw.js', document.baseURI));
  await navigator.serviceWorker.ready;
  if (sessionStorage.getItem(RELOADED)) return; // the worker did not help: run without threads
  sessionStorage.setItem(RELOADED, '1');
  location.reload();
  await new Promise(() => undefined);
}
