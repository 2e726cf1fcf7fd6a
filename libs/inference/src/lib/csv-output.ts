import type { FileHandle } from 'node:fs/promises';

/** RFC 4180 quoting, only when needed: how every CSV file this library writes quotes a field. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes all of `text` at the file's current position (one write call may write less). */
export async function writeText(file: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += (await file.write(bytes, offset)).bytesWritten;
}

/** Where a scored file's rejected rows go unless told: its name with `.errors.csv` for `.csv`. */
export function defaultErrorsPath(outputPath: string): string {
  return outputPath.replace(/(\.csv)?$/i, '.errors.csv');
}
