import { renderLinePlotSvg } from './svg-line-plot';

const plot = {
  title: 'ROC curve (test)',
  xLabel: 'false positive rate',
  yLabel: 'true positive rate',
  series: [
    { name: 'lr', x: [0, 0.1, 0.5, 1], y: [0, 0.6, 0.9, 1] },
    { name: 'gbdt', x: Float64Array.from([0, 0.2, 1]), y: Float64Array.from([0, 0.9, 1]) },
  ],
  reference: { name: 'chance', x: [0, 1], y: [0, 1] },
};

function pathOf(svg: string, series: string): string {
  const m = svg.match(new RegExp(`<path data-series="${series}" d="([^"]*)"`));
  if (!m) throw new Error(`no path for ${series}`);
  return m[1];
}

describe('renderLinePlotSvg', () => {
  const svg = renderLinePlotSvg(plot);

  it('draws one path per series with one command per point', () => {
    expect(pathOf(svg, 'lr').match(/[ML]/g)).toHaveLength(4);
    expect(pathOf(svg, 'gbdt').match(/[ML]/g)).toHaveLength(3);
    expect(svg.match(/<path data-series=/g)).toHaveLength(2);
    expect(svg).toContain('data-reference="chance"');
  });

  it('maps the unit square onto the plot area: (0, 0) bottom-left, (1, 1) top-right', () => {
    expect(pathOf(svg, 'gbdt')).toBe('M56.0 332.0 L116.0 62.0 L356.0 32.0');
  });

  it('has axes with ticks, labels, a title and a legend entry per series, and no script', () => {
    for (const text of ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0', 'false positive rate', 'true positive rate', 'ROC curve (test)']) {
      expect(svg).toContain(`>${text}</text>`);
    }
    expect(svg).toMatch(/<text[^>]*>lr<\/text>/);
    expect(svg).toMatch(/<text[^>]*>gbdt<\/text>/);
    expect(svg).toMatch(/<text[^>]*>chance<\/text>/);
    expect(svg).not.toMatch(/<script|href=|url\(/i);
  });

  it('draws a marker per point when asked', () => {
    const withMarkers = renderLinePlotSvg({ ...plot, markers: true });
    expect(withMarkers.match(/<circle /g)).toHaveLength(7);
  });

  it('escapes names and rejects series of unequal length', () => {
    const evil = renderLinePlotSvg({ ...plot, series: [{ name: '<b>"x"</b>', x: [0], y: [0] }] });
    expect(evil).toContain('data-series="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
    expect(evil).not.toContain('<b>');
    expect(() => renderLinePlotSvg({ ...plot, series: [{ name: 'bad', x: [0, 1], y: [0] }] })).toThrow(
      'series "bad" has 2 x values and 1 y values',
    );
  });
});
