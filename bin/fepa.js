#!/usr/bin/env node
// `npx fepa …`: runs the compiled CLI in dist/ (plain node, no TypeScript loader: it starts about as fast as
// node itself, bench/results/cli.json). dist/ is compiled first when it is missing or older than the sources.
import { ensureCompiled } from './compiled.js';

const main = await ensureCompiled('app/cli/main.js');
await import(main);
