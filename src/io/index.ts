/** CSV input/output for tabular MDPs in the ICU-Sepsis layout. */
export { atomicWrite, atomicWriteChunks, type Cell, type CsvWriteOptions, writeCsvAtomic } from "./atomic.js";
export { type ReplaceDirOptions, recoverOutputDir, replaceDir } from "./atomic-dir.js";
export { FILES } from "./locate.js";
export { formatNumber, parseDecimalBytes, parseDecimalText } from "./number.js";
export { checkOutputPath, type OutputKind } from "./out-path.js";
export { DEFAULT_TOLERANCE, type PolicyReadOptions, readPolicyCsv } from "./policy.js";
export { readPolicyView } from "./policy-view.js";
export { type ReadOptions, readMdpDir } from "./read-dir.js";
export { SPARSE_HEADER } from "./sparse-reader.js";
export { DENSE_LIMIT_BYTES, defaultLayout, denseTransitionBytes, type Layout } from "./sparse-writer.js";
export { writeTableCsv, writeVectorCsv } from "./tables.js";
export {
  type ValidateOptions,
  type ValidationReport,
  type ValidationSummary,
  validateMdpDir,
} from "./validate-dir.js";
export { type WriteOptions, writeMdpDir } from "./write-dir.js";
