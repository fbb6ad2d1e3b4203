import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * A tiny valid folder (S = 3, A = 2): state 2 is absorbing (hence terminal), reward 1 on entering 2.
 * Tests copy it and break one file at a time.
 */
export const VALID: Readonly<Record<string, string>> = {
  "transitionFunction.csv": "0.5,0.5,0\n0,1,0\n0,0,1\n0.25,0,0.75\n0,0,1\n0,0,1\n",
  "rewardFunction.csv": "0,0,1\n",
  "initialStateDistribution.csv": "0.5,0.5,0\n",
  "expertPolicy.csv": "0.5,0.5\n1,0\n0,0\n",
  "admissibleActions.txt": "2 1 2\n0 1\n1\n0 1\n",
  "stateClusterCenters.csv": "0.1,0.2\n0.3,0.4\n0,0\n",
  "sofaScores.csv": "1.5,2,0\n",
  "metadata.json": '{\n  "n_states": 3,\n  "n_actions": 2\n}\n',
};

/** Temp folders made by `fixture`, removed by `cleanFixtures` (call it in afterAll). */
const made: string[] = [];

/**
 * Write VALID with `changes` applied (null deletes a file; names may include "extras/"; ".gz" names are
 * gzipped) into a fresh temp folder.
 */
export async function fixture(changes: Readonly<Record<string, string | null>> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tabmdp-io-"));
  made.push(dir);
  const files: Record<string, string | null> = { ...VALID, ...changes };
  for (const [name, text] of Object.entries(files)) {
    if (text === null) continue;
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, name.endsWith(".gz") ? gzipSync(text) : text);
  }
  return dir;
}

export async function cleanFixtures(): Promise<void> {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
}

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tabmdp-io-"));
  made.push(dir);
  return dir;
}
