// CSV for spreadsheets, guarded against formula injection: a cell that a spreadsheet would run
// as a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
import Papa from 'papaparse';

export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(rows: string[][]): string {
  return Papa.unparse(
    rows.map((r) => r.map(safeCell)),
    { quotes: true, newline: '\r\n' }
  );
}
