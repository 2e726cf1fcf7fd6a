import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CustomerType, DeviceType } from '../contract/customer-session';

export const SESSIONS_CSV = path.resolve(__dirname, '../../../../data/raw/customer_sessions.csv');

/** A CustomerSession as a plain type (usable as the inference lib's RawRecord). */
export type SessionRow = {
  customer_id: number;
  time_spent: number | null;
  pages_viewed: number | null;
  basket_value: number | null;
  device_type: DeviceType;
  customer_type: CustomerType;
};

/**
 * The bundled data's sessions as API requests: empty cells become null, an unrecorded device
 * becomes "Unknown". Rows without a customer_type are left out: the contract requires one.
 */
export function sessionRows(): SessionRow[] {
  const [header, ...lines] = readFileSync(SESSIONS_CSV, 'utf8').trim().split('\n');
  const columns = header.split(',');
  const at = (cells: string[], name: string) => cells[columns.indexOf(name)];
  const number = (cell: string) => (cell === '' ? null : Number(cell));
  return lines
    .map((line) => line.split(','))
    .filter((cells) => at(cells, 'customer_type') !== '')
    .map((cells) => ({
      customer_id: Number(at(cells, 'customer_id')),
      time_spent: number(at(cells, 'time_spent')),
      pages_viewed: number(at(cells, 'pages_viewed')),
      basket_value: number(at(cells, 'basket_value')),
      device_type: (at(cells, 'device_type') || 'Unknown') as DeviceType,
      customer_type: at(cells, 'customer_type') as CustomerType,
    }));
}
