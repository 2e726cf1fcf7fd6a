module.exports = {
  displayName: 'e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // Each spec installs packages or runs Nx in a scratch copy of the workspace: one at a time.
  maxWorkers: 1,
};
