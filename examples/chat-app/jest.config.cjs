// Jest, CommonJS: ts-jest compiles each file to CommonJS (type-checking is `npm run typecheck`'s).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/jest/**/*.test.ts'],
  setupFilesAfterEnv: ['agora-signaling-emulator/jest'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'CommonJS', isolatedModules: true } }] },
  // The sources import './chat.js' (Node's ESM style); the files are .ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
