// What text any input may hold, whatever the field: no control characters but tab and line breaks, no unpaired
// UTF-16 surrogates (they would be stored as U+FFFD, silently changing what was sent), no bidirectional
// overrides or isolates (they make a title or a name display as something other than what it is).
import { type Message, msg } from "../messages";

export type TextProblem = "TOO_LONG" | "CONTROL_CHARACTER" | "UNPAIRED_SURROGATE" | "BIDI_CONTROL";

// C0 controls except \t \n \r, DEL, and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point of this expression
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
// LRE RLE PDF LRO RLO and LRI RLI FSI PDI.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;
// In a /u expression a well-paired surrogate is one code point, so only an unpaired one is a lone Cs.
const LONE_SURROGATE = /\p{Cs}/u;

/** The first problem a text has, or null; `maxLength` counts characters (code points). */
export function textProblem(value: string, maxLength: number): TextProblem | null {
  if (LONE_SURROGATE.test(value)) return "UNPAIRED_SURROGATE";
  if (CONTROL.test(value)) return "CONTROL_CHARACTER";
  if (BIDI.test(value)) return "BIDI_CONTROL";
  if (value.length > maxLength && [...value].length > maxLength) return "TOO_LONG";
  return null;
}

export function textProblemMessage(problem: TextProblem, maxLength: number): Message {
  switch (problem) {
    case "TOO_LONG":
      return msg("input.atMostCharacters", { max: maxLength });
    case "CONTROL_CHARACTER":
      return msg("input.controlCharacter");
    case "UNPAIRED_SURROGATE":
      return msg("input.unpairedSurrogate");
    case "BIDI_CONTROL":
      return msg("input.bidiControl");
  }
}
