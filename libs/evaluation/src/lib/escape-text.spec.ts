import { escapeHtml, escapeMarkdown } from './escape-text';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x" & 'y')</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;',
    );
  });
});

describe('escapeMarkdown', () => {
  it('keeps a table cell one cell and one line, and neutralises HTML and links', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
    expect(escapeMarkdown('<img src=x>')).toBe('&lt;img src=x&gt;');
    expect(escapeMarkdown('[click](http://x)')).toBe('\\[click\\](http://x)');
    expect(escapeMarkdown('time_spent *2*')).toBe('time\\_spent \\*2\\*');
  });
});
