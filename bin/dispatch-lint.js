#!/usr/bin/env node
// dist/bundle is dist/src/cli.js and what it imports, joined into a few files so it starts faster (scripts/bundle.js).
import { main, tuneV8ForLint } from '../dist/bundle/cli.js';

tuneV8ForLint();
process.exitCode = await main(process.argv.slice(2));
