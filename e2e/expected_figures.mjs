// An independent reading of an access log, to check the page's figures against: a plain
// regular expression over the text, sharing no code with the Rust parser.
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const ACCESS_LINE = new RegExp(
  String.raw`^(\S+) \S+ \S+ \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] ${QUOTED} \d{3} (?:\d+|-)(?: ${QUOTED} ${QUOTED})?$`,
);

export function expectedFigures(text) {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const clients = new Set();
  let parsed = 0;
  for (const line of lines) {
    const match = ACCESS_LINE.exec(line.replace(/\r$/, ""));
    if (match) {
      parsed += 1;
      clients.add(match[1]);
    }
  }
  return { lines: lines.length, parsed, rejected: lines.length - parsed, clients: clients.size };
}
