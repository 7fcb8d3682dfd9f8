#!/usr/bin/env node
// The installed `effnet` command: runs the compiled CLI (build with `npx nx build @effnet/cli`).
import { exitOnStrayErrors, main } from '../dist/main.js';

exitOnStrayErrors();
process.exitCode = await main(process.argv);
