/**
 * Generated blocks in the docs: the text between a start and an end marker (HTML comments, invisible in the
 * rendered page) belongs to a script, which rewrites it; everything around it is hand-written.
 */
import { InputError } from "../src/core/errors.js";

export interface Markers {
  readonly start: string;
  readonly end: string;
}

/** Where the block of `markers` lies in `doc` (exactly one pair, start before end), else a located error. */
function blockSpan(doc: string, markers: Markers, file: string): { from: number; to: number } {
  const start = doc.indexOf(markers.start);
  const end = doc.indexOf(markers.end);
  const once = (m: string) => doc.indexOf(m) === doc.lastIndexOf(m);
  if (start < 0 || end < 0 || end < start || !once(markers.start) || !once(markers.end)) {
    throw new InputError(
      file,
      null,
      null,
      `expected one "${markers.start}" followed by one "${markers.end}"`,
    );
  }
  return { from: start + markers.start.length, to: end };
}

/** The block currently between the markers, without the line breaks that separate it from them. */
export function readMarkedBlock(doc: string, markers: Markers, file: string): string {
  const { from, to } = blockSpan(doc, markers, file);
  return doc.slice(from, to).replace(/^\n/, "").replace(/\n$/, "");
}

/** `doc` with the text between the markers replaced by `block` (on lines of its own). */
export function replaceMarkedBlock(doc: string, markers: Markers, block: string, file: string): string {
  const { from, to } = blockSpan(doc, markers, file);
  return `${doc.slice(0, from)}\n${block}\n${doc.slice(to)}`;
}
