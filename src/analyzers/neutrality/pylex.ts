/**
 * A Python lexer that tells code, string literals and comments apart, line by
 * line — what the neutrality signals need (`torch.cuda` in code is a site, in
 * a comment it is not; "cuda" as a string literal is a device string).
 *
 * Why not tree-sitter here: the neutrality scan reads every file of a tree
 * (tens of thousands) and must stay within 3× of `git grep`; it needs token
 * classes, not syntax trees, and Python's token classes are decided by a
 * lexer (CPython's own `tokenize` is one). Only files that mention a vendor
 * keyword are lexed at all.
 *
 * Handles string prefixes (r, b, u, f and combinations), single and triple
 * quotes, escapes, and strings left unterminated at the end of a line (an
 * error in Python, kept going here). f-string replacement fields are read as
 * string content.
 */

export interface PyString {
  /** The literal's content on this line (without quotes and prefix). */
  value: string;
  /** 0-based column where the content starts. */
  col: number;
  /** The whole literal is on this line (a device string must be whole to count). */
  whole: boolean;
}

export interface PyLine {
  /** The line with string contents and the comment blanked (same length; quotes kept). */
  code: string;
  /** The line without its comment (strings kept). */
  text: string;
  strings: PyString[];
  /** The comment's text after `#`, or null. */
  comment: string | null;
}

const PREFIX = /^(?:[rRuUbBfFtT]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF]|[tT][rR]|[rR][tT])$/;

export function lexPython(source: string): PyLine[] {
  const lines: PyLine[] = [];
  let code = "";
  let text = "";
  let strings: PyString[] = [];
  let comment: string | null = null;
  let col = 0;
  const endLine = () => {
    lines.push({ code, text, strings, comment });
    code = "";
    text = "";
    strings = [];
    comment = null;
    col = 0;
  };
  /** A string literal that goes on past the end of this line: this line's part, then a new line. */
  const breakLine = (part: string, at: number) => {
    strings.push({ value: part, col: at, whole: false });
    code += " ".repeat(part.length);
    text += part;
    endLine();
  };
  const n = source.length;
  let i = 0;
  while (i < n) {
    const ch = source[i]!;
    if (ch === "\n") {
      endLine();
      i++;
      continue;
    }
    if (ch === "\r") {
      i++;
      continue;
    }
    if (ch === "#") {
      let j = source.indexOf("\n", i);
      if (j < 0) j = n;
      const raw = source.slice(i + 1, j).replace(/\r$/, "");
      comment = raw;
      code += " ".repeat(j - i);
      col += j - i;
      i = j;
      continue;
    }
    // An identifier: maybe a string prefix.
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(source[j]!)) j++;
      const word = source.slice(i, j);
      if (j < n && (source[j] === '"' || source[j] === "'") && PREFIX.test(word)) {
        code += word;
        text += word;
        col += word.length;
        i = j;
        continue; // the quote is read next
      }
      code += word;
      text += word;
      col += word.length;
      i = j;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const triple = source.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      code += quote;
      text += quote;
      col += quote.length;
      i += quote.length;
      let content = "";
      let startCol = col;
      let firstLine = true;
      let closed = false;
      while (i < n) {
        const c = source[i]!;
        if (c === "\\" && i + 1 < n && source[i + 1] !== "\n") {
          content += c + source[i + 1]!;
          i += 2;
          continue;
        }
        if (c === "\\" && source[i + 1] === "\n") {
          // Line continuation inside a string: the literal goes on on the next line.
          content += c;
          i++;
          breakLine(content, startCol);
          i++;
          content = "";
          startCol = 0;
          firstLine = false;
          continue;
        }
        if (source.startsWith(quote, i)) {
          closed = true;
          break;
        }
        if (c === "\n") {
          if (!triple) break; // unterminated single-quoted string: stop at the line end
          breakLine(content.replace(/\r$/, ""), startCol);
          i++;
          content = "";
          startCol = 0;
          firstLine = false;
          continue;
        }
        content += c;
        i++;
      }
      strings.push({ value: content.replace(/\r$/, ""), col: startCol, whole: firstLine && closed });
      code += " ".repeat(content.length);
      text += content;
      col += content.length;
      if (closed) {
        code += quote;
        text += quote;
        col += quote.length;
        i += quote.length;
      }
      continue;
    }
    code += ch;
    text += ch;
    col++;
    i++;
  }
  if (code !== "" || text !== "" || comment !== null || strings.length || lines.length === 0) endLine();
  return lines;
}
