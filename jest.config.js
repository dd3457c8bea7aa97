/** @type {import('jest').Config} */
const common = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // .cache holds the Elasticsearch distribution and its data: never crawl it.
  roots: ['<rootDir>/src', '<rootDir>/test'],
  modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
};

module.exports = {
  // per-project testTimeout is ignored by jest (a root option); unit tests are fast either way, integration
  // tests talk to a real Elasticsearch on a shared 2-core machine
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/globalSetup.ts',
      globalTeardown: '<rootDir>/test/helpers/globalTeardown.ts',
    },
  ],
};
