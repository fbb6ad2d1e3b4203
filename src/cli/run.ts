// Entry point for running the CLI from source (tsx src/cli/run.ts ...), used by tests and npm scripts.
import { exitWhenQuiet, installProcessGuards, main } from "./main.js";

installProcessGuards();

main(process.argv).then(exitWhenQuiet);
