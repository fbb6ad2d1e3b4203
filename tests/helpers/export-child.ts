// A child process for kill tests: read folder argv[2] and write it to argv[3] (gzipped if argv[4] is "gzip").
// Loads only the io layer, so it starts faster than the whole CLI.
import { readMdpDir, writeMdpDir } from "../../src/io/index.js";

const [src, out, gz] = process.argv.slice(2);
await writeMdpDir(await readMdpDir(src!), out!, { gzip: gz === "gzip" });
