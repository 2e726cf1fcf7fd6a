import { DocumentProblems } from './document-problems';

describe('DocumentProblems', () => {
  it('says nothing without problems, one problem on one line, several as a list', () => {
    const none = new DocumentProblems();
    expect(() => none.throwIfAny('a.json', 'spec')).not.toThrow();
    const one = new DocumentProblems();
    one.add('target', 'must be an object');
    expect(() => one.throwIfAny('a.json', 'spec')).toThrow(new Error('a.json: target must be an object'));
    const two = new DocumentProblems();
    two.add('', 'is not a spec');
    two.add('columns[1].name', 'is missing');
    expect(two.empty).toBe(false);
    expect(() => two.throwIfAny('a.json', 'dataset spec')).toThrow(new Error('a.json: 2 problems in the dataset spec:\n  - is not a spec\n  - columns[1].name is missing'));
  });
});
