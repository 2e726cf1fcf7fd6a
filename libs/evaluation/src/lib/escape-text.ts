/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Escapes text for a Markdown table cell or line: HTML is neutralised (Markdown renderers pass raw
 * HTML through), Markdown punctuation that would change the rendering is backslash-escaped, and a
 * line break becomes a space so the table row stays one line.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_|[\]#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}
