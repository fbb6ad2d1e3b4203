#!/usr/bin/env node
// The compiled CLI is built by `npm run build` (run automatically by `npm ci` / `npm install` via `prepare`).
import { exitWhenQuiet, installProcessGuards, main } from "../dist/src/cli/main.js";

installProcessGuards();

main(process.argv).then(exitWhenQuiet);
