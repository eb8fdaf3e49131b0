#!/usr/bin/env node
// dist/bundle is dist/src/cli.js and what it imports, joined into a few files so it starts faster (scripts/bundle.js).
import { limitHeapGrowth, main } from '../dist/bundle/cli.js';

limitHeapGrowth();
process.exitCode = await main(process.argv.slice(2));
