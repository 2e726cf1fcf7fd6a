module.exports = {
  displayName: 'evaluation',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
