module.exports = {
  displayName: 'preprocessing',
  preset: '../../jest.preset.js',
  rootDir: '.',
};
