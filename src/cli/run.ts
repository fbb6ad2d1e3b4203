// Entry point for running the CLI from source (tsx src/cli/run.ts ...), used by tests and npm scripts.
import { installProcessGuards, main } from "./main.js";

installProcessGuards();

main(process.argv).then((code) => {
  process.exitCode = code;
});
