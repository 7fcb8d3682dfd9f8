// The shell every Vega-Lite report page shares (training run, search): head, common style, title,
// facts, the inlined vega bundles (the page opens offline) and the script that draws each spec
// into the element of the same id. Each report adds its own body and style.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The text of a bundled browser script of an installed package (e.g. vega's `build/vega.min.js`). */
export function bundledScript(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const path = join(dir, pkg, file);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new Error(`cannot find ${pkg}/${file}: is ${pkg} installed?`);
}

/** Text made safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The vega, vega-lite and vega-embed bundles as inline script tags. */
export function vegaScripts(): string {
  return [bundledScript('vega', 'build/vega.min.js'), bundledScript('vega-lite', 'build/vega-lite.min.js'), bundledScript('vega-embed', 'build/vega-embed.min.js')]
    .map((code) => `<script>${code.replace(/<\/script/gi, '<\\/script')}</script>`)
    .join('\n');
}

const BASE_STYLE = `body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } ul.facts { color: #555; padding-left: 18px; }
.plots { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; } .plots > div { min-width: 0; }`;

/** A whole page: `body` (HTML) below the title and facts; each spec drawn into `#<its key>`. */
export function vegaPage(page: { title: string; facts: readonly string[]; style: string; body: string; specs: Record<string, unknown> }): string {
  const embeds = Object.keys(page.specs)
    .map((id) => `vegaEmbed('#${id}', SPECS[${JSON.stringify(id)}], { actions: false, renderer: 'svg' });`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<style>
${BASE_STYLE}
${page.style}
</style>
${vegaScripts()}
</head><body>
<h1>${escapeHtml(page.title)}</h1>
<ul class="facts">${page.facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>
${page.body}
<script>const SPECS = ${JSON.stringify(page.specs).replace(/</g, '\\u003c')};
${embeds}</script>
</body></html>
`;
}
