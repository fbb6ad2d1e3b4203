/**
 * Text from input files shown in messages: quoted, control characters escaped (a CR or an escape sequence
 * must not rewrite the user's terminal), and cut, so a 1 MB token cannot make a 1 MB message line.
 */

/** Longest token shown in full. */
export const MAX_SHOWN = 40;
/** Longest message reason; longer ones are cut (their start says what is wrong). */
export const MAX_REASON = 400;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Escape control characters as \n, \r, \t or \xNN / \uNNNN. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** `"text"` with controls escaped, cut after `max` characters with a note of the full length. */
export function quote(text: string, max = MAX_SHOWN): string {
  const cut = text.length > max;
  const shown = escapeControls(cut ? text.slice(0, max) : text);
  return cut ? `"${shown}..." (${text.length} characters)` : `"${shown}"`;
}

/** A whole reason made safe for one terminal line: controls escaped, at most MAX_REASON characters. */
export function safeReason(reason: string): string {
  const r = escapeControls(reason);
  return r.length > MAX_REASON ? `${r.slice(0, MAX_REASON)}... (message cut)` : r;
}
