/** Prints rows as a Markdown table, after a blank line: the form the README's Performance tables take. */
export function printMarkdownTable(header: readonly string[], rows: readonly string[][]): void {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  console.log();
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const row of rows) console.log(line(row));
}
