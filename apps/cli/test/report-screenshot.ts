// Renders a report.html in headless Chromium (Debian's `chromium`, driven by playwright-core) to a
// PNG, the way a person would look at it: `npx tsx apps/cli/test/report-screenshot.ts <report.html>
// <out.png>`. Also used by the report test to check that every plot is drawn offline.
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** What the page showed: how many plots drew an SVG, and the page's errors. */
export interface ReportRendering {
  /** Plot containers holding an SVG with marks. */
  plots: number;
  /** Test-image figures. */
  figures: number;
  /** Console errors and page errors. */
  errors: string[];
}

/** Opens `htmlPath` with the network blocked, waits for the plots, optionally writes a full-page PNG. */
export async function renderReportPage(htmlPath: string, pngPath?: string, executablePath = '/usr/bin/chromium'): Promise<ReportRendering> {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => (message.type() === 'error' ? errors.push(message.text()) : undefined));
    // Offline: any request beyond the file itself fails.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForFunction(() => document.querySelectorAll('.plots svg .mark-group, .plots svg path, .plots svg rect').length > 0, undefined, { timeout: 30_000 }).catch(() => undefined);
    await page.waitForTimeout(500);
    const plots = await page.evaluate(() => ['loss', 'accuracy', 'schedule', 'confusion'].filter((id) => document.querySelector(`#${id} svg`)).length);
    const figures = await page.evaluate(() => document.querySelectorAll('figure').length);
    if (pngPath) await page.screenshot({ path: pngPath, fullPage: true });
    return { plots, figures, errors };
  } finally {
    await browser.close();
  }
}

const [input, output] = process.argv.slice(2);
if (input && process.argv[1]?.endsWith('screenshot.ts')) {
  const rendering = await renderReportPage(input, output);
  process.stdout.write(`${JSON.stringify(rendering)}\n`);
}
