// Jest, ESM (run with node --experimental-vm-modules): ts-jest emits ES modules, and the
// package is loaded through its "import" entries.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/jest/**/*.test.ts'],
  setupFilesAfterEnv: ['agora-signaling-emulator/jest'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { module: 'ESNext', isolatedModules: true } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
