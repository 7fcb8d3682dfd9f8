#!/usr/bin/env node
// `npm test`: runs every project's `test` target through nx (cached), then adds up the JSON
// reports that each project's vitest writes to <project>/.vitest/results.json and prints the one
// closing line CI reads: `N passed, N failed, N skipped`. Exits non-zero on any failure, and when a
// project that has a test target produced no report (it crashed before vitest could write one).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const extraArgs = process.argv.slice(2);

/** Maps project names to their folders by reading the workspaces' package.json files. */
function workspaceRoots(names) {
  const roots = {};
  for (const group of ['packages', 'apps', 'tools']) {
    if (!existsSync(join(ROOT, group))) continue;
    for (const dir of readdirSync(join(ROOT, group))) {
      const manifest = join(ROOT, group, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const name = JSON.parse(readFileSync(manifest, 'utf8')).name;
      if (names.includes(name)) roots[name] = join(group, dir);
    }
  }
  return roots;
}

function nx(args, options = {}) {
  return spawnSync('npx', ['nx', ...args], { cwd: ROOT, env, encoding: 'utf8', ...options });
}

const listed = nx(['show', 'projects', '--with-target', 'test', '--json']);
if (listed.status !== 0) {
  process.stderr.write(listed.stderr);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const projects = JSON.parse(listed.stdout.slice(listed.stdout.indexOf('[')));
const roots = workspaceRoots(projects);
// Stale reports must never be counted: nx restores the cached ones of unchanged projects.
for (const root of Object.values(roots)) rmSync(join(ROOT, root, '.vitest'), { recursive: true, force: true });

const run = nx(['run-many', '-t', 'test', '--outputStyle=stream', ...extraArgs], { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const [name, root] of Object.entries(roots)) {
  const file = join(ROOT, root, '.vitest', 'results.json');
  if (!existsSync(file)) {
    rows.push(`${name}: no test report (the test run crashed or was not started)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A file that fails to load has no test results but is a failure all the same.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  const p = report.numPassedTests;
  const f = report.numFailedTests + brokenFiles;
  const s = report.numPendingTests + report.numTodoTests;
  rows.push(`${name}: ${p} passed, ${f} failed, ${s} skipped`);
  passed += p;
  failed += f;
  skipped += s;
}
console.log('\nTotals per project:');
for (const row of rows) console.log(`  ${row}`);
if (run.status !== 0 && failed === 0) failed += 1; // nx failed outside any test (e.g. a crash)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
