#!/usr/bin/env node
// The compiled CLI, bundled per command into dist/cli/, is built by `npm run build` (run automatically by
// `npm ci` / `npm install` via `prepare`; see scripts/bundle-cli.ts).
import { exitWhenQuiet, installProcessGuards, main } from "../dist/cli/main.js";

installProcessGuards();

main(process.argv).then(exitWhenQuiet);
