import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SESSIONS_CSV = path.resolve(__dirname, '../../../../data/raw/customer_sessions.csv');

/** A CustomerSession as a plain type (usable as the inference lib's RawRecord). */
export type SessionRow = {
  customer_id: number;
  time_spent: number | null;
  pages_viewed: number | null;
  basket_value: number | null;
  device_type: string | null;
  customer_type: string | null;
};

/** Every session of the bundled data as an API request: empty cells become null. */
export function sessionRows(): SessionRow[] {
  const [header, ...lines] = readFileSync(SESSIONS_CSV, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const at = (cells: string[], name: string) => cells[columns.indexOf(name)];
  const number = (cell: string) => (cell === '' ? null : Number(cell));
  const text = (cell: string) => (cell === '' ? null : cell);
  return lines
    .map((line) => line.split(','))
    .map((cells) => ({
      customer_id: Number(at(cells, 'customer_id')),
      time_spent: number(at(cells, 'time_spent')),
      pages_viewed: number(at(cells, 'pages_viewed')),
      basket_value: number(at(cells, 'basket_value')),
      device_type: text(at(cells, 'device_type')),
      customer_type: text(at(cells, 'customer_type')),
    }));
}
