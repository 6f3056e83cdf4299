/**
 * The line on which a value of a JSON text starts, by its path (["remove", 3], ["clusters", 0,
 * "members", 2, "decision"]), so a refused hand edit can name the line a person typed. A small scanner
 * that walks only down the wanted path and skips everything else; the text is already known to parse.
 */
export function lineOf(text: string, path: readonly (string | number)[]): number | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t' || text[i] === '\uFEFF')) i++;
  };
  const skipString = (): void => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const readString = (): string => {
    const start = i;
    skipString();
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      let depth = 0;
      while (i < text.length) {
        const d = text[i];
        if (d === '"') {
          skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') {
          depth--;
          if (depth === 0) {
            i++;
            return;
          }
        }
        i++;
      }
      return;
    }
    while (i < text.length && !',}] \n\r\t'.includes(text[i])) i++;
  };
  const line = (): number => {
    let n = 1;
    for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) n++;
    return n;
  };

  for (const step of path) {
    ws();
    if (typeof step === 'number') {
      if (text[i] !== '[') return undefined;
      i++;
      for (let n = 0; ; n++) {
        ws();
        if (text[i] === ']' || i >= text.length) return undefined;
        if (n === step) break;
        skipValue();
        ws();
        if (text[i] === ',') i++;
      }
    } else {
      if (text[i] !== '{') return undefined;
      i++;
      for (;;) {
        ws();
        if (text[i] === '}' || i >= text.length) return undefined;
        const key = readString();
        ws();
        i++; // colon
        ws();
        if (key === step) break;
        skipValue();
        ws();
        if (text[i] === ',') i++;
      }
    }
  }
  ws();
  return line();
}
